import ts from '../../typescript.cjs';
import { staticString, unwrap, type ProjectFile } from './project.js';
import { externalImport, isLiteral, isNameLiteral, span } from './syntax.js';
import { routeObjectRegistration } from './route-tables.js';
import { METHODS, type CallHandler, type Prefix, type RouteWiring, type RouterGraphApi } from './wiring.js';

/** `router.get('name', '/path', handler)`: a named route; the path is the second argument. */
const namedRoute: CallHandler = (graph, file, call, callee) => {
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
