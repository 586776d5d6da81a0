import path from 'node:path';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { skipOuter } from './analysis/syntax.js';
import { topLevel, unproven } from './handler-reach.js';
import { ignoreReason } from './transform.js';
import type { Site } from './types.js';

const NEST = ['@nestjs/common'];

/** Frameworks whose rewrite of a response key or decorator documents a route's response (not its answer). */
const DECLARING = new Set([
  'hono',
  'fastify',
  'elysia',
  'ts-rest',
  'hapi',
  'status-mappings',
  'nestjs',
  'tsoa',
  'tsed-decorators',
]);

/**
 * A route's documented 403 follows its handler (breaker30 #02): a rewritten response declaration
 * (`createRoute({ responses: { 403 } })`, `schema.response[403]`, Elysia `response`, describeRoute, hapi
 * `response.status`, ts-rest `responses`, `@ApiForbiddenResponse`, tsoa `@Response(403)`) is turned into a manual
 * site when its handler can still answer 403: a manual site inside the handler, or inside a function or class of
 * the project the handler calls or constructs by name (`throw new AppError('COMMON_FORBIDDEN')` whose class reads
 * the status from a table). The handler is the route method a decorator sits on, the function registered with
 * the declaration (`app.get(path, { schema }, handler)`, `{ schema, handler }`, `app.openapi(route, handler)` in
 * the route's file). When no handler can be found (a contract or route served from another file), the rename
 * stays only while the run has no manual site at all (then no 403 is left to document). Mutates the sites.
 *
 * @param analyses the run's server analyses by absolute path.
 */
export function holdDeclarationsAheadOfHandlers(analyses: ReadonlyMap<string, FileAnalysis>): void {
  const open = (analysis: FileAnalysis, site: Site): boolean =>
    site.kind === 'manual' && !ignoreReason(analysis.text, analysis.sourceFile, site);
  const anyOpen = [...analyses.values()].some((a) => a.sites.some((s) => open(a, s)));
  for (const [absolute, analysis] of analyses) {
    for (const site of analysis.sites) {
      if (site.kind !== 'rewrite' || !DECLARING.has(site.framework)) continue;
      const handler = declarationHandler(analysis, site);
      if (handler === undefined) continue;
      // `export const getUser = createRoute(…)` registered by another file's `app.openapi(getUser, handler)`.
      const elsewhere =
        handler === 'unknown' ? importedRouteHandler(analyses, absolute, analysis, site) : undefined;
      let why: string | undefined;
      if (elsewhere)
        why = unproven(analyses, elsewhere.absolute, elsewhere.analysis, elsewhere.handler, open);
      else if (handler === 'unknown') {
        if (anyOpen)
          why = `mtls-fix could not find the handler this declaration documents, and the run still has 403s it could not rewrite`;
      } else why = unproven(analyses, absolute, analysis, handler, open);
      if (!why) continue;
      site.kind = 'manual';
      site.reason = `Documented 403 kept: ${why}. The document must say 403 while the route can answer it: rename this response to ${analysis.target} once those are rewritten (by hand or by a next run).`;
    }
  }
}

/**
 * The handler a rewritten site documents: the method (or class) a decorator sits on, the function registered
 * beside a response map, `'unknown'` for a response map whose route's handler is not in sight, undefined when the
 * site is no declaration (a status the code sends).
 */
function declarationHandler(analysis: FileAnalysis, site: Site): ts.Node | 'unknown' | undefined {
  const node = nodeAt(analysis.sourceFile, site.start, site.end);
  if (!node) return undefined;
  if (ts.isDecorator(node)) {
    // Nest's `@HttpCode(403)` is the route's answer, not a document of it (session 47: it was held as one, with
    // "Documented 403 kept" when its handler had another 403 site).
    if (
      ts.isCallExpression(node.expression) &&
      analysis.resolvesTo(node.expression.expression, NEST, 'HttpCode')
    )
      return undefined;
    const owner = node.parent;
    return ts.isMethodDeclaration(owner) || ts.isClassLike(owner) ? owner : 'unknown';
  }
  const property = node.parent;
  if (!ts.isPropertyAssignment(property) || property.name !== node) return undefined;
  for (let at: ts.Node = property.parent; !ts.isSourceFile(at); at = at.parent) {
    if (ts.isObjectLiteralExpression(at)) {
      const handler = at.properties.find(
        (p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'handler' && !ts.isSpreadAssignment(p),
      );
      if (handler) return functionOf(analysis.sourceFile, handler) ?? 'unknown';
    }
    if (ts.isCallExpression(at)) {
      const fn = at.arguments.map((a) => functionOf(analysis.sourceFile, a)).find(Boolean);
      if (fn) return fn;
      // `const route = createRoute({ … })`: the handler of `app.openapi(route, handler)` in this file.
      const holder = at.parent;
      if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
        const registered = openapiHandler(analysis.sourceFile, holder.name.text);
        if (registered) return registered;
      }
    }
  }
  return 'unknown';
}

/**
 * The handler another analysed file registers for a route config this file exports
 * (`export const getUser = createRoute({ … })`, then `app.openapi(getUser, (c) => …)` where `getUser` is imported
 * from here): the first such registration, with its file. Undefined when the site is not in such a config or no
 * file registers it by an imported name.
 */
function importedRouteHandler(
  analyses: ReadonlyMap<string, FileAnalysis>,
  absolute: string,
  analysis: FileAnalysis,
  site: Site,
): { absolute: string; analysis: FileAnalysis; handler: ts.Node } | undefined {
  let at: ts.Node | undefined = nodeAt(analysis.sourceFile, site.start, site.end);
  while (at && !ts.isSourceFile(at) && !(ts.isCallExpression(at) && ts.isVariableDeclaration(at.parent)))
    at = at.parent;
  const holder = at?.parent;
  if (!holder || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return undefined;
  const route = holder.name.text;
  for (const [file, other] of analyses) {
    if (other === analysis) continue;
    const registered = openapiHandlerWhere(other.sourceFile, (name) => {
      const binding = other.importOf(name);
      const declared = binding && other.options.link?.declaration?.(binding);
      return !!declared && declared.name === route && path.resolve(declared.file) === absolute;
    });
    if (registered) return { absolute: file, analysis: other, handler: registered };
  }
  return undefined;
}

function openapiHandler(sourceFile: ts.SourceFile, route: string): ts.Node | undefined {
  return openapiHandlerWhere(sourceFile, (name) => name === route);
}

/** The handler of the first `x.openapi(route, handler)` whose route is a name `isRoute` accepts. */
function openapiHandlerWhere(
  sourceFile: ts.SourceFile,
  isRoute: (name: string) => boolean,
): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'openapi' &&
      node.arguments[0] &&
      ts.isIdentifier(node.arguments[0]) &&
      isRoute(node.arguments[0].text)
    )
      found = node.arguments[1] && functionOf(sourceFile, node.arguments[1]);
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** A function written in place, or one a name of this file holds; undefined for anything else. */
function functionOf(sourceFile: ts.SourceFile, node: ts.Node): ts.Node | undefined {
  const value = ts.isPropertyAssignment(node)
    ? skipOuter(node.initializer)
    : ts.isMethodDeclaration(node) || ts.isShorthandPropertyAssignment(node)
      ? node
      : ts.isExpression(node)
        ? skipOuter(node)
        : node;
  if (ts.isMethodDeclaration(value) || ts.isArrowFunction(value) || ts.isFunctionExpression(value))
    return value;
  const name = ts.isShorthandPropertyAssignment(value)
    ? value.name
    : ts.isIdentifier(value)
      ? value
      : undefined;
  if (!name) return undefined;
  const declared = topLevel(sourceFile, name.text);
  if (declared && ts.isFunctionDeclaration(declared)) return declared;
  if (declared && ts.isVariableDeclaration(declared) && declared.initializer) {
    const init = skipOuter(declared.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

function nodeAt(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) > start || node.end < end) return;
    if (node.getStart(sourceFile) === start && node.end === end) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
