import ts from '../../../typescript.cjs';
import { isFunctionLike } from '../../scope.js';
import { isRequestClient } from '../../test-unread-requests.js';
import { REQUEST_METHODS } from './vocabulary.js';

// What a test sends to the server it checks (house37b): the body, query, headers and URL of a request. A 403 in
// them (`request(app).post('/403').send({ status: 403 }).expect(403)`, `app.inject({ payload: { status: 403 } })`,
// `fetch(url, { body: JSON.stringify({ status: 403 }) })`, Hono `$post({ json: { status: 403 } })`, a Lambda
// event's body) is never a 403 the test builds itself: the server answers the request, whatever it holds, so an
// assertion on the reply follows that server (or is named when none is found), never `test-fixture`.

/** The not-an-emit kind of a 403 a test sends in a request (no 403 the test builds, test-built.ts `BUILT_KINDS`). */
export const REQUEST_INPUT = 'request-input';

/**
 * Keys only an AWS API Gateway / Lambda function URL event holds (AWS Lambda developer guide, "Using Lambda with
 * API Gateway", payload format 1.0 and 2.0): an object literal holding one is a request handed to a handler.
 */
const EVENT_KEYS = new Set([
  'httpMethod',
  'requestContext',
  'routeKey',
  'rawPath',
  'rawQueryString',
  'pathParameters',
  'queryStringParameters',
  'multiValueQueryStringParameters',
  'multiValueHeaders',
]);

/** Hono's typed client methods (`client.api.items.$post({ json })`; hono docs, "RPC", "Testing Helper"). */
const CLIENT_METHODS = /^\$(get|post|put|patch|delete|options|head)$/;

/** Fetch-API request objects a test hands to an app (`app.fetch(new Request(url, { body }))`). */
const REQUEST_CLASSES = new Set(['Request', 'NextRequest']);

/** HTTP clients a test calls bare with the URL and the options (`got(url, { json })`, `axios({ data })`). */
const BARE_CLIENTS = new Set(['fetch', 'got', 'ky', 'axios', 'needle', 'superagent']);

/**
 * Whether `node` is part of what a test sends in a request to a server: an argument (at any depth, through object
 * literals and calls such as `JSON.stringify`) of a request call (supertest / superagent / chai-http / pactum
 * `request(app).post('/x', …)`, light-my-request and hapi `inject({ payload, query, headers })`, `fetch(url,
 * { body })`, Hono `app.request(url, init)` and `$post({ json, query })`, `new Request(url, init)`, axios / got /
 * ky), of a member of a request chain (`.send(…)`, `.query(…)`, `.set(…)`, `.field(…)`, `.payload(…)`,
 * `.withJson(…)`), or of an API Gateway event (an object literal holding `httpMethod`, `requestContext`,
 * `queryStringParameters`…). An assertion's argument (`.expect(403)`, `.expectStatus(403)`) is no input, nor is
 * anything inside a function (a reply callback is code that runs).
 */
export function isRequestInput(node: ts.Node): boolean {
  for (let child = node; child.parent; child = child.parent) {
    const parent = child.parent;
    if (isFunctionLike(parent)) return false;
    if (ts.isObjectLiteralExpression(child) && isEventLiteral(child)) return true;
    if (ts.isNewExpression(parent) && parent.arguments?.includes(child as ts.Expression))
      if (ts.isIdentifier(parent.expression) && REQUEST_CLASSES.has(parent.expression.text)) return true;
    if (!ts.isCallExpression(parent) || !parent.arguments.includes(child as ts.Expression)) continue;
    if (isAssertionMember(parent)) return false;
    if (makesRequest(parent) || inRequestChain(parent)) return true;
  }
  return false;
}

/** An object literal that is an API Gateway event (see `EVENT_KEYS`). */
function isEventLiteral(literal: ts.ObjectLiteralExpression): boolean {
  return literal.properties.some(
    (p) =>
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      EVENT_KEYS.has(p.name.text),
  );
}

/** `.expect(403)`, `.expectStatus(403)`, `.should(…)`, `.assert…(…)`: an assertion of a request chain. */
function isAssertionMember(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return /^(expect|assert)/.test(callee.text);
  return (
    ts.isPropertyAccessExpression(callee) && /^(should|and|to|expect\w*|assert\w*)$/.test(callee.name.text)
  );
}

/** The name a call's callee ends in (`fetch`, `app.inject` -> `inject`), '' for anything else. */
function calleeName(call: ts.CallExpression): string {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
}

/** Whether a call makes a request to a server (see `isRequestInput`). */
function makesRequest(call: ts.CallExpression): boolean {
  const callee = call.expression;
  const name = calleeName(call);
  if (CLIENT_METHODS.test(name)) return true;
  if (ts.isIdentifier(callee) && BARE_CLIENTS.has(name)) return true;
  // `app.fetch(request)`, `app.request(url, init)`, undici `client.request({ path, body })`.
  if (ts.isPropertyAccessExpression(callee) && (name === 'fetch' || name === 'request')) return true;
  // light-my-request's own export `inject(app, { payload })`; `app.inject({ payload })`, hapi `server.inject(…)`;
  // not a DI container's `TestBed.inject(Service)`.
  if (name === 'inject') {
    const first = call.arguments[0];
    return !(
      ts.isPropertyAccessExpression(callee) &&
      (/testbed|injector|container|module/i.test(callee.expression.getText()) ||
        (first !== undefined && /^[A-Z]/.test(first.getText())))
    );
  }
  if (ts.isPropertyAccessExpression(callee) && REQUEST_METHODS.has(name))
    return isRequestClient(callee.expression, call.getSourceFile());
  if (ts.isElementAccessExpression(callee)) return isRequestClient(callee.expression, call.getSourceFile());
  return false;
}

/** Whether a call is a member of a chain below which a request is made (`request(app).post('/x').send(…)`). */
function inRequestChain(call: ts.CallExpression): boolean {
  let node: ts.Expression = call.expression;
  for (let i = 0; i < 40; i++) {
    while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = node.expression;
    else if (ts.isCallExpression(node)) {
      if (makesRequest(node)) return true;
      // `app.inject()`: light-my-request's chain root (`.post('/x').payload(…)`).
      if (calleeName(node) === 'inject' && !node.arguments.length) return true;
      node = node.expression;
    } else return false;
  }
  return false;
}
