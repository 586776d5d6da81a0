import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { isFunctionNode, propertyName, type Project, type ProjectFile } from './project.js';
import { nodeAt } from './reach.js';
import { isTsRestImplementation } from '../ts-rest-calls.js';
import { contractValue, enclosingPrefix, joinPrefix, stringProperty } from './ts-rest.js';

import { DECLARED, docBlockRoutes, HTTP_METHODS } from './doc-block-routes.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** The routes declared at a site, and why they cannot be read when they cannot (the site's manual reason). */
export interface DeclaredRoutes {
  routes: CodeRoute[];
  unreadable?: string;
}

/**
 * The operations a 403 declares by method and path where it stands, not by code that runs for a route: the
 * `responses` of an object that also names its `method` and `path` (@asteasolutions/zod-to-openapi
 * `registry.registerPath({ method, path, responses })`, a ts-rest contract entry, any route definition of that
 * shape), or the path items of the `@openapi` / `@swagger` JSDoc block around it (swagger-jsdoc parses the
 * block after its tag as YAML), or the apiDoc block around it (`@api {method} path`). Each is returned as a route in its own path syntax (`{id}` or `:id`) registered
 * at the site, with no handlers, for `--spec` to match against the document's operations like any code route.
 * Failing those, the ts-rest route a function implements (`implementedRoutes`). Empty when the site is none of
 * these, or its method or path is computed at run time. A documentation block mtls-fix cannot read (YAML that does
 * not parse, no readable path item or `@api` line) is `unreadable`, with the sentence that names it
 * (doc-block-routes.ts).
 *
 * @param relative the site's file, relative to the working folder (as `Site.file`).
 * @param position the site's start offset in that file.
 */
export function declaredRoutesAt(project: Project, relative: string, position: number): DeclaredRoutes {
  const file = project.byRelative(relative);
  if (!file) return { routes: [] };
  const text = file.sourceFile.text;
  const fromDoc = docBlockRoutes(file, text, position);
  if (fromDoc) return 'unreadable' in fromDoc ? { routes: [], unreadable: fromDoc.unreadable } : fromDoc;
  const node = nodeAt(file.sourceFile, position);
  if (!node) return { routes: [] };
  const entries = entryRoutes(project, file, node);
  return { routes: entries.length ? entries : implementedRoutes(project, file, node) };
}

/** `{ method, path, responses: { 403: … } }` around the node, up to the enclosing function. */
function entryRoutes(project: Project, file: ProjectFile, node: ts.Node): CodeRoute[] {
  let inResponses = false;
  for (let at: ts.Node | undefined = node; at && !isFunctionNode(at); at = at.parent) {
    if (ts.isPropertyAssignment(at) && propertyName(at.name) === 'responses') inResponses = true;
    if (!inResponses || !ts.isObjectLiteralExpression(at)) continue;
    const method = stringProperty(project, file, at, 'method');
    const path = stringProperty(project, file, at, 'path');
    if (method === undefined || path === undefined) continue;
    const prefix = enclosingPrefix(project, file, at);
    if (!HTTP_METHODS.has(method.toLowerCase()) || !path.startsWith('/') || prefix === undefined) return [];
    return [declaredRoute(file, at, method, joinPrefix(prefix, path))];
  }
  return [];
}

/**
 * A ts-rest route implementation around the node: the member `name` of the implementation given to
 * `s.router(contract, impl)` (also `{ name: { handler } }`, a function held in a variable and named there), or
 * the function of `tsRestHandler(contract.name, fn)`; its route is the contract's `{ method, path }` entry, with
 * the `pathPrefix` of each `c.router(…, { pathPrefix })` it sits under.
 */
function implementedRoutes(project: Project, file: ProjectFile, node: ts.Node): CodeRoute[] {
  let fn: ts.Node | undefined = node;
  while (fn && !isFunctionNode(fn)) fn = fn.parent;
  if (!fn) return [];
  const holders: { file: ProjectFile; node: ts.Node }[] = [{ file, node: fn }];
  // `const closeAccount = async () => …` put into the implementation by name.
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name))
    for (const use of project.identifiersNamed(fn.parent.name.text))
      if (use.file === file && use.node !== fn.parent.name) holders.push(use);
  for (const holder of holders) {
    const found = implementedRoute(project, holder.file, holder.node);
    if (found) return [found];
  }
  return [];
}

function implementedRoute(project: Project, file: ProjectFile, start: ts.Node): CodeRoute | undefined {
  let member: string | undefined;
  let at: ts.Node = start;
  for (let depth = 0; depth < 8 && at.parent; depth++) {
    const parent: ts.Node = at.parent;
    if (ts.isCallExpression(parent)) {
      const index = parent.arguments.indexOf(at as ts.Expression);
      const contract = parent.arguments[0];
      if (index < 1 || !contract || !isTsRestImplementation(parent)) return undefined;
      const target = ts.isObjectLiteralExpression(at) ? member : undefined;
      const entry = contractValue(project, file, contract, target === undefined ? [] : [target]);
      if (!entry) return undefined;
      const method = stringProperty(project, entry.file, entry.node, 'method');
      const path = stringProperty(project, entry.file, entry.node, 'path');
      if (method === undefined || path === undefined || !HTTP_METHODS.has(method.toLowerCase()))
        return undefined;
      return declaredRoute(file, parent, method, joinPrefix(entry.prefix, path));
    }
    if (
      (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) &&
      ts.isObjectLiteralExpression(parent.parent)
    )
      member = propertyName(parent.name) ?? member;
    else if (ts.isMethodDeclaration(at) && ts.isObjectLiteralExpression(parent))
      member = propertyName(at.name) ?? member;
    at = parent;
  }
  return undefined;
}

function declaredRoute(file: ProjectFile, node: ts.Node, method: string, path: string): CodeRoute {
  return {
    framework: DECLARED,
    method: method.toUpperCase(),
    path,
    syntax: path.includes('{') ? 'openapi' : 'colon',
    file: file.relative,
    line: lineAndCharacterAt(file.sourceFile, node.getStart(file.sourceFile)).line + 1,
    handlers: [],
  };
}
