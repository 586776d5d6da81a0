import ts from '../../typescript.cjs';
import { lineOf, staticString, unwrap, type ProjectFile } from './project.js';
import { objectProperty, span, stringList } from './syntax.js';
import type { CallHandler, RouteWiring, RouterGraphApi } from './wiring.js';

/**
 * `@hono/zod-openapi`: `app.openapi(createRoute({ method, path, middleware }), handler, hook)`, the route
 * config inline or held in a variable (same file or imported). Its path is OpenAPI-style (`/users/{id}`).
 * A config the code does not spell out is reported as a registration mtls-fix could not read.
 */
const registerOpenApiRoute: CallHandler = (graph, file, call, callee) => {
  const [config, ...handlers] = call.arguments;
  if (!config || !handlers.length) return false;
  const router = graph.routerOf(file, callee.expression);
  if (!router) return true;
  const object = routeConfig(graph, file, config);
  const method = object ? staticString(objectProperty(object.node, 'method')) : undefined;
  const pathNode = object ? objectProperty(object.node, 'path') : undefined;
  const path = object && pathNode ? graph.project.stringOf(object.file, pathNode) : undefined;
  if (!object || !method || path === undefined) {
    const why = `app.openapi() route config ${config.getText(file.sourceFile)} is not spelled out where mtls-fix can read it (${file.relative}:${lineOf(file, call)})`;
    graph.addUnread(router, file, call, method ?? 'all', why, [...handlers]);
    return true;
  }
  const middleware = objectProperty(object.node, 'middleware');
  graph.addRoute(router, file, call, method, [path.replace(/\{(\w+)\}/g, ':$1')], [...handlers]);
  if (middleware) {
    const entry = router.entries[router.entries.length - 1];
    if (entry?.kind === 'route') entry.handlers.push(span(object.file, middleware));
  }
  return true;
};

/** `createRoute({...})` (or the object itself), inline or behind a variable / import. */
function routeConfig(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): { file: ProjectFile; node: ts.ObjectLiteralExpression } | undefined {
  const values =
    ts.isIdentifier(unwrap(expression)) || ts.isPropertyAccessExpression(unwrap(expression))
      ? graph.valuesOf(file, expression)
      : [{ file, node: unwrap(expression) }];
  for (const value of values) {
    let node = value.node;
    if (ts.isCallExpression(node) && node.arguments[0]) node = unwrap(node.arguments[0]);
    if (ts.isObjectLiteralExpression(node)) return { file: value.file, node };
  }
  return undefined;
}

/**
 * Hono (and `OpenAPIHono` from @hono/zod-openapi): `app.get/post/…`, `app.on(methods, path, h)`, chained
 * registrations, `app.route('/p', sub)`, `new Hono().basePath('/api')`.
 */
export const honoWiring: RouteWiring = {
  framework: 'hono',
  syntax: 'colon',
  modules: /^hono|^@hono\//,
  creations: {
    hono: (member) => (member === 'Hono' || member === undefined ? app() : undefined),
    '@hono/zod-openapi': (member) => (member === 'OpenAPIHono' ? app() : undefined),
  },
  chainable: ['route', 'on', 'openapi'],
  derived: {
    // `app.basePath('/api')` is a new app whose routes sit under the prefix: a child mounted there.
    basePath: (graph, file, call, receiver) => {
      const parent = graph.routerOf(file, receiver);
      if (!parent) return undefined;
      const child = graph.node(file, call, {
        framework: parent.framework,
        kind: 'router',
        syntax: parent.syntax,
      });
      if (!child.mountedBy) {
        const path = staticString(call.arguments[0]);
        graph.mountAt(
          parent,
          file,
          call,
          path ?? { dynamic: call.arguments[0]?.getText(file.sourceFile) ?? '?' },
          child,
        );
      }
      return child;
    },
  },
  registrations: {
    openapi: registerOpenApiRoute,
    on: (graph, file, call, callee) => {
      const args = call.arguments;
      if (args.length < 3) return false;
      const router = graph.routerOf(file, callee.expression);
      const methods = stringList(args[0]);
      if (!router || !methods) return true;
      const paths = graph.paths(file, args[1]);
      for (const m of methods) graph.addRoute(router, file, call, m, paths, args.slice(2));
      return true;
    },
    // `app.route('/v1', sub)`
    route: (graph, file, call, callee) => {
      const [path, sub] = call.arguments;
      if (call.arguments.length !== 2 || !path || !sub || ts.isObjectLiteralExpression(unwrap(path)))
        return false;
      const router = graph.routerOf(file, callee.expression);
      if (!router || graph.mountTable(router, file, call)) return true;
      const child = graph.routerOf(file, sub);
      if (child) graph.addMount(router, file, call, path, child);
      return true;
    },
  },
};

function app(): { framework: string; kind: 'app'; syntax: 'colon' } {
  return { framework: 'hono', kind: 'app', syntax: 'colon' };
}
