import ts from '../../../typescript.cjs';
import { fixedInitializer, nearestVariable } from '../../test-fixed-values.js';
import { isExpect, isOuter } from '../../analysis/syntax.js';
import { isFunctionLike } from '../../scope.js';
import { isJapaClient } from '../../routes/japa-client.js';
import {
  STATUS_PROPERTIES,
  STATUS_METHODS,
  PHRASE_KEYS,
  BODY_STATUS_KEYS,
  STATUS_GETTERS,
  REQUEST_METHODS,
  CHAI_LANGUAGE_CHAINS,
} from './vocabulary.js';

// What an assertion is about: the reply's status (`res.status`, `res.statusCode`, `error.getStatus()`), its text,
// a parsed body's status or phrase key, a mocked response's status method, a supertest request held in a variable.

/**
 * `expect(res.status)`, `expect(res.statusCode)`, `expect(response.status())`, possibly via `.to`/`.not`;
 * with `names`, the mocked method itself (`expect(res.status)` before `.toHaveBeenCalledWith`).
 */
export function isStatusSubject(object: ts.Expression, names = STATUS_PROPERTIES): boolean {
  const subject = expectSubject(object);
  return Boolean(subject && isStatusAccess(subject, names, names === STATUS_PROPERTIES));
}

/**
 * Words of an assertion chain that keep its subject: chai's language chains (chai "API: BDD": to, be, been, is,
 * that, which, and, has, have, with, at, of, same, but, does, still, also) and flags, and should.js's (should.js
 * "Assertions": an, of, a, and, be, has, have, with, is, which, the, it). Session 47 added the words beyond
 * `to be not deep that which have been shallow`: `res.should.have.property('status').which.is.exactly(403)` was "a
 * shape mtls-fix does not know".
 */
const CHAIN_WORDS: ReadonlySet<string> = new Set([
  ...CHAI_LANGUAGE_CHAINS,
  // chai's flags
  'not',
  'deep',
  'shallow',
  // should.js's own
  'an',
  'a',
  'the',
  'it',
]);

/** What `expect(x)` (or chai's `x.should`) is about, through `.to.be.not...` links; undefined when `object` is none. */
export function expectSubject(object: ts.Expression): ts.Expression | undefined {
  let node = object;
  while (ts.isPropertyAccessExpression(node) && CHAIN_WORDS.has(node.name.text)) node = node.expression;
  // chai's `should` style: `res.status.should.equal(403)`, `res.status.should.have.been.calledWith(403)`
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'should') {
    let subject: ts.Expression = node.expression;
    while (ts.isParenthesizedExpression(subject)) subject = subject.expression;
    return subject;
  }
  // chai's plugin API: `new chai.Assertion(res.status).to.equal(403)` (in `Assertion.addMethod`) is an `expect`
  if (ts.isNewExpression(node) && isAssertionClass(node.expression)) {
    let subject = node.arguments?.[0];
    while (subject && ts.isParenthesizedExpression(subject)) subject = subject.expression;
    return subject;
  }
  // chai's property chain: `expect(res).to.have.property('status').that.equals(403)` is about that property
  if (chaiProperty(node)) return node;
  // should.js called as a function: `should(res.status).equal(403)`, `should(res.status).be.exactly(403)`
  const should =
    ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'should';
  if (!ts.isCallExpression(node) || (!should && !isExpect(node.expression))) return undefined;
  // expect(await res.status)
  let subject = node.arguments[0];
  while (subject && (ts.isAwaitExpression(subject) || ts.isParenthesizedExpression(subject)))
    subject = subject.expression;
  return subject;
}

/** chai's `Assertion` class (`new chai.Assertion(x)`, `new Assertion(x)`, `new _chai.Assertion(x)`). */
function isAssertionClass(callee: ts.Expression): boolean {
  return (
    (ts.isIdentifier(callee) && callee.text === 'Assertion') ||
    (ts.isPropertyAccessExpression(callee) && callee.name.text === 'Assertion')
  );
}

/**
 * `expect(res.body.message)`, `expect(res.body.error)`, `expect((await res.json()).title)`: a body key that
 * holds the reason phrase in framework-shaped bodies (PHRASE_KEYS), read from the reply's parsed body.
 */
export function isBodyPhraseSubject(object: ts.Expression): boolean {
  return isBodyMember(expectSubject(object), PHRASE_KEYS);
}

/**
 * `expect(res.body.code)`, `expect((await res.json()).status)`: a key of a parsed body that mirrors the status
 * (BODY_STATUS_KEYS), as `expect(res.status)` is the status itself.
 */
export function isBodyStatusSubject(object: ts.Expression): boolean {
  return isBodyMember(expectSubject(object), BODY_STATUS_KEYS);
}

/** `<parsed body>.<key>` with `key` among `keys` (see `isParsedBody`). */
export function isBodyMember(expression: ts.Expression | undefined, keys: ReadonlySet<string>): boolean {
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
export function isParsedBody(expression: ts.Expression | undefined): boolean {
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

/** The initializer of the `const` (or never rewritten `var` / `let`) an identifier names in an enclosing block. */
function constValue(identifier: ts.Identifier): ts.Expression | undefined {
  const found = nearestVariable(identifier);
  return found && fixedInitializer(found.declaration);
}

/** A reply's status or its mirror in a parsed body (`res.status`, `res.body.code`). */
export function isStatusValue(expression: ts.Expression): boolean {
  return isStatusAccess(expression) || isBodyMember(expression, BODY_STATUS_KEYS);
}

/**
 * Whether `expression` reads a member named in `names` (the reply's status unless told): `res.status`,
 * `res.statusCode`, with `call` also `error.getStatus()` / `res._getStatusCode()` and a bare `status` binding or
 * mock status parameter; for other names, a stand-in spy the test put in place of that method.
 */
export function isStatusAccess(expression: ts.Expression, names = STATUS_PROPERTIES, call = true): boolean {
  let node = expression;
  if (names === STATUS_PROPERTIES) {
    // `expect(res).to.have.property('status').that.equals(403)`: the property the chain names
    const property = chaiProperty(node);
    if (property) return STATUS_PROPERTIES.has(property);
    // `expect(res.statusCode ?? res.status).toBe(403)`: either member holds the reply's status
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return isStatusAccess(node.left, names, call) && isStatusAccess(node.right, names, call);
  }
  if (call && ts.isCallExpression(node) && node.arguments.length === 0) {
    node = node.expression;
    // Nest's HttpException `expect(error.getStatus()).toBe(403)`; node-mocks-http's mocked response
    // `expect(res._getStatusCode()).toBe(403)`.
    if (ts.isPropertyAccessExpression(node) && STATUS_GETTERS.has(node.name.text)) return true;
  }
  // `const { status } = await request(app).get('/x')`, a helper's `statusCode` parameter: named for the status;
  // or the parameter of a hand-written mock response's status method (`status: (code) => ...`).
  if (names === STATUS_PROPERTIES && ts.isIdentifier(node))
    return names.has(node.text) || isMockStatusParameter(node) || mockStatusStores(node).has(node.text);
  // `params.code` with `status(code) { params.code = code; ... }` in a hand-written mock response: where the
  // mock keeps the status it was given, asserted later (`assert() { expect(params.code).to.equal(403) }`).
  if (
    names === STATUS_PROPERTIES &&
    ts.isPropertyAccessExpression(node) &&
    mockStatusStores(node).has(node.getText())
  )
    return true;
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
    while (isOuter(node)) node = node.expression;
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
    // `const res = { writeHead, end }` with `const writeHead = vi.fn()` (the MCP SDK's fakeReqRes)
    else if (ts.isShorthandPropertyAssignment(node) && names.has(node.name.text)) name = node.name.text;
    else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      names.has(node.left.name.text)
    )
      name = held(node.right);
    // `const status = sinon.spy(res, 'status')`, `jest.spyOn(res, 'status')`, `sinon.stub(res, 'sendStatus')`:
    // a spy on the mock's own method.
    else if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      spiedMethod(node.initializer, names)
    )
      name = node.name.text;
    if (name) out.add(name);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  perFile.set(names, found);
  return found;
}

/** Spy makers that take the object and the method's name: sinon's `spy` / `stub`, jest's and vitest's `spyOn`. */
const SPY_MAKERS = new Set(['spy', 'stub', 'spyOn']);

/** Whether `value` spies on a method named in `names`: `sinon.spy(res, 'status')`, `jest.spyOn(res, 'status')`. */
function spiedMethod(value: ts.Expression, names: ReadonlySet<string>): boolean {
  let call: ts.Expression = value;
  // `jest.spyOn(res, 'status').mockReturnValue(res)`: the spy the chain starts from
  while (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    !SPY_MAKERS.has(call.expression.name.text) &&
    ts.isCallExpression(call.expression.expression)
  )
    call = call.expression.expression;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
  const method = call.arguments[1];
  return (
    SPY_MAKERS.has(call.expression.name.text) &&
    !!method &&
    ts.isStringLiteralLike(method) &&
    names.has(method.text)
  );
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

const storeCache = new WeakMap<ts.SourceFile, Set<string>>();

/**
 * What a test file's hand-written mock responses store their status parameter in (`params.code = code` or
 * `sent = code` inside `status(code) { ... }`): the stores' texts, per file (express-jwt-authz's
 * `createResponse()` keeps the code and asserts it in its `assert()` method).
 */
function mockStatusStores(at: ts.Node): Set<string> {
  const sourceFile = at.getSourceFile();
  let found = storeCache.get(sourceFile);
  if (found) return found;
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.right) &&
      (ts.isIdentifier(node.left) || ts.isPropertyAccessExpression(node.left)) &&
      isMockStatusParameter(node.right)
    )
      out.add(node.left.getText(sourceFile));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  storeCache.set(sourceFile, (found = out));
  return found;
}

/**
 * `expect(res).to.have.status(403)`, `res.should.have.status(403)`; also through chai's flags
 * (`expect(res).to.have.nested.property('status', 403)`, `.own.property`, `.deep.own.property`).
 */
export function isChaiChain(object: ts.Expression): boolean {
  let node = object;
  while (ts.isPropertyAccessExpression(node) && ['nested', 'own', 'deep'].includes(node.name.text))
    node = node.expression;
  return ts.isPropertyAccessExpression(node) && ['have', 'has'].includes(node.name.text);
}

/**
 * The property a chai chain moves its subject to, with no expected value of its own:
 * `expect(res).to.have.property('status')` (then `.that.equals(403)`) reads `status`; undefined otherwise.
 */
function chaiProperty(node: ts.Expression): string | undefined {
  if (
    !ts.isCallExpression(node) ||
    node.arguments.length !== 1 ||
    !ts.isPropertyAccessExpression(node.expression) ||
    node.expression.name.text !== 'property' ||
    !isChaiChain(node.expression.expression)
  )
    return undefined;
  const name = node.arguments[0];
  return ts.isStringLiteralLike(name) ? name.text : undefined;
}

/**
 * A variable holding a supertest / superagent request built in the same function (or file):
 * `let req = agent.post(\`/p/${id}/import\`).attach(...)`, later `await req.expect(403)` (etherpad-lite's
 * import tests; the request is kept in a variable so that `.auth()` can be added conditionally).
 */
export function isHeldRequest(identifier: ts.Identifier): boolean {
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

/**
 * A call chain that contains a request method called with a path or URL (`request(app).get('/x').set(...)`), or
 * any URL on a Japa / vow test's `client` (`client.get('users')`, `client.get(route('users.show'))`).
 */
function isRequestChain(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const first = node.arguments[0];
    if (
      REQUEST_METHODS.has(node.expression.name.text) &&
      first &&
      (isPathLike(first) || isJapaClient(node.expression.expression))
    )
      return true;
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
