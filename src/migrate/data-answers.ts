import { isOuter } from './analysis/syntax.js';
import ts from '../typescript.cjs';
import type { NotAnEmitKind } from './types.js';

/**
 * Functions whose return value is data of a 200 answer, never the HTTP status: what such a function returns
 * (`{ status: 403, error }`, `[403, body]`) is an application value, not a 403 the server answers.
 * - Next.js server actions: a file or function with the `'use server'` directive, or a function passed to a
 *   next-safe-action client's `.action(fn)`; Next.js answers an action's call with 200 and the value
 *   (nextjs.org/docs/app/building-your-application/data-fetching/server-actions-and-mutations);
 * - tRPC procedures: the resolver passed to `.query(fn)` / `.mutation(fn)` / `.subscription(fn)` of a
 *   procedure builder (`publicProcedure`, `t.procedure`, `protectedProcedure.input(z)`), and v9's
 *   `.query('name', { resolve })`; tRPC answers a resolver's value as `result.data` with 200 (an HTTP status
 *   comes only from a thrown TRPCError);
 * - GraphQL resolvers: a function of a `Query` / `Mutation` / `Subscription` map, of an object declared as
 *   `Resolvers`/`IResolvers`, a `resolve` of a field config (`{ type, resolve }`), or a method decorated
 *   `@Query` / `@Mutation` / `@Subscription` / `@ResolveField` / `@FieldResolver` (type-graphql, NestJS GraphQL):
 *   its value is a field of a 200 answer.
 * Callers that send such a value's status themselves (`res.status(r.status)`) are read where they send it
 * (result-producers.ts), so nothing becomes silent.
 */
export function dataAnswerKind(node: ts.Node, sourceFile: ts.SourceFile): NotAnEmitKind | undefined {
  if (hasUseServer(sourceFile.statements)) return 'server-action';
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!isFunction(scope)) continue;
    const kind = functionKind(scope) ?? routeDataKind(scope, sourceFile);
    if (kind) return kind;
  }
  return undefined;
}

/** Modules whose route files export `loader` / `action` (Remix 1-2, React Router 7 framework mode). */
const ROUTE_MODULES = /^(?:@remix-run\/|react-router(?:-dom)?$|@react-router\/)/;
const ROUTE_EXPORTS = new Set(['loader', 'action', 'clientLoader', 'clientAction']);

/**
 * Kind `route-data`: a function whose plain returned object is the data of a 200 answer, not its status
 * (a `json()` / `data()` / `fail()` / `new Response()` status is a site of its own module):
 * - a Remix / React Router route module's exported `loader`, `action`, `clientLoader`, `clientAction` (the file
 *   imports Remix or React Router, or lies under `app/routes/`): a returned object is serialized with 200
 *   (remix.run/docs/en/main/route/loader; reactrouter.com/start/framework/data-loading);
 * - a SvelteKit `+page.server` / `+layout.server` module's `load` and the members of its `actions` object: a
 *   returned object is page data, sent with 200; only `fail(403)` / `error(403)` set a status
 *   (svelte.dev/docs/kit/form-actions);
 * - an Astro action's `handler` (`defineAction({ handler })`): its value is the action's data;
 * - a TanStack Start server function (`createServerFn(…).handler(fn)`): its value is the call's result.
 */
function routeDataKind(fn: Fn, sourceFile: ts.SourceFile): NotAnEmitKind | undefined {
  const name = exportedName(fn);
  if (name && ROUTE_EXPORTS.has(name) && isRouteModule(sourceFile)) return 'route-data';
  const svelteKit = /\+(?:page|layout)\.server\.[cm]?[jt]s$/.test(sourceFile.fileName);
  if (svelteKit && name === 'load') return 'route-data';
  const parent = fn.parent;
  const member = ts.isPropertyAssignment(parent) ? parent : ts.isMethodDeclaration(fn) ? fn : undefined;
  const object = member?.parent;
  if (member && object && ts.isObjectLiteralExpression(object)) {
    if (svelteKit && exportedVariable(object) === 'actions') return 'route-data';
    const call = object.parent;
    if (
      propertyName(member.name) === 'handler' &&
      ts.isCallExpression(call) &&
      call.arguments[0] === object &&
      calleeName(call) === 'defineAction'
    )
      return 'route-data';
  }
  if (ts.isCallExpression(parent) && parent.arguments[0] === fn && calleeName(parent) === 'handler') {
    let root: ts.Expression = parent.expression;
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
    if (ts.isIdentifier(root) && root.text === 'createServerFn') return 'route-data';
  }
  return undefined;
}

function isRouteModule(sourceFile: ts.SourceFile): boolean {
  if (/(?:^|\/)app\/routes\//.test(sourceFile.fileName.replace(/\\/g, '/'))) return true;
  return sourceFile.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      ROUTE_MODULES.test(s.moduleSpecifier.text),
  );
}

/** The name a top-level function is exported under: `export function loader`, `export const loader = …`. */
function exportedName(fn: Fn): string | undefined {
  if (ts.isFunctionDeclaration(fn))
    return fn.name && isExported(fn) && ts.isSourceFile(fn.parent) ? fn.name.text : undefined;
  return exportedVariable(fn);
}

/** `export const name = <node>` at the top level: the name. */
function exportedVariable(node: ts.Node): string | undefined {
  let value = node;
  while (isOuter(value.parent)) value = value.parent;
  const declaration = value.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== value)
    return undefined;
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent) || !isExported(statement))
    return undefined;
  return ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
}

function isExported(node: ts.FunctionDeclaration | ts.VariableStatement): boolean {
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

type Fn = ts.FunctionExpression | ts.ArrowFunction | ts.FunctionDeclaration | ts.MethodDeclaration;

function isFunction(node: ts.Node): node is Fn {
  return (
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node)
  );
}

function hasUseServer(statements: readonly ts.Statement[]): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === 'use server') return true;
  }
  return false;
}

function functionKind(fn: Fn): NotAnEmitKind | undefined {
  if (fn.body && ts.isBlock(fn.body) && hasUseServer(fn.body.statements)) return 'server-action';
  const parent = fn.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(fn as ts.Expression)) {
    if (!ts.isPropertyAccessExpression(parent.expression)) return undefined;
    const name = parent.expression.name.text;
    if (name === 'action') return 'server-action';
    return PROCEDURE_METHODS.has(name) && isProcedureChain(parent.expression) ? 'trpc-result' : undefined;
  }
  if (ts.isMethodDeclaration(fn)) {
    if (graphqlDecorated(fn)) return 'graphql-result';
    return ts.isObjectLiteralExpression(parent) ? objectMemberKind(parent, propertyName(fn.name)) : undefined;
  }
  if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent))
    return objectMemberKind(parent.parent, propertyName(parent.name));
  return undefined;
}

const PROCEDURE_METHODS = new Set(['query', 'mutation', 'subscription']);
const GRAPHQL_ROOTS = new Set(['Query', 'Mutation', 'Subscription']);
const GRAPHQL_DECORATORS = new Set(['Query', 'Mutation', 'Subscription', 'ResolveField', 'FieldResolver']);

/** A function held by an object literal, by the member's name: resolver maps and field configs. */
function objectMemberKind(
  object: ts.ObjectLiteralExpression,
  member: string | undefined,
): NotAnEmitKind | undefined {
  // graphql-js / Pothos / Nexus field config `{ type, args, resolve }`; tRPC v9 `.query('name', { resolve })`.
  if (member === 'resolve') {
    const call = object.parent;
    if (
      ts.isCallExpression(call) &&
      call.arguments.length >= 2 &&
      call.arguments[1] === object &&
      ts.isStringLiteralLike(call.arguments[0]) &&
      PROCEDURE_METHODS.has(calleeName(call) ?? '')
    )
      return 'trpc-result';
    if (object.properties.some((p) => propertyName(p.name) === 'type')) return 'graphql-result';
  }
  const owner = object.parent;
  if (ts.isPropertyAssignment(owner) && GRAPHQL_ROOTS.has(propertyName(owner.name) ?? ''))
    return 'graphql-result';
  for (let outer: ts.Node = object; outer.parent; outer = outer.parent) {
    if (ts.isVariableDeclaration(outer.parent) && outer.parent.initializer === outer) {
      const type = outer.parent.type;
      return type && ts.isTypeReferenceNode(type) && /Resolvers$/.test(typeName(type.typeName))
        ? 'graphql-result'
        : undefined;
    }
    if (!ts.isObjectLiteralExpression(outer.parent) && !ts.isPropertyAssignment(outer.parent))
      return undefined;
  }
  return undefined;
}

function graphqlDecorated(method: ts.MethodDeclaration): boolean {
  return (ts.getDecorators(method) ?? []).some((d) => {
    const call = d.expression;
    const callee = ts.isCallExpression(call) ? call.expression : call;
    const name = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : undefined;
    return name !== undefined && GRAPHQL_DECORATORS.has(name);
  });
}

/**
 * A tRPC procedure builder: the chain before `.query(` starts at a name ending in `procedure`
 * (`publicProcedure`, `t.procedure`, `adminProcedure.input(z).use(mw)`).
 */
function isProcedureChain(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  for (let e: ts.Expression = callee.expression; ;) {
    if (ts.isIdentifier(e)) return /procedure$/i.test(e.text);
    if (ts.isPropertyAccessExpression(e)) {
      if (/procedure$/i.test(e.name.text)) return true;
      e = e.expression;
      continue;
    }
    if (ts.isCallExpression(e)) {
      e = e.expression;
      continue;
    }
    return false;
  }
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return ts.isIdentifier(callee) ? callee.text : undefined;
}

function propertyName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

function typeName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : name.right.text;
}
