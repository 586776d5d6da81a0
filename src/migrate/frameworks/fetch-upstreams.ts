import ts from '../../typescript.cjs';
import { FileImports } from '../analysis/file-imports.js';
import type { ImportLink } from '../analysis/types.js';
import { skipOuter } from '../analysis/syntax.js';
import { assignedValues } from '../analysis/assigned-values.js';
import type { ImportBinding } from '../imports.js';
import { returnedExpressions } from '../routes/syntax.js';

/**
 * Whether an expression a handler returns is an upstream's Response, passed on with its status: the reading
 * behind frameworks/fetch-pass-through.ts. An upstream Response is:
 *
 * - a Fetch API call: `fetch(…)` (global, `globalThis.` / `self.` / `window.` / `event.`, a Cloudflare service
 *   binding's `env.API.fetch(…)`), `fetch` of undici / node-fetch / cross-fetch / isomorphic-fetch /
 *   @whatwg-node/fetch under any local name (`import { fetch as undiciFetch } from 'undici'`, `import nodeFetch
 *   from 'node-fetch'`), and a name holding one (`const f = globalThis.fetch`, `const f = fetch.bind(globalThis)`);
 * - ky (`ky(…)`, `ky.get(…)`, an instance of `ky.create` / `ky.extend`) and ofetch's `ofetch.raw(…)` /
 *   `$fetch.raw(…)` when they are told not to throw on an error status (`throwHttpErrors: false`,
 *   `ignoreResponseError: true`, in the call or the instance's options): otherwise a 403 throws and the handler
 *   fails with 500 (ky docs, "throwHttpErrors"; ofetch README, "ignoreResponseError");
 * - the Response of the error ky or ofetch throw, returned from the catch clause (`catch (e) { return e.response }`:
 *   ky's `HTTPError.response`, ofetch's `FetchError.response`);
 * - a name the function gives one of these (`const r = await fetch(…); return r`), unless the function reads its
 *   status first (`r.status === 403`, `if (!r.ok)`); `new Response(r.body, r)`; a branch of `a ?? b` / `c ? a : b`;
 * - a call of a function, of this file or imported from another (through re-exports, `links.ts`), that returns
 *   one (`return forward(req)` with `forward` returning `fetch(…)`), or that hands back the Response it is given
 *   (`return withCors(res)`).
 */
export interface UpstreamScope {
  sourceFile: ts.SourceFile;
  importOf(name: string): ImportBinding | undefined;
  /** The cross-file link of the file; absent: imported functions are not read. */
  link?: ImportLink;
  /** The file's path for a reason, when it is not the analysed file. */
  label?: string;
}

/** How many names, wrappers and `new Response(…, init)` steps are followed back to the upstream call. */
const MAX_DEPTH = 6;

/** Modules whose fetch is the Fetch API's (a Response comes back). */
const FETCH_MODULES = ['undici', 'node-fetch', 'cross-fetch', 'isomorphic-fetch', '@whatwg-node/fetch'];

/** Modules whose default export is their fetch function. */
const DEFAULT_FETCH_MODULES = ['node-fetch', 'cross-fetch', 'isomorphic-fetch'];

/** The HTTP method helpers of a ky instance (ky README, "API"). */
const KY_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);

/**
 * How an expression is the upstream's Response, for the reason (`fetch(…)`, `r = fetch(…)`, `forward(req) →
 * fetch(…)`), or undefined when it is not one. `fn` is the function the expression is returned from.
 */
export function upstreamOf(
  scope: UpstreamScope,
  expression: ts.Expression,
  fn: ts.SignatureDeclaration,
  depth = 0,
): string | undefined {
  const node = unwrap(expression);
  if (ts.isCallExpression(node)) {
    if (isFetch(scope, node.expression, fn) || nonThrowingClient(scope, node, fn)) return shorten(node);
    if (depth < MAX_DEPTH) {
      const through = calledFunction(scope, node, fn, depth);
      if (through) return through;
    }
    return undefined;
  }
  if (ts.isIdentifier(node) && depth < MAX_DEPTH) {
    let from: string | undefined;
    for (const value of valuesIn(fn, node.text)) from ??= upstreamOf(scope, value, fn, depth + 1);
    if (!from || readsStatus(fn, node.text)) return undefined;
    return from.startsWith(`${node.text} = `) ? from : `${node.text} = ${from}`;
  }
  // `catch (e) { return e.response }` after a ky / ofetch call.
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'response') {
    const thrown = caughtClientError(scope, node, fn);
    if (thrown) return `${shorten(node)} (thrown by ${thrown})`;
  }
  // `cached ?? fetch(url)`, `hit ? hit : fetch(url)`: a branch that is the upstream's Response.
  if (ts.isConditionalExpression(node))
    return (
      upstreamOf(scope, node.whenTrue, fn, depth + 1) ?? upstreamOf(scope, node.whenFalse, fn, depth + 1)
    );
  if (
    ts.isBinaryExpression(node) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)
  )
    return upstreamOf(scope, node.right, fn, depth + 1);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Response') {
    const init = node.arguments?.[1];
    return init && depth < MAX_DEPTH ? upstreamOf(scope, init, fn, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * `name(…)` where `name` is a function of this file or one imported: it hands back the argument it is given
 * (`withCors(res)`) or returns an upstream Response of its own (`forward(req)`).
 */
function calledFunction(
  scope: UpstreamScope,
  call: ts.CallExpression,
  fn: ts.SignatureDeclaration,
  depth: number,
): string | undefined {
  if (!ts.isIdentifier(call.expression)) return undefined;
  const name = call.expression.text;
  const found = functionNamed(scope, name);
  if (!found) return undefined;
  const index = returnedParameter(found.fn);
  const argument = index === undefined ? undefined : call.arguments[index];
  const handed = argument && upstreamOf(scope, argument, fn, depth + 1);
  if (handed) return `${name}(${handed})`;
  for (const returned of returnedExpressions({ node: found.fn })) {
    const own = upstreamOf(found.scope, returned, found.fn, depth + 1);
    const label = found.scope.label;
    if (own) return `${name}(…) → ${own}${label && !own.endsWith(` in ${label}`) ? ` in ${label}` : ''}`;
  }
  return undefined;
}

/** A function of the file (top level) or, when the name is imported, of the module that declares it. */
function functionNamed(
  scope: UpstreamScope,
  name: string,
): { fn: ts.SignatureDeclaration; scope: UpstreamScope } | undefined {
  const binding = scope.importOf(name);
  if (!binding) {
    const fn = topLevelFunction(scope.sourceFile, name);
    return fn ? { fn, scope } : undefined;
  }
  const declared = scope.link?.declaration?.(binding);
  if (!declared) return undefined;
  const fn = topLevelFunction(declared.sourceFile, declared.name);
  if (!fn) return undefined;
  const imports = new FileImports(declared.sourceFile);
  return {
    fn,
    scope: {
      sourceFile: declared.sourceFile,
      importOf: (n) => imports.importOf(n),
      link: declared.link,
      label: scope.link?.relative?.(declared.file) ?? declared.file,
    },
  };
}

/**
 * A top-level function of the file under a name: `function name`, `const name = (…) => …`, and for `default`
 * the default-exported function (`export default function (…)`, `export default (…) => …`).
 */
function topLevelFunction(sourceFile: ts.SourceFile, name: string): ts.SignatureDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.body) {
      const isDefault = (ts.getModifiers(statement) ?? []).some(
        (m) => m.kind === ts.SyntaxKind.DefaultKeyword,
      );
      if (statement.name?.text === name || (name === 'default' && isDefault)) return statement;
    }
    if (
      name === 'default' &&
      ts.isExportAssignment(statement) &&
      ts.isFunctionLike(unwrap(statement.expression))
    )
      return unwrap(statement.expression) as ts.SignatureDeclaration;
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) {
        const init = unwrap(d.initializer);
        return ts.isFunctionLike(init) ? init : undefined;
      }
  }
  return undefined;
}

/**
 * The index of the parameter a function returns as it is (`function cors(res) { res.headers.set(…); return res;
 * }`, `const withCors = (r) => r`), when every return gives it back.
 */
function returnedParameter(fn: ts.SignatureDeclaration): number | undefined {
  const names = returnedExpressions({ node: fn })
    .map((e) => unwrap(e))
    .map((e) => (ts.isIdentifier(e) ? e.text : undefined));
  if (!names.length) return undefined;
  const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === names[0]);
  return index >= 0 && names.every((n) => n === names[0]) ? index : undefined;
}

/** `fetch`, its aliases and imports, the event's `fetch` (SvelteKit), a service binding's `env.API.fetch`. */
function isFetch(scope: UpstreamScope, callee: ts.Expression, fn: ts.SignatureDeclaration): boolean {
  if (ts.isIdentifier(callee)) {
    const binding = scope.importOf(callee.text);
    if (binding)
      return (
        FETCH_MODULES.includes(binding.module) &&
        (binding.name === 'fetch' ||
          (DEFAULT_FETCH_MODULES.includes(binding.module) && ['default', '*'].includes(binding.name)))
      );
    if (callee.text === 'fetch') return !declaresName(scope.sourceFile, 'fetch');
    // `const f = globalThis.fetch` (in the function or at the file's top level).
    const values = [...valuesIn(fn, callee.text), ...topLevelValues(scope.sourceFile, callee.text)];
    return values.length > 0 && values.every((v) => isFetchReference(scope, v));
  }
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'fetch') return false;
  const object = callee.expression;
  if (ts.isIdentifier(object)) return ['globalThis', 'self', 'window', 'event'].includes(object.text);
  // A Cloudflare service binding: env.AUTH.fetch(request), c.env.AUTH.fetch(…), platform.env.AUTH.fetch(…).
  return (
    ts.isPropertyAccessExpression(object) &&
    ((ts.isIdentifier(object.expression) && object.expression.text === 'env') ||
      (ts.isPropertyAccessExpression(object.expression) && object.expression.name.text === 'env'))
  );
}

/** `fetch`, `globalThis.fetch`, `fetch.bind(…)`, `require('node-fetch')`, `require('undici').fetch`. */
function isFetchReference(scope: UpstreamScope, value: ts.Expression): boolean {
  const node = unwrap(value);
  if (ts.isIdentifier(node)) return node.text === 'fetch' && !declaresName(scope.sourceFile, 'fetch');
  if (ts.isPropertyAccessExpression(node)) {
    if (node.name.text === 'fetch' && ts.isIdentifier(node.expression))
      return ['globalThis', 'self', 'window'].includes(node.expression.text);
    if (node.name.text === 'fetch' && ts.isCallExpression(node.expression))
      return FETCH_MODULES.includes(requiredModule(node.expression) ?? '');
    return false;
  }
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind')
      return isFetchReference(scope, callee.expression);
    return DEFAULT_FETCH_MODULES.includes(requiredModule(node) ?? '');
  }
  return false;
}

function requiredModule(call: ts.CallExpression): string | undefined {
  const [specifier] = call.arguments;
  return ts.isIdentifier(call.expression) &&
    call.expression.text === 'require' &&
    specifier &&
    ts.isStringLiteral(specifier)
    ? specifier.text
    : undefined;
}

/**
 * A ky or ofetch call that hands back the upstream's Response on an error status: `throwHttpErrors: false` (ky)
 * or `ignoreResponseError: true` (ofetch's `raw`) in its options or its instance's.
 */
function nonThrowingClient(
  scope: UpstreamScope,
  call: ts.CallExpression,
  fn: ts.SignatureDeclaration,
): boolean {
  const client = clientOf(scope, call.expression, fn);
  if (!client) return false;
  const options = call.arguments[1];
  return client.quiet || (options !== undefined && quietOptions(client.library, options));
}

/** The library a callee is a Response-returning call of, and whether its instance was made not to throw. */
function clientOf(
  scope: UpstreamScope,
  callee: ts.Expression,
  fn: ts.SignatureDeclaration,
): { library: 'ky' | 'ofetch'; quiet: boolean } | undefined {
  // ky(url), ky.get(url), api.get(url); ofetch.raw(url), $fetch.raw(url), api.raw(url).
  let root: ts.Expression = callee;
  if (ts.isPropertyAccessExpression(callee)) {
    if (!KY_METHODS.has(callee.name.text) && callee.name.text !== 'raw') return undefined;
    root = callee.expression;
  }
  if (!ts.isIdentifier(root)) return undefined;
  const library = clientLibrary(scope, root.text);
  if (library) {
    if (library === 'ofetch' && !(ts.isPropertyAccessExpression(callee) && callee.name.text === 'raw'))
      return undefined;
    return { library, quiet: false };
  }
  // An instance: `const api = ky.create({ …, throwHttpErrors: false })`, `ofetch.create({ … })`.
  const values = [...valuesIn(fn, root.text), ...topLevelValues(scope.sourceFile, root.text)];
  for (const value of values) {
    const made = unwrap(value);
    if (!ts.isCallExpression(made) || !ts.isPropertyAccessExpression(made.expression)) continue;
    if (!['create', 'extend'].includes(made.expression.name.text)) continue;
    const base = made.expression.expression;
    const from = ts.isIdentifier(base) ? clientLibrary(scope, base.text) : undefined;
    if (!from) continue;
    if (from === 'ofetch' && !(ts.isPropertyAccessExpression(callee) && callee.name.text === 'raw'))
      return undefined;
    const options = made.arguments[0];
    return { library: from, quiet: options !== undefined && quietOptions(from, options) };
  }
  return undefined;
}

/** `ky` imported from 'ky'; `ofetch` / `$fetch` imported from 'ofetch' (or Nuxt's global `$fetch`). */
function clientLibrary(scope: UpstreamScope, name: string): 'ky' | 'ofetch' | undefined {
  const binding = scope.importOf(name);
  if (binding?.module === 'ky' || binding?.module === 'ky-universal') return 'ky';
  if (binding?.module === 'ofetch' && ['ofetch', '$fetch'].includes(binding.name)) return 'ofetch';
  if (!binding && name === '$fetch' && !declaresName(scope.sourceFile, name)) return 'ofetch';
  return undefined;
}

function quietOptions(library: 'ky' | 'ofetch', options: ts.Expression): boolean {
  const object = unwrap(options);
  if (!ts.isObjectLiteralExpression(object)) return false;
  const [key, quiet] =
    library === 'ky'
      ? ['throwHttpErrors', ts.SyntaxKind.FalseKeyword]
      : ['ignoreResponseError', ts.SyntaxKind.TrueKeyword];
  return object.properties.some(
    (p) =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === key &&
      p.initializer.kind === quiet,
  );
}

/**
 * `e.response` where `e` is the variable of a catch clause around it whose try block calls ky or ofetch: the
 * upstream's Response of the error status it threw on. Returns the call, for the reason.
 */
function caughtClientError(
  scope: UpstreamScope,
  access: ts.PropertyAccessExpression,
  fn: ts.SignatureDeclaration,
): string | undefined {
  let object = unwrap(access.expression);
  while (ts.isParenthesizedExpression(object)) object = unwrap(object.expression);
  if (!ts.isIdentifier(object)) return undefined;
  for (let at: ts.Node | undefined = access.parent; at && at !== fn; at = at.parent) {
    if (!ts.isCatchClause(at)) continue;
    const variable = at.variableDeclaration?.name;
    if (!variable || !ts.isIdentifier(variable) || variable.text !== object.text) return undefined;
    let found: string | undefined;
    const visit = (node: ts.Node): void => {
      if (found || ts.isFunctionLike(node)) return;
      if (ts.isCallExpression(node) && clientOf(scope, node.expression, fn)) found = shorten(node);
      ts.forEachChild(node, visit);
    };
    visit(at.parent.tryBlock);
    return found;
  }
  return undefined;
}

/** A function declaration or a variable of this name at the file's top level. */
function declaresName(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some(
    (s) =>
      (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
      (ts.isVariableStatement(s) &&
        s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)),
  );
}

/** The initializers of top-level variables of this name. */
function topLevelValues(sourceFile: ts.SourceFile, name: string): ts.Expression[] {
  const values: ts.Expression[] = [];
  for (const statement of sourceFile.statements)
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) values.push(d.initializer);
  return values;
}

/**
 * The values the function's own body gives `name` (not a nested function's): its declaration's initializer
 * (`const r = …`, `let r = …`) and each assignment (`r = new Response(upstream.body, upstream)`), in source order.
 */
function valuesIn(fn: ts.SignatureDeclaration, name: string): readonly ts.Expression[] {
  return assignedValues(fn, name, true);
}

/**
 * Whether the function reads the status of `name` in a way that can single out a 403 (`name.status === 403`,
 * `name.status >= 400`, `if (!name.ok)`, `name.ok ? name : …`, `switch (name.status)`, a comparison with a value
 * it cannot read): the code chose what to do with an upstream 403, which is not passed on unseen. A comparison
 * that answers the same for 403 as for 200 (`name.status >= 500`, `name.status === 404`, retry on 5xx) leaves the
 * 403 passing through, and so does `name.ok` as one operand of a longer condition (`attempt === 0 && name.ok &&
 * cache`: what it guards is not the answer).
 */
function readsStatus(fn: ts.SignatureDeclaration, name: string): boolean {
  let found = false;
  const isRead = (node: ts.Node): node is ts.PropertyAccessExpression =>
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === name &&
    ['status', 'ok'].includes(node.name.text);
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isRead(node)) {
      found = node.name.text === 'ok' ? okDecides(node) : statusDecides(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** `if (r.ok)`, `if (!r.ok)`, `r.ok ? a : b`, `return r.ok`: the whole condition is the read. */
function okDecides(read: ts.Expression): boolean {
  let node: ts.Node = read;
  while (
    ts.isParenthesizedExpression(node.parent) ||
    (ts.isPrefixUnaryExpression(node.parent) && node.parent.operator === ts.SyntaxKind.ExclamationToken)
  )
    node = node.parent;
  const parent = node.parent;
  return (
    (ts.isIfStatement(parent) && parent.expression === node) ||
    (ts.isConditionalExpression(parent) && parent.condition === node) ||
    ts.isReturnStatement(parent)
  );
}

/** A read of `r.status` that compares it in a way 403 and 200 answer differently (or that cannot be read). */
function statusDecides(read: ts.Expression): boolean {
  const parent = read.parent;
  if (ts.isSwitchStatement(parent)) return true;
  if (!ts.isBinaryExpression(parent)) return ts.isIfStatement(parent) || ts.isConditionalExpression(parent);
  const other = parent.left === read ? parent.right : parent.left;
  const kind = parent.operatorToken.kind;
  if (kind === ts.SyntaxKind.EqualsToken) return false;
  if (!COMPARISONS.has(kind)) return true;
  const value = unwrap(other);
  if (!ts.isNumericLiteral(value)) return true;
  const limit = Number(value.text);
  const on = (status: number): boolean => {
    const [a, b] = parent.left === read ? [status, limit] : [limit, status];
    switch (kind) {
      case ts.SyntaxKind.EqualsEqualsEqualsToken:
      case ts.SyntaxKind.EqualsEqualsToken:
        return a === b;
      case ts.SyntaxKind.ExclamationEqualsEqualsToken:
      case ts.SyntaxKind.ExclamationEqualsToken:
        return a !== b;
      case ts.SyntaxKind.LessThanToken:
        return a < b;
      case ts.SyntaxKind.LessThanEqualsToken:
        return a <= b;
      case ts.SyntaxKind.GreaterThanToken:
        return a > b;
      default:
        return a >= b;
    }
  };
  return on(403) !== on(200);
}

const COMPARISONS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

/** Outer syntax that does not change the value: `skipOuter`'s (parentheses, `as`, `!`, `satisfies`) and `await`. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let node = skipOuter(expression);
  while (ts.isAwaitExpression(node)) node = skipOuter(node.expression);
  return node;
}

/** A node's text on one line, at most 60 characters. */
export function shorten(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
