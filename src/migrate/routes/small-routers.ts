import type { RouteWiring } from './wiring.js';

/**
 * restify: `restify.createServer()` is an app; `server.get/post/put/del/patch/head(path, ...handlers)` and
 * `server.use(fn)` read as Express's (restify docs, "Routing").
 */
export const restifyWiring: RouteWiring = {
  framework: 'restify',
  syntax: 'colon',
  modules: /^restify$/,
  creations: {
    restify: (member) =>
      member === 'createServer' ? { framework: 'restify', kind: 'app', syntax: 'colon' } : undefined,
  },
};

/**
 * itty-router: `Router({ base })`, `AutoRouter({ base })`, `IttyRouter({ base })` make the fetch handler a
 * Worker exports (an app: nothing in the code mounts it), its routes `router.get(path, ...handlers)` under
 * `base` (itty-router docs, "Router options": `base`).
 */
export const ittyRouterWiring: RouteWiring = {
  framework: 'itty-router',
  syntax: 'colon',
  modules: /^itty-router$/,
  creations: {
    'itty-router': (member) =>
      member === 'Router' || member === 'AutoRouter' || member === 'IttyRouter'
        ? { framework: 'itty-router', kind: 'app', syntax: 'colon', prefixOption: 'base' }
        : undefined,
  },
};
