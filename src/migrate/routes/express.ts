import ts from '../../typescript.cjs';
import { isFunctionNode, staticString, unwrap } from './project.js';
import { untracedRoute } from './registrations.js';
import { handlerMapUse } from './handler-maps.js';
import { exegesisUse } from './exegesis.js';
import { openapiBackendUse } from './openapi-backend.js';
import { operationHandlersUse, validatorInstall, validatorSecurityUse } from './operation-handlers.js';
import { swaggerRunnerRegister, swaggerSecurityUse, swaggerToolsUse } from './swagger-router.js';
import { lambertRegisterRoute, lambertRegisterRoutes } from './folder-routers.js';
import { METHODS, type CallHandler, type RouteWiring } from './wiring.js';

/**
 * `app.route('/p').get(h).post(h)`: the path sits on the `route()` call down the chain (a literal, a constant, a
 * template: `route(PATHS.token)`). On a receiver the graph cannot trace (`this.router` of a router made where it
 * cannot see), each method is an untraced route under that path, as `x.get('/p', h)` is (before session 28 such a
 * chain vanished: identfy-entity-service's ten routes were in no report).
 */
const routeChain: CallHandler = (graph, file, call, callee) => {
  const chainPath = routeChainPath(unwrap(callee.expression));
  if (!chainPath) return false;
  const router = graph.routerOf(file, chainPath.receiver);
  if (router)
    graph.addRoute(
      router,
      file,
      call,
      callee.name.text,
      graph.paths(file, chainPath.path),
      [...call.arguments],
      chainPath.path,
    );
  else untracedRoute(graph, file, call, chainPath.receiver, callee.name.text, chainPath.path, call.arguments);
  return true;
};

/**
 * Express route wiring: `express()` apps and `express.Router()` / `Router()` routers; `app.METHOD`,
 * `app.use('/prefix', router)` (the graph's common calls), `app.route('/p').get(h).post(h)` chains, and
 * handler maps keyed by path and method passed to `use` (handler-maps.ts), express-openapi-validator's
 * `operationHandlers` (operation-handlers.ts), openapi-backend (openapi-backend.ts), swagger-tools'
 * `swaggerRouter` and the a127 swagger-node runners (swagger-router.ts).
 */
export const expressWiring: RouteWiring = {
  framework: 'express',
  syntax: 'colon',
  modules: /^express/,
  creations: {
    express: (member) =>
      member === 'Router' || member === 'router'
        ? { framework: 'express', kind: 'router', syntax: 'colon' }
        : member === undefined
          ? { framework: 'express', kind: 'app', syntax: 'colon' }
          : undefined,
  },
  chainable: ['route'],
  registrations: {
    ...Object.fromEntries([...METHODS].map((m): [string, CallHandler] => [m, routeChain])),
    // `app.use(dispatch({ '/p/{id}': { get: h } }))`, `app.all('*', dispatch(...))`: an OpenAPI-first handler map
    // (registrations are shared by every wiring: Koa and Hono apps are read by it too)
    // `app.use(OpenApiValidator.middleware({ apiSpec, operationHandlers }))`: the document's operations are routes
    // and `app.use((req, res) => api.handleRequest(req, req, res))` of openapi-backend
    // `app.use(OpenApiValidator.middleware({ apiSpec, validateSecurity: { handlers } }))`: its security handlers
    // swagger-tools' `app.use(middleware.swaggerSecurity(handlers))`: checks of the document's secured operations
    // `app.use(await exegesisExpress.middleware(doc, { controllers, authenticators }))` (exegesis.ts)
    use: (graph, file, call, callee) =>
      validatorSecurityUse(graph, file, call, callee) ||
      handlerMapUse(graph, file, call, callee) ||
      operationHandlersUse(graph, file, call, callee) ||
      swaggerToolsUse(graph, file, call, callee) ||
      swaggerSecurityUse(graph, file, call, callee) ||
      exegesisUse(graph, file, call, callee) ||
      openapiBackendUse(graph, file, call, callee),
    // a127 swagger-node: `SwaggerExpress.create(config, (err, runner) => runner.register(app))` (swagger-router.ts)
    register: swaggerRunnerRegister,
    // express-openapi-validator 3: `new OpenApiValidator({ apiSpec, operationHandlers }).install(app)`
    install: validatorInstall,
    installSync: validatorInstall,
    all: (graph, file, call, callee) =>
      routeChain(graph, file, call, callee) ||
      handlerMapUse(graph, file, call, callee) ||
      openapiBackendUse(graph, file, call, callee),
    // lambert-server's folder of router files (Spacebar): `traverseDirectory({ dirname }, (f) =>
    // server.registerRoute(root, f, dest))`, `this.registerRoutes(dir)` (folder-routers.ts)
    registerRoute: lambertRegisterRoute,
    registerRoutes: lambertRegisterRoutes,
  },
};

/** `x.route('/p')` somewhere down a `.get(h).post(h)` chain. */
function routeChainPath(
  receiver: ts.Expression,
): { receiver: ts.Expression; path: ts.Expression } | undefined {
  let node = receiver;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const name = node.expression.name.text;
    // `route(path)` takes one argument (Hono's `route(path, app)` mounts); any path expression, as a method's
    // own path argument is read (a constant, a template, `this.path + '/x'`).
    if (name === 'route' && node.arguments.length === 1 && !isFunctionNode(unwrap(node.arguments[0])))
      return { receiver: node.expression.expression, path: node.arguments[0] };
    if (!METHODS.has(name) || staticString(node.arguments[0]) !== undefined) return undefined;
    node = unwrap(node.expression.expression);
  }
  return undefined;
}
