import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { isExpect } from '../../analysis/syntax.js';
import { calleeName } from '../../census-syntax.js';
import { methodCall } from '../shared.js';
import { EQUALITY_MATCHERS, ASSERT_CALLS, CALL_MATCHERS, STATUS_METHODS } from './vocabulary.js';
import { isStatusSubject, isBodyStatusSubject, isStatusAccess, isChaiChain } from './subjects.js';
import { rewrite } from './expected.js';
import { isMatcherFunction } from './matchers.js';
import { isFunctionLike } from '../../scope.js';

// Assertion helpers: functions of a test file that compare a parameter with a reply's status
// (`expectStatus(res, 403)`), whose 403 arguments are expected statuses.

/** Per test file: its helpers (by name) and the indexes of their parameters asserted as a reply's status. */
const helperCache = new WeakMap<ts.SourceFile, Map<string, number[]>>();

/**
 * The file's own assertion helpers: functions (declared, or a `const` holding an arrow or function expression)
 * with a parameter that the body compares with a reply's status, `expect(e.response.statusCode).toBe(status)`,
 * `.expect(status)` on a request, `assert.equal(res.statusCode, status)`, `expect(res.status)
 * .toHaveBeenCalledWith(status)`. A 403 passed there is the assertion's expected status
 * (node-oauth2-jwt-bearer's `expectFailsWith(got(url), 403, ...)`).
 */
export function statusParameters(sourceFile: ts.SourceFile): Map<string, number[]> {
  let found = helperCache.get(sourceFile);
  if (found) return found;
  found = new Map();
  const add = (name: string, fn: ts.SignatureDeclaration & { body?: ts.Node }): void => {
    const indexes = statusParameterIndexes(fn);
    if (indexes.length) found?.set(name, indexes);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name) add(node.name.text, node);
    else if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
    )
      add(node.name.text, node.initializer);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  helperCache.set(sourceFile, found);
  return found;
}

/**
 * The indexes of the parameters an assertion helper compares with a reply's status (see `statusParameters`):
 * `[1]` for `(res, status) => expect(res.status).toBe(status)`; empty for any other function.
 */
export function statusParameterIndexes(fn: ts.SignatureDeclaration & { body?: ts.Node }): number[] {
  const body = fn.body;
  if (!body) return [];
  // A custom matcher's result (`pass: res.status === code`) is its assertion (tests/matchers.ts).
  const matcher = isFunctionLike(fn) && isMatcherFunction(fn);
  return fn.parameters.flatMap((p, index) =>
    ts.isIdentifier(p.name) && assertsAsStatus(body, p.name.text, matcher) ? [index] : [],
  );
}

/**
 * What a custom matcher (`expect.extend({ toRespondWith(res, code) {...} })`) compares its arguments with, by the
 * index of the argument in a call (`expect(res).toRespondWith(403)`: `0`): `status`, those it compares with the
 * received reply's status (`res.status === code`); `received`, those it compares with the received value itself
 * (`received === expected`, a status only when the call hands it one: `expect(res.status).toBeStatus(403)`).
 * With `receives` false (a chai plugin's method, whose subject is `this`), the parameters are the arguments.
 */
export function matcherArguments(
  fn: ts.SignatureDeclaration & { body?: ts.Node },
  receives = true,
): {
  status: number[];
  received: number[];
} {
  // A chai plugin's method (`receives` false) reads its subject from `this`: its parameters are the arguments.
  if (!receives) return { status: statusParameterIndexes(fn), received: [] };
  const status = statusParameterIndexes(fn)
    .filter((i) => i > 0)
    .map((i) => i - 1);
  const first = fn.parameters[0]?.name;
  const body = fn.body;
  const received: number[] = [];
  if (first && ts.isIdentifier(first) && body)
    fn.parameters.forEach((p, index) => {
      if (index === 0 || !ts.isIdentifier(p.name)) return;
      const names = new Set([first.text, p.name.text]);
      if (comparesBoth(body, names)) received.push(index - 1);
    });
  return { status, received };
}

/** Whether `body` compares the two names with each other (`a === b`, `this.equals(a, b)`, either order). */
function comparesBoth(body: ts.Node, names: ReadonlySet<string>): boolean {
  const pair = (a: ts.Node | undefined, b: ts.Node | undefined): boolean =>
    Boolean(
      a &&
      b &&
      ts.isIdentifier(a) &&
      ts.isIdentifier(b) &&
      a.text !== b.text &&
      names.has(a.text) &&
      names.has(b.text),
    );
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && EQUALITY_OPERATORS.has(node.operatorToken.kind))
      found = pair(node.left, node.right);
    else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'equals'
    )
      found = pair(node.arguments[0], node.arguments[1]);
    node.forEachChild(visit);
  };
  visit(body);
  return found;
}

/**
 * A call of an assertion helper that another test file exports (`expectStatus(res, 403)` with
 * `export const expectStatus = (res, status) => expect(res.status).toBe(status)`): each 403 passed at one of
 * `indexes` becomes a `tests` site, as for the file's own helpers. The test follower finds such helpers (it
 * reads the other file) and decides the sites.
 */
export function importedHelperCall(
  analysis: FileAnalysis,
  call: ts.CallExpression,
  indexes: readonly number[],
): void {
  for (const index of indexes) {
    const argument = call.arguments[index];
    if (argument && !ts.isSpreadElement(argument)) rewrite(analysis, argument, call);
  }
}

/**
 * Whether `body` compares a reply's status with the identifier `name` (see `statusParameters`); in a custom
 * matcher (`matcher`), any comparison of the two is its assertion (`pass: res.status === code`).
 */
function assertsAsStatus(body: ts.Node, name: string, matcher = false): boolean {
  const isName = (e: ts.Node | undefined): boolean => Boolean(e && ts.isIdentifier(e) && e.text === name);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const call = methodCall(node);
    if (call) {
      const { method, object, args } = call;
      if (
        (method === 'expect' &&
          ts.isCallExpression(object) &&
          !isExpect(object.expression) &&
          isName(args[0])) ||
        (EQUALITY_MATCHERS.has(method) &&
          (isStatusSubject(object) || isBodyStatusSubject(object)) &&
          isName(args[0])) ||
        (CALL_MATCHERS.has(method) && isStatusSubject(object, STATUS_METHODS) && isName(args[0])) ||
        (method === 'status' && isChaiChain(object) && isName(args[0])) ||
        (ASSERT_CALLS.has(method) && args.length >= 2 && isStatusAccess(args[0]) && isName(args[1]))
      )
        found = true;
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ASSERT_CALLS.has(node.expression.text) &&
      node.arguments.length >= 2 &&
      isStatusAccess(node.arguments[0]) &&
      isName(node.arguments[1])
    )
      found = true;
    // if (response.statusCode != status) throw new Error(...): a hand-written check (host-validation's tests)
    else if (ts.isIfStatement(node) && comparesStatus(node.expression, isName) && fails(node.thenStatement))
      found = true;
    else if (matcher && ts.isBinaryExpression(node) && comparesStatus(node, isName)) found = true;
    node.forEachChild(visit);
  };
  visit(body);
  return found;
}

/** `res.statusCode != status`, `status !== response.status` (either order, any equality operator). */
function comparesStatus(condition: ts.Expression, isName: (e: ts.Node | undefined) => boolean): boolean {
  let node = condition;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (!ts.isBinaryExpression(node) || !EQUALITY_OPERATORS.has(node.operatorToken.kind)) return false;
  return (
    (isStatusAccess(node.left) && isName(node.right)) || (isName(node.left) && isStatusAccess(node.right))
  );
}

const EQUALITY_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);

/** A branch that fails the test: it throws, or calls `done(err)`, `t.fail(...)`, `assert.fail(...)`, `reject(...)`. */
function fails(branch: ts.Statement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node)) found = true;
    else if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      if (name === 'fail' || ((name === 'done' || name === 'reject') && node.arguments.length > 0))
        found = true;
    }
    node.forEachChild(visit);
  };
  visit(branch);
  return found;
}
