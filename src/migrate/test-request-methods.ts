import ts from '../typescript.cjs';
import { fixedInitializer } from './test-fixed-values.js';
import { isFunctionNode, unwrap } from './routes/project.js';

// The HTTP method of a test's request when the test computes it instead of naming it in a member:
// `request(app)[method](path)`, `agent[m](p)`, `app.inject()[verb.toLowerCase()](url)`, `fetch(url, { method })`,
// `inject({ method: m, url })`. Read by src/migrate/routes/requests.ts for the test follower (test-follow.ts).

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

/** The method the test's expression holds: one method, `any` (not readable), or each of a loop's methods. */
export type ComputedMethod = { method: string } | { any: true } | { each: readonly string[] };

/** The static string of an expression of the test file, when the caller can tell it. */
type Resolve = (expression: ts.Expression) => string | undefined;

/**
 * The method a computed key or a `method` option names:
 * - a string (`'post'`, a `const`, a table row's value `resolve` reads): that method, upper case
 *   (`del` is DELETE); `undefined` when the string names no HTTP method (`obj['send'](x)` is no request);
 * - a name the test loops over an array literal of strings with (`for (const verb of ['GET', 'POST'])`,
 *   `['get', 'post'].forEach((m) => ...)`, `it.each(['get', 'post'])('%s', (m) => ...)`, the array held in a
 *   `const` of the file): `each` of them, every one requested;
 * - anything else (a parameter, a helper's result, `require('methods')`): `any`.
 * `x.toLowerCase()` / `x.toUpperCase()` read as `x`.
 */
export function computedMethod(expression: ts.Expression, resolve: Resolve): ComputedMethod | undefined {
  const node = caseless(expression);
  if (ts.isNumericLiteral(node)) return undefined; // `handlers[0]('/x')`: an array's element, no method
  const text = ts.isStringLiteralLike(node) ? node.text : resolve(node);
  if (text !== undefined) {
    const method = methodName(text);
    return method ? { method } : undefined;
  }
  const looped = ts.isIdentifier(node) ? loopValues(node) : undefined;
  if (!looped) return { any: true };
  const each = looped.map(methodName);
  if (each.some((m) => m === undefined)) return undefined;
  return { each: [...new Set(each as string[])] };
}

/** `GET` for `get` / `GET`, `DELETE` for `del`; undefined for a string that is no HTTP method. */
function methodName(text: string): string | undefined {
  const lower = text.toLowerCase();
  if (!METHODS.has(lower)) return undefined;
  return lower === 'del' ? 'DELETE' : lower.toUpperCase();
}

/** `verb.toLowerCase()`, `(m as string).toUpperCase()`: the string it changes the case of. */
function caseless(expression: ts.Expression): ts.Expression {
  let node = unwrap(expression);
  while (
    ts.isCallExpression(node) &&
    !node.arguments.length &&
    ts.isPropertyAccessExpression(node.expression) &&
    /^to(Locale)?(Lower|Upper)Case$/.test(node.expression.name.text)
  )
    node = unwrap(node.expression.expression);
  return node;
}

/**
 * The strings a loop binds `name` to, when the nearest binding of `name` around it is a loop over an array
 * literal of strings (inline or a `const` of the file): a `for...of` variable, or the first parameter of a
 * callback handed to `.forEach` / `.map` / `.each(...)` on such an array. Undefined otherwise.
 */
function loopValues(name: ts.Identifier): string[] | undefined {
  for (let node: ts.Node = name.parent; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
      const declared = node.initializer.declarations[0]?.name;
      if (declared && ts.isIdentifier(declared) && declared.text === name.text)
        return strings(node.expression, name.getSourceFile());
    }
    if (isFunctionNode(node)) {
      const fn = node;
      const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name.text);
      if (index > 0) return undefined;
      if (index === 0) {
        const array = loopedArray(fn);
        return array ? strings(array, name.getSourceFile()) : undefined;
      }
      // A name the function declares itself hides the loop's.
      if (declares(fn, name.text)) return undefined;
    }
  }
  return undefined;
}

/** The array a callback runs over: `arr.forEach(fn)`, `arr.map(fn)`, `it.each(arr)(title, fn)`. */
function loopedArray(fn: ts.Node): ts.Expression | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && ['forEach', 'map'].includes(callee.name.text))
    return callee.expression;
  if (
    ts.isCallExpression(callee) &&
    ts.isPropertyAccessExpression(callee.expression) &&
    callee.expression.name.text === 'each'
  )
    return callee.arguments[0];
  return undefined;
}

/** Whether a function's body declares a variable named `name` (which then hides an outer one). */
function declares(fn: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn && isFunctionNode(node))) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) found = true;
    node.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return found;
}

/** The strings of an array literal of string literals, inline or in the one `const` (or never rewritten `var` / `let`) of the file so named. */
function strings(expression: ts.Expression, sourceFile: ts.SourceFile): string[] | undefined {
  let node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const initializer = constArray(sourceFile, node.text);
    if (!initializer) return undefined;
    node = unwrap(initializer);
  }
  if (!ts.isArrayLiteralExpression(node) || !node.elements.length) return undefined;
  const out: string[] = [];
  for (const element of node.elements) {
    const value = unwrap(element);
    if (!ts.isStringLiteralLike(value)) return undefined;
    out.push(value.text);
  }
  return out;
}

/** The initializer of the one fixed variable named `name` in the file (test-fixed-values.ts), when there is exactly one. */
function constArray(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  const found: ts.VariableDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name)
      found.push(node);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  const only = found.length === 1 ? found[0] : undefined;
  const list = only?.parent;
  return only && list && ts.isVariableDeclarationList(list) ? fixedInitializer(only) : undefined;
}
