import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { isExpect } from '../analysis/syntax.js';
import type { Framework } from './framework.js';
import { renameCallee } from '../import-edits.js';
import {
  ERROR_CLASS_NAMES,
  FEATHERS_ERRORS,
  NEST_EXCEPTIONS,
  reasonPhrase,
  ROUTING_CONTROLLERS_ERRORS,
  TRPC_CODES,
  TSED_ERRORS,
} from '../status-names.js';
import type { Edit } from '../types.js';
import { isFunctionLike } from '../scope.js';
import { methodCall, propertyOf } from './shared.js';

const EQUALITY_MATCHERS = new Set([
  'toBe',
  'toEqual',
  'toStrictEqual',
  'equal',
  'equals',
  'eq',
  'eql',
  'toEqualValue',
]);
const ASSERT_CALLS = new Set([
  'equal',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'is',
  'same',
  'equals',
]);
const STATUS_PROPERTIES = new Set(['status', 'statusCode']);
const STATUS_KEYS = [...STATUS_PROPERTIES];
/** Matchers that compare a whole value: an expected object literal there is a mirror of the reply. */
const OBJECT_MATCHERS = new Set([
  ...EQUALITY_MATCHERS,
  'toMatchObject',
  'deepEqual',
  'deepStrictEqual',
  'partialDeepStrictEqual',
  'include',
  'contain',
  'containSubset',
  'toHaveBeenCalledWith',
  'toBeCalledWith',
  'toHaveBeenLastCalledWith',
  'lastCalledWith',
  'toHaveBeenNthCalledWith',
  'nthCalledWith',
  'calledWith',
  'calledWithExactly',
  'calledWithMatch',
  'calledOnceWith',
  'calledOnceWithExactly',
  'calledOnceWithMatch',
  'alwaysCalledWith',
  'alwaysCalledWithExactly',
  'alwaysCalledWithMatch',
  // tap's `t.match(res, { statusCode: 403 })`, `t.has`, `t.same`; ava's `t.like(res, { status: 403 })`
  'match',
  'matchOnly',
  'matchStrict',
  'has',
  'hasStrict',
  'hasFields',
  'like',
  'same',
  'strictSame',
]);
/**
 * Mock-call matchers: `expect(res.status).toHaveBeenCalledWith(403)` on a mocked response; sinon's spy checks
 * and `sinon.assert`'s (sinonjs.org/releases/latest/spies, /assertions).
 */
const CALL_MATCHERS = new Set([
  'toHaveBeenCalledWith',
  'toBeCalledWith',
  'toHaveBeenLastCalledWith',
  'lastCalledWith',
  'calledWith',
  'calledWithExactly',
  'calledWithMatch',
  'calledOnceWith',
  'calledOnceWithExactly',
  'calledOnceWithMatch',
  'alwaysCalledWith',
  'alwaysCalledWithExactly',
  'alwaysCalledWithMatch',
]);
/** Mocked response methods whose argument is the status (`res.status`, `res.sendStatus`, `reply.code`). */
const STATUS_METHODS = new Set(['status', 'sendStatus', 'code', 'writeHead']);
/**
 * Mocked framework methods that take the status beside other arguments: Koa `ctx.throw(403, 'Forbidden')` and
 * `ctx.assert(ok, 403, msg)`, Hono `c.json(body, 403)` / `c.text(text, 403)` / `c.body(null, 403)` /
 * `c.newResponse(body, 403)`.
 */
const STATUS_ARGUMENT_METHODS = new Set(['throw', 'assert', 'json', 'text', 'body', 'html', 'newResponse']);
/** Reply members that hold the reason phrase as the whole text: `res.text`, `res.statusText`. */
const PHRASE_SUBJECTS = new Set(['text', 'statusText', 'statusMessage']);
/** Body keys that hold the reason phrase in framework-shaped bodies (Fastify, Boom, Nest): `error: 'Forbidden'`. */
const PHRASE_KEYS = new Set(['error', 'message', 'title', 'statusMessage', 'statusText']);
/**
 * Body keys that mirror the status in error bodies: `statusCode` (Boom, Fastify, Nest), `status` (problem
 * details, RFC 9457), `code` (project error handlers that send `{ code: err.status, message }`). A `code` counts
 * only on a parsed body (`res.body.code`, `(await res.json()).code`) and only compared with a status value
 * (`403`, `httpStatus.FORBIDDEN`): `expect(res.body.code).toBe('forbidden')` is a text, never a status.
 */
const BODY_STATUS_KEYS = new Set(['code', ...STATUS_PROPERTIES]);

/**
 * Matchers whose argument is the error class (or an instance of it) the code under test throws: jest/vitest
 * `toThrow(X)`, `rejects.toThrow(X)`, `toBeInstanceOf(X)`, chai `.throw(X)`, `.rejectedWith(X)`,
 * `.instanceOf(X)`, node:assert `assert.throws(fn, X)` / `assert.rejects(p, X)` (the class is the second argument).
 */
const THROW_MATCHERS = new Set([
  'toThrow',
  'toThrowError',
  'toBeInstanceOf',
  'throw',
  'throws',
  'Throw',
  'rejectedWith',
  'rejectWith',
  'instanceOf',
  'instanceof',
]);
const ASSERT_THROWS = new Set(['throws', 'rejects']);

/**
 * Matchers named for the reply's status, whose argument is the expected status: project matchers added with
 * `expect.extend({ toHaveStatus })` (bedrock-core's jest setup), pactum's `spec().get(url).expectStatus(403)`.
 */
const STATUS_MATCHERS = new Set([
  'toHaveStatus',
  'toHaveStatusCode',
  'toHaveHttpStatus',
  'toHaveHTTPStatus',
  'toHaveResponseStatus',
  'expectStatus',
]);

/**
 * Assertions that take a boolean: node:assert / power-assert `assert(x)` and `assert.ok(x)`, ava and tap
 * `t.true(x)` / `t.truthy(x)` / `t.ok(x)` / `t.assert(x)` (and their negations), chai's `assert.isTrue(x)`.
 * A status comparison there (`assert(res.status === 403)`) asserts the status as `assert.equal` does.
 */
const BOOLEAN_ASSERTS = new Set([
  'ok',
  'true',
  'truthy',
  'assert',
  'isTrue',
  'isOk',
  'false',
  'falsy',
  'notOk',
  'isFalse',
  'isNotOk',
]);
/** The bare boolean assertion functions: `assert(x)` (node:assert, power-assert), `ok(x)` imported from it. */
const BOOLEAN_ASSERT_FUNCTIONS = new Set(['assert', 'ok']);

/**
 * The 403 error classes of the libraries the server modules rename (nestjs.ts, error-libraries.ts,
 * http-errors.ts, loopback.ts, feathers.ts), with the names by status each library has.
 */
const ERROR_CLASSES: readonly { modules: readonly string[]; name: string; names: Record<number, string> }[] =
  [
    {
      modules: ['@nestjs/common', '@nestjs/common/exceptions'],
      name: 'ForbiddenException',
      names: NEST_EXCEPTIONS,
    },
    { modules: ['routing-controllers'], name: 'ForbiddenError', names: ROUTING_CONTROLLERS_ERRORS },
    { modules: ['@feathersjs/errors'], name: 'Forbidden', names: FEATHERS_ERRORS },
    { modules: ['@tsed/exceptions'], name: 'Forbidden', names: TSED_ERRORS },
    { modules: ['http-errors', '@loopback/rest'], name: 'Forbidden', names: ERROR_CLASS_NAMES },
  ];

/**
 * Assertions in the user's tests (`--include-tests` only): supertest `.expect(403)`, jest/vitest
 * `expect(res.status).toBe(403)`, chai `.status(403)`, node:assert / tap on `statusCode`. Mocks of other
 * services (nock, msw, fetch-mock) are skipped by the analysis.
 */
export const tests: Framework = {
  id: 'tests',
  title: 'Test assertions (--include-tests)',
  enablers: [],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression],
  visit(node, analysis) {
    if (!analysis.options.testFile) return;
    if (ts.isBinaryExpression(node)) {
      assignedInput(analysis, node);
      return;
    }
    if (ts.isCallExpression(node)) inputObjects(analysis, node);
    const call = methodCall(node);
    if (call) {
      const { method, object, args } = call;
      if (method === 'expect' && args[0] && statusComparison(analysis, args[0], call.call)) {
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
        (expectSubject(object) !== undefined || ts.isCallExpression(object))
      ) {
        // expect(response).toHaveStatus(403) (a project matcher), spec().get('/x').expectStatus(403) (pactum)
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
        args[0] &&
        ts.isStringLiteral(args[0]) &&
        (STATUS_PROPERTIES.has(args[0].text) ||
          (BODY_STATUS_KEYS.has(args[0].text) && isParsedBody(expectSubject(object))))
      ) {
        // expect(res).toHaveProperty('status', 403); expect(res.body).to.have.property('code', 403)
        rewrite(analysis, args[1], call.call);
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
        if (!thrownPhrase(analysis, expected, call.call)) errorClass(analysis, expected, call.call);
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
      // import { throws } from 'node:assert'; throws(fn, ForbiddenException)
      errorClass(analysis, node.arguments[1], node);
      return;
    }
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
 * A status the test hands to the code under test: an object literal holding `status: 403` / `statusCode: 403`
 * (at any depth) passed to a call that asserts nothing (`handleGoCardlessError({ response: { status: 403 } })`,
 * `mockResolvedValue({ status: 403 })`, `Object.assign(new Error('x'), { status: 403 })`), directly or through a
 * `const` the test reads only that way. It is the test's own fake reply or error (`test-fixture`), as
 * `new Response(null, { status: 403 })` is: an assertion on it follows no server unless it also reaches
 * rewritten sites (then it is manual, test-follow.ts).
 */
function inputObjects(analysis: FileAnalysis, call: ts.CallExpression): void {
  if (isAssertionCall(call) || isExpectedValue(call)) return;
  for (const argument of call.arguments) {
    const literal = ts.isObjectLiteralExpression(argument) ? argument : heldInput(argument);
    if (!literal || !holdsForbiddenStatus(analysis, literal)) continue;
    const start = literal.getStart(analysis.sourceFile);
    const end = literal.getEnd();
    if (analysis.notAnEmitRanges.some((r) => r.start <= start && end <= r.end)) continue;
    if (analysis.sites.some((site) => start <= site.start && site.end <= end)) continue;
    analysis.notAnEmit(literal, 'test-fixture');
  }
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
  for (let scope: ts.Node | undefined = argument.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    const declaration = scope.statements
      .filter(ts.isVariableStatement)
      .flatMap((statement) => [...statement.declarationList.declarations])
      .find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (!declaration) continue;
    const value = declaration.initializer;
    if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
    if (!(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
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
function assignedInput(analysis: FileAnalysis, node: ts.BinaryExpression): void {
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
  const name = node.text;
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    const declaration = scope.statements
      .filter(ts.isVariableStatement)
      .flatMap((statement) => [...statement.declarationList.declarations])
      .find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (!declaration) continue;
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
 * An error class the assertion expects (`ForbiddenException`, `createError.Forbidden`, `new Forbidden('x')`):
 * the class is renamed as the server's throw is (the import follows), and the test follower keeps the rename only
 * where the code under test was rewritten. A library without a class for the target: manual.
 */
function errorClass(analysis: FileAnalysis, value: ts.Expression, form: ts.Node): void {
  let node = value;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
  const instance = ts.isNewExpression(node);
  const callee = ts.isNewExpression(node) ? node.expression : node;
  const known = ERROR_CLASSES.find(
    (c) => analysis.resolvesTo(callee, c.modules, c.name) || loopbackMember(analysis, callee, c),
  );
  if (!known) return;
  const to = known.names[analysis.target];
  if (!to) {
    analysis.addSite({
      node: form,
      framework: 'tests',
      manual: true,
      reason: `The test expects ${callee.getText(analysis.sourceFile)} (403) and its library has no class for ${analysis.target}: assert on the status instead.`,
    });
    return;
  }
  const rename = renameCallee(analysis, callee, to);
  if ('manual' in rename) {
    analysis.addSite({ node: form, framework: 'tests', manual: true, reason: rename.manual });
    return;
  }
  const message = instance && ts.isNewExpression(node) ? node.arguments?.[0] : undefined;
  const phrase =
    message && ts.isStringLiteral(message) && message.text === 'Forbidden'
      ? [analysis.phraseEdit(message, reasonPhrase(analysis.target))]
      : [];
  analysis.addSite({
    node: form,
    framework: 'tests',
    edits: [...rename.edits, ...phrase],
    imports: rename.imports,
  });
}

/** LoopBack's `HttpErrors.Forbidden`: `HttpErrors` is a named export of @loopback/rest. */
function loopbackMember(
  analysis: FileAnalysis,
  callee: ts.Expression,
  known: (typeof ERROR_CLASSES)[number],
): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== known.name) return false;
  if (!ts.isIdentifier(callee.expression)) return false;
  const binding = analysis.importOf(callee.expression.text);
  return (
    binding?.module === '@loopback/rest' &&
    binding.name === 'HttpErrors' &&
    known.modules.includes(binding.module)
  );
}

/**
 * The expected arguments of a mocked call that takes the status among others: the numeric status is the site,
 * with an exact `'Forbidden'` argument beside it (the phrase Koa's `ctx.throw(403, 'Forbidden')` repeats);
 * expected objects among them are mirrors (`c.json({ error: 'Forbidden' }, 403)`).
 */
function statusAmong(analysis: FileAnalysis, args: readonly ts.Node[], form: ts.Node): void {
  const values = args.filter((a): a is ts.Expression => ts.isExpression(a));
  const status = values.find((a) => analysis.forbiddenEdits(a));
  const phrases = values
    .filter(
      (a): a is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
        (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) && a.text === 'Forbidden',
    )
    .map((a) => analysis.phraseEdit(a, reasonPhrase(analysis.target)));
  if (status) rewrite(analysis, status, form, phrases);
  for (const value of values)
    if (value !== status && ts.isObjectLiteralExpression(value)) mirror(analysis, value);
}

/**
 * A status comparison asserted as a boolean (`assert(res.status === 403)`, `expect(res.statusCode == 403)`,
 * `t.true(403 === res.status)`, also negated and inside `&&`): the 403 side is the expected status, as in
 * `assert.equal(res.status, 403)`; `res.text === 'Forbidden'` is a phrase. Returns whether `condition` is such
 * a comparison (the site is added when its value is a 403).
 */
function statusComparison(analysis: FileAnalysis, condition: ts.Expression, form: ts.Node): boolean {
  const statuses: ts.Expression[] = [];
  const phrases: ts.Expression[] = [];
  if (!comparedValues(condition, statuses, phrases)) return false;
  const phraseEdits = phrases
    .filter((v) => (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && v.text === 'Forbidden')
    .map((v) => analysis.phraseEdit(v, reasonPhrase(analysis.target)));
  const [first, ...others] = statuses.filter((v) => analysis.forbiddenEdits(v));
  if (first)
    rewrite(analysis, first, form, [
      ...others.flatMap((v) => analysis.forbiddenEdits(v) ?? []),
      ...phraseEdits,
    ]);
  else if (phraseEdits.length) analysis.addSite({ node: form, framework: 'tests', edits: phraseEdits });
  return true;
}

/**
 * The values `condition` compares with a reply's status (`statuses`) and with its text (`phrases`), through
 * parentheses and `&&`; false when it compares neither.
 */
function comparedValues(
  condition: ts.Expression,
  statuses: ts.Expression[],
  phrases: ts.Expression[],
): boolean {
  let node = condition;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (!ts.isBinaryExpression(node)) return false;
  const operator = node.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = comparedValues(node.left, statuses, phrases);
    const right = comparedValues(node.right, statuses, phrases);
    return left || right;
  }
  if (!COMPARISONS.has(operator)) return false;
  for (const [subject, value] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    if (isStatusAccess(subject) || isBodyMember(subject, BODY_STATUS_KEYS)) {
      statuses.push(value);
      return true;
    }
    if (isStatusAccess(subject, PHRASE_SUBJECTS, false) || isBodyMember(subject, PHRASE_KEYS)) {
      phrases.push(value);
      return true;
    }
  }
  return false;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Matchers whose argument lists the statuses the reply may have: chai `oneOf`, jest-extended `toBeOneOf`. */
const LIST_MATCHERS = new Set(['oneOf', 'toBeOneOf']);
/** Matchers asking a list (the subject) to hold the reply's status: `expect([403]).toContain(res.status)`. */
const CONTAIN_MATCHERS = new Set([
  'toContain',
  'toContainEqual',
  'include',
  'includes',
  'contain',
  'contains',
]);

/** A reply's status or its mirror in a parsed body (`res.status`, `res.body.code`). */
function isStatusValue(expression: ts.Expression): boolean {
  return isStatusAccess(expression) || isBodyMember(expression, BODY_STATUS_KEYS);
}

/**
 * A list of the statuses a reply may have (`[403, 404]`): its 403 entries are the expected status, one site
 * for the list. Anything but an array literal is left to the census.
 */
function statusList(analysis: FileAnalysis, list: ts.Expression, form: ts.Node): void {
  if (!ts.isArrayLiteralExpression(list)) return;
  const [first, ...others] = list.elements.filter(
    (e): e is ts.Expression => !ts.isSpreadElement(e) && analysis.forbiddenEdits(e) !== undefined,
  );
  if (!first) return;
  // `oneOf([401, 403])` already accepts the target: a person decides whether the 403 may go.
  if (list.elements.some((e) => ts.isNumericLiteral(e) && Number(e.text) === analysis.target)) {
    analysis.addSite({
      node: form,
      framework: 'tests',
      manual: true,
      reason: `The test accepts ${analysis.target} or 403 (${list.getText(analysis.sourceFile)}): drop the 403 once its server answers ${analysis.target}, or keep it on purpose with // mtls-fix-ignore: <why>.`,
    });
    return;
  }
  rewrite(
    analysis,
    first,
    form,
    others.flatMap((e) => analysis.forbiddenEdits(e) ?? []),
  );
}

/**
 * The message a throw matcher expects, when it is exactly the reason phrase (`toThrow('Forbidden')`,
 * `rejectedWith('Forbidden')`, `toThrow(/Forbidden/)`): the message of a throw that gives only the status
 * (Koa's `ctx.throw(403)`, http-errors' `createError(403)`, Nest's `new ForbiddenException()`), a phrase-only
 * site the test follower keeps where that server's text changes. Returns whether it was such a message.
 */
function thrownPhrase(analysis: FileAnalysis, expected: ts.Expression, form: ts.Node): boolean {
  if (ts.isRegularExpressionLiteral(expected)) {
    if (expected.text !== '/Forbidden/') return false;
    analysis.addSite({
      node: form,
      framework: 'tests',
      edits: [analysis.phraseEdit(expected, reasonPhrase(analysis.target))],
    });
    return true;
  }
  if (!ts.isStringLiteral(expected) && !ts.isNoSubstitutionTemplateLiteral(expected)) return false;
  phrase(analysis, expected, form);
  return true;
}

/** `'Forbidden'` compared with the reply's text: a phrase-only site, kept only where its server's body follows. */
function phrase(analysis: FileAnalysis, value: ts.Expression | undefined, form: ts.Node): void {
  if (!value || !(ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) return;
  if (value.text !== 'Forbidden') return;
  analysis.addSite({
    node: form,
    framework: 'tests',
    edits: [analysis.phraseEdit(value, reasonPhrase(analysis.target))],
  });
}

/**
 * An expected value the test declares and compares with the reply: an object literal given inline, or a
 * variable of the file holding one (`const expected = { statusCode: 403, error: 'Forbidden' }`), possibly read
 * through a member (`expected.statusCode`).
 */
function mirrorOf(analysis: FileAnalysis, value: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let node = value;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isPropertyAccessExpression(node) && STATUS_PROPERTIES.has(node.name.text)) node = node.expression;
  if (!ts.isIdentifier(node)) return undefined;
  const name = node.text;
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (
      ts.isVariableDeclaration(child) &&
      ts.isIdentifier(child.name) &&
      child.name.text === name &&
      child.initializer &&
      ts.isObjectLiteralExpression(child.initializer)
    )
      found = child.initializer;
    else child.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  return found;
}

/**
 * The mirror object becomes the site (once, however many assertions read it): its status key and, beside
 * it, a framework-shaped phrase (`error: 'Forbidden'`); or the phrase alone (`{ error: 'Forbidden' }`), which
 * the run keeps only where the server's own text changed (test-follow.ts).
 */
function mirror(analysis: FileAnalysis, value: ts.Expression | undefined): void {
  const object = value && mirrorOf(analysis, value);
  if (!object) return;
  const edits: Edit[] = [];
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : '';
    const initializer = property.initializer;
    if (STATUS_PROPERTIES.has(key)) edits.push(...(analysis.forbiddenEdits(initializer) ?? []));
    else if (key === 'code' && isTrpcCode(initializer) && trpcTest(analysis)) {
      // rejects.toMatchObject({ code: 'FORBIDDEN' }) on a tRPC caller: the code the procedure throws
      const to = TRPC_CODES[analysis.target];
      if (!to) {
        trpcCode(analysis, initializer, object);
        return;
      }
      edits.push(analysis.phraseEdit(initializer, to));
    } else if (
      PHRASE_KEYS.has(key) &&
      (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer)) &&
      initializer.text === 'Forbidden'
    )
      edits.push(analysis.phraseEdit(initializer, reasonPhrase(analysis.target)));
  }
  if (edits.length) analysis.addSite({ node: object, framework: 'tests', edits });
}

function rewrite(
  analysis: FileAnalysis,
  value: ts.Expression | undefined,
  form: ts.Node,
  more: Edit[] = [],
): void {
  if (!value) return;
  if (!ts.isNumericLiteral(value) && mirrorOf(analysis, value)) {
    // `assert.equal(reply.statusCode, expected.statusCode)` keeps reading the object; the object follows.
    mirror(analysis, value);
    return;
  }
  const edits = analysis.forbiddenEdits(value);
  if (edits)
    analysis.addSite({
      node: form,
      framework: 'tests',
      edits: [...edits, ...more, ...analysis.companionEdits(form)],
    });
}

/**
 * `expect(res.status)`, `expect(res.statusCode)`, `expect(response.status())`, possibly via `.to`/`.not`;
 * with `names`, the mocked method itself (`expect(res.status)` before `.toHaveBeenCalledWith`).
 */
function isStatusSubject(object: ts.Expression, names = STATUS_PROPERTIES): boolean {
  const subject = expectSubject(object);
  return Boolean(subject && isStatusAccess(subject, names, names === STATUS_PROPERTIES));
}

/** What `expect(x)` (or chai's `x.should`) is about, through `.to.be.not...` links; undefined when `object` is none. */
function expectSubject(object: ts.Expression): ts.Expression | undefined {
  let node = object;
  while (
    ts.isPropertyAccessExpression(node) &&
    ['to', 'be', 'not', 'deep', 'that', 'have', 'been'].includes(node.name.text)
  )
    node = node.expression;
  // chai's `should` style: `res.status.should.equal(403)`, `res.status.should.have.been.calledWith(403)`
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'should') return node.expression;
  if (!ts.isCallExpression(node) || !isExpect(node.expression)) return undefined;
  // expect(await res.status)
  let subject = node.arguments[0];
  while (subject && (ts.isAwaitExpression(subject) || ts.isParenthesizedExpression(subject)))
    subject = subject.expression;
  return subject;
}

/**
 * `expect(res.body.message)`, `expect(res.body.error)`, `expect((await res.json()).title)`: a body key that
 * holds the reason phrase in framework-shaped bodies (PHRASE_KEYS), read from the reply's parsed body.
 */
function isBodyPhraseSubject(object: ts.Expression): boolean {
  return isBodyMember(expectSubject(object), PHRASE_KEYS);
}

/**
 * `expect(res.body.code)`, `expect((await res.json()).status)`: a key of a parsed body that mirrors the status
 * (BODY_STATUS_KEYS), as `expect(res.status)` is the status itself.
 */
function isBodyStatusSubject(object: ts.Expression): boolean {
  return isBodyMember(expectSubject(object), BODY_STATUS_KEYS);
}

/** `<parsed body>.<key>` with `key` among `keys` (see `isParsedBody`). */
function isBodyMember(expression: ts.Expression | undefined, keys: ReadonlySet<string>): boolean {
  return Boolean(
    expression &&
    ts.isPropertyAccessExpression(expression) &&
    keys.has(expression.name.text) &&
    isParsedBody(expression.expression),
  );
}

/**
 * A reply's parsed body: `res.body` (supertest, chai-http) or a `body` taken from it, `res.json()` /
 * `(await res.json())` (Fetch API, Fastify and hapi `inject`), `JSON.parse(res.payload)`.
 */
function isParsedBody(expression: ts.Expression | undefined): boolean {
  let body = expression;
  while (body && (ts.isParenthesizedExpression(body) || ts.isAwaitExpression(body))) body = body.expression;
  if (!body) return false;
  // `const { status, body } = await request(app).get('/x')`
  if (ts.isIdentifier(body)) return body.text === 'body' || isRecordedArgument(constValue(body));
  if (isRecordedArgument(body)) return true;
  if (ts.isPropertyAccessExpression(body)) return body.name.text === 'body';
  if (!ts.isCallExpression(body) || !ts.isPropertyAccessExpression(body.expression)) return false;
  const callee = body.expression;
  if (callee.name.text === 'json') return true;
  return (
    callee.name.text === 'parse' && ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON'
  );
}

/**
 * An argument a mocked method received, read back from the mock: jest/vitest `jsonSpy.mock.calls[0][0]`,
 * `res.json.mock.lastCall[0]`, sinon `jsonStub.firstCall.args[0]`, `stub.getCall(0).args[0]`, `stub.args[0][0]`:
 * the body a mocked `res.json(body)` was given.
 */
function isRecordedArgument(expression: ts.Expression | undefined): boolean {
  if (!expression || !ts.isElementAccessExpression(expression)) return false;
  const list = expression.expression;
  // `x.mock.calls[i][j]`, `x.args[i][j]`
  if (ts.isElementAccessExpression(list) && ts.isPropertyAccessExpression(list.expression)) {
    const calls = list.expression;
    if (calls.name.text === 'calls' && ts.isPropertyAccessExpression(calls.expression))
      return calls.expression.name.text === 'mock';
    if (calls.name.text === 'args') return true;
  }
  if (!ts.isPropertyAccessExpression(list)) return false;
  // `x.mock.lastCall[j]`
  if (list.name.text === 'lastCall' && ts.isPropertyAccessExpression(list.expression))
    return list.expression.name.text === 'mock';
  // `x.firstCall.args[j]`, `x.lastCall.args[j]`, `x.getCall(i).args[j]`
  if (list.name.text !== 'args') return false;
  const call = list.expression;
  if (ts.isPropertyAccessExpression(call))
    return ['firstCall', 'secondCall', 'thirdCall', 'lastCall'].includes(call.name.text);
  return (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    call.expression.name.text === 'getCall'
  );
}

/** The initializer of the `const` (or never reassigned `let`) an identifier names in an enclosing block. */
function constValue(identifier: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    const declaration = scope.statements
      .filter(ts.isVariableStatement)
      .flatMap((statement) => [...statement.declarationList.declarations])
      .find((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text);
    if (!declaration) continue;
    return declaration.parent.flags & ts.NodeFlags.Const ? declaration.initializer : undefined;
  }
  return undefined;
}

function isStatusAccess(expression: ts.Expression, names = STATUS_PROPERTIES, call = true): boolean {
  let node = expression;
  if (call && ts.isCallExpression(node) && node.arguments.length === 0) {
    node = node.expression;
    // Nest's HttpException `expect(error.getStatus()).toBe(403)`; node-mocks-http's mocked response
    // `expect(res._getStatusCode()).toBe(403)`.
    if (ts.isPropertyAccessExpression(node) && STATUS_GETTERS.has(node.name.text)) return true;
  }
  // `const { status } = await request(app).get('/x')`, a helper's `statusCode` parameter: named for the status;
  // or the parameter of a hand-written mock response's status method (`status: (code) => ...`).
  if (names === STATUS_PROPERTIES && ts.isIdentifier(node))
    return names.has(node.text) || isMockStatusParameter(node);
  // `expect(statusMock).toHaveBeenCalledWith(403)` with `mockResponse = { status: statusMock }` or
  // `res.status = statusMock`: a spy the test puts in place of the response's status method.
  if (ts.isIdentifier(node)) return standInsFor(node.getSourceFile(), names).has(node.text);
  return ts.isPropertyAccessExpression(node) && names.has(node.name.text);
}

const standInCache = new WeakMap<ts.SourceFile, Map<ReadonlySet<string>, Set<string>>>();

/**
 * The variables a test file puts in place of a mocked object's method named in `names`: `{ status: statusMock }`,
 * `res.status = statusMock`, `Object.assign(res, { throw: throwSpy })`. By name, per file.
 */
function standInsFor(sourceFile: ts.SourceFile, names: ReadonlySet<string>): Set<string> {
  let perFile = standInCache.get(sourceFile);
  if (!perFile) standInCache.set(sourceFile, (perFile = new Map<ReadonlySet<string>, Set<string>>()));
  let found = perFile.get(names);
  if (found) return found;
  found = new Set();
  const out = found;
  // `{ status: statusSpy as any }`, `res.status = statusSpy!`
  const held = (value: ts.Expression): string | undefined => {
    let node = value;
    while (
      ts.isAsExpression(node) ||
      ts.isParenthesizedExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node)
    )
      node = node.expression;
    return ts.isIdentifier(node) ? node.text : undefined;
  };
  const visit = (node: ts.Node): void => {
    let name: string | undefined;
    if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      names.has(node.name.text)
    )
      name = held(node.initializer);
    else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      names.has(node.left.name.text)
    )
      name = held(node.right);
    if (name) out.add(name);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  perFile.set(names, found);
  return found;
}

/** Methods that return a reply's or an error's status: Nest `getStatus()`, node-mocks-http `_getStatusCode()`. */
const STATUS_GETTERS = new Set(['getStatus', '_getStatusCode']);

/** Per test file: its helpers (by name) and the indexes of their parameters asserted as a reply's status. */
const helperCache = new WeakMap<ts.SourceFile, Map<string, number[]>>();

/**
 * The file's own assertion helpers: functions (declared, or a `const` holding an arrow or function expression)
 * with a parameter that the body compares with a reply's status, `expect(e.response.statusCode).toBe(status)`,
 * `.expect(status)` on a request, `assert.equal(res.statusCode, status)`, `expect(res.status)
 * .toHaveBeenCalledWith(status)`. A 403 passed there is the assertion's expected status
 * (node-oauth2-jwt-bearer's `expectFailsWith(got(url), 403, ...)`).
 */
function statusParameters(sourceFile: ts.SourceFile): Map<string, number[]> {
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
  return fn.parameters.flatMap((p, index) =>
    ts.isIdentifier(p.name) && assertsAsStatus(body, p.name.text) ? [index] : [],
  );
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

/** Whether `body` compares a reply's status with the identifier `name` (see `statusParameters`). */
function assertsAsStatus(body: ts.Node, name: string): boolean {
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
    node.forEachChild(visit);
  };
  visit(body);
  return found;
}

/** Request methods of a supertest / superagent chain (`agent.post('/x')`). */
const REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

/**
 * A variable holding a supertest / superagent request built in the same function (or file):
 * `let req = agent.post(\`/p/${id}/import\`).attach(...)`, later `await req.expect(403)` (etherpad-lite's
 * import tests; the request is kept in a variable so that `.auth()` can be added conditionally).
 */
function isHeldRequest(identifier: ts.Identifier): boolean {
  let scope: ts.Node = identifier;
  while (scope.parent && !isFunctionLike(scope)) scope = scope.parent;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === identifier.text &&
      node.initializer &&
      isRequestChain(node.initializer)
    )
      found = true;
    else node.forEachChild(visit);
  };
  visit(scope);
  return found;
}

/** A call chain that contains a request method called with a path or URL (`request(app).get('/x').set(...)`). */
function isRequestChain(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const first = node.arguments[0];
    if (REQUEST_METHODS.has(node.expression.name.text) && first && isPathLike(first)) return true;
    node = node.expression.expression;
  }
  return false;
}

/** `'/x'`, `'http://h/x'`, `` `/p/${id}` ``, `` `${base}/x` ``. */
function isPathLike(expression: ts.Expression): boolean {
  const text =
    ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)
      ? expression.text
      : ts.isTemplateExpression(expression)
        ? expression.head.text || '/'
        : undefined;
  return text !== undefined && /^(\/|https?:)/.test(text);
}

/**
 * The parameter of a hand-written mock response's status method, read in its body: `code` in
 * `const res = { status: (code) => ({ send: () => expect(code).toEqual(403) }) }` or `status(code) { ... }`
 * (unleash's middleware tests). The nearest function declaring the name decides.
 */
function isMockStatusParameter(identifier: ts.Identifier): boolean {
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    if (!isFunctionLike(node) || !('parameters' in node)) continue;
    const fn = node as ts.SignatureDeclaration;
    if (!fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === identifier.text)) continue;
    const parent = fn.parent;
    const name =
      ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name)
        ? fn.name.text
        : parent &&
            ts.isPropertyAssignment(parent) &&
            parent.initializer === fn &&
            ts.isIdentifier(parent.name)
          ? parent.name.text
          : '';
    return (
      STATUS_METHODS.has(name) &&
      fn.parameters[0] !== undefined &&
      ts.isIdentifier(fn.parameters[0].name) &&
      fn.parameters[0].name.text === identifier.text
    );
  }
  return false;
}

/** `expect(res).to.have.status(403)`, `res.should.have.status(403)`. */
function isChaiChain(object: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(object) && ['have', 'has'].includes(object.name.text);
}

/** `'FORBIDDEN'`: the tRPC error code a procedure answers 403 with (`new TRPCError({ code: 'FORBIDDEN' })`). */
function isTrpcCode(
  value: ts.Expression | undefined,
): value is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return Boolean(
    value &&
    (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) &&
    value.text === TRPC_CODES[403],
  );
}

/** `expect(error.code)`, `expect(err.data?.code)`, `expect(e.shape.data.code)`: an error's code, the subject. */
function isCodeSubject(object: ts.Expression): boolean {
  const subject = expectSubject(object);
  return Boolean(subject && ts.isPropertyAccessExpression(subject) && subject.name.text === 'code');
}

/**
 * A test of tRPC procedures: it imports a tRPC package or calls a server-side caller (`createCaller(ctx)`,
 * `createCallerFactory(router)`), so a `code: 'FORBIDDEN'` it expects is the procedure's TRPCError code
 * (trpc.ts rewrites it with the status), not a body text of the project's own.
 */
function trpcTest(analysis: FileAnalysis): boolean {
  let known = TRPC_TESTS.get(analysis);
  if (known === undefined) {
    known = /\bfrom\s*['"]@trpc\/|\brequire\(\s*['"]@trpc\/|\bcreateCaller(?:Factory)?\b/.test(analysis.text);
    TRPC_TESTS.set(analysis, known);
  }
  return known;
}
const TRPC_TESTS = new WeakMap<FileAnalysis, boolean>();

/** The tRPC code a test expects, as a site: renamed to the target's code, or manual when tRPC has none. */
function trpcCode(analysis: FileAnalysis, value: ts.Expression, form: ts.Node): void {
  const to = TRPC_CODES[analysis.target];
  if (to) analysis.addSite({ node: form, framework: 'tests', edits: [analysis.phraseEdit(value, to)] });
  else
    analysis.addSite({
      node: form,
      framework: 'tests',
      manual: true,
      reason: `The test expects the tRPC code FORBIDDEN (403) and tRPC has no code for ${analysis.target}: assert on the status instead.`,
    });
}
