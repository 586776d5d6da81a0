import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { isFunctionNode, lineOf, propertyName, unwrap, type Project, type ProjectFile } from './project.js';
import { objectProperty, span } from './syntax.js';
import { fetchServers, mayServeFetch } from '../fetch-server-shapes.js';

/**
 * HTTP methods a Bun route object may name (Bun docs, "HTTP server", Routing: "Per-HTTP method handlers").
 * Upper case, as Bun spells them.
 */
const BUN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Where a fetch-style server is started, and the object or function that serves it. */
interface Server {
  framework: 'bun' | 'deno' | 'fetch-handler';
  /** Bun's (or a default-exported server object's) options; absent for a bare handler. */
  options?: ts.ObjectLiteralExpression;
  /** `Deno.serve(handler)` / `Deno.serve(options, handler)`: the handler given as an argument. */
  handler?: ts.Expression;
}

/**
 * Routes of servers built on the web Fetch API whose routing is not a router object:
 *
 * - **Bun**: `Bun.serve({ routes, fetch, error })` (also `serve` imported from `bun`, and `static`, the name of
 *   `routes` before Bun 1.2.3). Each `routes` key is a path (`/api/items/:id`, `/api/*`); its value is a
 *   handler (every method), an object of per-method handlers (`{ GET, POST }`) or a static `Response`. `fetch`
 *   answers every request no route matches (a catch-all), `error` every error a handler throws (it runs for each
 *   route). Source: Bun docs, "HTTP server" (`Bun.serve`, Routing, Error handling).
 * - **Deno**: `Deno.serve(handler)`, `Deno.serve(options, handler)`, `Deno.serve({ handler })`: one handler for
 *   every request (Deno docs, "HTTP Server", `Deno.serve`).
 * - **A default-exported server object** `export default { fetch(request) { ... } }`: what Bun (Bun docs, "export
 *   default syntax"), Cloudflare Workers (module syntax, `fetch` handler) and Deno's `deno serve` start; its
 *   `routes` too, for Bun.
 *
 * A handler that answers every path is a catch-all route (`ALL /*`): the document's operations that no more
 * specific route matches reach it. A `routes` key the code does not spell out (computed at run time) is listed
 * for review by hand.
 */
export function extractFetchServerRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    if (!mayServeFetch(file.sourceFile.text)) continue;
    for (const server of serversOf(project, file)) routes.push(...serverRoutes(project, file, server));
  }
  return routes;
}

/**
 * The file's Bun and Deno servers and its default-exported server objects (fetch-server-shapes.ts, the recogniser
 * the pass-through module shares), started servers first. Another module's `serve({ fetch })` and a CommonJS
 * `module.exports = { fetch }` are not read here.
 */
function serversOf(project: Project, file: ProjectFile): Server[] {
  const found = fetchServers(file.sourceFile, (node) => objectOf(project, file, node));
  const servers: Server[] = [];
  for (const server of found)
    if (server.kind === 'bun') servers.push({ framework: 'bun', options: server.options });
    else if (server.kind === 'deno')
      // A `handler(req) { … }` method is the handler too (ownFunction reads any function node).
      servers.push({ framework: 'deno', handler: server.handler as ts.Expression | undefined });
  for (const server of found)
    if (server.kind === 'export') servers.push({ framework: 'fetch-handler', options: server.options });
  return servers;
}

/** An object literal written in place or held by a `const` of the same file; undefined otherwise. */
function objectOf(
  project: Project,
  file: ProjectFile,
  node: ts.Expression | undefined,
): ts.ObjectLiteralExpression | undefined {
  const value = node && unwrap(node);
  if (!value) return undefined;
  if (ts.isObjectLiteralExpression(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  for (const declaration of project.lookup(file, value, value.text)) {
    const node = declaration.node;
    if (
      declaration.file === file &&
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      ts.isObjectLiteralExpression(unwrap(node.initializer))
    )
      return unwrap(node.initializer) as ts.ObjectLiteralExpression;
  }
  return undefined;
}

function serverRoutes(project: Project, file: ProjectFile, server: Server): CodeRoute[] {
  const at = { framework: server.framework, syntax: 'colon' as const, file: file.relative };
  const routes: CodeRoute[] = [];
  const options = server.options;
  // Bun's `error(error)` runs for an error any handler throws: it is part of every route.
  const errorHandler = options ? objectProperty(options, 'error') : undefined;
  const shared: Span[] = errorHandler ? [span(file, errorHandler)] : [];
  const table = options
    ? (objectProperty(options, 'routes') ?? objectProperty(options, 'static'))
    : undefined;
  const tableObject = table ? objectOf(project, file, table) : undefined;
  if (table && !tableObject)
    routes.push({
      ...at,
      method: 'ALL',
      path: '/*',
      line: lineOf(file, table),
      handlers: [span(file, table), ...shared],
      unresolved: `${server.framework} routes table not written in place (${file.relative}:${lineOf(file, table)})`,
      unreadable: true,
    });
  for (const property of tableObject?.properties ?? []) {
    const line = lineOf(file, property);
    const path = ts.isPropertyAssignment(property) ? routeKey(project, file, property.name) : undefined;
    if (!ts.isPropertyAssignment(property) || path === undefined) {
      routes.push({
        ...at,
        method: 'ALL',
        path: '/*',
        line,
        handlers: [span(file, property), ...shared],
        unresolved: `${server.framework} route whose path is not written in the code (${file.relative}:${line})`,
        unreadable: true,
      });
      continue;
    }
    const value = unwrap(property.initializer);
    const perMethod = ts.isObjectLiteralExpression(value) ? methodHandlers(value) : undefined;
    if (perMethod)
      for (const [method, handler] of perMethod)
        routes.push({
          ...at,
          method,
          path,
          line: lineOf(file, handler),
          handlers: [span(file, handler), ...shared],
        });
    else routes.push({ ...at, method: 'ALL', path, line, handlers: [span(file, value), ...shared] });
  }
  // What answers every request no route matches: Bun's and a server object's `fetch`, Deno's handler.
  const fallback = ownFunction(project, file, options ? objectProperty(options, 'fetch') : server.handler);
  if (fallback)
    routes.push({
      ...at,
      method: 'ALL',
      path: '/*',
      line: lineOf(file, fallback),
      handlers: [span(file, fallback), ...shared],
    });
  return routes;
}

/**
 * The fetch handler when it is the project's own function: written in place (`fetch(req) { … }`, an arrow) or a
 * name bound to one. A router's handler passed on (`fetch: app.fetch` of Hono, itty-router's `router.fetch`) is
 * no catch-all: that router's own routes are read by its wiring, and a catch-all would take every operation they
 * do not match (hiding "no handler found").
 */
function ownFunction(
  project: Project,
  file: ProjectFile,
  node: ts.Expression | undefined,
): ts.Node | undefined {
  const value = node && unwrap(node);
  if (!value) return undefined;
  if (isFunctionNode(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  const own = project.lookup(file, value, value.text).some(({ node: declaration }) => {
    if (ts.isFunctionDeclaration(declaration)) return true;
    return (
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer !== undefined &&
      isFunctionNode(unwrap(declaration.initializer))
    );
  });
  return own ? value : undefined;
}

/** A route key's path: a string or a template without substitutions (`'/api/items/:id'`). */
function routeKey(project: Project, file: ProjectFile, name: ts.PropertyName): string | undefined {
  if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return project.stringOf(file, name.expression);
  return undefined;
}

/**
 * `{ GET: handler, POST: handler }`: each method with its handler; undefined when the object is not such a map
 * (a key that is no HTTP method, a spread): then it is one handler-like value.
 */
function methodHandlers(object: ts.ObjectLiteralExpression): [string, ts.Node][] | undefined {
  const handlers: [string, ts.Node][] = [];
  for (const property of object.properties) {
    const name =
      ts.isMethodDeclaration(property) ||
      ts.isPropertyAssignment(property) ||
      ts.isShorthandPropertyAssignment(property)
        ? propertyName(property.name)
        : undefined;
    if (name === undefined || !BUN_METHODS.has(name)) return undefined;
    const handler = ts.isPropertyAssignment(property) ? property.initializer : property;
    handlers.push([name, handler]);
  }
  return handlers.length && handlers.every(([, h]) => isFunctionNode(h) || !ts.isObjectLiteralExpression(h))
    ? handlers
    : undefined;
}
