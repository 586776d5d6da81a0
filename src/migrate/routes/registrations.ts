import ts from '../../typescript.cjs';
import { routeObjectLoop } from './route-tables.js';
import { helperRegistrations, parameterPathRegistrations } from './route-helpers.js';
import { isFunctionNode, lineOf, requireOf, staticString, unwrap, type ProjectFile } from './project.js';
import { externalImport, isLiteral, returnedExpressions, span } from './syntax.js';
import { ROUTER_PARAM_NAMES, type FunctionRef, type RouterGraphApi } from './wiring.js';
import { isUnreadUse } from './unread-uses.js';
import { joinPaths } from './paths.js';
import { isEggRouterFile } from './egg.js';
import { adonisRouterNames } from './adonis.js';
import { optionTemplate } from './plugin-options.js';
import { argumentKind, carriesRouteHooks, isClientReceiver, unseenHandlers } from './handler-arguments.js';

/**
 * The registrations the router graph (graph.ts) reads itself, whatever the framework: `router.METHOD(path,
 * ...handlers)`, `router.use([path], ...middleware | routers)` and `router[verb](...)` with a computed method.
 * A registration on a receiver the graph cannot trace, or whose path or method it cannot read, becomes a route
 * marked unreadable (reported for review), never a dropped one.
 */

/** What these readers need of the graph: its public face (where untraced routes go included). */
export type RegistrationGraph = RouterGraphApi;

/** `router.METHOD(path | [paths], ...handlers)`. */
export function registerMethod(
  graph: RegistrationGraph,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
  method: string,
): void {
  const args = call.arguments;
  if (!args.length) return;
  const [pathArgument, ...handlers] = args;
  // `router.get(name, h)` in a helper whose calls pass the path (NodeBB's `helpers.setupPageRoute(router,
  // '/notifications', …)`): one route per call (route-helpers.ts).
  if (pathArgument && handlers.length && perCallPath(graph, file, callee, method, pathArgument, handlers))
    return;
  const router = graph.routerOf(file, unwrap(callee.expression));
  // `api.post('/orders', body)` with `api: Api` and `type Api = ReturnType<typeof axios.create>`: a parameter taken
  // for a router by its name is an HTTP client by its written type; a request, not a route.
  if (router && ts.isParameter(router.node) && isClientReceiver(graph, file, callee.expression)) return;
  if (!router) return untracedRoute(graph, file, call, callee.expression, method, args[0], args.slice(1));
  if (!handlers.length || !pathArgument) return;
  // Options alone are no handler, unless they carry it: Fastify's `fastify.get('/x', { preHandler, handler })`.
  const optionsOnly = (h: ts.Expression): boolean => {
    const value = unwrap(h);
    return ts.isObjectLiteralExpression(value) && !carriesRouteHooks(value);
  };
  if (handlers.every((h) => optionsOnly(h) || isLiteral(h))) return;
  if (isRegex(pathArgument)) {
    const why = `route path is a regular expression, ${pathArgument.getText(file.sourceFile)} (${file.relative}:${lineOf(file, call)})`;
    return graph.addUnread(router, file, call, method, why, handlers);
  }
  // `app.all('*', (req, res, next) => { res.header(…); next() })`: a pass-through on every path is middleware,
  // not the handler of every operation (mobileapps' CORS headers "handled" 23 of 24 operations before session 35)
  const passing = passThroughCatchAll(graph, file, pathArgument, handlers);
  if (passing) return graph.addMiddleware(router, file, call, passing, false);
  graph.addRoute(router, file, call, method, graph.paths(file, pathArgument), handlers, pathArgument);
}

/** Catch-all paths: Express `*`, `/*`, `(.*)`, Express 5 `/*splat`, `*_`, Koa / Hono `/(.*)`, `{*rest}`. */
const CATCH_ALL = /^\/?(\*\w*|\(\.\*\)|\{\*\w+\})$/;

/**
 * The spans of the handlers of a registration on every path whose last handler takes the request on: a function
 * whose last parameter (of two or more) is named as the next function is (`next` of `(req, res, next)`, `(c,
 * next)`, `(ctx, next)`). Such a registration answers no operation of its own: it runs before the routes
 * registered after it, as `use(mw)` does. Read from the parameters only, so a body the `--spec` skeleton blanks
 * reads the same. Undefined for any other registration.
 */
function passThroughCatchAll(
  graph: RegistrationGraph,
  file: ProjectFile,
  pathArgument: ts.Expression,
  handlers: readonly ts.Expression[],
): ReturnType<typeof span>[] | undefined {
  const path = staticString(unwrap(pathArgument));
  if (path === undefined || !CATCH_ALL.test(path)) return undefined;
  const last = handlers[handlers.length - 1];
  if (!last) return undefined;
  const fns = graph.functionsOf(file, last);
  if (fns.length !== 1) return undefined;
  const parameters = fns[0].node.parameters;
  const next = parameters[parameters.length - 1];
  if (parameters.length < 2 || !next || !ts.isIdentifier(next.name) || !NEXT.test(next.name.text))
    return undefined;
  return handlers.map((h) => span(file, h));
}

/** Names of the next function a middleware takes. */
const NEXT = /^_?next$/i;

/**
 * Whether a registration whose path the code does not fix by itself, but reads from a parameter of the function
 * around it, was placed once per call of that function (route-helpers.ts `parameterPathRegistrations`). A path
 * a plugin's options fill in (``${opts.base}/x``, compose.ts) or that reads as one string is left to the
 * ordinary reading.
 */
function perCallPath(
  graph: RegistrationGraph,
  file: ProjectFile,
  callee: ts.PropertyAccessExpression,
  method: string,
  pathArgument: ts.Expression,
  handlers: readonly ts.Expression[],
): boolean {
  if (isRegex(pathArgument) || !graph.paths(file, pathArgument).includes(undefined)) return false;
  if (optionTemplate(graph.project, file, pathArgument)) return false;
  return parameterPathRegistrations(graph, file, callee.expression, method, pathArgument, handlers);
}

/**
 * `x.get('/path', handler)` on a receiver the graph cannot trace to an app or router (a framework it does
 * not know, a router built where it cannot see): reported as an unread registration, never dropped, so
 * the 403 sites its handler reaches are listed for review instead of vanishing as "not reached". `receiverExpression`
 * is the receiver as written (`kit` of `kit.route('/token').post(h)`), `pathArgument` and `handlers` what the
 * registration gives (express.ts passes a `route(path)` chain's); nothing is listed without a function handler
 * or a path that reads as one.
 */
export function untracedRoute(
  graph: RegistrationGraph,
  file: ProjectFile,
  call: ts.CallExpression,
  receiverExpression: ts.Expression,
  method: string,
  pathArgument: ts.Expression | undefined,
  handlers: readonly ts.Expression[],
): void {
  if (!pathArgument || !handlers.length) return;
  // `Route.get('/x', 'UsersController.show')` on the AdonisJS router: adonis.ts reads it.
  const base = unwrap(receiverExpression);
  if (ts.isIdentifier(base) && adonisRouterNames(file.sourceFile).has(base.text)) return;
  // The path as the project spells it: a literal, a constant, a template, a project function's result
  // (`theApp.get(backwardsCompat('/plugins'), h)`, SignalK); one whose head is a literal `/` stands for a path
  // known only at run time.
  const paths = isRegex(pathArgument)
    ? ['/*']
    : graph
        .paths(file, pathArgument)
        // `route('')` is the mount point itself, as `/` is
        .map((p) => (p === '' ? '/' : p))
        .filter((p): p is string => p?.startsWith('/') === true);
  if (!paths.length && startsWithSlash(graph, file, pathArgument)) paths.push('/*');
  if (!paths.length) return;
  // A function, or a class the library instantiates per request (an endpoint class: `openapi.get('/x', TaskFetch)`).
  // An HTTP client is called the same way with a body or config after the URL (`$.http.post(url, data)`, trial37
  // automatisch): no handler among the arguments, or a client the code shows, is no route (handler-arguments.ts).
  // Arguments it cannot tell, where the graph's own reading finds a function in them (a callback of a call it
  // does not know, `tags.map((t) => t.name)`), are named with words that say so; arguments with no function in
  // them at all (`...handlers` of a parameter, an unknown `body`) are named as handlers it cannot see (before
  // session 39 they stayed unlisted, and a route registered so vanished).
  const kinds = handlers.map((h) => argumentKind(graph, file, h));
  if (kinds.every((k) => k === 'data')) return;
  // `router.get('/x', controller.user.show)` of an Egg.js router file: egg.ts reads it.
  if (!kinds.includes('handler') && isEggRouterFile(file)) return;
  if (isClientReceiver(graph, file, receiverExpression)) return;
  const receiver = receiverExpression.getText(file.sourceFile).replace(/\s+/g, ' ');
  const short = receiver.length > 40 ? `${receiver.slice(0, 40)}…` : receiver;
  const where = `${file.relative}:${lineOf(file, call)}`;
  const traced = `registered on ${short}, which mtls-fix could not trace to an app or router`;
  const unseen = kinds.includes('handler') ? undefined : unseenHandlers(graph, file, handlers);
  const unresolved = kinds.includes('handler')
    ? `${traced} (${where})`
    : `${traced}, ${unseen ?? 'with no argument it reads as a handler'}: perhaps an HTTP client call, not a route (${where})`;
  const wiring = graph.guessWiring(file);
  for (const path of paths)
    graph.addUntracedRoute(
      {
        framework: wiring.framework,
        method: method === 'del' ? 'DELETE' : method.toUpperCase(),
        path,
        syntax: wiring.syntax,
        file: file.relative,
        line: lineOf(file, call),
        handlers: handlers.map((h) => span(file, h)),
        unresolved,
        mountFile: file.relative,
        unreadable: true,
        ...(kinds.includes('handler') ? {} : { maybeClient: true as const }),
      },
      { file, expression: receiverExpression },
    );
}

/**
 * Whether a path argument starts with a literal `/`: a string, a template or a `+` whose head is one, or a
 * variable holding such a value (`const prefix = '/' + colName; x.get(prefix, h)`).
 */
function startsWithSlash(
  graph: RegistrationGraph,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): boolean {
  let node = unwrap(expression);
  while (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    node = unwrap(node.left);
  if (ts.isIdentifier(node) && depth < 4)
    return graph.project
      .lookup(file, node, node.text)
      .some(
        (d) =>
          ts.isVariableDeclaration(d.node) &&
          d.node.initializer !== undefined &&
          startsWithSlash(graph, d.file, d.node.initializer, depth + 1),
      );
  if (ts.isTemplateExpression(node)) return node.head.text.startsWith('/');
  return ts.isStringLiteralLike(node) && node.text.startsWith('/');
}

/**
 * `router[verb](path, ...handlers)`: a registration whose method is computed at run time (a helper such as
 * `setupApiRoute(router, 'get', '/p', h)` that calls it). Its routes cannot be read, so it is reported for
 * review by hand, never dropped. Only on a traced router or a receiver named like one (`router`, `app`).
 */
export function computedMethod(
  graph: RegistrationGraph,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.ElementAccessExpression,
): void {
  const args = call.arguments;
  const receiver = unwrap(callee.expression);
  if (args.length < 2 || staticString(callee.argumentExpression) !== undefined) return;
  // `routes.forEach((r) => router[r.method](r.path, r.handler))`: one route per row of the table (route-tables.ts)
  if (routeObjectLoop(graph, file, call, callee)) return;
  // `setupApiRoute(router, 'get', '/p', h)` into `router[verb](name, …)`: one route per call (route-helpers.ts)
  if (helperRegistrations(graph, file, call, callee)) return;
  const router = graph.routerOf(file, receiver);
  if (!router && !(ts.isIdentifier(receiver) && ROUTER_PARAM_NAMES.test(receiver.text))) return;
  const text = callee.getText(file.sourceFile);
  const why = `route method is computed at run time, ${text.length > 40 ? `${text.slice(0, 40)}…` : text}(…) (${file.relative}:${lineOf(file, call)})`;
  const handlers = args.slice(1);
  if (router) {
    // The path, when the code fixes it (`router[verb]('/accounts', h)`), is what the entry answers.
    const paths = graph.paths(file, args[0]);
    const known = paths.length === 1 && paths[0]?.startsWith('/') ? paths[0] : undefined;
    return graph.addUnread(router, file, call, 'all', why, handlers, known);
  }
  // `api[method](url, body)` of an HTTP client: no handler after the URL (handler-arguments.ts).
  if (handlers.every((h) => argumentKind(graph, file, h) === 'data')) return;
  if (isClientReceiver(graph, file, receiver)) return;
  const wiring = graph.guessWiring(file);
  const path = staticString(args[0]);
  graph.addUntracedRoute(
    {
      framework: wiring.framework,
      method: 'ALL',
      path: path?.startsWith('/') ? path : '/*',
      syntax: wiring.syntax,
      file: file.relative,
      line: lineOf(file, call),
      handlers: handlers.map((h) => span(file, h)),
      unresolved: why,
      mountFile: file.relative,
      unreadable: true,
    },
    { file, expression: receiver },
  );
}

/** `router.use([path], ...middleware | routers)`. */
export function registerUse(
  graph: RegistrationGraph,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
): void {
  const router = graph.routerOf(file, callee.expression);
  if (!router) return untracedUse(graph, file, call, callee.expression);
  if (graph.mountTable(router, file, call)) return;
  const args = [...call.arguments];
  let pathArgument: ts.Expression | undefined;
  const first = args[0];
  if (
    first &&
    args.length > 1 &&
    (graph.paths(file, first).some((p) => p !== undefined) || !isHandlerLike(graph, file, first))
  ) {
    pathArgument = args.shift();
  }
  // Middleware under one known path runs only for the paths below it (`use('/docs', express.static(...))`);
  // under several or a computed one it is taken to run for every route, as before.
  const paths = pathArgument ? graph.paths(file, pathArgument) : [];
  const under = paths.length === 1 ? paths[0] : undefined;
  // Express flattens arrays of middleware and routers (`app.use('/p', [auth, router])`).
  for (const argument of args.flatMap((a) => elementsOf(a))) {
    const child = graph.routerOf(file, argument);
    if (child && child !== router) {
      graph.addMount(router, file, call, pathArgument, child);
      continue;
    }
    // `app.use('/v2', loadRouter(process.env.API))`: perhaps a router whose routes are never seen; named for review
    // by hand below its path, what it runs reached from that entry only (not middleware of every route).
    if (isUnreadUse(graph, file, argument)) {
      const text = argument.getText(file.sourceFile);
      const why = `${text.length > 60 ? `${text.slice(0, 60)}…` : text} mounted at ${file.relative}:${lineOf(file, call)} is a value mtls-fix cannot read (a router or middleware)`;
      const below =
        pathArgument === undefined ? '*' : under === undefined ? undefined : joinPaths(under, '*');
      graph.addUnread(router, file, call, 'ALL', why, [argument], below);
      continue;
    }
    // Express error handlers `(err, req, res, next)` run for the routes registered before them too.
    const all = isErrorHandler(graph, file, argument);
    graph.addMiddleware(router, file, call, [span(file, argument)], all, under);
  }
}

/**
 * `x.use(…)` on a receiver the graph cannot trace. `untraced.use('/admin', adminApp)`: the app is mounted below a
 * path, not served at the root. Functions it registers (`app.use(auth)`, `app.use((err, req, res, next) => …)`)
 * run for the untraced routes registered on the same receiver (untraced-receivers.ts): an error handler for all of
 * them, other middleware for those after it.
 */
function untracedUse(
  graph: RegistrationGraph,
  file: ProjectFile,
  call: ts.CallExpression,
  receiver: ts.Expression,
): void {
  const [first, ...rest] = call.arguments;
  const pathed =
    first !== undefined && rest.length > 0 && graph.paths(file, first).some((p) => p !== undefined);
  for (const argument of (pathed ? rest : call.arguments).flatMap((a) => elementsOf(a))) {
    const child = graph.routerOf(file, argument);
    if (child) {
      if (pathed) graph.mountedOnUntraced(child, file, call, first);
      else graph.addUntracedChild(file, call, receiver, child);
      continue;
    }
    const node = unwrap(argument);
    if (!isFunctionNode(node) && !graph.functionsOf(file, node).length && !ts.isCallExpression(node))
      continue;
    const all = isErrorHandler(graph, file, argument);
    graph.addUntracedMiddleware(file, call, receiver, [span(file, argument)], all);
  }
}

/**
 * An Express error handler `(err, req, res, next)`: the function itself, or what a project factory returns
 * (`app.use(errorHandler(config))` with `errorHandler = (config) => (err, req, res, next) => …`).
 */
function isErrorHandler(graph: RegistrationGraph, file: ProjectFile, argument: ts.Expression): boolean {
  const fourParameters = (fn: FunctionRef): boolean => fn.node.parameters.length === 4;
  if (graph.functionsOf(file, argument).some(fourParameters)) return true;
  const node = unwrap(argument);
  if (!ts.isCallExpression(node) || requireOf(node)) return false;
  return graph
    .functionsOf(file, node.expression)
    .some((factory) =>
      returnedExpressions(factory).some((e) => graph.functionsOf(factory.file, e).some(fourParameters)),
    );
}

/** Functions, routers, and calls that produce them; a dynamic path (`process.env.X`) is none of these. */
function isHandlerLike(graph: RegistrationGraph, file: ProjectFile, expression: ts.Expression): boolean {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const declarations = graph.project.lookup(file, node, node.text);
    if (declarations.some((d) => externalImport(d.node))) return true;
  }
  if (isFunctionNode(node) || ts.isCallExpression(node) || ts.isArrayLiteralExpression(node)) return true;
  if (graph.routerOf(file, node)) return true;
  return graph.functionsOf(file, node).length > 0 || ts.isIdentifier(node);
}

/** The elements of an array literal argument (spreads kept whole), or the argument itself. */
function elementsOf(argument: ts.Expression): ts.Expression[] {
  const node = unwrap(argument);
  return ts.isArrayLiteralExpression(node) ? node.elements.flatMap((e) => elementsOf(e)) : [argument];
}

/** `/ab+c/` or `new RegExp(...)`: a path no document spells. */
export function isRegex(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  return (
    ts.isRegularExpressionLiteral(node) ||
    (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp')
  );
}
