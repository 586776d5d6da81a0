import { ts } from 'ts-morph';
import { staticString, unwrap } from './project.js';
import { stringList } from './syntax.js';
import type { RouteWiring } from './wiring.js';

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
  chainable: ['route', 'on'],
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
      if (!router) return true;
      const child = graph.routerOf(file, sub);
      if (child) graph.addMount(router, file, call, path, child);
      return true;
    },
  },
};

function app(): { framework: string; kind: 'app'; syntax: 'colon' } {
  return { framework: 'hono', kind: 'app', syntax: 'colon' };
}
