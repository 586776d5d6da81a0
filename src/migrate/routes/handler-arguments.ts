import ts from '../../typescript.cjs';
import { isFunctionNode, requireOf, unwrap, type ProjectFile } from './project.js';
import { externalImport, isLiteral, returnedExpressions } from './syntax.js';
import { FASTIFY_ROUTE_HOOKS } from './fastify.js';
import type { RouterGraphApi } from './wiring.js';

/**
 * Whether the arguments after a path can be a route's handlers, for a call shaped like a registration
 * (`x.get/post/put/delete/patch/all(path, …)`) on a receiver the router graph cannot trace. An HTTP client is called
 * the same way with a body or a config after the URL: axios / got / ky / superagent / ofetch `$.http.post(url,
 * data)`, Angular's `HttpClient.post(url, body)`, `this.$axios.post(url, data)` (axios README "Request method
 * aliases", `axios.post(url[, data[, config]])`; got `got.post(url, options)`; Angular `HttpClient.post(url, body,
 * options)`). Such a call has no handler among its arguments.
 *
 * - `handler`: a function, a name or member that resolves to one (also a class, an endpoint class the library makes
 *   per request), a router, a spread of handlers (`...middlewares`), options that carry a route hook (`{ handler }`), a call
 *   that makes a function (`asyncHandler(fn)`, a project factory returning one, `fn.bind(this)`).
 * - `data`: a literal, a template, an object or array of data, `new FormData()`, a value built by a data method
 *   (`Object.entries(x).reduce(fn, {})`, `JSON.stringify(x)`), a name holding one, a parameter typed as data.
 * - `unknown`: anything the code does not show (a parameter with no type, a package's export, a call of a
 *   package's function, `req.body`, a spread of a parameter `...handlers`).
 */
export type ArgumentKind = 'handler' | 'data' | 'unknown';

/** How deep names are followed to their values. */
const MAX_DEPTH = 4;

/** Members that build data from data (arrays, strings, objects, JSON); never a function. */
const DATA_METHODS = new Set([
  'stringify',
  'parse',
  'toString',
  'toJSON',
  'toISOString',
  'entries',
  'keys',
  'values',
  'fromEntries',
  'join',
  'split',
  'trim',
  'toLowerCase',
  'toUpperCase',
  'replace',
  'replaceAll',
  'padStart',
  'padEnd',
  'substring',
  'toFixed',
  'encode',
  'getTime',
  'append',
]);

/** Members whose result is their receiver's elements again (an array of handlers stays one; a string's slice is data). */
const SAME_ELEMENTS = new Set(['filter', 'slice', 'sort', 'reverse', 'flat']);

/** `Object` functions whose result is their first argument (`Object.assign(handler, { schema })`, `Object.freeze`). */
const SAME_AS_FIRST = new Set(['assign', 'freeze', 'seal', 'preventExtensions']);

/** Global functions and constructors whose result is data. */
const DATA_GLOBALS = new Set([
  'String',
  'Number',
  'Boolean',
  'encodeURIComponent',
  'encodeURI',
  'FormData',
  'URLSearchParams',
  'Blob',
  'File',
  'Buffer',
  'Date',
  'Map',
  'Set',
  'URL',
  'Headers',
  'Uint8Array',
  'ArrayBuffer',
]);

/**
 * Packages whose default export or instances are HTTP clients (a call on one is a request, never a route):
 * axios, got, ky, superagent, ofetch, node-fetch, undici, needle, wretch, redaxios, Angular's HttpClient module.
 */
const CLIENT_PACKAGES =
  /^(axios|got|ky|ky-universal|superagent|ofetch|node-fetch|undici|needle|wretch|redaxios|phin|@angular\/common\/http)$/;

/** Type names of HTTP clients (`private http: HttpClient`, `api: AxiosInstance`). */
const CLIENT_TYPES = /\b(HttpClient|AxiosInstance|AxiosStatic|Got|KyInstance|SuperAgentStatic|\$Fetch)\b/;

/** Type names of handlers (`handler: RequestHandler`, `mw: Middleware`, `cb: Function`). */
const HANDLER_TYPES = /(handler|middleware|controller|callback|function|router|plugin|route)s?\b|Fn\b/i;

/** The kind of one argument after the path (see {@link ArgumentKind}). */
export function argumentKind(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): ArgumentKind {
  if (depth > MAX_DEPTH) return 'unknown';
  // `...handlers`: the elements of what it spreads; a spread of nothing the code shows (a parameter, a package's
  // list) or of data is no handler mtls-fix can see.
  if (ts.isSpreadElement(expression))
    return argumentKind(graph, file, expression.expression, depth + 1) === 'handler' ? 'handler' : 'unknown';
  const node = unwrap(expression);
  if (isFunctionNode(node) || ts.isClassExpression(node)) return 'handler';
  if (isLiteral(node) || ts.isTemplateExpression(node) || ts.isRegularExpressionLiteral(node)) return 'data';
  if (
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    ts.isBigIntLiteral(node) ||
    ts.isPrefixUnaryExpression(node) ||
    ts.isTypeOfExpression(node) ||
    ts.isVoidExpression(node)
  )
    return 'data';
  if (ts.isAwaitExpression(node)) return argumentKind(graph, file, node.expression, depth + 1);
  if (ts.isObjectLiteralExpression(node)) return carriesRouteHooks(node) ? 'handler' : 'data';
  if (ts.isArrayLiteralExpression(node))
    return combine(node.elements.map((e) => argumentKind(graph, file, e, depth + 1)));
  if (ts.isConditionalExpression(node))
    return combine([
      argumentKind(graph, file, node.whenTrue, depth + 1),
      argumentKind(graph, file, node.whenFalse, depth + 1),
    ]);
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (
      operator === ts.SyntaxKind.BarBarToken ||
      operator === ts.SyntaxKind.QuestionQuestionToken ||
      operator === ts.SyntaxKind.AmpersandAmpersandToken
    )
      return combine([
        argumentKind(graph, file, node.left, depth + 1),
        argumentKind(graph, file, node.right, depth + 1),
      ]);
    // `(0, _auth.default)`, as compilers write a call's callee or an import's value: the right operand.
    if (operator === ts.SyntaxKind.CommaToken) return argumentKind(graph, file, node.right, depth + 1);
    return 'data';
  }
  if (ts.isNewExpression(node)) return graph.routerOf(file, node) ? 'handler' : 'data';
  if (ts.isCallExpression(node)) return callKind(graph, file, node, depth);
  if (ts.isIdentifier(node) && node.text === 'undefined') return 'data';
  if (graph.routerOf(file, node)) return 'handler';
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const values = graph.valuesOf(file, node).filter((v) => v.node !== node);
    const kinds = values.map((v) => valueKind(graph, v.file, v.node, depth + 1));
    const kind = kinds.length ? combine(kinds) : 'unknown';
    if (kind !== 'unknown') return kind;
    // What the graph follows further than one value (a method of a project class's instance, an import's export).
    return graph.functionsOf(file, node).length > 0 ? 'handler' : 'unknown';
  }
  // `handlers[name]`, `this[key]`: what the graph follows of it.
  return graph.functionsOf(file, node).length > 0 ? 'handler' : 'unknown';
}

/**
 * Whether a registration-shaped call's receiver is an HTTP client the code shows: a package client's import
 * (`import axios from 'axios'`, `const got = require('got')`), an instance one makes (`axios.create(…)`,
 * `got.extend(…)`, `ky.create(…)`), or a name or `this` member typed as one (`constructor(private http:
 * HttpClient)`, `api: AxiosInstance`).
 */
export function isClientReceiver(graph: RouterGraphApi, file: ProjectFile, receiver: ts.Expression): boolean {
  const node = unwrap(receiver);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword)
    return thisMemberType(node)?.match(CLIENT_TYPES) != null;
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  if (graph.valuesOf(file, node).some((value) => isClientValue(graph, value.file, value.node, 0)))
    return true;
  // `deps.http.post(url, body)` with `deps: Deps` and `interface Deps { http: AxiosInstance }`: the member's
  // written type, through the interface or type literal the holder's type names.
  const type = writtenType(graph, file, node, 0);
  return type !== undefined && isClientType(graph, type.file, type.node, 0);
}

/** A type node with the file it is written in. */
interface TypeAt {
  file: ProjectFile;
  node: ts.TypeNode;
}

/**
 * The type written for a name or a member chain: a parameter's or variable's annotation (`deps: Deps`), then each
 * member's, read in the interface, type literal or type alias the type names (`Deps` → `http: AxiosInstance`).
 */
function writtenType(
  graph: RouterGraphApi,
  file: ProjectFile,
  node: ts.Expression,
  depth: number,
): TypeAt | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isIdentifier(node)) {
    for (const d of graph.project.lookup(file, node, node.text))
      if (
        (ts.isParameter(d.node) || ts.isVariableDeclaration(d.node) || ts.isPropertyDeclaration(d.node)) &&
        d.node.type
      )
        return { file: d.file, node: d.node.type };
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const holder = writtenType(graph, file, unwrap(node.expression), depth + 1);
  if (!holder) return undefined;
  const name = node.name.text;
  for (const members of typeMembers(graph, holder, 0)) {
    const member = members.members.find(
      (m) => ts.isPropertySignature(m) && m.name.getText(members.file.sourceFile) === name && m.type,
    );
    if (member && ts.isPropertySignature(member) && member.type)
      return { file: members.file, node: member.type };
  }
  return undefined;
}

/** The members a written type lists: a type literal, or the interface or type alias a reference names. */
function typeMembers(
  graph: RouterGraphApi,
  type: TypeAt,
  depth: number,
): { file: ProjectFile; members: readonly ts.TypeElement[] }[] {
  if (depth > MAX_DEPTH) return [];
  const node = type.node;
  if (ts.isTypeLiteralNode(node)) return [{ file: type.file, members: node.members }];
  if (ts.isParenthesizedTypeNode(node))
    return typeMembers(graph, { file: type.file, node: node.type }, depth + 1);
  if (ts.isIntersectionTypeNode(node) || ts.isUnionTypeNode(node))
    return node.types.flatMap((t) => typeMembers(graph, { file: type.file, node: t }, depth + 1));
  if (!ts.isTypeReferenceNode(node)) return [];
  return typeDeclarations(graph, type.file, node.typeName).flatMap((d) =>
    ts.isInterfaceDeclaration(d.node)
      ? [{ file: d.file, members: d.node.members }]
      : ts.isTypeAliasDeclaration(d.node)
        ? typeMembers(graph, { file: d.file, node: d.node.type }, depth + 1)
        : [],
  );
}

/**
 * The declarations a type's name refers to: an interface or class the project's scopes hold (imports followed),
 * or a type alias written at the top of the file, or of the project module a named import of it names
 * (`import type { Api } from './api'`).
 */
function typeDeclarations(
  graph: RouterGraphApi,
  file: ProjectFile,
  name: ts.EntityName,
  depth = 0,
): { file: ProjectFile; node: ts.Node }[] {
  if (!ts.isIdentifier(name) || depth > MAX_DEPTH) return [];
  const found = graph.project
    .lookup(file, name, name.text)
    .filter((d) => ts.isInterfaceDeclaration(d.node) || ts.isClassDeclaration(d.node));
  if (found.length) return found;
  const aliases = topAliases(file, name.text);
  if (aliases.length) return aliases;
  for (const statement of file.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => e.name.text === name.text);
    if (!element) continue;
    const target = graph.project.resolveModule(file, statement.moduleSpecifier.text);
    const exported = (element.propertyName ?? element.name).text;
    return target ? topAliases(target, exported) : [];
  }
  return [];
}

/** The type aliases a file declares at its top under `name`. */
function topAliases(file: ProjectFile, name: string): { file: ProjectFile; node: ts.Node }[] {
  return file.sourceFile.statements
    .filter((st) => ts.isTypeAliasDeclaration(st) && st.name.text === name)
    .map((node) => ({ file, node }));
}

/**
 * Whether a written type is an HTTP client's: a client type's name (`AxiosInstance`), `typeof` a client package's
 * import (`typeof axios`, `ReturnType<typeof axios.create>`), or a type alias of one (`type Api = …`).
 */
function isClientType(graph: RouterGraphApi, file: ProjectFile, type: ts.TypeNode, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (ts.isParenthesizedTypeNode(type)) return isClientType(graph, file, type.type, depth + 1);
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type))
    return type.types.some((t) => isClientType(graph, file, t, depth + 1));
  if (ts.isTypeQueryNode(type)) {
    let root: ts.EntityName = type.exprName;
    while (ts.isQualifiedName(root)) root = root.left;
    return graph.project
      .lookup(file, root, root.text)
      .some((d) => CLIENT_PACKAGES.test(externalImport(d.node)?.module ?? ''));
  }
  if (!ts.isTypeReferenceNode(type)) return false;
  if (CLIENT_TYPES.test(type.typeName.getText(file.sourceFile))) return true;
  // `ReturnType<typeof axios.create>`, `Awaited<…>`: what the type arguments name.
  if (type.typeArguments?.some((t) => isClientType(graph, file, t, depth + 1))) return true;
  return typeDeclarations(graph, file, type.typeName).some(
    (d) => ts.isTypeAliasDeclaration(d.node) && isClientType(graph, d.file, d.node.type, depth + 1),
  );
}

function isClientValue(graph: RouterGraphApi, file: ProjectFile, node: ts.Node, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const imported = externalImport(node);
  if (imported) return CLIENT_PACKAGES.test(imported.module);
  if (
    ts.isParameter(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isVariableDeclaration(node) ||
    ts.isPropertySignature(node)
  ) {
    if (node.type && isClientType(graph, file, node.type, depth + 1)) return true;
  }
  if (!ts.isExpression(node)) return false;
  let value = unwrap(node);
  while (ts.isAwaitExpression(value)) value = unwrap(value.expression);
  // `require('axios')`, the value a `const axios = require('axios')` holds when the package is not in the project
  // (project.ts `lookup` keeps such a binding, and `valuesOf` steps to its initializer).
  const required = ts.isCallExpression(value) ? requireOf(value) : undefined;
  if (required) return CLIENT_PACKAGES.test(required.module);
  // `axios.create({ baseURL })`, `got.extend({ prefixUrl })`: an instance of the package's client.
  if (ts.isCallExpression(value)) {
    const callee = unwrap(value.expression);
    if (ts.isPropertyAccessExpression(callee) && /^(create|extend)$/.test(callee.name.text))
      return graph
        .valuesOf(file, callee.expression)
        .some((v) => isClientValue(graph, v.file, v.node, depth + 1));
  }
  return false;
}

/** The type written for `this.<name>`: a property declaration or a constructor parameter property. */
function thisMemberType(member: ts.PropertyAccessExpression): string | undefined {
  let owner: ts.Node | undefined = member.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  if (!owner) return undefined;
  const name = member.name.text;
  for (const m of owner.members) {
    if (ts.isPropertyDeclaration(m) && m.name.getText() === name) return m.type?.getText();
    if (ts.isConstructorDeclaration(m))
      for (const p of m.parameters)
        if (ts.isIdentifier(p.name) && p.name.text === name && p.modifiers?.length) return p.type?.getText();
  }
  return undefined;
}

/** What one value a name holds is (a declaration the graph stops at, or an expression). */
function valueKind(graph: RouterGraphApi, file: ProjectFile, node: ts.Node, depth: number): ArgumentKind {
  if (isFunctionNode(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node)) return 'handler';
  if (ts.isParameter(node)) return typeKind(node.type);
  if (ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) return typeKind(node.type);
  if (ts.isVariableDeclaration(node)) return node.initializer ? 'unknown' : typeKind(node.type);
  if (ts.isSourceFile(node) || externalImport(node)) return 'unknown';
  if (ts.isExpression(node)) return argumentKind(graph, file, node, depth);
  return 'unknown';
}

/**
 * A written type: a function type, a callable object type or a handler's name is a handler; `typeof x`, `any` and
 * `unknown` say nothing; other written types are data.
 */
function typeKind(type: ts.TypeNode | undefined): ArgumentKind {
  if (!type) return 'unknown';
  if (ts.isFunctionTypeNode(type) || ts.isConstructorTypeNode(type)) return 'handler';
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type))
    return combine(type.types.map((t) => typeKind(t)));
  if (ts.isParenthesizedTypeNode(type)) return typeKind(type.type);
  // `typeof handler`: the type of a value the code names, not written out here.
  if (ts.isTypeQueryNode(type)) return 'unknown';
  // `{ (req, res): void }`: a callable object type.
  if (ts.isTypeLiteralNode(type) && type.members.some((m) => ts.isCallSignatureDeclaration(m)))
    return 'handler';
  if (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.UnknownKeyword) return 'unknown';
  if (ts.isTypeReferenceNode(type) && HANDLER_TYPES.test(type.typeName.getText())) return 'handler';
  return 'data';
}

/** What a call's result is. */
function callKind(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  depth: number,
): ArgumentKind {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee) && DATA_GLOBALS.has(callee.text)) return 'data';
  if (ts.isPropertyAccessExpression(callee)) {
    const member = callee.name.text;
    // `handler.bind(this)`: only a function has `bind`.
    if (member === 'bind') return 'handler';
    if (DATA_METHODS.has(member)) return 'data';
    if (SAME_ELEMENTS.has(member)) return argumentKind(graph, file, callee.expression, depth + 1);
    // `[].concat(auth, handler)`: the receiver's elements and the arguments'.
    if (member === 'concat')
      return combine(
        [callee.expression, ...call.arguments].map((e) => argumentKind(graph, file, e, depth + 1)),
      );
    const first = call.arguments[0];
    if (
      SAME_AS_FIRST.has(member) &&
      first &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'Object'
    )
      return argumentKind(graph, file, first, depth + 1);
    // `Object.entries(rest).reduce((result, [key, value]) => …, {})`: the accumulator's kind.
    if (member === 'reduce' || member === 'reduceRight') {
      const initial = call.arguments[1];
      return initial ? argumentKind(graph, file, initial, depth + 1) : 'unknown';
    }
    if (member === 'map' || member === 'flatMap') {
      const mapper = call.arguments[0];
      const fns = mapper ? graph.functionsOf(file, mapper) : [];
      const returned = fns.flatMap((fn) => returnedExpressions(fn));
      return returned.length
        ? combine(returned.map((e) => argumentKind(graph, file, e, depth + 1)))
        : 'unknown';
    }
  }
  // A project function: what it returns (a factory of handlers `validate(schema)`, a builder of bodies).
  const called = graph.functionsOf(file, call.expression);
  if (called.length) {
    const returned = called.flatMap((fn) => returnedExpressions(fn).map((e) => ({ file: fn.file, e })));
    const kinds = returned.map((r) => argumentKind(graph, r.file, r.e, depth + 1));
    if (kinds.includes('handler')) return 'handler';
    if (kinds.length && kinds.every((k) => k === 'data')) return 'data';
  }
  // A wrapper whose arguments hold a handler (`asyncHandler(async (req, res) => …)`, `wrap(fn)`): the graph's own
  // reading of a call (values.ts `functionsOf`).
  return graph.functionsOf(file, call).length > 0 ? 'handler' : 'unknown';
}

/** One kind for several: any handler makes a handler; data only when all are data. */
function combine(kinds: ArgumentKind[]): ArgumentKind {
  if (kinds.includes('handler')) return 'handler';
  return kinds.every((k) => k === 'data') ? 'data' : 'unknown';
}

/** Whether route options hold a function that runs for the route (`handler`, `preHandler`, … : Fastify, hapi). */
export function carriesRouteHooks(options: ts.ObjectLiteralExpression): boolean {
  return options.properties.some(
    (p) =>
      p.name !== undefined &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      FASTIFY_ROUTE_HOOKS.includes(p.name.text),
  );
}

/**
 * Why a registration's handlers are hidden from mtls-fix, or undefined when they are not: none of the arguments
 * after the path is a handler it reads and at least one is of a kind it cannot tell (`app.get('/x', ...handlers)`
 * with `handlers` a parameter, `router.post('/y', mw, getHandlers())` of a package, `require(name)`). The route is
 * still registered, but the code that answers it is not seen, so the 403s it sends are not reached from it:
 * `registered with handlers mtls-fix cannot see: ...handlers` (the caller adds the place).
 */
export function unseenHandlers(
  graph: RouterGraphApi,
  file: ProjectFile,
  handlers: readonly ts.Expression[],
): string | undefined {
  const kinds = handlers.map((h) => argumentKind(graph, file, h));
  if (kinds.includes('handler') || !kinds.includes('unknown')) return undefined;
  // What the graph's own reading follows of them (a callback of a call it does not know) is seen.
  if (handlers.some((h) => graph.functionsOf(file, h).length > 0)) return undefined;
  const text = handlers.map((h) => h.getText(file.sourceFile).replace(/\s+/g, ' ')).join(', ');
  return `registered with handlers mtls-fix cannot see: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}
