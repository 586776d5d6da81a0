import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { EQUALITY_MATCHERS, ASSERT_CALLS, STATUS_METHODS, STATUS_ARGUMENT_METHODS } from './vocabulary.js';
import { expectSubject, isStatusAccess, isStatusSubject } from './subjects.js';
import { rewrite, statusAmong } from './expected.js';

// A mocked response method's recorded calls, read back by the test: Jest / Vitest `res.status.mock.calls[0][0]`,
// `.mock.lastCall`, node:test's `mock.fn()` `res.writeHead.mock.calls[0].arguments[0]`, sinon's
// `res.status.firstCall.args[0]`, `.getCall(0).args`, `.args[0][0]`, `.firstArg`; and the matchers that name
// the call by its number (`expect(reply.code).toHaveBeenNthCalledWith(1, 403)`). Jest docs: expect
// "toHaveBeenNthCalledWith(nthCall, arg1, ...)", mock "mock.calls / mock.lastCall"; Node docs: MockFunctionContext
// "calls[i].arguments"; sinon docs: spy "firstCall", "getCall(n)", "args", "call.firstArg".

/** Matchers whose first argument is the call's number and the rest its arguments (Jest, Vitest). */
const NTH_CALL_MATCHERS = new Set(['toHaveBeenNthCalledWith', 'nthCalledWith']);

/** sinon's names of one recorded call on a spy: `spy.firstCall`, `spy.lastCall`. */
const SINON_CALLS = new Set(['firstCall', 'secondCall', 'thirdCall', 'lastCall']);

/**
 * What an expression reads of a mock's recorded calls: one argument (`argument`, with its index when written as
 * a number), one call's argument list (`arguments`), or every call's list (`calls`); `method` is the mock
 * (`res.status`). Undefined for anything else.
 */
export interface RecordedRead {
  kind: 'argument' | 'arguments' | 'calls';
  method: ts.Expression;
  index?: number;
}

/** A literal index `[0]`, else undefined. */
function literalIndex(node: ts.ElementAccessExpression): number | undefined {
  const index = node.argumentExpression;
  return ts.isNumericLiteral(index) ? Number(index.text) : undefined;
}

/** `x.mock.calls` -> `x`; `x.args` (sinon) -> `x`; else undefined. */
function everyCall(node: ts.Expression): ts.Expression | undefined {
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  if (
    node.name.text === 'calls' &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'mock'
  )
    return node.expression.expression;
  return node.name.text === 'args' ? node.expression : undefined;
}

/** One recorded call: `x.mock.calls[i]`, `x.args[i]`, `x.mock.lastCall`, `x.firstCall`, `x.getCall(i)`. */
function oneCall(node: ts.Expression): { method: ts.Expression; sinon: boolean; jest: boolean } | undefined {
  if (ts.isElementAccessExpression(node)) {
    const method = everyCall(node.expression);
    // `x.firstCall.args[0]` is an argument of one call, not a call of `x.firstCall`
    if (!method || oneCall(method)) return undefined;
    const jest = ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'calls';
    return { method, sinon: !jest, jest };
  }
  if (ts.isPropertyAccessExpression(node)) {
    if (
      node.name.text === 'lastCall' &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'mock'
    )
      return { method: node.expression.expression, sinon: false, jest: true };
    if (SINON_CALLS.has(node.name.text)) return { method: node.expression, sinon: true, jest: false };
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'getCall'
  )
    return { method: node.expression.expression, sinon: true, jest: false };
  return undefined;
}

/** See `RecordedRead`. */
export function recordedRead(expression: ts.Expression): RecordedRead | undefined {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  const calls = everyCall(node);
  // `x.mock.calls` (Jest / Vitest), `x.args` of a sinon spy; never `call.args` of one call (below).
  if (calls && !oneCall(calls)) return { kind: 'calls', method: calls };
  // sinon `call.firstArg`
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'firstArg') {
    const call = oneCall(node.expression);
    return call?.sinon ? { kind: 'argument', method: call.method, index: 0 } : undefined;
  }
  const list = argumentList(node);
  if (list) return { kind: 'arguments', method: list };
  if (ts.isElementAccessExpression(node)) {
    const method = argumentList(node.expression);
    if (method) return { kind: 'argument', method, index: literalIndex(node) };
  }
  return undefined;
}

/**
 * The mock whose one call's argument list `node` is: Jest's `x.mock.calls[i]` / `x.mock.lastCall`, node:test's
 * `x.mock.calls[i].arguments`, sinon's `x.args[i]`, `x.firstCall.args`, `x.getCall(i).args`.
 */
function argumentList(node: ts.Expression): ts.Expression | undefined {
  if (ts.isPropertyAccessExpression(node) && (node.name.text === 'arguments' || node.name.text === 'args')) {
    const call = oneCall(node.expression);
    if (!call) return undefined;
    // node:test `.mock.calls[i].arguments`; sinon `.firstCall.args`, `.getCall(i).args`
    if (
      node.name.text === 'arguments'
        ? call.jest
        : call.sinon && !ts.isElementAccessExpression(node.expression)
    )
      return call.method;
    return undefined;
  }
  const call = oneCall(node);
  // Jest `x.mock.calls[i]`, `x.mock.lastCall`; sinon `x.args[i]` (a call object such as `firstCall` is no list)
  if (call && (call.jest || ts.isElementAccessExpression(node))) return call.method;
  return undefined;
}

/** The expected values an assertion compares a recorded read with, and that read; undefined when it is none. */
function comparison(call: {
  method: string;
  object: ts.Expression;
  args: readonly ts.Expression[];
}): { read: RecordedRead; expected: ts.Expression } | undefined {
  const { method, object, args } = call;
  if (EQUALITY_MATCHERS.has(method) && args[0]) {
    const subject = expectSubject(object);
    const read = subject && recordedRead(subject);
    if (read) return { read, expected: args[0] };
  }
  if (ASSERT_CALLS.has(method) && args[0] && args[1]) {
    const first = recordedRead(args[0]);
    if (first) return { read: first, expected: args[1] };
    const second = recordedRead(args[1]);
    if (second) return { read: second, expected: args[0] };
  }
  return undefined;
}

/** Whether `expression` is an array literal; its elements then. */
function elements(expression: ts.Expression): readonly ts.Expression[] | undefined {
  return ts.isArrayLiteralExpression(expression) ? expression.elements : undefined;
}

/** One call's expected argument list against the mock `method`: the status first, or among the arguments. */
function expectedArguments(
  analysis: FileAnalysis,
  method: ts.Expression,
  list: readonly ts.Expression[],
  form: ts.Node,
): void {
  if (isStatusAccess(method, STATUS_METHODS, false)) rewrite(analysis, list[0], form);
  else if (isStatusAccess(method, STATUS_ARGUMENT_METHODS, false)) statusAmong(analysis, list, form);
}

/**
 * An assertion on a mocked response method's recorded call (see the module note): its 403 is an expected status
 * like `toHaveBeenCalledWith(403)`'s, and follows the unit under test the same way. Returns whether `call` was
 * such an assertion (decided here).
 */
export function recordedCallAssertion(
  analysis: FileAnalysis,
  call: { call: ts.CallExpression; method: string; object: ts.Expression; args: readonly ts.Expression[] },
): boolean {
  const { method, object, args } = call;
  if (NTH_CALL_MATCHERS.has(method) && args.length >= 2) {
    // expect(reply.code).toHaveBeenNthCalledWith(1, 403); expect(ctx.throw).nthCalledWith(2, 403, 'Forbidden')
    if (isStatusSubject(object, STATUS_METHODS)) rewrite(analysis, args[1], call.call);
    else if (isStatusSubject(object, STATUS_ARGUMENT_METHODS))
      statusAmong(analysis, args.slice(1), call.call);
    else return false;
    return true;
  }
  const found = comparison(call);
  if (!found) return false;
  const { read, expected } = found;
  if (
    !isStatusAccess(read.method, STATUS_METHODS, false) &&
    !isStatusAccess(read.method, STATUS_ARGUMENT_METHODS, false)
  )
    return false;
  if (read.kind === 'argument') {
    // expect(res.status.mock.calls[0][0]).toBe(403): the status method's first argument only; a status-taking
    // method's (`ctx.throw.mock.calls[0][0]`) argument holding a 403
    if (
      isStatusAccess(read.method, STATUS_METHODS, false)
        ? read.index !== 0
        : !analysis.forbiddenEdits(expected)
    )
      return false;
    rewrite(analysis, expected, call.call);
    return true;
  }
  if (read.kind === 'arguments') {
    // expect(res.writeHead.mock.calls[0]).toEqual([403, { ... }]), assert.deepStrictEqual(x.firstCall.args, [403])
    const list = elements(expected);
    if (!list) return false;
    expectedArguments(analysis, read.method, list, call.call);
    return true;
  }
  // expect(res.status.mock.calls).toEqual([[403]]): every call's list
  const rows = elements(expected);
  if (!rows) return false;
  for (const row of rows) {
    const list = elements(row);
    if (list) expectedArguments(analysis, read.method, list, call.call);
  }
  return true;
}
