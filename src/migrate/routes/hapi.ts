import ts from '../../typescript.cjs';
import { propertyName, unwrap, type ProjectFile } from './project.js';
import { routeObjectRegistration } from './route-tables.js';
import { mountDocumentPlugins } from './hapi-openapi.js';
import { span } from './syntax.js';
import type { CallHandler, Creation, RouterGraphApi, RouteWiring } from './wiring.js';

/**
 * hapi: `Hapi.server()` / `new Server()`, `server.route({ method, path, handler | options.handler })` and
 * tables of them (arrays, spreads, `concat`, imported or required modules, `table.forEach((r) => server.route(r))`), plugins `{ name, register }` registered with `{ routes: { prefix } }` (either argument form).
 * What runs for every request of the server: request-lifecycle extensions (`server.ext('onPreAuth', fn)`, `{ type,
 * method }` and arrays of them) and the functions of authentication strategies and schemes
 * (`server.auth.strategy(name, scheme, { validate })`, `server.auth.scheme(name, impl)`), read as middleware of
 * every route (a route with `auth: false` or another strategy is counted too: reach may only grow), also when a
 * plugin adds them (every route of the server, not only the plugin's: an ext with `sandbox: 'plugin'` excepted).
 * Source: hapi API docs, `server.ext()`, `server.auth.strategy()`, `server.auth.scheme()`.
 */
function hapiServer(member: string | undefined): Creation | undefined {
  return member === 'server' || member === 'Server' || member === undefined
    ? { framework: 'hapi', kind: 'app', syntax: 'hapi' }
    : undefined;
}

/** hapi's request-lifecycle extension points (not the server's start/stop ones, which no request runs). */
const REQUEST_EVENTS = new Set([
  'onRequest',
  'onPreAuth',
  'onCredentials',
  'onPostAuth',
  'onPreHandler',
  'onPostHandler',
  'onPreResponse',
]);

/**
 * `server.ext(event, method[, options])`, `server.ext({ type, method, options })`, `server.ext([{ type, method },
 * …])`. Inside a plugin it runs for every route of the server (registered before or after it, by any plugin) unless
 * its options say `sandbox: 'plugin'` (hapi API reference, `server.ext()`: `sandbox` defaults to `'server'`); an
 * event read from a variable is counted as a request event (reach may only grow).
 */
const ext: CallHandler = (graph, file, call, callee) => {
  const router = graph.routerOf(file, callee.expression);
  if (router && router.framework !== 'hapi') return false;
  const [first, second, third] = call.arguments;
  const server: ts.Expression[] = [];
  const plugin: ts.Expression[] = [];
  const add = (method: ts.Expression, options: ts.Expression | undefined): void => {
    (sandboxed(graph, file, options) ? plugin : server).push(method);
  };
  const event = first ? graph.project.stringOf(file, first) : undefined;
  const node = first ? unwrap(first) : undefined;
  if (event !== undefined) {
    if (REQUEST_EVENTS.has(event) && second) add(second, third);
  } else if (node && (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node))) {
    const objects = ts.isArrayLiteralExpression(node) ? node.elements.map((e) => unwrap(e)) : [node];
    for (const object of objects) {
      if (!ts.isObjectLiteralExpression(object)) continue;
      const type = property(object, 'type');
      const method = property(object, 'method');
      const name = type ? graph.project.stringOf(file, type) : undefined;
      if (method && (name === undefined || REQUEST_EVENTS.has(name)))
        add(method, property(object, 'options'));
    }
  } else if (second) add(second, third);
  // On a server mtls-fix cannot trace: for the routes registered on that same server (untraced-receivers.ts).
  if (!router) {
    const methods = [...server, ...plugin].map((m) => span(file, m));
    graph.addUntracedMiddleware(file, call, callee.expression, methods, true);
    return true;
  }
  for (const [methods, serverWide] of [
    [server, true],
    [plugin, false],
  ] as const)
    if (methods.length)
      graph.addMiddleware(
        router,
        file,
        call,
        methods.map((m) => span(file, m)),
        true,
        undefined,
        serverWide,
      );
  return true;
};

/** Whether an ext's options say `sandbox: 'plugin'` (the plugin's own routes only). */
function sandboxed(graph: RouterGraphApi, file: ProjectFile, options: ts.Expression | undefined): boolean {
  const object = options ? unwrap(options) : undefined;
  if (!object || !ts.isObjectLiteralExpression(object)) return false;
  const sandbox = property(object, 'sandbox');
  return sandbox !== undefined && graph.project.stringOf(file, sandbox) === 'plugin';
}

/** `server.auth.strategy(name, scheme, options)` / `server.auth.scheme(name, impl)`: on the server `server.auth` is. */
function authFunctions(which: 'strategy' | 'scheme'): CallHandler {
  return (graph, file, call, callee) => {
    const auth = unwrap(callee.expression);
    if (!ts.isPropertyAccessExpression(auth) || auth.name.text !== 'auth') return false;
    const router = graph.routerOf(file, auth.expression);
    if (router?.framework !== 'hapi') return false;
    const spans = which === 'scheme' ? schemeSpans(file, call) : strategySpans(graph, file, call);
    // A strategy or scheme is the server's, whichever plugin adds it: any route may name it (server-wide).
    if (spans.length) graph.addMiddleware(router, file, call, spans, true, undefined, true);
    return true;
  };
}

function schemeSpans(file: ProjectFile, call: ts.CallExpression): ReturnType<typeof span>[] {
  const impl = call.arguments[1];
  return impl ? [span(file, impl)] : [];
}

/** The functions of a strategy's options (`validate`, `validateFunc`, …): inline, or named by the code. */
function strategySpans(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
): ReturnType<typeof span>[] {
  const options = call.arguments[2] ? unwrap(call.arguments[2]) : undefined;
  if (!options || !ts.isObjectLiteralExpression(options)) return [];
  const spans: ReturnType<typeof span>[] = [];
  for (const p of options.properties) {
    if (ts.isMethodDeclaration(p)) spans.push(span(file, p));
    else if (ts.isShorthandPropertyAssignment(p)) spans.push(span(file, p.name));
    else if (ts.isPropertyAssignment(p)) {
      const value = unwrap(p.initializer);
      if (ts.isFunctionLike(value) || graph.functionsOf(file, value).length) spans.push(span(file, value));
    }
  }
  return spans;
}

/**
 * Whether `parameter` is the server of a hapi plugin object: the first parameter of its `register` (a method or a
 * function value) in an object literal that names the plugin (`name`, `pkg`) or is a registration object's
 * `plugin` (`{ plugin: { register(server) {…} } }`). Source: hapi API docs, "Plugins".
 */
export function isHapiPluginServer(parameter: ts.ParameterDeclaration): boolean {
  const fn = parameter.parent;
  if (fn.parameters[0] !== parameter) return false;
  const holder = ts.isMethodDeclaration(fn) ? fn : fn.parent;
  if (!holder || !(ts.isMethodDeclaration(holder) || ts.isPropertyAssignment(holder))) return false;
  if (ts.isPropertyAssignment(holder) && unwrap(holder.initializer) !== fn) return false;
  if (propertyName(holder.name) !== 'register' || !ts.isObjectLiteralExpression(holder.parent)) return false;
  const object = holder.parent;
  if (property(object, 'name') || property(object, 'pkg')) return true;
  let outer: ts.Node = object;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent)) outer = outer.parent;
  return ts.isPropertyAssignment(outer.parent) && propertyName(outer.parent.name) === 'plugin';
}

function property(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
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
      // Not a server's `register` (a project class's own `register(router)`): left to the other readers.
      if (!parent) return false;
      graph.registerPlugins(parent, file, call);
      mountDocumentPlugins(graph, parent, file, call);
      return true;
    },
  },
  registrations: {
    route: routeObjectRegistration('hapi', ['handler']),
    ext,
    strategy: authFunctions('strategy'),
    scheme: authFunctions('scheme'),
  },
};
