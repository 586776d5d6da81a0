import { stringList } from './syntax.js';
import type { CallHandler, RouteWiring } from './wiring.js';

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
 * `base` (itty-router docs, "Router options": `base`); `OpenAPIRouter({ base })` of @cloudflare/itty-router-openapi
 * alike.
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
    // chanfana's predecessor: `OpenAPIRouter({ base })`, its routes endpoint classes (reach.ts `handle`).
    '@cloudflare/itty-router-openapi': (member) =>
      member === 'OpenAPIRouter'
        ? { framework: 'itty-router', kind: 'app', syntax: 'colon', prefixOption: 'base' }
        : undefined,
  },
};

/** `router.add(path, handler, method?)` of h3 (the method a string or a list; none: every method). */
const h3Add: CallHandler = (graph, file, call, callee) => {
  const router = graph.routerOf(file, callee.expression);
  const [pathArgument, handler, method] = call.arguments;
  if (router?.framework !== 'h3' || !pathArgument || !handler) return false;
  const methods = method ? stringList(method) : ['all'];
  if (!methods) {
    graph.addUnread(
      router,
      file,
      call,
      'all',
      `h3 route method ${method?.getText(file.sourceFile) ?? ''} is computed at run time`,
      [handler],
    );
    return true;
  }
  for (const m of methods)
    graph.addRoute(router, file, call, m, graph.paths(file, pathArgument), [handler], pathArgument);
  return true;
};

/**
 * h3 (and Nitro apps built on it by hand): `createApp()` is an app, `createRouter()` a router mounted with
 * `app.use(router)`; `router.get(path, handler)` and `router.add(path, handler, method)` (h3 docs, "Router").
 */
export const h3Wiring: RouteWiring = {
  framework: 'h3',
  syntax: 'colon',
  modules: /^h3$/,
  creations: {
    h3: (member) =>
      member === 'createApp'
        ? { framework: 'h3', kind: 'app', syntax: 'colon' }
        : member === 'createRouter'
          ? { framework: 'h3', kind: 'router', syntax: 'colon' }
          : undefined,
  },
  trimSafe: ['add'],
  registrations: { add: h3Add },
};

/** `app.any(path, handler)` of uWebSockets.js: every method. */
const uwsAny: CallHandler = (graph, file, call, callee) => {
  const router = graph.routerOf(file, callee.expression);
  const [pathArgument, handler] = call.arguments;
  if (router?.framework !== 'uwebsockets' || !pathArgument || !handler) return false;
  graph.addRoute(router, file, call, 'all', graph.paths(file, pathArgument), [handler], pathArgument);
  return true;
};

/**
 * uWebSockets.js: `uWS.App()` / `uWS.SSLApp(options)` are apps, `app.get/post/put/patch/del/head/options(path,
 * (res, req) => …)` and `app.any(path, …)` their routes, chained up to `listen()` (uWebSockets.js docs, "App").
 */
export const uwebsocketsWiring: RouteWiring = {
  framework: 'uwebsockets',
  syntax: 'colon',
  modules: /^uWebSockets\.js$/,
  creations: {
    'uWebSockets.js': (member) =>
      member === 'App' || member === 'SSLApp'
        ? { framework: 'uwebsockets', kind: 'app', syntax: 'colon' }
        : undefined,
  },
  chainable: ['listen', 'any', 'ws'],
  trimSafe: ['listen', 'any', 'ws'],
  registrations: { any: uwsAny },
};
