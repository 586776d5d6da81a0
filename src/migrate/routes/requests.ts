import ts from '../../typescript.cjs';
import { chainTop } from '../test-chains.js';
import { parseSpecPath, serverBasePath, type Segments } from './paths.js';
import { isFunctionNode, unwrap } from './project.js';
import { nodeAt } from './reach.js';
import { isJapaClient } from './japa-client.js';
import { isRunnerCall } from '../test-scopes.js';
import { computedMethod, type ComputedMethod } from '../test-request-methods.js';
import {
  isOptionsUnread,
  optionValue,
  readOptions,
  type BindParameter,
  type OptionsRead,
} from '../test-request-options.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

/**
 * The method of a request whose options the test builds in a way the code does not spell out (a helper's
 * result, a variable, a spread): it may be any method.
 */
export const UNREAD_METHOD = '*';

/** The request a test assertion checks: method and path, with each `${…}` as a parameter segment. */
export interface TestRequest {
  /** Upper-case method; `UNREAD_METHOD` when the test's options do not show it. */
  method: string;
  /**
   * A request made once with each of these methods (`for (const m of ['get', 'post']) await
   * request(app)[m](url)`); `method` is then `UNREAD_METHOD`.
   */
  methods?: readonly string[];
  segments: Segments;
  /** The call that makes the request (`request(app).get('/x')`, `app.inject({...})`): which app it goes to. */
  call?: ts.CallExpression;
}

/**
 * Finds the request an assertion at `position` is about: first in its own call chain
 * (`request(app).get('/x').expect(403)`), else the last request made before it in the same test function
 * (`const res = await app.inject({ method, url })`, `await fetch(url, { method })`, `await request.get(url)`).
 */
export function requestOf(
  sourceFile: ts.SourceFile,
  position: number,
  /** Calls that are not requests to the code under test (a nock/msw mock of another service). */
  skip: (call: ts.CallExpression) => boolean = () => false,
  /**
   * Only a request of the assertion's own call (an assertion helper called with the reply it checks,
   * `expectFailsWith(got(url), 403)`): one made earlier in the test is another request's.
   */
  chainOnly = false,
  /**
   * The static string of an expression of the test file, when it has one (`PUBLIC_API_PREFIX` imported from
   * the app module): a path's leading `${PREFIX}` that is a path (starts with `/`) is kept, not taken for an
   * origin. Unresolved, a leading expression is an origin when its name says so (`${baseUrl}/x`, `isOriginName`);
   * another (`${prefix}/x`) leaves the request unread.
   */
  resolve: Resolve = () => undefined,
  /**
   * A request this module does not read but the caller does (the test follower's request whose URL is not
   * read, test-unread-requests.ts): it takes its place among the requests, so that no other request of the
   * test stands for it.
   */
  unread?: (call: ts.CallExpression) => TestRequest | undefined,
  /**
   * A parameter of the helper around the request read as its caller's argument (`renderResponse(server,
   * options)` calling `server.inject(options)`, test-helper-requests.ts): request options handed in.
   */
  bind?: BindParameter,
): TestRequest | undefined {
  const node = nodeAt(sourceFile, position);
  if (!node) return undefined;
  // `request(app)[method](path)`: the computed member of a request's chain is climbed, never its index.
  const top = chainTop(node, { awaits: true, elements: 'object' });
  const inChain: TestRequest[] = [];
  collect(top, inChain, Number.POSITIVE_INFINITY, sourceFile, skip, resolve, unread, bind);
  if (inChain.length) return inChain[inChain.length - 1];
  if (chainOnly) return undefined;
  let fn: ts.Node | undefined = node.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  while (fn) {
    const before: TestRequest[] = [];
    collect(fn, before, position, sourceFile, skip, resolve, unread, bind);
    if (before.length) return before[before.length - 1];
    // A callback of a request's own chain checks that request's reply: `request(app).get('/x')
    // .then((res) => { expect(res.body.code)... })`, `.end((err, res) => ...)`, supertest `.expect((res) => ...)`.
    const chain = chainOfCallback(fn);
    if (!chain) {
      // A callback the test hands to a call of its own code (`internals.asyncCheck(() => { expect(res...) },
      // done)`, `setImmediate(() => ...)`) inside a request's reply callback or after a request: the function
      // around it holds the request. A test, suite or hook body, a named helper, or a function that is no
      // call's argument is where the walk stops.
      if (!isCallbackArgument(fn)) return undefined;
      fn = fn.parent;
      while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
      continue;
    }
    const own: TestRequest[] = [];
    collect(chain, own, Number.POSITIVE_INFINITY, sourceFile, skip, resolve, unread, bind);
    if (own.length) return own[own.length - 1];
    // A callback of a chain without a request (`Promise.all([...]).then(cb)`): the function around it.
    fn = chain.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  }
  return undefined;
}

/**
 * Whether `fn` is an anonymous function passed as an argument to a call that is not a test runner's
 * (`check(() => ..., done)`, `process.nextTick(() => ...)`, `new Promise((resolve) => ...)`): code of the test
 * that runs inside it.
 */
function isCallbackArgument(fn: ts.Node): boolean {
  if (!ts.isArrowFunction(fn) && !(ts.isFunctionExpression(fn) && !fn.name)) return false;
  const call = fn.parent;
  if (ts.isNewExpression(call)) return Boolean(call.arguments?.includes(fn));
  return ts.isCallExpression(call) && call.arguments.includes(fn) && !isRunnerCall(call);
}

/** Chain methods whose callback receives the reply of the request before them (promise, superagent, supertest). */
const REPLY_CALLBACKS = new Set(['then', 'end', 'expect', 'catch', 'finally']);

/** For a function passed to `<chain>.then(fn)` (or `.end`, `.expect`...): the chain; else undefined. */
function chainOfCallback(fn: ts.Node): ts.Expression | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !REPLY_CALLBACKS.has(callee.name.text)) return undefined;
  return callee.expression;
}

function collect(
  root: ts.Node,
  out: TestRequest[],
  before: number,
  sourceFile: ts.SourceFile,
  skip: (call: ts.CallExpression) => boolean,
  resolve: Resolve,
  unread?: (call: ts.CallExpression) => TestRequest | undefined,
  bind?: BindParameter,
): void {
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) >= before) return;
    node.forEachChild(visit); // inner calls first: `request(app).get(x)` before `.expect()`
    if (ts.isCallExpression(node) && !skip(node)) {
      const found = requestCall(node, resolve, bind) ?? unread?.(node);
      if (found) out.push({ ...found, call: node });
    }
  };
  visit(root);
}

function requestCall(
  call: ts.CallExpression,
  resolve: Resolve,
  bind?: BindParameter,
): TestRequest | undefined {
  const callee = call.expression;
  const first = call.arguments[0];
  if (!first) return clientCall(callee);
  if (ts.isPropertyAccessExpression(callee) && HTTP_METHODS.has(callee.name.text)) {
    // Japa's / vow's context `client` joins a path without its leading `/` to its base URL (japa-client.ts).
    const segments = urlSegments(first, resolve, isJapaClient(callee.expression));
    const method = callee.name.text === 'del' ? 'DELETE' : callee.name.text.toUpperCase();
    return segments ? { method, segments } : undefined;
  }
  // A method the test computes: `request(app)[method](path)`, `agent[verb.toLowerCase()](url)`,
  // `app.inject()[m](url)`. A call handing a function is a route registration (`router[m]('/x', handler)`).
  if (ts.isElementAccessExpression(callee)) {
    const method = computedMethod(callee.argumentExpression, resolve);
    if (!method || call.arguments.some((a) => isFunctionNode(unwrap(a)))) return undefined;
    const segments = urlSegments(first, resolve);
    return segments ? { ...requestMethod(method), segments } : undefined;
  }
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : '';
  // light-my-request's own export takes the dispatch function first: `inject(app, { method, url })`,
  // `inject(app, '/x')`; a receiver's `app.inject(...)` takes the options first.
  const given = name === 'inject' && ts.isIdentifier(callee) && call.arguments[1] ? call.arguments[1] : first;
  const options = unwrap(given);
  // A test helper called with the method and the path (bedrock-core's `request('POST', '/1/users', body)`);
  // Cypress's `cy.request('POST', '/users', body)` (docs.cypress.io/api/commands/request, "Syntax").
  const verb = ts.isStringLiteral(options) ? options.text.toLowerCase() : '';
  if (
    (ts.isIdentifier(callee) || name === 'request') &&
    HTTP_METHODS.has(verb) &&
    verb !== 'del' &&
    call.arguments[1]
  ) {
    const segments = urlSegments(call.arguments[1], resolve);
    if (segments) return { method: verb.toUpperCase(), segments };
  }
  // Options as a reader of the test reads them: inline, a variable of the scope and the writes to it before
  // the request, spreads, a function of the file that returns them (test-request-options.ts).
  const read =
    name === 'inject' || name === 'request' || name === 'axios' ? readOptions(given, call, bind) : undefined;
  // hapi / light-my-request: `server.inject('/x')` is a GET.
  if (name === 'inject' && !read) {
    const segments = urlSegments(given, resolve);
    return segments ? { method: 'GET', segments } : undefined;
  }
  if (name === 'inject')
    return read && !isOptionsUnread(read) ? readRequest(read, ['url', 'path'], resolve) : undefined;
  // `fetch(url, init)`, a Fetch-API app (Hono and other web-standard servers) called directly:
  // `app.request('/x', init)`, `app.fetch(new Request('http://localhost/x', init))`, a `Request` built earlier.
  // undici: a dispatcher's options (`client.request({ method, path: '/x' })`, `pool.request({ origin, path })`),
  // and its `request(url, { method })` export (a bare `request(app)`, supertest's, holds no URL: no request).
  // axios's config form, `axios({ method: 'post', url: '/x' })` (axios README "axios(config)").
  if ((name === 'request' || name === 'axios') && read && !isOptionsUnread(read))
    return readRequest(read, ['path', 'url'], resolve);
  // got and ky called bare: `got(url, { method, throwHttpErrors: false })`, `ky(url, { method })` (their READMEs).
  if (name === 'fetch' || name === 'request' || name === 'got' || name === 'ky') {
    const request = requestObject(first, call.getSourceFile());
    const target = request ? request.url : first;
    const segments = urlSegments(target, resolve);
    const initArgument = request ? request.init : call.arguments[1];
    const init = initArgument ? readOptions(initArgument, call, bind) : undefined;
    if (isOptionsUnread(init)) return segments ? { method: UNREAD_METHOD, segments } : undefined;
    return segments ? { ...methodOf(init, resolve), segments } : undefined;
  }
  return clientCall(callee);
}

/** The request read options make: the first of `urls` they set, read as a path, and their method. */
function readRequest(read: OptionsRead, urls: readonly string[], resolve: Resolve): TestRequest | undefined {
  for (const name of urls) {
    const { value, why } = optionValue(read, name);
    if (why) return undefined;
    if (!value) continue;
    const segments = urlSegments(value, resolve);
    return segments ? { ...methodOf(read, resolve), segments } : undefined;
  }
  return undefined;
}

/** Constructors of Fetch-API request objects a test hands to an app (`new Request(url, init)`). */
const REQUEST_CLASSES = new Set(['Request', 'NextRequest']);

/**
 * `new Request(url, init)` given inline, or through a `const` of the same file that holds one; `undefined`
 * for anything else (a URL string is read by the caller).
 */
function requestObject(
  expression: ts.Expression,
  sourceFile: ts.SourceFile,
): { url: ts.Expression; init: ts.Expression | undefined } | undefined {
  let node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const initializer = constInitializer(sourceFile, node.text);
    if (!initializer) return undefined;
    node = unwrap(initializer);
  }
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression)) return undefined;
  if (!REQUEST_CLASSES.has(node.expression.text)) return undefined;
  const url = node.arguments?.[0];
  return url ? { url, init: node.arguments?.[1] } : undefined;
}

/**
 * The initializer of the one variable named `name` declared in the file, if there is exactly one. Asked once per
 * request call with an identifier argument (`request(app)`): the file's variables are indexed once per file, as a
 * walk of the file per call made a test file of many tests quadratic.
 */
function constInitializer(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  let index = DECLARED.get(sourceFile);
  if (!index) DECLARED.set(sourceFile, (index = declaredValues(sourceFile)));
  const found = index.get(name);
  return found?.length === 1 && found[0] && !ts.isIdentifier(found[0]) ? found[0] : undefined;
}

/** Each file's variables by name: each declaration's initializer, or its name when declared without a value. */
const DECLARED = new WeakMap<ts.SourceFile, Map<string, ts.Expression[]>>();

function declaredValues(sourceFile: ts.SourceFile): Map<string, ts.Expression[]> {
  const out = new Map<string, ts.Expression[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      let list = out.get(node.name.text);
      if (!list) out.set(node.name.text, (list = []));
      list.push(node.initializer ?? node.name); // declared without a value: ambiguous in constInitializer
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/** Hono's typed client (`testClient(app)`, `hc(url)`): `$get`, `$post`, ... named after the method. */
const CLIENT_METHODS = new Map([
  ['$get', 'GET'],
  ['$post', 'POST'],
  ['$put', 'PUT'],
  ['$patch', 'PATCH'],
  ['$delete', 'DELETE'],
  ['$options', 'OPTIONS'],
  ['$head', 'HEAD'],
]);

/**
 * A Hono client request: `client.api.items[':id'].$get({ param })` is `GET /api/items/:id`; the chain's root
 * (the client variable or `testClient(app)`) is not part of the path, and `index` stands for `/`.
 * Source: hono docs, "RPC" and "Testing Helper" (`testClient`).
 */
function clientCall(callee: ts.Expression): TestRequest | undefined {
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = CLIENT_METHODS.get(callee.name.text);
  if (!method) return undefined;
  const parts: string[] = [];
  let node: ts.Expression = callee.expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(node)) {
      parts.unshift(node.name.text);
      node = node.expression;
    } else if (ts.isElementAccessExpression(node)) {
      const key = unwrap(node.argumentExpression);
      if (!ts.isStringLiteral(key) && !ts.isNoSubstitutionTemplateLiteral(key)) return undefined;
      parts.unshift(key.text);
      node = node.expression;
    } else break;
  }
  if (!parts.length) return undefined;
  if (parts[parts.length - 1] === 'index') parts.pop();
  const path = `/${parts.join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return { method, segments: parseSpecPath(path) };
}

/**
 * Words that make a name an origin wherever they stand in it (`baseUrl`, `BASE_URL`, `origin`, `server.info.uri`,
 * `app.address()`, `host`, `endpoint`).
 */
const ORIGIN_WORD = /origin|host|base|server|endpoint|address|addr|domain|port|listen/i;
/**
 * A last name that is a URL alone or one of an API or app (`url`, `this.uri`, `apiUrl`, `API_URL`): an origin.
 * A URL qualified otherwise is a resource's (`saveduri`, `locationUrl`, a reply's `Location`): a path, whose
 * tail (`saveduri + '/comments'`) is no route of its own (breaker34 #03).
 */
const URL_NAME =
  /^(api|app|root|service|site|web|remote|target|backend|gateway|proxy|local|test)?_?(url|uri)$/i;

/**
 * Whether the name of an unresolved leading part of a request URL says it holds an origin (ORIGIN_WORD,
 * URL_NAME): then the rest of the URL is its path; another unresolved one may be a path prefix, and the request
 * is not read.
 */
function isOriginName(text: string): boolean {
  if (ORIGIN_WORD.test(text)) return true;
  const last =
    text
      .replace(/\(.*\)$/s, '')
      .split('.')
      .pop() ?? '';
  return URL_NAME.test(last);
}

/** The static string of an expression, when the caller can tell it (see `requestOf`). */
export type Resolve = (expression: ts.Expression) => string | undefined;

/**
 * `'/a/b'`, `` `/a/${id}` ``, `` `${base}/a` `` (a leading expression is an origin, unless it resolves to a
 * path: `` `${API_PREFIX}/a` ``; unresolved and not named as an origin, `isOriginName`, the URL is not read),
 * `PREFIX + '/a'` when it resolves; without query.
 */
function urlSegments(expression: ts.Expression, resolve: Resolve, relative = false): Segments | undefined {
  const node = unwrap(expression);
  // WHATWG `new URL(input, base)`: an input that is a path or a whole URL replaces the base's path, so the
  // input alone gives it (`new URL('/x', address)`); a relative one (`new URL('x', base)`) is not read.
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const input = node.arguments?.[0];
    return input ? urlSegments(input, resolve) : undefined;
  }
  let text: string;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
  else if (ts.isTemplateExpression(node)) {
    const leading = node.head.text === '' ? node.templateSpans[0] : undefined;
    const prefix = leading ? resolve(leading.expression) : undefined;
    let unknown = false;
    text = node.head.text;
    node.templateSpans.forEach((span) => {
      if (span === leading) {
        if (prefix !== undefined && /^(\/|https?:\/\/)/.test(prefix)) text += prefix;
        // Unresolved, it is taken for an origin only when its name says so (`${baseUrl}`, `${server.info.uri}`):
        // `${prefix}/users` read as `/users` would link the test to another route's site.
        else if (prefix === undefined && !isOriginName(leading.expression.getText())) unknown = true;
      } else {
        // A placeholder the code fixes (a constant, a table row's value) is its text; else one parameter.
        const value = resolve(span.expression);
        text += value !== undefined && !/[?#]|^https?:/.test(value) ? value : '{p}';
      }
      text += span.literal.text;
    });
    if (unknown) return undefined;
  } else {
    const whole = resolve(node) ?? concatenated(node, resolve);
    if (whole === undefined) return undefined;
    text = whole;
  }
  // `client.get('users')`, `` client.get(`users/${id}`) `` on a client that joins it to its base URL: `/users`.
  // A template that starts with a placeholder (`${id}/x`) stays unread: the placeholder may be an origin.
  if (
    relative &&
    text &&
    !/^(\/|https?:|\{p\})/.test(text) &&
    !(ts.isTemplateExpression(node) && !node.head.text)
  )
    text = `/${text}`;
  if (!/^(\/|https?:\/\/)/.test(text)) return undefined;
  const path = /^https?:/.test(text) ? serverBasePath(text) : (text.split(/[?#]/)[0] ?? '');
  // An empty segment inside the path (`/ftp///x`) stays one: routers do not merge slashes, and no parameter
  // matches it (`/ftp/:file` does not serve `/ftp///x`).
  return parseSpecPath(path.replace(/(?<=\/)(?=\/)/g, EMPTY_MARK)).map((s) =>
    s === EMPTY_MARK ? EMPTY_SEGMENT : s,
  );
}

/**
 * `'/files/' + name`, `BASE + '/files/' + encodeURIComponent(name)`: the parts read as a template's are, a part
 * known only at run time inside the path being a parameter (`{p}`); a leading one is an origin unless it
 * resolves to a path (unresolved, only when its name says so: `isOriginName`; else undefined). Undefined when the expression is no `+` chain or nothing after its head is static.
 */
function concatenated(node: ts.Expression, resolve: Resolve): string | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.PlusToken) return undefined;
  const parts = plusOperands(node, unwrap);
  // An unresolved head is an origin only when its name says so (`baseUrl + '/x'`); `prefix + '/x'` is not read.
  const head = parts[0];
  if (head && !ts.isStringLiteralLike(head) && resolve(head) === undefined && !isOriginName(head.getText()))
    return undefined;
  let text = '';
  let known = false;
  parts.forEach((part, i) => {
    const value = ts.isStringLiteralLike(part) ? part.text : resolve(part);
    if (value !== undefined) {
      // A leading value is the path only when it is one (`API + '/x'`), else it is an origin.
      if (i > 0 || /^(\/|https?:\/\/)/.test(value)) text += value;
      known ||= i > 0 || value.startsWith('/');
    } else if (i > 0) text += '{p}';
  });
  return known ? text : undefined;
}

/**
 * The operands of a `+` chain, left to right, each through `unwrapOne` (parentheses, `as`...): `a + (b + c)`
 * gives `[a, b, c]`; an expression that is no `+` gives itself.
 */
export function plusOperands(
  node: ts.Expression,
  unwrapOne: (expression: ts.Expression) => ts.Expression,
): ts.Expression[] {
  const parts: ts.Expression[] = [];
  const flatten = (e: ts.Expression): void => {
    const inner = unwrapOne(e);
    if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      flatten(inner.left);
      flatten(inner.right);
    } else parts.push(inner);
  };
  flatten(node);
  return parts;
}

/** Stands for an empty path segment while a path is parsed. */
const EMPTY_MARK = '\uE003';
/** An empty request path segment: contains `/`, which no route parameter matches and no literal equals. */
const EMPTY_SEGMENT = '/';

/**
 * The method that request options (light-my-request's `inject` options, a Fetch `RequestInit`, as
 * test-request-options.ts reads them) name: `GET` when there are none or they name no method, `UNREAD_METHOD`
 * when it cannot be read (a spread of a value not read that may carry it, a write in a branch, a method that is
 * not a constant string).
 */
function methodOf(
  options: OptionsRead | undefined,
  resolve: Resolve,
): Pick<TestRequest, 'method' | 'methods'> {
  if (!options) return { method: 'GET' };
  const { value: method, why } = optionValue(options, 'method');
  if (why) return { method: UNREAD_METHOD };
  if (!method) return { method: 'GET' };
  const value = unwrap(method);
  if (ts.isStringLiteralLike(value)) return { method: value.text.toUpperCase() };
  const text = resolve(value);
  if (text) return { method: text.toUpperCase() };
  // `{ method: verb }` inside a loop over methods; a string that names no method is sent as it is.
  return requestMethod(computedMethod(value, resolve) ?? { any: true });
}

/** A computed method as the request carries it. */
function requestMethod(method: ComputedMethod): Pick<TestRequest, 'method' | 'methods'> {
  if ('method' in method) return { method: method.method };
  if ('each' in method && method.each.length > 1) return { method: UNREAD_METHOD, methods: method.each };
  return { method: 'each' in method && method.each[0] ? method.each[0] : UNREAD_METHOD };
}
