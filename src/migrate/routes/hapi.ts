import { registerRouteObject } from './route-object.js';
import { routeTable } from './route-tables.js';
import type { RouteWiring } from './wiring.js';

/**
 * hapi: `Hapi.server()` / `new Server()`, `server.route({ method, path, handler | options.handler })` and
 * tables of them (arrays, spreads, `concat`, imported or required modules, `table.forEach((r) => server.route(r))`), plugins `{ name, register }` registered with `{ routes: { prefix } }` (either argument form).
 */
export const hapiWiring: RouteWiring = {
  framework: 'hapi',
  syntax: 'hapi',
  modules: /^@hapi\//,
  creations: {
    '@hapi/hapi': (member) =>
      member === 'server' || member === 'Server' || member === undefined
        ? { framework: 'hapi', kind: 'app', syntax: 'hapi' }
        : undefined,
  },
  links: {
    register: (graph, file, call, callee) => {
      const parent = graph.routerOf(file, callee.expression);
      if (parent) graph.registerPlugins(parent, file, call);
      return true;
    },
  },
  registrations: {
    route: (graph, file, call, callee) => {
      const router = graph.routerOf(file, callee.expression);
      const argument = call.arguments[0];
      if (!router || !argument) return true;
      if (router.framework !== 'hapi') return false;
      const table = routeTable(graph, file, argument);
      for (const { file: at, object } of table.objects)
        registerRouteObject(graph, router, at, at === file ? call : object, object, ['handler']);
      for (const part of table.unread)
        graph.addUnread(
          router,
          file,
          call,
          'ALL',
          `the route table ${part.node.getText(part.file.sourceFile).slice(0, 60)} is built at run time`,
          [],
        );
      return true;
    },
  },
};
