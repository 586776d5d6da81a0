import ts from '../../typescript.cjs';
import { isExpect } from '../analysis/syntax.js';
import type { Framework } from './framework.js';
import type { FileAnalysis } from '../analysis.js';
import { reasonPhrase } from '../status-names.js';
import { methodCall, propertyOf } from './shared.js';
import {
  EQUALITY_MATCHERS,
  ASSERT_CALLS,
  STATUS_PROPERTIES,
  STATUS_KEYS,
  OBJECT_MATCHERS,
  CALL_MATCHERS,
  STATUS_METHODS,
  STATUS_ARGUMENT_METHODS,
  PHRASE_SUBJECTS,
  BODY_STATUS_KEYS,
  THROW_MATCHERS,
  ASSERT_THROWS,
  STATUS_MATCHERS,
  BOOLEAN_ASSERTS,
  BOOLEAN_ASSERT_FUNCTIONS,
  LIST_MATCHERS,
  CONTAIN_MATCHERS,
  PROPERTY_VALUE_ASSERTS,
} from './tests/vocabulary.js';
import { rpcCodeAssertion } from './tests/rpc-codes.js';
import { cypressAssertion } from './tests/cypress.js';
import { k6Check } from './tests/k6.js';
import { inPostmanAssertion } from './tests/postman.js';
import {
  isStatusSubject,
  expectSubject,
  isBodyPhraseSubject,
  isBodyStatusSubject,
  isBodyMember,
  isParsedBody,
  isStatusValue,
  isStatusAccess,
  isChaiChain,
  isHeldRequest,
} from './tests/subjects.js';
import { isTrpcCode, isCodeSubject, trpcTest, trpcCode } from './tests/trpc.js';
import {
  rewrite,
  mirrorOf,
  mirror,
  phrase,
  thrownPhrase,
  statusList,
  statusComparison,
  statusAmong,
  negatedAssertion,
} from './tests/expected.js';
import { errorClass } from './tests/error-classes.js';
import { caughtMessage, thrownMessage } from './tests/thrown-messages.js';
import { inputObjects, assignedInput } from './tests/inputs.js';
import { statusParameters } from './tests/helpers.js';
import { INLINE_SNAPSHOT_MATCHERS, inlineSnapshot } from './tests/snapshots.js';
import { statusType } from './tests/status-types.js';
import { phraseText } from './tests/phrase-texts.js';
import { recordedCallAssertion } from './tests/recorded-calls.js';
import { enclosingMatcher } from './tests/matchers.js';
import { isUnitInput, UNIT_INPUT } from './tests/unit-inputs.js';

/** A property named by a string (`'status'`) or a one-key path (`['status']`, Jest's `toHaveProperty`). */
function propertyName(node: ts.Expression | undefined): string | undefined {
  if (node && ts.isStringLiteralLike(node)) return node.text;
  if (node && ts.isArrayLiteralExpression(node) && node.elements.length === 1) {
    const only = node.elements[0];
    return ts.isStringLiteralLike(only) ? only.text : undefined;
  }
  return undefined;
}

/**
 * Assertions in the user's tests (`--include-tests` only): supertest `.expect(403)`, jest/vitest
 * `expect(res.status).toBe(403)`, chai `.status(403)`, node:assert / tap on `statusCode`. Mocks of other
 * services (nock, msw, fetch-mock) are skipped by the analysis.
 */
export const tests: Framework = {
  id: 'tests',
  title: 'Test assertions (--include-tests)',
  enablers: [],
  kinds: [
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.NumericLiteral,
    ts.SyntaxKind.PropertyAccessExpression,
    ts.SyntaxKind.BinaryExpression,
    ts.SyntaxKind.LiteralType,
    ts.SyntaxKind.StringLiteral,
    ts.SyntaxKind.NoSubstitutionTemplateLiteral,
    ts.SyntaxKind.RegularExpressionLiteral,
  ],
  visit(node, analysis) {
    if (!analysis.options.testFile) return;
    if (ts.isNumericLiteral(node)) {
      // expect(statusCodeMessage(403)).toBe('Forbidden'): the unit's input, no server's answer (tests/unit-inputs.ts)
      if (node.text === '403' && isUnitInput(analysis, node)) analysis.notAnEmit(node, UNIT_INPUT);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      // expect(statusCodeMessage(StatusCodes.FORBIDDEN)): a name of 403 handed to the unit (tests/unit-inputs.ts)
      if (/^forbidden$/i.test(node.name.text) && isUnitInput(analysis, node))
        analysis.notAnEmit(node, UNIT_INPUT);
      return;
    }
    // pm.response.to.have.status(403) in a Postman script: named, never rewritten (tests/postman.ts)
    if (inPostmanAssertion(analysis, node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isRegularExpressionLiteral(node)
    ) {
      // toContain('Forbidden'), stringContaining, toMatch(/Forbidden/), .expect(/Forbidden/) (tests/phrase-texts.ts)
      phraseText(analysis, node);
      return;
    }
    if (ts.isLiteralTypeNode(node)) {
      // Promise<TypedResponse<'Forbidden', 403>>: a 403 written as a type (tests/status-types.ts)
      statusType(analysis, node);
      return;
    }
    if (ts.isBinaryExpression(node)) {
      // expect.extend({ toBeForbidden: (res) => ({ pass: res.status === 403, ... }) }) (tests/matchers.ts)
      if (matcherComparison(analysis, node)) return;
      assignedInput(analysis, node);
      return;
    }
    if (ts.isCallExpression(node)) inputObjects(analysis, node);
    const call = methodCall(node);
    // expect(err.code).toBe(Code.PermissionDenied): an RPC code the server changes (tests/rpc-codes.ts).
    if (call && rpcCodeAssertion(analysis, call)) return;
    // cy.request(opts).its('status').should('eq', 403), .should('have.property', 'status', 403) (tests/cypress.ts)
    if (call && cypressAssertion(analysis, call)) return;
    // expect(err.message).toBe('FORBIDDEN'): a caught error's default message (tests/thrown-messages.ts).
    if (call && caughtMessage(analysis, call)) return;
    // expect(res.status).not.toBe(403), .to.not.equal(403), .should.not.have.status(403), assert.notEqual(s, 403)
    if (call && negatedStatus(analysis, call)) return;
    // expect(res.status.mock.calls[0][0]).toBe(403), toHaveBeenNthCalledWith(1, 403) (tests/recorded-calls.ts)
    if (call && recordedCallAssertion(analysis, call)) return;
    if (call) {
      const { method, object, args } = call;
      const subject = expectSubject(object);
      if (INLINE_SNAPSHOT_MATCHERS.has(method) && subject) {
        // expect(res.body).toMatchInlineSnapshot(`{ "status": 403 }`): the printed reply (tests/snapshots.ts)
        inlineSnapshot(analysis, call.call, subject, args);
      } else if (method === 'expect' && args[0] && statusComparison(analysis, args[0], call.call)) {
        // chai.expect(res.status === 403).to.be.true
      } else if (
        method === 'expect' &&
        ((ts.isCallExpression(object) && !isExpect(object.expression)) ||
          (ts.isIdentifier(object) && isHeldRequest(object)))
      ) {
        // supertest: request(app).get('/x').expect(403[, body]), .expect(body); frisby's .expect('status', 403)
        if (args[0] && ts.isStringLiteral(args[0]) && args[0].text === 'status')
          rewrite(analysis, args[1], call.call);
        else if (args[0] && mirrorOf(analysis, args[0])) mirror(analysis, args[0]);
        else rewrite(analysis, args[0], call.call);
        if (args[1]) mirror(analysis, args[1]);
      } else if (
        STATUS_MATCHERS.has(method) &&
        (expectSubject(object) !== undefined ||
          ts.isCallExpression(object) ||
          (ts.isIdentifier(object) && isHeldRequest(object)))
      ) {
        // expect(response).toHaveStatus(403) (a project matcher), spec().get('/x').expectStatus(403) (pactum),
        // Japa's `const response = await client.get('/x').loginAs(user); response.assertStatus(403)`
        rewrite(analysis, args[0], call.call);
      } else if (BOOLEAN_ASSERTS.has(method) && args[0] && statusComparison(analysis, args[0], call.call)) {
        // assert.ok(res.status === 403), t.true(res.statusCode === 403)
      } else if (CALL_MATCHERS.has(method) && isStatusSubject(object, STATUS_METHODS)) {
        // expect(res.status).toHaveBeenCalledWith(403): a mocked response's status method
        rewrite(analysis, args[0], call.call);
      } else if (CALL_MATCHERS.has(method) && isStatusSubject(object, STATUS_ARGUMENT_METHODS)) {
        // expect(ctx.throw).toHaveBeenCalledWith(403, 'Forbidden'), expect(c.json).toHaveBeenCalledWith(body, 403)
        statusAmong(analysis, args, call.call);
      } else if (
        EQUALITY_MATCHERS.has(method) &&
        isTrpcCode(args[0]) &&
        isCodeSubject(object) &&
        trpcTest(analysis)
      ) {
        // expect(error.code).toBe('FORBIDDEN'), expect(err.data?.code).toEqual('FORBIDDEN'): a tRPC error code
        trpcCode(analysis, args[0], call.call);
      } else if (
        EQUALITY_MATCHERS.has(method) &&
        (isStatusSubject(object, PHRASE_SUBJECTS) || isBodyPhraseSubject(object))
      ) {
        // expect(res.text).toBe('Forbidden'): the body a framework writes from the status (Koa, sendStatus);
        // expect(res.body.message).to.equal('Forbidden'): the phrase key of a framework-shaped body
        phrase(analysis, args[0], call.call);
      } else if (EQUALITY_MATCHERS.has(method) && (isStatusSubject(object) || isBodyStatusSubject(object))) {
        // expect(res.status).toBe(403); expect(res.body.code).to.be.equal(httpStatus.FORBIDDEN)
        rewrite(analysis, args[0], call.call);
      } else if (
        EQUALITY_MATCHERS.has(method) &&
        args[0] &&
        isStatusValue(args[0]) &&
        expectSubject(object) !== undefined
      ) {
        // expect(403).toBe(res.status): the expected value first
        rewrite(analysis, expectSubject(object), call.call);
      } else if (LIST_MATCHERS.has(method) && isStatusSubject(object) && args[0]) {
        // expect(res.status).to.be.oneOf([403, 404]), expect(res.status).toBeOneOf([403, 404])
        statusList(analysis, args[0], call.call);
      } else if (
        CONTAIN_MATCHERS.has(method) &&
        args[0] &&
        isStatusValue(args[0]) &&
        expectSubject(object) !== undefined
      ) {
        // expect([403, 404]).toContain(res.status), expect([403]).to.include(res.status)
        const subject = expectSubject(object);
        if (subject) statusList(analysis, subject, call.call);
      } else if (method === 'oneOf' && args.length >= 2 && isStatusValue(args[0])) {
        // chai's assert.oneOf(res.status, [403, 404])
        statusList(analysis, args[1], call.call);
      } else if (
        (method === 'toHaveProperty' || (method === 'property' && isChaiChain(object))) &&
        args[1] &&
        propertyName(args[0]) !== undefined &&
        (STATUS_PROPERTIES.has(propertyName(args[0]) ?? '') ||
          (BODY_STATUS_KEYS.has(propertyName(args[0]) ?? '') && isParsedBody(expectSubject(object))))
      ) {
        // expect(res).toHaveProperty('status', 403), toHaveProperty(['status'], 403);
        // expect(res.body).to.have.property('code', 403), .to.have.nested.property('status', 403)
        rewrite(analysis, args[1], call.call);
      } else if (
        PROPERTY_VALUE_ASSERTS.has(method) &&
        args.length >= 3 &&
        STATUS_PROPERTIES.has(propertyName(args[1]) ?? '')
      ) {
        // chai's assert.propertyVal(res, 'status', 403)
        rewrite(analysis, args[2], call.call);
      } else if (
        method === 'objectContaining' &&
        ts.isIdentifier(object) &&
        object.text === 'expect' &&
        args[0] &&
        ts.isObjectLiteralExpression(args[0])
      ) {
        // expect(next).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 403, message: 'Forbidden' })):
        // the error a helper built with `new ApiError(403, 'Forbidden')`, whose phrase follows the status.
        const expected = args[0];
        const status = STATUS_KEYS.map((key) => propertyOf(expected, key)).find(Boolean);
        const message = propertyOf(expected, 'message')?.initializer;
        const phrase =
          message && ts.isStringLiteral(message) && message.text === 'Forbidden'
            ? [analysis.phraseEdit(message, reasonPhrase(analysis.target))]
            : [];
        if (status) rewrite(analysis, status.initializer, call.call, phrase);
      } else if (method === 'status' && isChaiChain(object)) {
        rewrite(analysis, args[0], call.call);
      } else if (
        ASSERT_CALLS.has(method) &&
        args.length >= 2 &&
        (isStatusAccess(args[0]) || isBodyMember(args[0], BODY_STATUS_KEYS))
      ) {
        // assert.equal(res.statusCode, 403); assert.strictEqual(res.body.code, httpStatus.FORBIDDEN)
        rewrite(analysis, args[1], call.call);
      } else if (ASSERT_CALLS.has(method) && args.length >= 2 && isStatusValue(args[1])) {
        // t.equal(403, res.statusCode), assert.equal(403, res.status): the expected value first
        rewrite(analysis, args[0], call.call);
      } else if (
        ASSERT_CALLS.has(method) &&
        args.length >= 2 &&
        isStatusAccess(args[0], PHRASE_SUBJECTS, false)
      ) {
        phrase(analysis, args[1], call.call);
      } else if (
        CALL_MATCHERS.has(method) &&
        args.length >= 2 &&
        ts.isExpression(args[0]) &&
        isStatusAccess(args[0], STATUS_METHODS, false)
      ) {
        // sinon.assert.calledWith(res.status, 403)
        rewrite(analysis, args[1], call.call);
      } else if (
        CALL_MATCHERS.has(method) &&
        args.length >= 2 &&
        ts.isExpression(args[0]) &&
        isStatusAccess(args[0], STATUS_ARGUMENT_METHODS, false)
      ) {
        // sinon.assert.calledWith(ctx.throw, 403, 'Forbidden')
        statusAmong(analysis, args.slice(1), call.call);
      } else if (CALL_MATCHERS.has(method) && isStatusAccess(object, STATUS_METHODS, false)) {
        // expect(res.sendStatus.calledWith(403)).to.be.true: a sinon spy's own check, read as a boolean
        rewrite(analysis, args[0], call.call);
      } else if (CALL_MATCHERS.has(method) && isStatusAccess(object, STATUS_ARGUMENT_METHODS, false)) {
        // expect(ctx.throw.calledWith(403, 'Forbidden')).to.be.true
        statusAmong(analysis, args, call.call);
      } else if ((THROW_MATCHERS.has(method) || ASSERT_THROWS.has(method)) && args[0]) {
        // expect(() => controller.admin()).toThrow(ForbiddenException), .rejects.toBeInstanceOf(Forbidden);
        // assert.throws(fn, X), t.throws(fn, X), assert.rejects(p, X): the class is the second argument.
        // A message there (`rejects.toThrow('Forbidden')`) is the phrase a status-only throw carries
        // (Koa's `ctx.throw(403)`, `createError(403)`, Nest's `new ForbiddenException()`).
        const expected = ASSERT_THROWS.has(method) && args[1] ? args[1] : args[0];
        // A message a library writes by default (`toThrow(/FORBIDDEN/)` of tRPC, `{ message, code }`;
        // tests/thrown-messages.ts), else the bare phrase, else the class.
        if (!thrownMessage(analysis, expected, call.call) && !thrownPhrase(analysis, expected, call.call))
          errorClass(analysis, expected, call.call);
        // chai's `.to.throw(ForbiddenError, 'Forbidden')`, `.rejectedWith(ForbiddenError, /forbidden/i)`
        if (!ASSERT_THROWS.has(method) && args[1]) thrownMessage(analysis, args[1], call.call, args[1]);
      } else if (EQUALITY_MATCHERS.has(method) && args[0] && ts.isNewExpression(args[0])) {
        // await expect(p).rejects.toEqual(new ForbiddenException('Admins only'))
        errorClass(analysis, args[0], call.call);
      } else if (OBJECT_MATCHERS.has(method) || ASSERT_CALLS.has(method)) {
        // expect(reply.json()).toEqual({ statusCode: 403, error: 'Forbidden' }), assert.deepEqual(a, expected)
        for (const arg of args) mirror(analysis, arg);
      }
      return;
    }
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ASSERT_THROWS.has(node.expression.text) &&
      node.arguments[1] &&
      analysis
        .importOf(node.expression.text)
        ?.module.replace(/^node:/, '')
        .startsWith('assert')
    ) {
      // import { throws } from 'node:assert'; throws(fn, ForbiddenException), rejects(p, /FORBIDDEN/)
      if (!thrownMessage(analysis, node.arguments[1], node)) errorClass(analysis, node.arguments[1], node);
      return;
    }
    // k6: check(res, { 'is 403': (r) => r.status === 403 }) (tests/k6.ts)
    if (ts.isCallExpression(node) && k6Check(analysis, node)) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      // expectFailsWith(got(url), 403, 'insufficient_scope'): a helper of the file that asserts on its argument
      const indexes = statusParameters(analysis.sourceFile).get(node.expression.text);
      if (indexes)
        for (const index of indexes) {
          const argument = node.arguments[index];
          if (argument && !ts.isSpreadElement(argument)) rewrite(analysis, argument, node);
        }
    }
    if (
      ts.isCallExpression(node) &&
      node.arguments[0] &&
      (isExpect(node.expression) ||
        (ts.isIdentifier(node.expression) && BOOLEAN_ASSERT_FUNCTIONS.has(node.expression.text)))
    ) {
      // assert(res.status === 403), expect(res.statusCode === 403).toBe(true), expect(a == 403).to.be.true
      if (statusComparison(analysis, node.arguments[0], node)) return;
    }
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ASSERT_CALLS.has(node.expression.text)
    ) {
      if (
        node.arguments.length >= 2 &&
        (isStatusAccess(node.arguments[0]) || isBodyMember(node.arguments[0], BODY_STATUS_KEYS))
      )
        rewrite(analysis, node.arguments[1], node);
      else if (node.arguments.length >= 2 && isStatusValue(node.arguments[1]))
        rewrite(analysis, node.arguments[0], node);
      else if (node.arguments.length >= 2 && isStatusAccess(node.arguments[0], PHRASE_SUBJECTS, false))
        phrase(analysis, node.arguments[1], node);
      else for (const arg of node.arguments) mirror(analysis, arg);
    }
  },
};

/**
 * A status comparison that makes a custom matcher's result (`pass: res.status === 403`, `if (res.statusCode !==
 * 403) return { pass: false, ... }`; tests/matchers.ts): the matcher's own assertion of a 403, a site decided by
 * the requests of the tests that call the matcher (test-follow-callers.ts). One handed to a call
 * (`expect(res.status === 403).toBe(true)`, `this.equals(...)`) is that call's. True when it was one.
 */
function matcherComparison(analysis: FileAnalysis, node: ts.BinaryExpression): boolean {
  let outer: ts.Node = node;
  while (
    ts.isParenthesizedExpression(outer.parent) ||
    ts.isPrefixUnaryExpression(outer.parent) ||
    (ts.isBinaryExpression(outer.parent) &&
      (outer.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        outer.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken))
  )
    outer = outer.parent;
  if (ts.isCallExpression(outer.parent) || !enclosingMatcher(node)) return false;
  return statusComparison(analysis, node, node);
}

/** node:assert's (and tap's) negated equality checks. */
const NEGATED_ASSERTS = new Set([
  'notEqual',
  'notStrictEqual',
  'notDeepEqual',
  'notDeepStrictEqual',
  'not',
  'notSame',
]);

/**
 * A negated assertion holding a 403 (`expect(res.status).not.toBe(403)`, chai `.to.not.equal(403)`, should's
 * `.should.not.have.status(403)`, `assert.notStrictEqual(res.status, 403)`): it checks the answer is *not* 403, so
 * `not.toBe(401)` would test something else (it fails on the very refusal the server now sends). Reported for a
 * person with why, never rewritten; true when it was one. A `.not` read inside the subject (`expect(a.not)`) is not
 * the chain's.
 */
function negatedStatus(
  analysis: FileAnalysis,
  call: { call: ts.CallExpression; method: string; object: ts.Expression; args: readonly ts.Expression[] },
): boolean {
  let negated = NEGATED_ASSERTS.has(call.method) && call.args.length >= 2;
  for (
    let link: ts.Expression = call.object;
    !negated && ts.isPropertyAccessExpression(link);
    link = link.expression
  )
    if (link.name.text === 'not') negated = true;
  if (!negated) return false;
  const value = call.args.find((a) => analysis.forbiddenEdits(a) !== undefined);
  if (!value) return false;
  negatedAssertion(analysis, call.call, value);
  return true;
}
