import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { lineOf, propertyName, type Project, type ProjectFile } from './project.js';
import { objectProperty, span } from './syntax.js';
import { isTsRestImplementation } from '../ts-rest-calls.js';

/** The HTTP methods a ts-rest contract route names (`method: 'GET'`). */
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * ts-rest (https://ts-rest.com) servers: each member of an implementation given to `s.router(contract, impl)`
 * (`tsr.router`, `createNextRoute`, Nest's `tsRestHandler(contract, impl)`), and the function of
 * `tsRestHandler(contract.route, fn)`, is a route: the method and path of its contract entry
 * (`{ method, path, responses }`), after the `pathPrefix` of each `c.router(…, { pathPrefix })` above it. The
 * server adapter registers them at its app's root (`createExpressEndpoints(contract, router, app)`), so no mount
 * prefix is added. An implementation whose contract the code does not spell out is listed for review by hand.
 */
export function extractTsRestRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  const serving = servingOptions(project);
  for (const file of project.files) {
    if (!file.sourceFile.text.includes('@ts-rest/')) continue;
    for (const call of project.calls(file)) {
      const [contract, implementation] = call.arguments;
      if (!contract || !implementation || !isTsRestImplementation(call)) continue;
      const at = {
        framework: 'ts-rest',
        syntax: 'colon' as const,
        file: file.relative,
        line: lineOf(file, call),
      };
      const members = ts.isObjectLiteralExpression(implementation)
        ? implementation.properties.flatMap((p) => {
            const name = p.name ? propertyName(p.name) : undefined;
            return name ? [{ name, node: p }] : [];
          })
        : [{ name: undefined, node: implementation as ts.Node }];
      for (const member of members) {
        const entry = contractValue(project, file, contract, member.name === undefined ? [] : [member.name]);
        if (!entry) {
          routes.push({
            ...at,
            method: 'ALL',
            path: '/*',
            handlers: [span(file, member.node)],
            unresolved: `ts-rest implementation of ${contract.getText(file.sourceFile)}${member.name ? `.${member.name}` : ''} whose contract mtls-fix could not read (${file.relative}:${at.line})`,
            unreadable: true,
          });
          continue;
        }
        const method = stringProperty(project, entry.file, entry.node, 'method')?.toUpperCase();
        const path = stringProperty(project, entry.file, entry.node, 'path');
        // A nested router's member is implemented by its own `s.router(contract.member, …)` call.
        if (method === undefined || path === undefined || !METHODS.has(method)) continue;
        routes.push({
          ...at,
          method,
          path: joinPrefix(entry.prefix, path),
          handlers: [span(file, member.node), ...(serving.get(call) ?? [])],
        });
      }
    }
  }
  return routes;
}

/** Options of the adapters that serve an implementation which run for all its routes (ts-rest docs, "Express"). */
const SERVING_OPTIONS = [
  'globalMiddleware',
  'requestValidationErrorHandler',
  'responseValidationErrorHandler',
];
/** The adapter calls that serve an implementation: `createExpressEndpoints(contract, router, app, options)`. */
const SERVING_CALLS = new Set(['createExpressEndpoints', 'registerRouter']);

/**
 * What runs for every route of an implementation besides its members: the `globalMiddleware` and validation
 * error handlers of the `createExpressEndpoints(contract, router, app, options)` /
 * `s.registerRouter(contract, router, app, options)` call that serves it, by the implementing call the router
 * variable holds.
 */
function servingOptions(project: Project): Map<ts.CallExpression, Span[]> {
  const out = new Map<ts.CallExpression, Span[]>();
  for (const file of project.files) {
    if (!file.sourceFile.text.includes('@ts-rest/')) continue;
    for (const call of project.calls(file)) {
      const callee = call.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
      const [, router, , options] = call.arguments;
      if (!name || !SERVING_CALLS.has(name) || !router || !options || !ts.isObjectLiteralExpression(options))
        continue;
      const spans = SERVING_OPTIONS.flatMap((key) => {
        const value = objectProperty(options, key);
        return value ? [span(file, value)] : [];
      });
      if (!spans.length) continue;
      for (const implementation of implementationsOf(project, file, router))
        out.set(implementation, [...(out.get(implementation) ?? []), ...spans]);
    }
  }
  return out;
}

/** The implementing calls an expression holds: `s.router(…)` itself, or the `const` it was put in. */
function implementationsOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): ts.CallExpression[] {
  if (ts.isCallExpression(expression)) return isTsRestImplementation(expression) ? [expression] : [];
  if (!ts.isIdentifier(expression)) return [];
  return project
    .lookup(file, expression, expression.text)
    .flatMap((d) =>
      ts.isVariableDeclaration(d.node) && d.node.initializer && ts.isCallExpression(d.node.initializer)
        ? implementationsOf(project, d.file, d.node.initializer)
        : [],
    );
}

/**
 * The contract object an expression names, then its members `path` in turn (`contract.admin.audit`), with the
 * `pathPrefix` of every `c.router(routes, { pathPrefix })` passed on the way. Undefined when a step is not
 * spelled out in the code.
 */
export function contractValue(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  members: readonly string[],
  depth = 0,
): { file: ProjectFile; node: ts.ObjectLiteralExpression; prefix: string } | undefined {
  if (depth > 8) return undefined;
  let node: ts.Expression = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    node = node.expression;
  if (ts.isIdentifier(node)) {
    for (const d of project.lookup(file, node, node.text))
      if (ts.isVariableDeclaration(d.node) && d.node.initializer)
        return contractValue(project, d.file, d.node.initializer, members, depth + 1);
    return undefined;
  }
  if (ts.isPropertyAccessExpression(node))
    return contractValue(project, file, node.expression, [node.name.text, ...members], depth + 1);
  let prefix = '';
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'router'
  ) {
    const own = routerPrefix(project, file, node);
    if (own === undefined) return undefined;
    prefix = own;
    const routes = node.arguments[0];
    if (!routes) return undefined;
    const inner = contractValue(project, file, routes, members, depth + 1);
    return inner && { ...inner, prefix: joinPrefix(prefix, inner.prefix) };
  }
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  if (!members.length) return { file, node, prefix };
  const [first, ...rest] = members;
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === first)
      return contractValue(project, file, property.initializer, rest, depth + 1);
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === first)
      return contractValue(project, file, property.name, rest, depth + 1);
  }
  return undefined;
}

/**
 * The `pathPrefix` of each `c.router(routes, { pathPrefix })` above `node` (a contract route entry), outermost
 * first: the routers whose routes object holds it as written, and, for a router held in a `const`, the router
 * whose routes object names that `const` (`c.router({ admin }, { pathPrefix: '/api' })`). Undefined when a
 * prefix is not spelled out in the code.
 */
export function enclosingPrefix(
  project: Project,
  file: ProjectFile,
  node: ts.Node,
  depth = 0,
): string | undefined {
  let prefix = '';
  for (let at: ts.Node = node; at.parent; at = at.parent) {
    const call = at.parent;
    if (ts.isVariableDeclaration(call) && call.initializer === at && ts.isIdentifier(call.name)) {
      const outer = depth < 4 ? namingRouter(project, file, call.name) : undefined;
      if (!outer) return prefix;
      const above = enclosingPrefix(project, outer.file, outer.node, depth + 1);
      return above === undefined ? undefined : joinPrefix(above, prefix);
    }
    if (!ts.isCallExpression(call) || call.arguments[0] !== at) continue;
    if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'router') continue;
    const own = routerPrefix(project, file, call);
    if (own === undefined) return undefined;
    prefix = joinPrefix(own, prefix);
  }
  return prefix;
}

/** Where a router held in a `const` is named as a member of another router's routes object (`{ admin }`). */
function namingRouter(
  project: Project,
  file: ProjectFile,
  name: ts.Identifier,
): { file: ProjectFile; node: ts.Node } | undefined {
  for (const use of project.identifiersNamed(name.text)) {
    if (use.node === name) continue;
    const property = use.node.parent;
    const named =
      (ts.isShorthandPropertyAssignment(property) && property.name === use.node) ||
      (ts.isPropertyAssignment(property) && property.initializer === use.node);
    if (!named || !ts.isObjectLiteralExpression(property.parent)) continue;
    const call = property.parent.parent;
    if (!ts.isCallExpression(call) || call.arguments[0] !== property.parent) continue;
    if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'router') continue;
    if (
      use.file !== file &&
      !project.lookup(use.file, use.node, name.text).some((d) => d.node === name.parent)
    )
      continue;
    return { file: use.file, node: property };
  }
  return undefined;
}

/** A contract `pathPrefix` before a path: one `/` between them. */
export function joinPrefix(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return `${prefix.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The string a property of an object literal holds, as far as the code spells it out. */
export function stringProperty(
  project: Project,
  file: ProjectFile,
  object: ts.ObjectLiteralExpression,
  name: string,
): string | undefined {
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === name)
      return project.stringOf(file, property.initializer);
  return undefined;
}

/**
 * The `pathPrefix` of `c.router(routes, { pathPrefix })`: `''` when it sets none, undefined when it is not
 * spelled out in the code.
 */
function routerPrefix(project: Project, file: ProjectFile, call: ts.CallExpression): string | undefined {
  const options = call.arguments[1];
  if (!options || !ts.isObjectLiteralExpression(options)) return '';
  const written = options.properties.some((p) => p.name && propertyName(p.name) === 'pathPrefix');
  const value = stringProperty(project, file, options, 'pathPrefix');
  return written ? value : '';
}
