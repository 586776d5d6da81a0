import { routeObjectRegistration } from './route-tables.js';
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
    route: routeObjectRegistration('hapi', ['handler']),
  },
};
