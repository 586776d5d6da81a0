import ts from '../typescript.cjs';
import { unwrap } from './routes/project.js';
import { isJapaClient, namedRouteCall } from './routes/japa-client.js';
import { UNREAD_METHOD, type TestRequest } from './routes/requests.js';
import { computedMethod } from './test-request-methods.js';
import { isFunctionLike } from './scope.js';
import { REQUEST_METHODS } from './frameworks/tests/vocabulary.js';
import { isOptionsUnread, optionValue, readOptions, type OptionsRead } from './test-request-options.js';
import { calleeName } from './census-syntax.js';

// A request of a test whose URL mtls-fix cannot read (breaker34 #03): `request(app).delete(saveduri)`,
// `.delete(res.headers.location)`, `fetch(url, { method: 'DELETE' })`, `app.inject({ method: 'DELETE', url })`.
// routes/requests.ts reads only requests whose URL it can spell (a literal, a template, a constant); before this
// module such a request was invisible, so the assertion on its reply went to another request of the same test
// (an earlier POST, a GET of `saveduri + '/comments'`), naming a route it never checks.

/** A request whose method is known (or `UNREAD_METHOD`) and whose URL is not: its segments are empty. */
export interface UnreadRequest extends TestRequest {
  /** The URL expression as the test writes it (`saveduri`, `res.headers.location`), for reasons. */
  readonly unreadUrl: string;
  /**
   * Which part of the request options could not be read, when that is what hides the URL (test-request-options.ts):
   * "`url` of `options` is assigned in a branch at line 12", "`buildOptions()` is a call whose result ...".
   */
  readonly why?: string;
  /**
   * The URL is built from a route's name that no single route has (or a name not read: japa-client.ts): the
   * request is never linked by its method alone, as another unread URL may be.
   */
  readonly named?: true;
}

/** Whether a request is one whose URL is not read (see `UnreadRequest`). */
export function isUnreadRequest(request: TestRequest): request is UnreadRequest {
  return 'unreadUrl' in request;
}

/**
 * HTTP client packages whose default export (or module object) makes requests by method name:
 * `axios.delete(url)`, `got.delete(url)`, `superagent.del(url)`. Sources: axios README "Request method
 * aliases"; got README "got.get / got.post ..."; superagent docs "request.del()".
 */
const CLIENT_PACKAGES = new Set([
  'axios',
  'got',
  'ky',
  'superagent',
  'supertest',
  'needle',
  'node-fetch',
  'undici',
  'pactum',
  'chai-http',
  'request',
  'supertest-session',
]);

/**
 * Calls at the root of a request chain: supertest `request(app)` / `supertest(app)` / `request.agent(app)`,
 * chai-http `chai.request(app)`, pactum `spec()` / `pactum.spec()`, light-my-request `app.inject()` (no
 * argument), Hono `testClient(app)`, axios `axios.create()`.
 */
const ROOT_CALLS = new Set([
  'request',
  'supertest',
  'agent',
  'superagent',
  'st',
  'session',
  'spec',
  'create',
]);

/**
 * A request call of a test whose URL is given but not as a path mtls-fix reads (a variable, a member, a call's
 * result, a template of only a variable): the client method names the method (`.delete(x)` is DELETE, `fetch(x,
 * { method: 'DELETE' })`, `inject({ method: 'DELETE', url })`); `UNREAD_METHOD` when options are not spelled out.
 * Only calls on a request client count: `res.get('Location')`, `map.delete(key)` or `repo.delete(id)` are no
 * request. A URL written as a path (`'/x'`, `` `/x/${id}` ``) is routes/requests.ts's, not this one's.
 */
export function unreadRequestCall(
  call: ts.CallExpression,
  sourceFile: ts.SourceFile,
): UnreadRequest | undefined {
  const callee = unwrap(call.expression);
  const first = call.arguments[0];
  if (!first || looksLikePath(first)) return undefined;
  const unread = (
    method: Pick<TestRequest, 'method' | 'methods'>,
    url: ts.Expression,
    why?: string,
  ): UnreadRequest | undefined =>
    readsHelperParameter(url)
      ? undefined
      : { ...method, segments: [], call, unreadUrl: url.getText(sourceFile), ...(why ? { why } : {}) };
  // Options handed whole (`server.inject(options)`, `fetch(url, init)`): read as a reader of the test would.
  const fromOptions = (given: ts.Expression, urls: readonly string[]): UnreadRequest | undefined | 'none' => {
    const read = readOptions(given, call);
    if (!read) return 'none';
    if (isOptionsUnread(read)) return unread({ method: UNREAD_METHOD }, given, read.unread);
    for (const name of urls) {
      const { value, why } = optionValue(read, name);
      if (why) return unread(readMethod(read), given, why);
      if (!value) continue;
      return looksLikePath(value) ? undefined : unread(readMethod(read), value);
    }
    return undefined;
  };
  if (ts.isPropertyAccessExpression(callee) && REQUEST_METHODS.has(callee.name.text)) {
    const japa = isJapaClient(callee.expression);
    if (!japa && !isClient(callee.expression, sourceFile)) return undefined;
    const name = callee.name.text;
    const named = japa ? namedRouteWhy(first) : undefined;
    const found = unread({ method: name === 'del' ? 'DELETE' : name.toUpperCase() }, first, named);
    return found && named ? { ...found, named: true } : found;
  }
  if (ts.isElementAccessExpression(callee)) {
    if (call.arguments.some((a) => isFunctionLike(unwrap(a)))) return undefined;
    if (!isClient(callee.expression, sourceFile)) return undefined;
    const method = computedMethod(callee.argumentExpression, () => undefined);
    if (!method) return undefined;
    if ('method' in method) return unread({ method: method.method }, first);
    if ('each' in method && method.each.length > 1)
      return unread({ method: UNREAD_METHOD, methods: method.each }, first);
    return unread({ method: ('each' in method && method.each[0]) || UNREAD_METHOD }, first);
  }
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : '';
  const options = unwrap(first);
  // light-my-request's own export, the dispatch function first: `inject(app, { method, url })`, `inject(app, url)`.
  const second = call.arguments[1] && unwrap(call.arguments[1]);
  if (name === 'inject' && ts.isIdentifier(callee) && second && !isFunctionLike(second)) {
    if (looksLikePath(second)) return undefined;
    const found = fromOptions(call.arguments[1], ['url', 'path']);
    return found === 'none' ? unread({ method: UNREAD_METHOD }, second) : found;
  }
  // light-my-request / hapi: `app.inject({ method, url })`, `server.inject(options)`, `server.inject(url)`.
  // Not a DI container's `TestBed.inject(Service)` / `moduleRef.inject(Token)`: a class or token is no URL.
  if (
    name === 'inject' &&
    ts.isPropertyAccessExpression(callee) &&
    !/testbed|injector|container|module/i.test(callee.expression.getText(sourceFile)) &&
    !/^[A-Z]/.test(first.getText(sourceFile))
  ) {
    const found = fromOptions(first, ['url', 'path']);
    return found === 'none' ? unread({ method: UNREAD_METHOD }, first) : found;
  }
  // `fetch(url, init)`; undici / Hono `request(url, init)`, `app.request(url)`; axios `axios(config)`.
  if (
    name === 'fetch' ||
    (name === 'request' && (call.arguments[1] || ts.isPropertyAccessExpression(callee)))
  ) {
    if (isChainRoot(call)) return undefined;
    if (ts.isPropertyAccessExpression(callee) && isChai(callee.expression)) return undefined;
    // `new Request(...)`, `new URL('/x', base)`: read by routes/requests.ts; `new URL(path, base)` with a path
    // it does not read (`new URL('x', base)`, relative to the base's own path) is unread.
    if (ts.isNewExpression(options) && !unreadUrlObject(options)) return undefined;
    if (ts.isObjectLiteralExpression(options) || !call.arguments[1]) {
      const found = fromOptions(first, ['path', 'url']);
      if (found !== 'none') return found;
    }
    return unread(call.arguments[1] ? initMethod(call.arguments[1], call) : { method: 'GET' }, first);
  }
  if ((name === 'axios' || name === 'got') && ts.isIdentifier(callee) && isClient(callee, sourceFile)) {
    if (ts.isObjectLiteralExpression(options) || !call.arguments[1]) {
      const found = fromOptions(first, ['url']);
      if (found !== 'none') return found;
    }
    return unread(call.arguments[1] ? initMethod(call.arguments[1], call) : { method: 'GET' }, first);
  }
  return undefined;
}

/**
 * Whether a URL reads a parameter of a helper function around it (`async function expectForbidden(path) {
 * await request(app).get(path) }`, `module.exports = (method, url) => { it(...) }`): each caller spells that
 * request out (test-helper-requests.ts, test-follow-callers.ts), so it is not unread. A parameter of a callback
 * handed to a call (`.then((res) => request(app).delete(res.headers.location))`) is a value of the test.
 */
function readsHelperParameter(url: ts.Expression): boolean {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    node.forEachChild(visit);
  };
  visit(url);
  for (let fn: ts.Node | undefined = url.parent; fn; fn = fn.parent) {
    if (!isFunctionLike(fn)) continue;
    const parent: ts.Node = fn.parent;
    if (
      (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
      parent.arguments?.includes(fn as ts.Expression)
    )
      continue;
    const parameters = (fn as ts.SignatureDeclaration).parameters;
    const bound = new Set<string>();
    const bind = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) bound.add(name.text);
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
    };
    parameters.forEach((p) => bind(p.name));
    if ([...names].some((n) => bound.has(n))) return true;
  }
  return false;
}

/**
 * Why a Japa / vow client's URL built from a route's name is not read (japa-client.ts): the name is not a string
 * the test spells, or no single route of the code has it. Undefined for a URL that is no named route's.
 */
function namedRouteWhy(url: ts.Expression): string | undefined {
  const named = namedRouteCall(url, () => undefined);
  if (!named) return undefined;
  return named.name === undefined
    ? `\`${named.text}\` builds it from a route name mtls-fix does not read`
    : `\`${named.text}\` builds it from the route identifier '${named.name}', which no single route of the code answers to (by its AdonisJS \`.as('${named.name}')\` name, a resource's name, its handler or its pattern; a route mtls-fix cannot read may)`;
}

/** `new URL(input, base)` whose input routes/requests.ts does not read as a path (`new URL('x', base)`). */
function unreadUrlObject(node: ts.NewExpression): boolean {
  if (!ts.isIdentifier(node.expression) || node.expression.text !== 'URL') return false;
  const input = node.arguments?.[0];
  return !input || !looksLikePath(input);
}

/** A URL routes/requests.ts reads as a path: a literal or a template that starts with `/` or `http(s)://`. */
function looksLikePath(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  const text = ts.isStringLiteralLike(node)
    ? node.text
    : ts.isTemplateExpression(node)
      ? node.head.text
      : undefined;
  return text !== undefined && /^(\/|https?:\/\/)/.test(text);
}

/** `request(app)` followed by `.get(...)`: the chain's root, not a request of its own. */
function isChainRoot(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return (
    (ts.isPropertyAccessExpression(parent) &&
      parent.expression === call &&
      !/^(then|catch|finally)$/.test(parent.name.text)) ||
    (ts.isElementAccessExpression(parent) && parent.expression === call)
  );
}

function isChai(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  return ts.isIdentifier(node) && node.text === 'chai';
}

/** The method read options name: `GET` when none, `UNREAD_METHOD` when it is not a string they spell. */
function readMethod(read: OptionsRead): Pick<TestRequest, 'method'> {
  const { value, why } = optionValue(read, 'method');
  if (why) return { method: UNREAD_METHOD };
  if (!value) return { method: 'GET' };
  const method = unwrap(value);
  return { method: ts.isStringLiteralLike(method) ? method.text.toUpperCase() : UNREAD_METHOD };
}

/** The method a Fetch `init` (or axios / got options) names, read as test-request-options.ts reads options. */
function initMethod(init: ts.Expression, call: ts.CallExpression): Pick<TestRequest, 'method'> {
  const read = readOptions(init, call);
  return read && !isOptionsUnread(read) ? readMethod(read) : { method: UNREAD_METHOD };
}

/**
 * Whether an expression is a request client (`request(app)`, `app.inject()`, an `axios` import, `const api =
 * request(app)`; see `isClient`): the receiver of `.post(url, …)` that makes a request.
 */
export function isRequestClient(expression: ts.Expression, sourceFile: ts.SourceFile): boolean {
  return isClient(expression, sourceFile);
}

/**
 * Whether the receiver of `.delete(x)` is a request client: a chain rooted in `request(app)`, `supertest(app)`,
 * `request.agent(app)`, `chai.request(app)`, pactum `spec()`, `app.inject()`; a module of an HTTP client package
 * (`axios`, `got`, `superagent`); a variable of the file that holds one of those (`const api = request(app)`,
 * `agent = supertest.agent(app)` in a hook, `const http = axios.create(...)`).
 */
function isClient(expression: ts.Expression, sourceFile: ts.SourceFile, depth = 0): boolean {
  if (depth > 4) return false;
  let node = unwrap(expression);
  for (let i = 0; i < 40; i++) {
    if (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node)) node = unwrap(node.expression);
    else if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const name = calleeName(callee) ?? '';
      if (name === 'inject' && ts.isPropertyAccessExpression(callee) && !node.arguments.length) return true;
      // A request already made (`request(app).post('/x')`, `app.inject(opts)`): its reply, no client.
      if (REQUEST_METHODS.has(name) || name === 'inject' || name === 'fetch' || name === 'then') return false;
      if (ROOT_CALLS.has(name)) {
        if (ts.isIdentifier(callee)) return isClientName(callee, sourceFile) || name !== 'create';
        if (ts.isPropertyAccessExpression(callee)) {
          const owner = unwrap(callee.expression);
          if (name === 'request') return isChai(owner);
          return isClient(owner, sourceFile, depth + 1) || (name !== 'create' && ts.isIdentifier(owner));
        }
      }
      node = callee;
    } else if (ts.isPropertyAccessExpression(node)) {
      // `this.agent`, `t.context.request`: the member's name says what it holds.
      if (/^(agent|request|client|api|http|supertest|server)$/i.test(node.name.text)) return true;
      node = unwrap(node.expression);
    } else if (ts.isIdentifier(node)) return isClientName(node, sourceFile, depth);
    else return false;
  }
  return false;
}

/**
 * An identifier that holds a client: a module import of an HTTP client package, or a variable of the file whose
 * initializer (or an assignment) is a client chain. Read from the file's index of names (`namesOf`), built once:
 * a test file asks this of every request call and every 403 a request sends (request-inputs.ts), so a scan of
 * the file per question made a file of many tests quadratic (test/migrate/large-test-file-cost.test.ts).
 */
function isClientName(identifier: ts.Identifier, sourceFile: ts.SourceFile, depth = 0): boolean {
  for (const holder of namesOf(sourceFile).get(identifier.text) ?? []) {
    if (holder.kind === 'import') {
      if (CLIENT_PACKAGES.has(holder.module)) return true;
    } else if (holder.kind === 'declared') {
      if (isRequire(holder.value) || isClient(holder.value, sourceFile, depth + 1)) return true;
    } else if (isClient(holder.value, sourceFile, depth + 1)) return true;
  }
  return false;
}

/** What gives a name of a file its value: a default or namespace import, a declaration's initializer, an assignment. */
type NameHolder =
  { kind: 'import'; module: string } | { kind: 'declared' | 'assigned'; value: ts.Expression };

const NAMES = new WeakMap<ts.SourceFile, Map<string, NameHolder[]>>();

/** The holders of each name of a file (`NameHolder`), in the order the file writes them; built once per file. */
function namesOf(sourceFile: ts.SourceFile): Map<string, NameHolder[]> {
  const known = NAMES.get(sourceFile);
  if (known) return known;
  const names = new Map<string, NameHolder[]>();
  const add = (name: string, holder: NameHolder): void => {
    const list = names.get(name);
    if (list) list.push(holder);
    else names.set(name, [holder]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const module = node.moduleSpecifier.text;
      if (clause?.name) add(clause.name.text, { kind: 'import', module });
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings))
        add(clause.namedBindings.name.text, { kind: 'import', module });
      return;
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
      add(node.name.text, { kind: 'declared', value: node.initializer });
    else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left)
    )
      add(node.left.text, { kind: 'assigned', value: node.right });
    node.forEachChild(visit);
  };
  visit(sourceFile);
  NAMES.set(sourceFile, names);
  return names;
}

/** `require('axios')`, `require('supertest')`: a client package's module. */
function isRequire(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require')
    return false;
  const spec = node.arguments[0];
  return Boolean(spec && ts.isStringLiteralLike(spec) && CLIENT_PACKAGES.has(spec.text));
}
