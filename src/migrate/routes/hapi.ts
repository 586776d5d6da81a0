import { routeObjectRegistration } from './route-tables.js';
import type { Creation, RouteWiring } from './wiring.js';

/**
 * hapi: `Hapi.server()` / `new Server()`, `server.route({ method, path, handler | options.handler })` and
 * tables of them (arrays, spreads, `concat`, imported or required modules, `table.forEach((r) => server.route(r))`), plugins `{ name, register }` registered with `{ routes: { prefix } }` (either argument form).
 */
function hapiServer(member: string | undefined): Creation | undefined {
  return member === 'server' || member === 'Server' || member === undefined
    ? { framework: 'hapi', kind: 'app', syntax: 'hapi' }
    : undefined;
}

export const hapiWiring: RouteWiring = {
  framework: 'hapi',
  syntax: 'hapi',
  // `hapi` is the package's name before v17 (2017), still in older services.
  modules: /^(@hapi\/|hapi$)/,
  creations: { '@hapi/hapi': hapiServer, hapi: hapiServer },
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
