import ts from '../typescript.cjs';
import { propertyValue as property, skipOuter } from './analysis/syntax.js';
import { isFunctionLike } from './scope.js';

/**
 * HTTP requests the code makes as a client (the Fetch API, axios, ky, got, ofetch/`$fetch`, Nuxt `useFetch`),
 * read syntactically: method and URL path, for §7 readers (a `status === 403` next to a request to a route of
 * the same repository). Supertest chains (`request(app).get(…)`) are test requests, not clients.
 */

/** One part of a URL as written: static text, or an expression whose value the code computes. */
export type UrlPart = { text: string } | { hole: ts.Expression; param?: number };

/** A request's URL: the parts of its template, after same-file constants were substituted. */
export interface ClientUrl {
  parts: UrlPart[];
}

export interface ClientRequest {
  call: ts.CallExpression | ts.NewExpression;
  /** Upper-case method; undefined when the code computes it (any method may be meant). */
  method?: string;
  url: ClientUrl;
  /** The client as written (`fetch`, `axios.get`, `api.post`), for reasons. */
  client: string;
  /** `baseURL` of an axios/ky instance created in the same file (`axios.create({ baseURL: '/api' })`). */
  base?: ClientUrl;
  /** The instance the request goes through (`api` in `api.get(…)`), when it is a plain name. */
  receiver?: ts.Identifier;
  /** The method is a parameter of the function around the request (`fetch(url, { method })`): its index. */
  methodParam?: number;
}

const FETCH_FUNCTIONS = new Set([
  'fetch',
  '$fetch',
  'ofetch',
  'useFetch',
  'useLazyFetch',
  'ky',
  'got',
  'axios',
]);
const GLOBALS = new Set(['window', 'globalThis', 'self']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
const TEST_CLIENTS = new Set(['request', 'supertest', 'agent', 'chai']);

/** Every client request made inside `root` (nested callbacks included), in text order. */
export function clientRequests(root: ts.Node): ClientRequest[] {
  const out: ClientRequest[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const found = clientRequest(node);
      if (found) out.push(found);
    }
    node.forEachChild(visit);
  };
  visit(root);
  return out;
}

/** The request a call makes, when it is a client call with a URL argument. */
export function clientRequest(call: ts.CallExpression | ts.NewExpression): ClientRequest | undefined {
  const callee = call.expression;
  const args = call.arguments ?? [];
  const first = args[0];
  if (!first) return undefined;
  if (ts.isNewExpression(call)) {
    if (!ts.isIdentifier(callee) || callee.text !== 'Request') return undefined;
    return fromUrlAndInit(call, 'new Request', first, args[1], 'GET');
  }
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        GLOBALS.has(callee.expression.text)
      ? callee.name.text
      : undefined;
  if (name && (FETCH_FUNCTIONS.has(name) || (ts.isIdentifier(callee) && wrapsFetch(callee)))) {
    // `axios({ url, method })`, `got({ url })`: one config object.
    const config = unwrap(first);
    if (ts.isObjectLiteralExpression(config)) return fromConfig(call, name, config);
    return fromUrlAndInit(call, name, first, args[1], 'GET');
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const receiver = unwrap(callee.expression);
  if (isTestChain(receiver)) return undefined;
  const client = `${receiver.getText()}.${method}`;
  let request: ClientRequest | undefined;
  if (METHODS.has(method)) {
    // A route registration passes handlers; a client passes data and config.
    if (args.slice(1).some((a) => isFunctionLike(unwrap(a)))) return undefined;
    // `'users/1'` without a slash is a path only for a client with a base URL (`headers.get('etag')`,
    // `params.get('id')` and `map.get('key')` are not requests).
    const url = urlOf(first, isKnownClient(receiver));
    request = url ? { call, method: method.toUpperCase(), url, client } : undefined;
  } else if (method === 'request') {
    const config = unwrap(first);
    request = ts.isObjectLiteralExpression(config) ? fromConfig(call, client, config) : undefined;
  } else if (method === 'fetch' || method === 'raw' || method === 'native') {
    request = fromUrlAndInit(call, client, first, args[1], 'GET');
  }
  if (request && ts.isIdentifier(receiver)) request.receiver = receiver;
  return request;
}

function fromUrlAndInit(
  call: ts.CallExpression | ts.NewExpression,
  client: string,
  urlArgument: ts.Expression,
  init: ts.Expression | undefined,
  defaultMethod: string,
): ClientRequest | undefined {
  const url = urlOf(urlArgument, client !== 'fetch' && client !== 'new Request');
  if (!url) return undefined;
  const options = init ? unwrap(init) : undefined;
  if (!options || !ts.isObjectLiteralExpression(options)) return { call, method: defaultMethod, url, client };
  const request: ClientRequest = { call, method: methodOf(options), url, client };
  const value = property(options, 'method');
  const param =
    value && ts.isIdentifier(unwrap(value)) ? parameterIndex(unwrap(value) as ts.Identifier) : undefined;
  if (param !== undefined) request.methodParam = param;
  return request;
}

function fromConfig(
  call: ts.CallExpression,
  client: string,
  config: ts.ObjectLiteralExpression,
): ClientRequest | undefined {
  const urlValue = property(config, 'url');
  const url = urlValue ? urlOf(urlValue, true) : undefined;
  if (!url) return undefined;
  const base = property(config, 'baseURL') ?? property(config, 'prefixUrl');
  const request: ClientRequest = { call, method: methodOf(config), url, client };
  if (base) request.base = urlOf(base, true);
  return request;
}

/** `const fetchWithRetry = retry(fetch)`, `const http = wrap(window.fetch)`: a name for a wrapped fetch. */
function wrapsFetch(name: ts.Identifier): boolean {
  const init = constantOf(name);
  const call = init ? unwrap(init) : undefined;
  return Boolean(
    call &&
    ts.isCallExpression(call) &&
    call.arguments.some((a) => {
      const argument = unwrap(a);
      const text = ts.isPropertyAccessExpression(argument) ? argument.name.text : argument.getText();
      return text === 'fetch';
    }),
  );
}

/** `method: 'POST'` in an init or config object; GET when absent; undefined when computed. */
function methodOf(options: ts.ObjectLiteralExpression): string | undefined {
  const value = property(options, 'method');
  if (!value) return 'GET';
  const node = unwrap(value);
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
    ? node.text.toUpperCase()
    : undefined;
}

/** `axios`, `ky`, `got`, or an instance made by `X.create(…)` / `X.extend(…)` in the same file. */
function isKnownClient(receiver: ts.Expression): boolean {
  return (
    ts.isIdentifier(receiver) && (FETCH_FUNCTIONS.has(receiver.text) || instanceBase(receiver) !== undefined)
  );
}

/** `request(app).get(…)`, `supertest(server).post(…)`, `chai.request(app).get(…)`: a test's request. */
function isTestChain(receiver: ts.Expression): boolean {
  let node = receiver;
  while (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node)) {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      if (TEST_CLIENTS.has(name)) return true;
    }
    node = node.expression;
  }
  return false;
}

/**
 * A URL argument as parts, or undefined when it cannot be a URL: a string or template (`/api/x`,
 * `` `${API}/x/${id}` ``, `API + '/x'`), or a name for one (resolved to a `const` of the same file, else a hole).
 * A relative path without a leading slash (`'users'`) counts only for clients with a base URL (`relative`).
 */
export function urlOf(expression: ts.Expression, relative: boolean): ClientUrl | undefined {
  const parts = partsOf(expression, 0);
  const text = parts.map((p) => ('text' in p ? p.text : '{}')).join('');
  const head = parts[0];
  if (!head) return undefined;
  if (head && 'hole' in head) return { parts };
  if (/^(\/|https?:\/\/|\/\/)/i.test(text)) return { parts };
  if (relative && /^[\w.~-]+(\/|$|\?)/.test(text) && !/\s/.test(text) && /[/]|^[a-z][\w-]*$/i.test(text))
    return { parts };
  return undefined;
}

function partsOf(expression: ts.Expression, depth: number): UrlPart[] {
  const node = unwrap(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ text: node.text }];
  if (ts.isTemplateExpression(node)) {
    const out: UrlPart[] = [{ text: node.head.text }];
    for (const span of node.templateSpans)
      out.push(...partsOf(span.expression, depth + 1), { text: span.literal.text });
    return merge(out);
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return merge([...partsOf(node.left, depth + 1), ...partsOf(node.right, depth + 1)]);
  if (ts.isIdentifier(node) && depth < 6) {
    const declared = constantOf(node);
    if (declared) return partsOf(declared, depth + 1);
    const param = parameterIndex(node);
    return [param === undefined ? { hole: node } : { hole: node, param }];
  }
  return [{ hole: node }];
}

function merge(parts: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if ('text' in part && part.text === '') continue;
    if (last && 'text' in last && 'text' in part) last.text += part.text;
    else out.push('text' in part ? { ...part } : part);
  }
  return out;
}

/** The initializer of a `const` (or a single-assignment `let`) named like `name` in the scopes around it. */
function constantOf(name: ts.Identifier): ts.Expression | undefined {
  for (let node: ts.Node | undefined = name.parent; node; node = node.parent) {
    if (
      isFunctionLike(node) &&
      node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name.text)
    )
      return undefined;
    const statements = ts.isSourceFile(node) || ts.isBlock(node) ? node.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name.text && d.initializer && d.initializer !== name)
          return d.initializer.pos <= name.pos && name.end <= d.initializer.end ? undefined : d.initializer;
    }
  }
  return undefined;
}

/** The index of the parameter of the enclosing function that `name` is, if it is one. */
function parameterIndex(name: ts.Identifier): number | undefined {
  for (let node: ts.Node | undefined = name.parent; node; node = node.parent) {
    if (!isFunctionLike(node)) continue;
    const index = node.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name.text);
    if (index >= 0) return index;
  }
  return undefined;
}

/** `axios.create({ baseURL })` / `ky.create({ prefixUrl })` / `ky.extend(…)` held by `receiver` in its file. */
export function instanceBase(receiver: ts.Identifier): ClientUrl | undefined {
  const init = constantOf(receiver);
  const call = init ? unwrap(init) : undefined;
  if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression))
    return undefined;
  if (!['create', 'extend'].includes(call.expression.name.text)) return undefined;
  const config = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (!config || !ts.isObjectLiteralExpression(config)) return undefined;
  const base = property(config, 'baseURL') ?? property(config, 'prefixUrl') ?? property(config, 'baseUrl');
  return base ? { parts: partsOf(base, 0) } : { parts: [] };
}

/** skipOuter, and also through `await` (a client call is usually awaited). */
function unwrap(expression: ts.Expression): ts.Expression {
  let node = skipOuter(expression);
  while (ts.isAwaitExpression(node)) node = skipOuter(node.expression);
  return node;
}
