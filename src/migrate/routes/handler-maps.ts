import ts from '../../typescript.cjs';
import { requireOf, staticString, unwrap, type ProjectFile } from './project.js';
import { span } from './syntax.js';
import { METHODS, type CallHandler, type RouterGraphApi } from './wiring.js';

/** One path → method → handler map, with the file it is written in. */
interface HandlerMap {
  file: ProjectFile;
  object: ts.ObjectLiteralExpression;
}

const MAX_DEPTH = 6;

/**
 * OpenAPI-first dispatch tables (Mojaloop's SDK scheme adapter, hand-rolled openapi-backend style):
 * `app.use(dispatch(handlers))` where `handlers` is a map keyed by the document's own paths, each holding
 * its methods' handlers, `{ '/transfers/{ID}': { get: getTransfer, put: putTransfer } }`, and the dispatcher
 * picks `handlers[matchedPattern][ctx.method.toLowerCase()]` at run time. Also a catch-all registration
 * of the dispatcher (`app.all('/v1/*', dispatch(handlers))`). Each key and method is a route of the receiver
 * (under the `use` / `all` path, its trailing `/*` dropped), in the path syntax its keys are written in
 * (`{id}`: OpenAPI, `:id`: colon); the dispatcher itself is middleware of the receiver. False when no argument
 * holds such a map, so the framework's own `use` / `all` reads on (Express, Koa, Hono).
 */
export const handlerMapUse: CallHandler = (graph, file, call, callee) => {
  const args = [...call.arguments];
  const first = args[0];
  const pattern = args.length > 1 && first !== undefined ? staticString(first) : undefined;
  const rest = pattern !== undefined ? args.slice(1) : args;
  const found = rest.map((argument) => ({ argument, maps: handlerMapsIn(graph, file, argument, 0) }));
  if (!found.some((f) => f.maps.length)) return false;
  const router = graph.routerOf(file, callee.expression);
  if (!router) return false;
  // `use('/v1', …)`, Hono's `use('/v1/*', …)`, a catch-all `all('*', …)`: the prefix the map sits under.
  const prefix = pattern?.replace(/\/?\*$/, '') ?? '';
  for (const { argument, maps } of found) {
    // The dispatcher (and any other middleware of the call) runs for the routes it serves.
    graph.addMiddleware(router, file, call, [span(file, argument)], false);
    for (const map of maps) {
      const syntax = mapSyntax(map.object);
      const child = graph.node(map.file, map.object, { framework: router.framework, kind: 'router', syntax });
      for (const property of map.object.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        const path = propertyName(property.name);
        const methods = unwrap(property.initializer);
        if (path === undefined || !ts.isObjectLiteralExpression(methods)) continue;
        for (const entry of methods.properties) {
          const method = methodOf(entry);
          if (!method) continue;
          const handler = handlerOf(entry);
          if (!handler) continue;
          graph.addRoute(child, map.file, entry, method, [path], [handler]);
        }
      }
      graph.mountAt(router, file, call, prefix, child);
    }
  }
  return true;
};

/**
 * The handler maps an argument holds: the map itself, one passed to a call (`dispatch(handlers, conf)`), or
 * one a name or `require()` evaluates to (`const handlers = require('./handlers')`, `module.exports = {...}`).
 */
function handlerMapsIn(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth: number,
): HandlerMap[] {
  if (depth > MAX_DEPTH) return [];
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return isHandlerMap(node) ? [{ file, object: node }] : [];
  if (ts.isCallExpression(node) && !requireOf(node))
    return node.arguments.flatMap((a) => handlerMapsIn(graph, file, a, depth + 1));
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || requireOf(node)) {
    return graph
      .valuesOf(file, node)
      .filter((v) => v.node !== node && ts.isExpression(v.node))
      .flatMap((v) => handlerMapsIn(graph, v.file, v.node as ts.Expression, depth + 1));
  }
  return [];
}

/**
 * `{ '/p': { get: h }, '/q/{id}': { put: h, delete: h } }`: every key a path, every value an object whose
 * keys are all HTTP methods (at least one such key in the map). A map of anything else is not routing.
 */
function isHandlerMap(object: ts.ObjectLiteralExpression): boolean {
  if (!object.properties.length) return false;
  return object.properties.every((property) => {
    if (!ts.isPropertyAssignment(property)) return false;
    const path = propertyName(property.name);
    const methods = unwrap(property.initializer);
    return (
      path?.startsWith('/') === true &&
      ts.isObjectLiteralExpression(methods) &&
      methods.properties.length > 0 &&
      methods.properties.every((entry) => methodOf(entry) !== undefined)
    );
  });
}

/** `get: h` / `GET: h` / shorthand `get` / a method `get(req, res) {}`: the method, lower case; else undefined. */
function methodOf(entry: ts.ObjectLiteralElementLike): string | undefined {
  if (
    !ts.isPropertyAssignment(entry) &&
    !ts.isShorthandPropertyAssignment(entry) &&
    !ts.isMethodDeclaration(entry)
  )
    return undefined;
  const name = propertyName(entry.name)?.toLowerCase();
  return name !== undefined && METHODS.has(name) && name !== 'del' ? name : undefined;
}

/** The handler of one method entry: its value, the shorthand's name, or the method itself (as syntax.ts does). */
function handlerOf(entry: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  if (ts.isPropertyAssignment(entry)) return entry.initializer;
  if (ts.isShorthandPropertyAssignment(entry)) return entry.name;
  if (ts.isMethodDeclaration(entry)) return entry as unknown as ts.Expression;
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name))
    return name.text;
  return undefined;
}

/** The path syntax the map's keys are written in: `{id}` templates (the document's own), else colon. */
function mapSyntax(object: ts.ObjectLiteralExpression): 'openapi' | 'colon' {
  return object.properties.some((p) => p.name && /\{[^}]+\}/.test(propertyName(p.name) ?? ''))
    ? 'openapi'
    : 'colon';
}
