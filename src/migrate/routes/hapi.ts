import { registerRouteObject } from './route-object.js';
import { objectsOf } from './syntax.js';
import type { RouteWiring } from './wiring.js';

/**
 * hapi: `Hapi.server()` / `new Server()`, `server.route({ method, path, handler | options.handler })` and
 * arrays of them, plugins `{ name, register }` registered with `{ routes: { prefix } }` (either argument form).
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
      if (!router) return true;
      for (const options of objectsOf(call.arguments[0]))
        registerRouteObject(graph, router, file, call, options, ['handler']);
      return true;
    },
  },
};
