import ts from '../typescript.cjs';
import { nodeAt } from './routes/reach.js';
import { isFunctionLike } from './scope.js';
import { linesOf } from '../util/lines.js';

/**
 * Where a server a test file builds serves requests (`--include-tests`, issue 9 §1). A route registered inside
 * one test's body (`it('x', () => { const app = express(); app.post('/items', guard) ... })`) answers only that
 * test's requests: another test of the same file that builds its own app on the same path never reaches it.
 * A route registered in a suite's body or its hooks serves that suite's tests; anywhere else (the file's top
 * level, a helper function any test may call) the whole file. Syntax only.
 */

/**
 * Test-runner calls that register one test body (Jest, Vitest, Mocha, node:test, lab, ava, tap, uvu), also
 * through their modifiers: `it.only`, `it.each(table)`, vitest `it.concurrent` / `it.fails`, ava
 * `test.serial` / `test.failing`.
 */
export const TEST_CALLS: ReadonlySet<string> = new Set([
  'it',
  'test',
  'specify',
  'fit',
  'xit',
  'only',
  'skip',
  'todo',
  'each',
  'concurrent',
  'fails',
  'serial',
  'failing',
]);

/** Test-runner calls that register a suite (`describe`, Mocha TDD `suite`, lab `experiment`, `context`). */
const SUITE_CALLS: ReadonlySet<string> = new Set([
  'describe',
  'fdescribe',
  'xdescribe',
  'context',
  'suite',
  'experiment',
]);

/** Hooks of a suite (or of the file at its top level): what they build serves every test of the suite. */
const HOOK_CALLS: ReadonlySet<string> = new Set([
  'before',
  'beforeEach',
  'beforeAll',
  'after',
  'afterEach',
  'afterAll',
  'setup',
  'suiteSetup',
  'teardown',
  'suiteTeardown',
]);

/** A `[start, end)` stretch of a test file. */
export interface TextRange {
  start: number;
  end: number;
}

/**
 * The name a runner call goes by: `it`, `describe`; the member for `describe.each(table)`, `lab.test`,
 * `test.serial.before` (`each`, `test`, `before`).
 */
export function runnerCallName(callee: ts.Expression): string {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  // `it.each(table)('x', fn)`, `describe.each(table)('x', fn)`
  if (ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression))
    return callee.expression.name.text;
  return '';
}

/**
 * Whether `call` is a test runner's own call (a test, a suite or a hook: `it('x', fn)`, `describe(...)`,
 * `beforeEach(fn)`), whose function argument is a body of the runner's, not a callback of the test's code.
 */
export function isRunnerCall(call: ts.CallExpression): boolean {
  const name = runnerCallName(call.expression);
  return TEST_CALLS.has(name) || SUITE_CALLS.has(name) || HOOK_CALLS.has(name);
}

/**
 * The stretch of a test file whose requests a route registered at `position` serves: the body of the test
 * around it, else the body of the suite around it (a registration in the suite or in one of its hooks), else
 * undefined (the whole file: top level, or a helper function that any test may call).
 */
export function servedRange(sourceFile: ts.SourceFile, position: number): TextRange | undefined {
  let node: ts.Node | undefined = nodeAt(sourceFile, position);
  for (; node; node = node.parent) {
    if (!isFunctionLike(node)) continue;
    const call = node.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) {
      // A function of its own (a helper, a factory): any test that calls it may use what it builds.
      if (ts.isFunctionDeclaration(node) || isNamedFunctionValue(node)) return undefined;
      continue;
    }
    const name = runnerCallName(call.expression);
    if (TEST_CALLS.has(name) || SUITE_CALLS.has(name))
      return { start: node.getStart(sourceFile), end: node.getEnd() };
    // A hook: the suite around it (its own function is not where the requests are).
    if (HOOK_CALLS.has(name)) continue;
  }
  return undefined;
}

/** `const buildApp = () => {...}`, `{ build() {...} }`: a function held under a name, callable from any test. */
function isNamedFunctionValue(node: ts.Node): boolean {
  const parent = node.parent;
  return Boolean(
    parent &&
    ((ts.isVariableDeclaration(parent) && parent.initializer === node) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === node) ||
      ts.isMethodDeclaration(node)),
  );
}

/** The position of the first non-blank character of a 1-based line (where a route's registration starts). */
export function lineStart(sourceFile: ts.SourceFile, line: number): number {
  const starts = linesOf(sourceFile).starts;
  let position = starts[Math.min(Math.max(line - 1, 0), starts.length - 1)] ?? 0;
  const text = sourceFile.text;
  while (position < text.length && (text[position] === ' ' || text[position] === '\t')) position++;
  return position;
}
