import ts from '../../typescript.cjs';
import { staticString, unwrap } from './project.js';
import { isLiteral, isNameLiteral } from './syntax.js';
import { METHODS, type CallHandler, type RouteWiring } from './wiring.js';

/** `router.get('name', '/path', handler)`: a named route; the path is the second argument. */
const namedRoute: CallHandler = (graph, file, call, callee) => {
  const args = call.arguments;
  const [name, pathArgument] = args;
  if (args.length < 3 || !name || !pathArgument) return false;
  if (!isNameLiteral(name) || staticString(pathArgument) === undefined) return false;
  const router = graph.routerOf(file, unwrap(callee.expression));
  if (!router) return true;
  const handlers = args.slice(2);
  if (handlers.every((h) => ts.isObjectLiteralExpression(unwrap(h)) || isLiteral(h))) return true;
  graph.addRoute(router, file, call, callee.name.text, graph.paths(file, pathArgument), [...handlers]);
  return true;
};

/**
 * Koa + @koa/router (or koa-router): `new Router({ prefix })`, `router.prefix('/p')`, named routes
 * `router.get('name', '/p', h)`, `router.use('/p', sub.routes())`, `app.use(router.routes())`.
 */
export const koaWiring: RouteWiring = {
  framework: 'koa',
  syntax: 'colon',
  modules: /^(@koa\/router|koa-router|koa)$/,
  creations: {
    koa: () => ({ framework: 'koa', kind: 'app', syntax: 'colon' }),
    '@koa/router': () => ({ framework: 'koa', kind: 'router', syntax: 'colon' }),
    'koa-router': () => ({ framework: 'koa', kind: 'router', syntax: 'colon' }),
  },
  chainable: ['routes', 'middleware', 'prefix'],
  registrations: {
    ...Object.fromEntries([...METHODS].map((m): [string, CallHandler] => [m, namedRoute])),
    prefix: (graph, file, call, callee) => {
      if (call.arguments.length !== 1) return false;
      const router = graph.routerOf(file, callee.expression);
      const prefix = staticString(call.arguments[0]);
      if (router && prefix !== undefined) router.prefix = prefix;
      return true;
    },
  },
};
