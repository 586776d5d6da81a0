import ts from '../../../typescript.cjs';
import { isFixedDeclaration, nearestVariable } from '../../test-fixed-values.js';
import type { FileAnalysis } from '../../analysis.js';
import { isExpect } from '../../analysis/syntax.js';
import { isRequestInput, REQUEST_INPUT } from './request-inputs.js';
import { isFunctionLike } from '../../scope.js';
import { isUnitInput, UNIT_INPUT } from './unit-inputs.js';
import { fakeAnswers } from './fake-answers.js';
import {
  ASSERT_CALLS,
  STATUS_PROPERTIES,
  OBJECT_MATCHERS,
  CALL_MATCHERS,
  THROW_MATCHERS,
} from './vocabulary.js';

// What a test hands the code under test (its own fake reply or error holding a 403, a `test-fixture`), and what
// an assertion compares with (`isExpectedValue`).

/**
 * A status the test hands to the code under test: an object literal holding `status: 403` / `statusCode: 403`
 * (at any depth) passed to a call that asserts nothing (`handleGoCardlessError({ response: { status: 403 } })`,
 * `mockResolvedValue({ status: 403 })`, `Object.assign(new Error('x'), { status: 403 })`), directly or through a
 * `const` the test reads only that way. It is the test's own fake reply or error (`test-fixture`), as
 * `new Response(null, { status: 403 })` is: an assertion on it follows no server unless it also reaches
 * rewritten sites (then it is manual, test-follow.ts). One a request sends to a server (`request(app).post('/x')
 * .send({ status: 403 })`, `inject({ payload })`, a Lambda event) is `request-input` instead (request-inputs.ts).
 */
export function inputObjects(analysis: FileAnalysis, call: ts.CallExpression): void {
  if (isAssertionCall(call) || isExpectedValue(call)) return;
  for (const argument of call.arguments) {
    const literal = ts.isObjectLiteralExpression(argument) ? argument : heldInput(argument);
    if (literal) handedObject(analysis, argument, literal);
    // What a fake handed over answers (`mockImplementationOnce(async () => ({ status: 403 }))`, `callsFake`,
    // rewiremock's `.with({ check: () => ({ status: 403 }) })`): its own 403 too (fake-answers.ts).
    for (const answer of fakeAnswers(argument)) handedObject(analysis, argument, answer);
  }
}

/** Marks an object a test hands over (or a fake it hands over answers) holding a 403 status, unless read already. */
function handedObject(
  analysis: FileAnalysis,
  argument: ts.Expression,
  literal: ts.ObjectLiteralExpression,
): void {
  if (!holdsForbiddenStatus(analysis, literal)) return;
  const start = literal.getStart(analysis.sourceFile);
  const end = literal.getEnd();
  if (analysis.notAnEmitRanges.some((r) => r.start <= start && end <= r.end)) return;
  if (analysis.sites.some((site) => start <= site.start && site.end <= end)) return;
  // `expect(mapStatus({ status: 403 })).toEqual(...)`: the unit's input, which it answers (unit-inputs.ts).
  if (isUnitInput(analysis, literal)) {
    analysis.notAnEmit(literal, UNIT_INPUT);
    return;
  }
  // What a request sends (`.send({ status: 403 })`, `inject({ payload })`, `fetch(url, { body })`): the
  // server answers it, so it is never the test's own 403 (request-inputs.ts).
  analysis.notAnEmit(
    literal,
    isRequestInput(argument) || isRequestInput(literal) ? REQUEST_INPUT : 'test-fixture',
  );
}

/**
 * Whether a node is part of a value an assertion compares with (`toHaveBeenCalledWith(createError({ status: 403 }))`,
 * `rejects.toThrowError(Boom.forbidden('No scope'))`, `assert.deepEqual(actual, build({ status: 403 }))`): it is
 * inside an argument of a matcher or assertion (not the subject of `expect(...)`), with no function between (a
 * callback there is code that runs).
 */
export function isExpectedValue(start: ts.Node): boolean {
  for (let node: ts.Node = start; node.parent; node = node.parent) {
    const parent = node.parent;
    if (isFunctionLike(parent)) return false;
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression))
      if (isAssertionCall(parent) && !isExpect(parent.expression)) return true;
  }
  return false;
}

/** Assertion calls: `expect(...)` and its chains, matchers, node:assert / tap / ava checks, `expect*`/`assert*` helpers. */
function isAssertionCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee))
    return (
      isExpect(callee) || ASSERT_CALLS.has(callee.text) || /^(expect|assert|should|verify)/i.test(callee.text)
    );
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (
    OBJECT_MATCHERS.has(method) ||
    CALL_MATCHERS.has(method) ||
    THROW_MATCHERS.has(method) ||
    ASSERT_CALLS.has(method) ||
    method === 'expect' ||
    method === 'objectContaining'
  )
    return true;
  let root: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  return ts.isIdentifier(root) && /^(expect|assert|should)$/.test(root.text);
}

/**
 * The object literal a `const` holds when every read of it in its scope is an argument of a call that asserts
 * nothing (`const response = { response: { status: 403 } }; handle(response)`); undefined otherwise.
 */
function heldInput(argument: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (!ts.isIdentifier(argument)) return undefined;
  const name = argument.text;
  const found = nearestVariable(argument);
  if (found) {
    const { declaration, scope } = found;
    const value = declaration.initializer;
    if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
    if (!isFixedDeclaration(declaration)) return undefined;
    let inputOnly = true;
    const visit = (node: ts.Node): void => {
      if (!inputOnly) return;
      if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
        const parent = node.parent;
        const nameOnly =
          (ts.isPropertyAssignment(parent) && parent.name === node) ||
          (ts.isPropertyAccessExpression(parent) && parent.name === node);
        if (!nameOnly)
          inputOnly =
            ts.isCallExpression(parent) && parent.arguments.includes(node) && !isAssertionCall(parent);
      }
      node.forEachChild(visit);
    };
    visit(scope);
    return inputOnly ? value : undefined;
  }
  return undefined;
}

/**
 * A status the test gives an error or reply it builds by assignment: `(mockError as any).response = { status:
 * 403, data }` (an upstream error handed to a mocked client), `err.status = 403` / `err.statusCode = 403` on an
 * error the test creates (`const err = new Error('x')`). The test's own fake (`test-fixture`), as the objects
 * `inputObjects` finds are; a server the test writes (`ctx.status = 403`) is its framework's site instead.
 */
export function assignedInput(analysis: FileAnalysis, node: ts.BinaryExpression): void {
  if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const left = node.left;
  if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return;
  let value: ts.Expression = node.right;
  while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value)) value = value.expression;
  let held: ts.Node | undefined;
  if (ts.isObjectLiteralExpression(value)) {
    if (holdsForbiddenStatus(analysis, value)) held = value;
  } else if (
    ts.isPropertyAccessExpression(left) &&
    STATUS_PROPERTIES.has(left.name.text) &&
    analysis.forbiddenEdits(value) !== undefined &&
    builtError(left.expression)
  )
    held = node;
  if (!held || isExpectedValue(node)) return;
  const start = held.getStart(analysis.sourceFile);
  const end = held.getEnd();
  if (analysis.notAnEmitRanges.some((r) => r.start <= start && end <= r.end)) return;
  if (analysis.sites.some((site) => start <= site.start && site.end <= end)) return;
  analysis.notAnEmit(held, 'test-fixture');
}

/** Whether `expression` names a `const`/`let` of the test initialised with `new XError(...)` / `new Error(...)`. */
function builtError(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
  if (!ts.isIdentifier(node)) return false;
  const declaration = nearestVariable(node)?.declaration;
  if (declaration) {
    let value = declaration.initializer;
    while (value && (ts.isParenthesizedExpression(value) || ts.isAsExpression(value)))
      value = value.expression;
    if (!value || !ts.isNewExpression(value)) return false;
    const callee = value.expression;
    const className = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : '';
    return /(?:Error|Exception)$/.test(className);
  }
  return false;
}

/** Whether an object literal holds `status` / `statusCode` with a 403 value, at any depth. */
function holdsForbiddenStatus(analysis: FileAnalysis, literal: ts.ObjectLiteralExpression): boolean {
  return literal.properties.some((property) => {
    if (!ts.isPropertyAssignment(property)) return false;
    const value = property.initializer;
    if (ts.isObjectLiteralExpression(value)) return holdsForbiddenStatus(analysis, value);
    const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : '';
    return STATUS_PROPERTIES.has(key) && analysis.forbiddenEdits(value) !== undefined;
  });
}

/**
 * Whether `node` is part of what a test hands to the code it checks, not of what it expects back: the
 * innermost call it is an argument of (or the receiver of) asserts nothing and is no part of an expected value —
 * the request of a chain (`request(app).get('/403')`, `.set('X-Reason', 'Forbidden')`, `.query({ code:
 * 'FORBIDDEN' })`, `.send(…)` before `.expect(403)`), a call inside the assertion's subject (`expect(format
 * ('Forbidden'))`). A URL, header or parameter the test sends is not a text its server answers: it is never
 * rewritten beside the status, nor reported as one left over (census.ts).
 */
export function isCallInput(node: ts.Node): boolean {
  for (let child = node; child.parent; child = child.parent) {
    const parent = child.parent;
    if (isFunctionLike(parent)) return false;
    if (!ts.isCallExpression(parent)) continue;
    const argument = parent.arguments.includes(child as ts.Expression);
    // `request(app).get('/x')`: the callee's receiver is the chain before this call, decided by its own call.
    if (!argument) continue;
    return !isAssertionCall(parent) && !isChainAssertion(parent) && !isExpectedValue(parent);
  }
  return false;
}

/** A chained assertion whose receiver is no `expect`: Cypress `.should('eq', 403)` / `.and(…)`, `.expectStatus(403)`. */
function isChainAssertion(call: ts.CallExpression): boolean {
  return (
    ts.isPropertyAccessExpression(call.expression) &&
    /^(should|and|(expect|assert)\w*)$/.test(call.expression.name.text)
  );
}

/** The innermost node of `sourceFile` that holds `position` (a token, or the node that starts there). */
export function nodeHolding(sourceFile: ts.SourceFile, position: number): ts.Node {
  let node: ts.Node = sourceFile;
  for (;;) {
    const inner = node.forEachChild((child) =>
      child.getStart(sourceFile) <= position && position < child.getEnd() ? child : undefined,
    );
    if (!inner) return node;
    node = inner;
  }
}
