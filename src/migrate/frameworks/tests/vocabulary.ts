import ts from '../../../typescript.cjs';

// The words of test assertions that frameworks/tests.ts reads: matcher and assert names, the reply members
// that hold a status or its reason phrase, the body keys that mirror them.

/**
 * chai's language chains (chaijs.com/api/bdd, "Language Chains"): words that only read well, with no assertion of
 * their own (`expect(res).to.have.status(403)`, Cypress `.should('have.property', 'status', 403)`).
 */
export const CHAI_LANGUAGE_CHAINS: ReadonlySet<string> = new Set([
  'to',
  'be',
  'been',
  'is',
  'that',
  'which',
  'and',
  'has',
  'have',
  'with',
  'at',
  'of',
  'same',
  'but',
  'does',
  'still',
  'also',
]);

/** Matchers that compare the subject with one expected value: `toBe(403)`, chai `equal(403)`. */
export const EQUALITY_MATCHERS = new Set([
  'toBe',
  'toEqual',
  'toStrictEqual',
  'equal',
  'equals',
  'eq',
  'eql',
  'toEqualValue',
  // should.js `res.status.should.be.exactly(403)`
  'exactly',
]);

/** node:assert / tap / ava equality checks: `assert.equal(res.status, 403)`, `t.is(res.statusCode, 403)`. */
export const ASSERT_CALLS = new Set([
  'equal',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'is',
  'same',
  'equals',
  // tap `t.strictSame(res.statusCode, 403)`, `t.match(res.statusCode, 403)`
  'strictSame',
  'match',
]);

/**
 * chai's assert-style property checks, whose second argument names the property and third holds its value:
 * `assert.propertyVal(res, 'status', 403)`, `assert.nestedPropertyVal(res, 'status', 403)`.
 */
export const PROPERTY_VALUE_ASSERTS = new Set([
  'propertyVal',
  'nestedPropertyVal',
  'deepPropertyVal',
  'ownPropertyVal',
  'deepOwnPropertyVal',
]);

/** Reply and error members that hold the status (`httpCode`: routing-controllers' HttpError). */
export const STATUS_PROPERTIES = new Set(['status', 'statusCode', 'httpCode']);

/** `STATUS_PROPERTIES` as a list, for object keys. */
export const STATUS_KEYS = [...STATUS_PROPERTIES];

/** Matchers that compare a whole value: an expected object literal there is a mirror of the reply. */
export const OBJECT_MATCHERS = new Set([
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
export const CALL_MATCHERS = new Set([
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
export const STATUS_METHODS = new Set(['status', 'sendStatus', 'code', 'writeHead']);

/**
 * Mocked framework methods that take the status beside other arguments: Koa `ctx.throw(403, 'Forbidden')` and
 * `ctx.assert(ok, 403, msg)`, Hono `c.json(body, 403)` / `c.text(text, 403)` / `c.body(null, 403)` /
 * `c.newResponse(body, 403)`.
 */
export const STATUS_ARGUMENT_METHODS = new Set([
  'throw',
  'assert',
  'json',
  'text',
  'body',
  'html',
  'newResponse',
]);

/** Reply members that hold the reason phrase as the whole text: `res.text`, `res.statusText`. */
export const PHRASE_SUBJECTS = new Set(['text', 'statusText', 'statusMessage']);

/** Body keys that hold the reason phrase in framework-shaped bodies (Fastify, Boom, Nest): `error: 'Forbidden'`. */
export const PHRASE_KEYS = new Set(['error', 'message', 'title', 'statusMessage', 'statusText']);

/**
 * Body keys that mirror the status in error bodies: `statusCode` (Boom, Fastify, Nest), `status` (problem
 * details, RFC 9457), `code` (project error handlers that send `{ code: err.status, message }`). A `code` counts
 * only on a parsed body (`res.body.code`, `(await res.json()).code`) and only compared with a status value
 * (`403`, `httpStatus.FORBIDDEN`): `expect(res.body.code).toBe('forbidden')` is a text, never a status.
 */
export const BODY_STATUS_KEYS = new Set(['code', ...STATUS_PROPERTIES]);

/**
 * Matchers whose argument is the error class (or an instance of it) the code under test throws: jest/vitest
 * `toThrow(X)`, `rejects.toThrow(X)`, `toBeInstanceOf(X)`, chai `.throw(X)`, `.rejectedWith(X)`,
 * `.instanceOf(X)`, node:assert `assert.throws(fn, X)` / `assert.rejects(p, X)` (the class is the second argument).
 */
export const THROW_MATCHERS = new Set([
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

/** node:assert / tap checks whose second argument is the error class: `assert.throws(fn, X)`. */
export const ASSERT_THROWS = new Set(['throws', 'rejects']);

/**
 * Matchers named for the reply's status, whose argument is the expected status: project matchers added with
 * `expect.extend({ toHaveStatus })` (bedrock-core's jest setup), pactum's `spec().get(url).expectStatus(403)`,
 * Japa's api-client `const response = await client.get(url); response.assertStatus(403)` (AdonisJS 5 and 6).
 */
export const STATUS_MATCHERS = new Set([
  'toHaveStatus',
  'toHaveStatusCode',
  'toHaveHttpStatus',
  'toHaveHTTPStatus',
  'toHaveResponseStatus',
  'expectStatus',
  'assertStatus',
]);

/**
 * Assertions that take a boolean: node:assert / power-assert `assert(x)` and `assert.ok(x)`, ava and tap
 * `t.true(x)` / `t.truthy(x)` / `t.ok(x)` / `t.assert(x)` (and their negations), chai's `assert.isTrue(x)`.
 * A status comparison there (`assert(res.status === 403)`) asserts the status as `assert.equal` does.
 */
export const BOOLEAN_ASSERTS = new Set([
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
export const BOOLEAN_ASSERT_FUNCTIONS = new Set(['assert', 'ok']);

/** The equality operators of a status comparison asserted as a boolean (`res.status === 403`). */
export const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Matchers whose argument lists the statuses the reply may have: chai `oneOf`, jest-extended `toBeOneOf`. */
export const LIST_MATCHERS = new Set(['oneOf', 'toBeOneOf']);

/** Matchers asking a list (the subject) to hold the reply's status: `expect([403]).toContain(res.status)`. */
export const CONTAIN_MATCHERS = new Set([
  'toContain',
  'toContainEqual',
  'include',
  'includes',
  'contain',
  'contains',
]);

/** Methods that return a reply's or an error's status: Nest `getStatus()`, node-mocks-http `_getStatusCode()`. */
export const STATUS_GETTERS = new Set(['getStatus', '_getStatusCode']);

/** Request methods of a supertest / superagent chain (`agent.post('/x')`). */
export const REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);
