import ts from '../../typescript.cjs';
import { lineOf, staticString, unwrap, type ProjectFile } from './project.js';
import { span, stringList } from './syntax.js';
import { tableRows } from './mount-tables.js';
import { isUnreadUse } from './unread-uses.js';
import { joinPaths } from './paths.js';
import type { CallHandler, RouteWiring, RouterGraphApi, RouterNode } from './wiring.js';

/**
 * `@hono/zod-openapi`: `app.openapi(createRoute({ method, path, middleware }), handler, hook)`, the route
 * config inline or held in a variable (same file or imported). Its path is OpenAPI-style (`/users/{id}`).
 * A config the code does not spell out is reported as a registration mtls-fix could not read.
 */
const registerOpenApiRoute: CallHandler = (graph, file, call, callee) => {
  const [config, ...handlers] = call.arguments;
  if (!config || !handlers.length) return false;
  const router = graph.routerOf(file, callee.expression);
  if (!router) return true;
  const object = routeConfig(graph, file, config);
  if (!object && registerTableRoutes(graph, file, call, router, config, handlers)) return true;
  const read = object ? readRouteConfig(graph, object, 0) : undefined;
  if (!read?.method || read.path === undefined) {
    const why = `app.openapi() route config ${config.getText(file.sourceFile)} is not spelled out where mtls-fix can read it (${file.relative}:${lineOf(file, call)})`;
    graph.addUnread(router, file, call, read?.method ?? 'all', why, [...handlers]);
    return true;
  }
  graph.addRoute(router, file, call, read.method, [read.path.replace(/\{(\w+)\}/g, ':$1')], [...handlers]);
  addConfigSpans(router, object, read);
  return true;
};

/**
 * The route config's own spans on the route just added: its `middleware` (runs for the route) and the config
 * object itself, whose `responses` declare what the handler sends (@hono/zod-openapi types the handler's
 * replies by them), so a status it declares follows the route under `--spec` as the handler's does.
 */
function addConfigSpans(
  router: RouterNode,
  config: { file: ProjectFile; node: ts.ObjectLiteralExpression } | undefined,
  read: RouteConfigRead,
): void {
  const entry = router.entries[router.entries.length - 1];
  if (entry?.kind !== 'route') return;
  if (read.middleware) entry.handlers.push(span(read.middleware.file, read.middleware.node));
  if (config) entry.handlers.push(span(config.file, config.node));
}

/** A route config's method, path and `middleware`, also from configs spread into it (`{ ...base, middleware }`). */
interface RouteConfigRead {
  method?: string;
  path?: string;
  middleware?: { file: ProjectFile; node: ts.Expression };
}

function readRouteConfig(
  graph: RouterGraphApi,
  config: { file: ProjectFile; node: ts.ObjectLiteralExpression },
  depth: number,
): RouteConfigRead {
  const out: RouteConfigRead = {};
  // The last spelling of a key wins, as when the object is built: read from the end.
  for (const property of [...config.node.properties].reverse()) {
    if (ts.isSpreadAssignment(property)) {
      const inner = depth < 4 ? routeConfig(graph, config.file, property.expression) : undefined;
      if (!inner) continue;
      const read = readRouteConfig(graph, inner, depth + 1);
      out.method ??= read.method;
      out.path ??= read.path;
      out.middleware ??= read.middleware;
      continue;
    }
    const name = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
    const value = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    if (!value) continue;
    if (name === 'method') out.method ??= graph.project.stringOf(config.file, value);
    else if (name === 'path') out.path ??= graph.project.stringOf(config.file, value);
    else if (name === 'middleware') out.middleware ??= { file: config.file, node: value };
  }
  return out;
}

/**
 * `routes.forEach(({ route, handler, middlewares }) => app.openapi(route, handler))`: one route per row of the
 * table, its config and handler read from the row. The row's other functions (`middlewares: [auth]`) are
 * taken to run for its route, as such tables are written to say. A row whose config cannot be read is listed
 * for review by hand. False when the config is not read from a loop over a table.
 */
function registerTableRoutes(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  router: RouterNode,
  config: ts.Expression,
  handlers: readonly ts.Expression[],
): boolean {
  const rows = tableRows(graph, file, config);
  if (!rows) return false;
  for (const row of rows) {
    const value = row.valueOf(config);
    const object =
      value && ts.isExpression(value.node) ? routeConfig(graph, value.file, value.node) : undefined;
    const { method, path } = object ? readRouteConfig(graph, object, 0) : {};
    // The row's own functions are spans of the row's file: the route is anchored there.
    const at = row.element ?? { file, node: call };
    const own = handlers.map((h) => row.valueOf(h)).filter((h) => h !== undefined);
    const extra = row.element
      ? rowFunctions(row.element.node).filter((f) => f !== value?.node && !own.some((o) => o.node === f))
      : [];
    const found = [...own.map((h) => h.node), ...extra].filter(ts.isExpression);
    if (!object || !method || path === undefined || at.file !== (own[0]?.file ?? at.file)) {
      const why = `app.openapi() route config of a table row is not spelled out where mtls-fix can read it (${at.file.relative}:${lineOf(at.file, at.node)})`;
      graph.addUnread(router, at.file, at.node, method ?? 'all', why, found);
      continue;
    }
    graph.addRoute(router, at.file, at.node, method, [path.replace(/\{(\w+)\}/g, ':$1')], found);
    addConfigSpans(router, object, {});
  }
  return true;
}

/** The function-valued members of a table row (`handler: h`, `middlewares: [a, b]`), as expressions. */
function rowFunctions(row: ts.Node): ts.Node[] {
  const object = ts.isExpression(row) ? unwrap(row) : row;
  if (!ts.isObjectLiteralExpression(object)) return [];
  const out: ts.Node[] = [];
  for (const property of object.properties) {
    const value = ts.isPropertyAssignment(property)
      ? unwrap(property.initializer)
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    if (!value) continue;
    if (ts.isArrayLiteralExpression(value)) out.push(...value.elements.filter((e) => !ts.isSpreadElement(e)));
    else if (
      !ts.isStringLiteral(value) &&
      !ts.isNumericLiteral(value) &&
      !ts.isObjectLiteralExpression(value)
    )
      out.push(value);
  }
  return out;
}

/** `createRoute({...})` (or the object itself), inline or behind a variable / import. */
function routeConfig(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): { file: ProjectFile; node: ts.ObjectLiteralExpression } | undefined {
  const values =
    ts.isIdentifier(unwrap(expression)) || ts.isPropertyAccessExpression(unwrap(expression))
      ? graph.valuesOf(file, expression)
      : [{ file, node: unwrap(expression) }];
  for (const value of values) {
    let node = value.node;
    if (ts.isCallExpression(node) && node.arguments[0]) node = unwrap(node.arguments[0]);
    if (ts.isObjectLiteralExpression(node)) return { file: value.file, node };
  }
  return undefined;
}

/**
 * Hono (and `OpenAPIHono` from @hono/zod-openapi): `app.get/post/…`, `app.on(methods, path, h)`, chained
 * registrations, `app.route('/p', sub)`, `new Hono().basePath('/api')`.
 */
export const honoWiring: RouteWiring = {
  framework: 'hono',
  syntax: 'colon',
  modules: /^hono|^@hono\//,
  creations: {
    hono: (member) => (member === 'Hono' || member === undefined ? app() : undefined),
    '@hono/zod-openapi': (member) => (member === 'OpenAPIHono' ? app() : undefined),
  },
  chainable: ['route', 'on', 'openapi'],
  derived: {
    // `app.basePath('/api')` is a new app whose routes sit under the prefix: a child mounted there.
    basePath: (graph, file, call, receiver) => {
      const parent = graph.routerOf(file, receiver);
      if (!parent) return undefined;
      const child = graph.node(file, call, {
        framework: parent.framework,
        kind: 'router',
        syntax: parent.syntax,
      });
      if (!child.mountedBy) {
        const path = staticString(call.arguments[0]);
        graph.mountAt(
          parent,
          file,
          call,
          path ?? { dynamic: call.arguments[0]?.getText(file.sourceFile) ?? '?' },
          child,
        );
      }
      return child;
    },
  },
  registrations: {
    openapi: registerOpenApiRoute,
    // `app.onError((err, c) => …)`: answers the errors of every route of the app (and of the apps it mounts).
    onError: (graph, file, call, callee) => {
      const handler = call.arguments[0];
      if (!handler) return false;
      const router = graph.routerOf(file, callee.expression);
      // On an app mtls-fix cannot trace: for the routes registered on that same app (untraced-receivers.ts).
      if (!router) graph.addUntracedMiddleware(file, call, callee.expression, [span(file, handler)], true);
      else graph.addMiddleware(router, file, call, [span(file, handler)], true);
      return true;
    },
    on: (graph, file, call, callee) => {
      const args = call.arguments;
      if (args.length < 3) return false;
      const router = graph.routerOf(file, callee.expression);
      const methods = stringList(args[0]);
      if (!router || !methods) return true;
      const paths = graph.paths(file, args[1]);
      for (const m of methods) graph.addRoute(router, file, call, m, paths, args.slice(2));
      return true;
    },
    // `app.route('/v1', sub)`
    route: (graph, file, call, callee) => {
      const [path, sub] = call.arguments;
      if (call.arguments.length !== 2 || !path || !sub || ts.isObjectLiteralExpression(unwrap(path)))
        return false;
      const router = graph.routerOf(file, callee.expression);
      if (!router) {
        // `this.ctx.server.route(this.config.basepath, hono)`: the sub-app is mounted, though where is unknown.
        const child = graph.routerOf(file, sub);
        if (child) graph.mountedOnUntraced(child, file, call, path);
        return true;
      }
      if (graph.mountTable(router, file, call)) return true;
      const child = graph.routerOf(file, sub);
      if (child) graph.addMount(router, file, call, path, child);
      else if (isUnreadUse(graph, file, sub)) {
        // `app.route('/v3', loadApp(process.env.API))`: a sub-app nobody can list, named below its path.
        const text = sub.getText(file.sourceFile);
        const paths = graph.paths(file, path);
        const under = paths.length === 1 ? paths[0] : undefined;
        const why = `${text.length > 60 ? `${text.slice(0, 60)}…` : text} mounted at ${file.relative}:${lineOf(file, call)} is a value mtls-fix cannot read (a router or middleware)`;
        graph.addUnread(
          router,
          file,
          call,
          'all',
          why,
          [sub],
          under === undefined ? undefined : joinPaths(under, '*'),
        );
      }
      return true;
    },
    // `app.mount('/v2', other.fetch)` (or `other`): another Hono app's fetch handler under the prefix (Hono
    // strips the prefix before the handler sees the path, so its routes sit under it as with `route`). A
    // handler that is no Hono app mtls-fix reads (another framework's fetch, a package's handler, a function
    // of the project) serves routes nobody can list: it is one unread registration `ALL /v2/*` for review by
    // hand, and the code it names is that registration's, never silently "not reached".
    mount: (graph, file, call, callee) => {
      const [path, handler] = call.arguments;
      if (!path || !handler || ts.isObjectLiteralExpression(unwrap(path))) return false;
      const router = graph.routerOf(file, callee.expression);
      const target = unwrap(handler);
      if (!router) {
        const app =
          ts.isPropertyAccessExpression(target) && target.name.text === 'fetch' ? target.expression : target;
        const child = graph.routerOf(file, app);
        if (child?.framework === 'hono') graph.mountedOnUntraced(child, file, call, path);
        return false;
      }
      const app =
        ts.isPropertyAccessExpression(target) && target.name.text === 'fetch' ? target.expression : target;
      const child = graph.routerOf(file, app);
      if (child?.framework === 'hono') {
        graph.addMount(router, file, call, path, child);
        return true;
      }
      const text = handler.getText(file.sourceFile).replace(/\s+/g, ' ');
      const mounted = graph.node(
        file,
        call,
        { framework: 'hono', kind: 'router', syntax: 'colon' },
        '#mount',
      );
      graph.addMount(router, file, call, path, mounted);
      const why = `mounts ${text.length > 40 ? `${text.slice(0, 40)}…` : text}, an app or handler mtls-fix cannot read, so the routes it serves below this prefix are not known (${file.relative}:${lineOf(file, call)})`;
      graph.addUnread(mounted, file, call, 'all', why, [handler]);
      return true;
    },
  },
};

function app(): { framework: string; kind: 'app'; syntax: 'colon' } {
  return { framework: 'hono', kind: 'app', syntax: 'colon' };
}
