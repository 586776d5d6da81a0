import ts from '../../typescript.cjs';
import { staticString, unwrap, type ProjectFile } from './project.js';
import { externalImport, isLiteral, isNameLiteral, span } from './syntax.js';
import { routeObjectRegistration } from './route-tables.js';
import { METHODS, type CallHandler, type Prefix, type RouteWiring, type RouterGraphApi } from './wiring.js';

/** `router.get('name', '/path', handler)`: a named route; the path is the second argument. */
const namedRoute: CallHandler = (graph, file, call, callee) => {
  // `route.get('/p', h)` of koa-route handed to `app.use(...)`: the `use` reads it (koaRouteCall). Held anywhere
  // else, it reads on, and is named as untraced.
  const use = koaRouteCall(graph, file, call) && useAround(call);
  if (use && graph.routerOf(file, use.expression.expression)) return true;
  const args = call.arguments;
  const [name, pathArgument] = args;
  if (args.length < 3 || !name || !pathArgument) return false;
  if (!isNameLiteral(name) || staticString(pathArgument) === undefined) return false;
  const router = graph.routerOf(file, unwrap(callee.expression));
  if (!router) return true;
  const handlers = args.slice(2);
  if (handlers.every((h) => ts.isObjectLiteralExpression(unwrap(h)) || isLiteral(h))) return true;
  graph.addRoute(router, file, call, callee.name.text, graph.paths(file, pathArgument), [...handlers]);
  return true;
};

/**
 * koa-mount: `app.use(mount('/v1', v1App))` (a Koa app or `router.routes()` under the prefix; `mount(app)`
 * at the root). Anything else that is mounted (a plain middleware function) runs for the prefix's routes of
 * the receiver. False when no argument is a koa-mount call, so other frameworks' `use` reads on.
 */
const koaMount: CallHandler = (graph, file, call, callee) => {
  const routes = call.arguments.map((argument) => koaRouteCall(graph, file, argument));
  if (routes.some(Boolean)) return koaRoutes(graph, file, call, callee, routes);
  const mounts = call.arguments.map((argument) => mountCall(graph, file, argument));
  if (!mounts.some(Boolean)) return false;
  const router = graph.routerOf(file, callee.expression);
  if (!router) return true;
  for (const mount of mounts) {
    if (!mount) continue;
    const child = graph.routerOf(file, mount.child);
    if (child && child !== router) graph.mountAt(router, file, call, mount.prefix, child);
    else graph.addMiddleware(router, file, call, [span(file, mount.child)], false);
  }
  return true;
};

/** A koa-route route: `route.get('/p', h)` (default, namespace or CommonJS import) or `get('/p', h)` (named). */
interface KoaRoute {
  call: ts.CallExpression;
  method: string;
  path: ts.Expression;
  handlers: ts.Expression[];
}

/**
 * koa-route: `app.use(route.get('/apps/:id', handler))` (jembi/openhim-core-js). Each koa-route call among the
 * arguments is a route of the receiver (`del` and `all` as Express spells them); any other argument runs as
 * middleware for the receiver's routes. A receiver that is no traced app reads on (named as untraced).
 */
function koaRoutes(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
  routes: (KoaRoute | undefined)[],
): boolean {
  const router = graph.routerOf(file, callee.expression);
  if (!router) return false;
  call.arguments.forEach((argument, i) => {
    const route = routes[i];
    if (route)
      graph.addRoute(
        router,
        file,
        route.call,
        route.method,
        graph.paths(file, route.path),
        route.handlers,
        route.path,
      );
    else graph.addMiddleware(router, file, call, [span(file, argument)], false);
  });
  return true;
}

/** `argument` as a koa-route call (see {@link KoaRoute}); undefined for anything else. */
function koaRouteCall(
  graph: RouterGraphApi,
  file: ProjectFile,
  argument: ts.Expression,
): KoaRoute | undefined {
  const node = unwrap(argument);
  if (!ts.isCallExpression(node)) return undefined;
  const [path, ...handlers] = node.arguments;
  if (!path || !handlers.length) return undefined;
  const callee = node.expression;
  const named = ts.isIdentifier(callee) ? callee : undefined;
  const root =
    named ??
    (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
      ? callee.expression
      : undefined);
  if (!root) return undefined;
  const method = named ? named.text : (callee as ts.PropertyAccessExpression).name.text;
  if (!METHODS.has(method)) return undefined;
  const imported = graph.project
    .lookup(file, root, root.text)
    .map((d) => externalImport(d.node))
    .find((i) => i?.module === 'koa-route');
  if (!imported || (named ? imported.name !== method : imported.name !== 'default' && imported.name !== '*'))
    return undefined;
  return { call: node, method, path, handlers: [...handlers] };
}

/** The `use(...)` call a call is written directly in as an argument (`app.use(route.get(...))`), if any. */
function useAround(
  call: ts.CallExpression,
): (ts.CallExpression & { expression: ts.PropertyAccessExpression }) | undefined {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return ts.isCallExpression(parent) &&
    parent.arguments.some((a) => a === node) &&
    ts.isPropertyAccessExpression(parent.expression) &&
    parent.expression.name.text === 'use'
    ? (parent as ts.CallExpression & { expression: ts.PropertyAccessExpression })
    : undefined;
}

function mountCall(
  graph: RouterGraphApi,
  file: ProjectFile,
  argument: ts.Expression,
): { prefix: Prefix; child: ts.Expression } | undefined {
  const node = unwrap(argument);
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return undefined;
  const callee = node.expression;
  const fromKoaMount = graph.project
    .lookup(file, callee, callee.text)
    .some((d) => externalImport(d.node)?.module === 'koa-mount');
  if (!fromKoaMount) return undefined;
  const [first, second] = node.arguments;
  if (!first) return undefined;
  if (!second) return { prefix: '', child: first };
  const prefix = graph.project.stringOf(file, first);
  return { prefix: prefix ?? { dynamic: first.getText(file.sourceFile) }, child: second };
}

/** koa-joi-router's route objects (`routeObjectRegistration` reads them). */
const joiRoutes = routeObjectRegistration('koa', ['pre', 'handler']);

/**
 * Koa + @koa/router (or koa-router), and oak's Application and Router: `new Router({ prefix })`, `router.prefix('/p')`, named routes
 * `router.get('name', '/p', h)`, `router.use('/p', sub.routes())`, `app.use(router.routes())`, koa-mount; koa-joi-router's
 * `router.route({ method, path, validate, handler })` and `router.middleware()`.
 */
export const koaWiring: RouteWiring = {
  framework: 'koa',
  syntax: 'colon',
  modules: /^(@koa\/router|koa-router|koa-joi-router|koa|@oak\/oak|oak|jsr:@oak\/oak)$/,
  creations: {
    koa: () => ({ framework: 'koa', kind: 'app', syntax: 'colon' }),
    '@koa/router': () => ({ framework: 'koa', kind: 'router', syntax: 'colon' }),
    'koa-router': () => ({ framework: 'koa', kind: 'router', syntax: 'colon' }),
    // koa-joi-router: `const router = createRouter()` (its default export), @koa/router underneath.
    'koa-joi-router': () => ({ framework: 'koa', kind: 'router', syntax: 'colon' }),
    // oak (Deno, also on npm and JSR) models its Application and Router on Koa's and @koa/router's.
    ...Object.fromEntries(
      ['@oak/oak', 'oak', 'jsr:@oak/oak'].map((module) => [
        module,
        (member: string | undefined) =>
          member === 'Router'
            ? { framework: 'koa', kind: 'router' as const, syntax: 'colon' as const }
            : member === 'Application'
              ? { framework: 'koa', kind: 'app' as const, syntax: 'colon' as const }
              : undefined,
      ]),
    ),
  },
  // `router.param('id', load)` returns the router too (bedrock-core's `router.use(auth).param('id', …).get(…)`).
  chainable: ['routes', 'middleware', 'prefix', 'param'],
  registrations: {
    ...Object.fromEntries([...METHODS].map((m): [string, CallHandler] => [m, namedRoute])),
    use: koaMount,
    // koa-joi-router: `router.route({ method, path, validate, pre, handler })`, or a list of such objects.
    // Only on a Koa router: another receiver's `route(...)` (Hono's mount, one the graph cannot trace) reads on.
    route: (graph, file, call, callee) =>
      graph.routerOf(file, callee.expression)?.framework === 'koa' && joiRoutes(graph, file, call, callee),
    prefix: (graph, file, call, callee) => {
      if (call.arguments.length !== 1) return false;
      const router = graph.routerOf(file, callee.expression);
      const prefix = staticString(call.arguments[0]);
      if (router && prefix !== undefined) router.prefix = prefix;
      return true;
    },
  },
};
