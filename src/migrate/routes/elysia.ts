import ts from '../../typescript.cjs';
import { span } from './syntax.js';
import type { CallHandler, RouteWiring } from './wiring.js';

/** Elysia lifecycle hooks that run for the routes registered after them on the instance (Elysia, "Life Cycle"). */
const HOOKS = [
  'onRequest',
  'onParse',
  'onTransform',
  'onBeforeHandle',
  'onAfterHandle',
  'onError',
  'onAfterResponse',
  'derive',
  'resolve',
];

/** `app.onBeforeHandle(fn)`, `app.onBeforeHandle({ as: 'global' }, fn)`: the function runs for later routes. */
const hook: CallHandler = (graph, file, call, callee) => {
  const router = graph.routerOf(file, callee.expression);
  const fn = call.arguments[call.arguments.length - 1];
  if (router?.framework !== 'elysia' || !fn) return false;
  graph.addMiddleware(router, file, call, [span(file, fn)], false);
  return true;
};

/**
 * `app.group('/v1', (app) => app.get(…))` (also with a hook object before the callback) and `app.guard(hook,
 * (app) => …)`: the callback's parameter is the instance under the prefix (none for `guard`), and a guard's hook
 * object runs for the routes the callback registers.
 */
function scoped(prefixed: boolean): CallHandler {
  return (graph, file, call, callee) => {
    const parent = graph.routerOf(file, callee.expression);
    const callback = call.arguments[call.arguments.length - 1];
    if (parent?.framework !== 'elysia' || !callback || call.arguments.length < 2) return false;
    const prefix = prefixed ? graph.project.stringOf(file, call.arguments[0]) : '';
    for (const fn of graph.functionsOf(file, callback))
      graph.linkParameter(
        parent,
        fn,
        prefix ?? { dynamic: call.arguments[0].getText(file.sourceFile) },
        call,
        file,
        0,
      );
    const hooks = call.arguments.slice(prefixed ? 1 : 0, -1).filter((a) => ts.isObjectLiteralExpression(a));
    if (hooks.length)
      graph.addMiddleware(
        parent,
        file,
        call,
        hooks.map((h) => span(file, h)),
        false,
      );
    return true;
  };
}

/**
 * Elysia: `new Elysia({ prefix })` instances, chained registrations `.get(path, handler, hook)` (the hook object
 * with its `beforeHandle` and `response` declarations runs and declares for the route), `.use(plugin)` (another
 * instance, under its own prefix), `.group(prefix, app => …)`, `.guard(hook, app => …)`, and the lifecycle hooks
 * that run for the routes registered after them.
 */
export const elysiaWiring: RouteWiring = {
  framework: 'elysia',
  syntax: 'colon',
  modules: /^elysia$/,
  creations: {
    elysia: (member) =>
      member === 'Elysia' || member === undefined
        ? { framework: 'elysia', kind: 'app', syntax: 'colon' }
        : undefined,
  },
  chainable: [
    'listen',
    'decorate',
    'state',
    'model',
    'macro',
    'headers',
    'error',
    'as',
    'compile',
    'group',
    'guard',
    ...HOOKS,
  ],
  trimSafe: ['listen', 'state', 'model', 'macro', 'headers', 'error', 'as', 'compile', 'derive', 'resolve'],
  links: { group: scoped(true), guard: scoped(false) },
  registrations: Object.fromEntries(HOOKS.map((name): [string, CallHandler] => [name, hook])),
};
