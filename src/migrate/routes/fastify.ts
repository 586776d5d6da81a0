import { isAutoload, isSkipOverride, registerAutoload } from './fastify-autoload.js';
import { isOpenapiGlue, registerOpenapiGlue } from './fastify-openapi-glue.js';
import { fastifyCliRoots } from './fastify-cli.js';
import { routeObjectRegistration } from './route-tables.js';
import { span } from './syntax.js';
import type { CallHandler, RouteWiring } from './wiring.js';

/** Fastify route options and hooks whose functions run for the route. */
export const FASTIFY_ROUTE_HOOKS = [
  'handler',
  'onRequest',
  'preParsing',
  'preValidation',
  'preHandler',
  'preSerialization',
  'onSend',
  'onResponse',
  'onError',
];

/**
 * `fastify.register(plugin, options)`: the plugin's first parameter is a router under the options' prefix, and
 * its second receives the options (a url built from them is filled per registration: plugin-options.ts);
 * a `fastify-plugin` plugin shares its parent's context (no prefix of its own, hooks for the parent's
 * routes); `@fastify/autoload` registers every plugin file under its `dir` (fastify-autoload.ts);
 * fastify-openapi-glue makes the document's operations routes (fastify-openapi-glue.ts).
 */
const registerPlugins: CallHandler = (graph, file, call, callee) => {
  const parent = graph.routerOf(file, callee.expression);
  // Not a router's `register` (hapi's, or a project class's own `routes.register(router)`): the call is left to
  // the other readers, which link a router argument to the method's parameter.
  if (!parent || parent.framework === 'hapi') return false;
  const plugin = call.arguments[0];
  if (plugin && isAutoload(graph, file, plugin))
    registerAutoload(graph, parent, file, call, FASTIFY_ROUTE_HOOKS);
  else if (plugin && isOpenapiGlue(graph, file, plugin)) registerOpenapiGlue(graph, parent, file, call);
  else graph.registerPlugins(parent, file, call, (f, p) => isSkipOverride(graph, f, p), true);
  return true;
};

/**
 * Fastify: `fastify()` apps, `fastify.METHOD(url, [opts], handler)`, `fastify.route({ method, url, … })`,
 * `register(plugin, { prefix })` nested to any depth (`fastify-plugin` wrappers too), and `addHook`, whose
 * function runs for every route of that plugin.
 */
export const fastifyWiring: RouteWiring = {
  framework: 'fastify',
  syntax: 'colon',
  modules: /^(fastify|@fastify\/)/,
  creations: {
    fastify: (member) =>
      member === undefined || member === 'fastify'
        ? { framework: 'fastify', kind: 'app', syntax: 'colon' }
        : undefined,
  },
  // Instance methods that return the instance, so `Fastify().register(a).decorate(…).register(b)` stays on it.
  chainable: [
    'register',
    'after',
    'withTypeProvider',
    'decorate',
    'decorateRequest',
    'decorateReply',
    'addHook',
    'addSchema',
    'addContentTypeParser',
    'setErrorHandler',
    'setNotFoundHandler',
    'setValidatorCompiler',
    'setSerializerCompiler',
    'setSchemaErrorFormatter',
    'setReplySerializer',
  ],
  links: { register: registerPlugins },
  roots: fastifyCliRoots,
  registrations: {
    // `fastify.route(opts)`, also `routes.forEach((r) => fastify.route(r))` over an imported table.
    route: routeObjectRegistration('fastify', FASTIFY_ROUTE_HOOKS),
    addHook: (graph, file, call, callee) => {
      const hook = call.arguments[1];
      if (!hook) return false;
      const router = graph.routerOf(file, callee.expression);
      if (router) graph.addMiddleware(router, file, call, [span(file, hook)], true);
      // On a server mtls-fix cannot trace: for the routes registered on that same server (untraced-receivers.ts).
      else graph.addUntracedMiddleware(file, call, callee.expression, [span(file, hook)], true);
      return true;
    },
    // `fastify.setErrorHandler((err, req, reply) => …)`: answers the errors of every route of its context.
    setErrorHandler: (graph, file, call, callee) => {
      const handler = call.arguments[0];
      if (!handler) return false;
      const router = graph.routerOf(file, callee.expression);
      if (router) graph.addMiddleware(router, file, call, [span(file, handler)], true);
      else graph.addUntracedMiddleware(file, call, callee.expression, [span(file, handler)], true);
      return true;
    },
  },
};
