import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { lineOf, propertyName, unwrap, type Project, type ProjectFile } from './project.js';
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
  if (!project.files.some((f) => f.sourceFile.text.includes('@ts-rest/'))) return [];
  const serving = servingOptions(project);
  const found: { call: ts.CallExpression; routes: CodeRoute[] }[] = [];
  /** Implementations named as a member of another (`{ admin: adminRouter }`): read through the outer one. */
  const nested = new Set<ts.CallExpression>();
  for (const file of project.files) {
    const own = file.sourceFile.text.includes('@ts-rest/');
    for (const call of project.calls(file)) {
      const [contract, implementation] = call.arguments;
      if (!contract || !implementation || !isTsRestImplementation(call)) continue;
      // A file that does not import ts-rest itself implements a contract through a server made elsewhere
      // (`import { s } from './tsr'`, `initServer().router(…)`): only when its contract is read from a ts-rest file.
      if (!own && !contractInTsRestFile(project, file, contract)) continue;
      found.push({ call, routes: implementedRoutes(project, file, call, serving.get(call) ?? [], nested) });
    }
  }
  return found.flatMap((f) => (nested.has(f.call) ? [] : f.routes));
}

/**
 * The routes one implementing call `s.router(contract, impl)` serves (see `extractTsRestRoutes`); each nested
 * implementation it reads through a member (`{ admin: adminRouter }`, `adminRouter = s.router(adminContract, …)`)
 * is added to `nested`: its paths are the outer contract's (ts-rest serves the contract handed to the adapter).
 */
function implementedRoutes(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
  serving: readonly Span[],
  nested: Set<ts.CallExpression>,
): CodeRoute[] {
  const routes: CodeRoute[] = [];
  const [contract, implementation] = call.arguments;
  if (!contract || !implementation) return routes;
  const at = (where: ProjectFile, node: ts.Node) => ({
    framework: 'ts-rest',
    syntax: 'colon' as const,
    file: where.relative,
    line: lineOf(where, node),
  });
  const contractText = contract.getText(file.sourceFile);
  const unread = (what: string, where: ProjectFile, node: ts.Node, why: string): CodeRoute => ({
    ...at(where, node),
    method: 'ALL',
    path: '/*',
    handlers: [span(where, node)],
    unresolved: `ts-rest implementation of ${what} ${why} (${where.relative}:${lineOf(where, node)})`,
    unreadable: true,
  });
  const whole = contractValue(project, file, contract, []);
  const single = whole && routeOf(project, whole);
  if (single) {
    routes.push({ ...at(file, call), ...single, handlers: [span(file, implementation), ...serving] });
    return routes;
  }
  if (!whole) {
    // One route's implementation (`tsRestHandler(contract.route, fn)`) or a router whose contract is not spelled
    // out: listed for review by hand.
    const members = ts.isObjectLiteralExpression(implementation)
      ? implementation.properties.flatMap((p) => {
          const name = p.name ? propertyName(p.name) : undefined;
          return name ? [{ name, node: p }] : [];
        })
      : [{ name: undefined, node: implementation as ts.Node }];
    for (const member of members)
      routes.push(
        unread(
          `${contractText}${member.name ? `.${member.name}` : ''}`,
          file,
          member.node,
          'whose contract mtls-fix could not read',
        ),
      );
    return routes;
  }
  const walk = (
    names: readonly string[],
    expression: ts.Expression,
    holder: ProjectFile,
    registered: { file: ProjectFile; node: ts.Node },
    depth: number,
  ): void => {
    const read = implementationMembers(project, holder, expression);
    for (const gap of read.unread)
      routes.push(
        unread(
          [contractText, ...names].join('.'),
          gap.file,
          gap.node,
          `held in ${gap.node.getText(gap.file.sourceFile).slice(0, 60)}, which mtls-fix could not read as an object of route handlers`,
        ),
      );
    for (const member of read.members) {
      const path = [...names, member.name];
      const entry = contractValue(project, file, contract, path);
      if (!entry) {
        routes.push(
          unread(
            [contractText, ...path].join('.'),
            member.file,
            member.node,
            'whose contract mtls-fix could not read',
          ),
        );
        continue;
      }
      const one = routeOf(project, entry);
      if (one) {
        routes.push({
          ...at(registered.file, registered.node),
          ...one,
          handlers: [span(member.file, member.node), ...serving],
        });
        continue;
      }
      // A nested router: a plain object of handlers, or its own `s.router(contract.member, impl)` (here or in a
      // `const`, another module's export), whose `impl` is read with the outer contract's paths.
      if (!member.value || depth > 6) continue;
      const inner = implementationsOf(project, member.file, unwrap(member.value));
      if (!inner.length) {
        walk(path, member.value, member.file, registered, depth + 1);
        continue;
      }
      for (const { file: innerFile, call: router } of inner) {
        const innerImplementation = router.arguments[1];
        if (!innerImplementation) continue;
        nested.add(router);
        walk(path, innerImplementation, innerFile, { file: innerFile, node: router }, depth + 1);
      }
    }
  };
  walk([], implementation, file, { file, node: call }, 0);
  return routes;
}

/** The method and path of a contract route entry, after the prefixes above it; undefined for a router. */
function routeOf(
  project: Project,
  entry: { file: ProjectFile; node: ts.ObjectLiteralExpression; prefix: string },
): { method: string; path: string } | undefined {
  const method = stringProperty(project, entry.file, entry.node, 'method')?.toUpperCase();
  const path = stringProperty(project, entry.file, entry.node, 'path');
  if (method === undefined || path === undefined || !METHODS.has(method)) return undefined;
  return { method, path: joinPrefix(entry.prefix, path) };
}

/** Whether a contract argument names a contract written in a file that imports ts-rest. */
function contractInTsRestFile(project: Project, file: ProjectFile, contract: ts.Expression): boolean {
  const value = contractValue(project, file, contract, []);
  return value !== undefined && value.file.sourceFile.text.includes('@ts-rest/');
}

/** A member of an implementation object: its key, the property (the code that runs), and the value it holds. */
interface ImplementationMember {
  name: string;
  file: ProjectFile;
  node: ts.Node;
  value?: ts.Expression;
}

/**
 * The members of an implementation object as far as the code spells it out: an object literal, followed through
 * `const`s and imports (`s.router(contract, handlers)` with `handlers` another module's export) and through
 * spreads (`{ ...cardHandlers, getAccount }`). `unread` holds each part that is not such an object (a call's
 * result, a parameter), to be named.
 */
export function implementationMembers(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): { members: ImplementationMember[]; unread: { file: ProjectFile; node: ts.Node }[] } {
  const node = unwrap(expression);
  const none = { members: [], unread: [{ file, node: expression as ts.Node }] };
  if (depth > 8) return none;
  if (ts.isIdentifier(node)) {
    const found = project.lookup(file, node, node.text);
    for (const d of found) {
      if (ts.isVariableDeclaration(d.node) && d.node.initializer && ts.isIdentifier(d.node.name))
        return implementationMembers(project, d.file, d.node.initializer, depth + 1);
      // `export default { remove }`, `module.exports = { … }`
      if (ts.isExportAssignment(d.node))
        return implementationMembers(project, d.file, d.node.expression, depth + 1);
      if (ts.isBinaryExpression(d.node))
        return implementationMembers(project, d.file, d.node.right, depth + 1);
    }
    return none;
  }
  if (!ts.isObjectLiteralExpression(node)) return none;
  const out: ReturnType<typeof implementationMembers> = { members: [], unread: [] };
  for (const property of node.properties) {
    if (ts.isSpreadAssignment(property)) {
      const inner = implementationMembers(project, file, property.expression, depth + 1);
      out.members.push(...inner.members);
      out.unread.push(...inner.unread);
      continue;
    }
    const name = property.name ? propertyName(property.name) : undefined;
    if (name === undefined) {
      out.unread.push({ file, node: property });
      continue;
    }
    const value = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    out.members.push({ name, file, node: property, ...(value ? { value } : {}) });
  }
  return out;
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
      for (const { call: implementation } of implementationsOf(project, file, router))
        out.set(implementation, [...(out.get(implementation) ?? []), ...spans]);
    }
  }
  return out;
}

/** The implementing calls an expression holds: `s.router(…)` itself, or the `const` it was put in, with their files. */
function implementationsOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): { file: ProjectFile; call: ts.CallExpression }[] {
  if (ts.isCallExpression(expression))
    return isTsRestImplementation(expression) ? [{ file, call: expression }] : [];
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
