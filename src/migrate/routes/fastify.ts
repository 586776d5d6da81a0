import { registerRouteObject } from './route-object.js';
import { routeTable } from './route-tables.js';
import { span } from './syntax.js';
import type { CallHandler, RouteWiring } from './wiring.js';

/** Fastify route options and hooks whose functions run for the route. */
const FASTIFY_ROUTE_HOOKS = [
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

/** `fastify.register(plugin, options)`: the plugin's first parameter is a router under the options' prefix. */
const registerPlugins: CallHandler = (graph, file, call, callee) => {
  const parent = graph.routerOf(file, callee.expression);
  if (parent?.framework === 'hapi') return false;
  if (parent) graph.registerPlugins(parent, file, call);
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
  modules: /^fastify/,
  creations: {
    fastify: (member) =>
      member === undefined || member === 'fastify'
        ? { framework: 'fastify', kind: 'app', syntax: 'colon' }
        : undefined,
  },
  links: { register: registerPlugins },
  registrations: {
    route: (graph, file, call, callee) => {
      const router = graph.routerOf(file, callee.expression);
      if (!router) return true;
      // Other frameworks' `route`: hapi's tables, Express's `route('/p')` chains.
      if (router.framework !== 'fastify') return false;
      const argument = call.arguments[0];
      if (!argument) return true;
      // `fastify.route(opts)`, also `routes.forEach((r) => fastify.route(r))` over an imported table.
      const table = routeTable(graph, file, argument);
      for (const { file: at, object } of table.objects)
        registerRouteObject(graph, router, at, at === file ? call : object, object, FASTIFY_ROUTE_HOOKS);
      for (const part of table.unread)
        graph.addUnread(
          router,
          file,
          call,
          'ALL',
          `the route options ${part.node.getText(part.file.sourceFile).slice(0, 60)} are built at run time`,
          [],
        );
      return true;
    },
    addHook: (graph, file, call, callee) => {
      const hook = call.arguments[1];
      if (!hook) return false;
      const router = graph.routerOf(file, callee.expression);
      if (router) graph.addMiddleware(router, file, call, [span(file, hook)], true);
      return true;
    },
  },
};
