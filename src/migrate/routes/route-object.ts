import ts from '../../typescript.cjs';
import { unwrap, type ProjectFile } from './project.js';
import { objectProperty, stringList } from './syntax.js';
import type { RouterGraphApi, RouterNode } from './wiring.js';

/**
 * Keys of a route object that declare the route rather than run for it: Fastify's `schema` (its
 * `response: { 403: … }` is what the handler may send, and what @fastify/swagger documents), koa-joi-router's
 * `validate` (its `output: { 403: … }` rules) and hapi's (input rules, nothing the handler sends). They go with the
 * route's spans so that a status they declare follows the route under `--spec`, as the handler's does.
 */
export const ROUTE_DECLARATION_KEYS = ['schema', 'validate'];

/**
 * A route given as an options object (Fastify `route({ method, url, handler, preHandler })`, hapi
 * `route({ method, path, handler, options })`): each method under each path, with the functions named by
 * `handlerKeys`, the nested `options` / `config` objects and the `ROUTE_DECLARATION_KEYS` as its handlers
 * (`given`: the methods and paths the caller read instead of the object's own).
 */
export function registerRouteObject(
  graph: RouterGraphApi,
  router: RouterNode,
  file: ProjectFile,
  call: ts.Node,
  options: ts.ObjectLiteralExpression,
  handlerKeys: readonly string[],
  /** The methods and paths when the caller read them (a row of an openapi-backend's operations). */
  given?: { methods: string[]; paths: string[] },
): void {
  const methods = given?.methods ?? stringList(objectProperty(options, 'method')) ?? [];
  const pathNode = objectProperty(options, 'url') ?? objectProperty(options, 'path');
  const handlers: ts.Expression[] = [];
  for (const name of handlerKeys) {
    const value = objectProperty(options, name);
    if (value) handlers.push(value);
  }
  for (const key of ['options', 'config']) {
    const nested = objectProperty(options, key);
    if (nested && ts.isObjectLiteralExpression(unwrap(nested))) handlers.push(nested);
  }
  if (!handlers.length) return;
  for (const key of ROUTE_DECLARATION_KEYS) {
    const declared = objectProperty(options, key);
    if (declared) handlers.push(declared);
  }
  if (!pathNode || !methods.length) {
    // A route object whose method or path is computed at run time: listed for review, never dropped.
    const missing = !methods.length ? 'method' : 'path';
    graph.addUnread(
      router,
      file,
      call,
      methods[0] ?? 'ALL',
      `the route's ${missing} is computed at run time`,
      handlers,
    );
    return;
  }
  for (const m of methods)
    graph.addRoute(
      router,
      file,
      call,
      m === '*' ? 'all' : m,
      given?.paths ?? graph.paths(file, pathNode),
      handlers,
      given ? undefined : pathNode,
    );
}
