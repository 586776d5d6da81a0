import { ts } from 'ts-morph';
import { parseSpecPath, serverBasePath, type Segments } from './paths.js';
import { unwrap } from './project.js';
import { nodeAt } from './reach.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

/** The request a test assertion checks: method and path, with each `${…}` as a parameter segment. */
export interface TestRequest {
  method: string;
  segments: Segments;
}

/**
 * Finds the request an assertion at `position` is about: first in its own call chain
 * (`request(app).get('/x').expect(403)`), else the last request made before it in the same test function
 * (`const res = await app.inject({ method, url })`, `await fetch(url, { method })`, `await request.get(url)`).
 */
export function requestOf(sourceFile: ts.SourceFile, position: number): TestRequest | undefined {
  const node = nodeAt(sourceFile, position);
  if (!node) return undefined;
  let top: ts.Node = node;
  while (
    top.parent &&
    (ts.isCallExpression(top.parent) ||
      ts.isPropertyAccessExpression(top.parent) ||
      ts.isAwaitExpression(top.parent))
  )
    top = top.parent;
  const inChain: TestRequest[] = [];
  collect(top, inChain, Number.POSITIVE_INFINITY, sourceFile);
  if (inChain.length) return inChain[inChain.length - 1];
  let fn: ts.Node | undefined = node.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return undefined;
  const before: TestRequest[] = [];
  collect(fn, before, position, sourceFile);
  return before[before.length - 1];
}

function collect(root: ts.Node, out: TestRequest[], before: number, sourceFile: ts.SourceFile): void {
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) >= before) return;
    node.forEachChild(visit); // inner calls first: `request(app).get(x)` before `.expect()`
    if (ts.isCallExpression(node)) {
      const found = requestCall(node);
      if (found) out.push(found);
    }
  };
  visit(root);
}

function requestCall(call: ts.CallExpression): TestRequest | undefined {
  const callee = call.expression;
  const first = call.arguments[0];
  if (!first) return undefined;
  if (ts.isPropertyAccessExpression(callee) && HTTP_METHODS.has(callee.name.text)) {
    const segments = urlSegments(first);
    const method = callee.name.text === 'del' ? 'DELETE' : callee.name.text.toUpperCase();
    return segments ? { method, segments } : undefined;
  }
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : '';
  const options = unwrap(first);
  // hapi / light-my-request: `server.inject('/x')` is a GET.
  if (name === 'inject' && !ts.isObjectLiteralExpression(options)) {
    const segments = urlSegments(first);
    return segments ? { method: 'GET', segments } : undefined;
  }
  if (name === 'inject' && ts.isObjectLiteralExpression(options)) {
    const url = property(options, 'url') ?? property(options, 'path');
    const method = property(options, 'method');
    const segments = url ? urlSegments(url) : undefined;
    const methodText =
      method && ts.isStringLiteral(unwrap(method)) ? (unwrap(method) as ts.StringLiteral).text : 'GET';
    return segments ? { method: methodText.toUpperCase(), segments } : undefined;
  }
  if (name === 'fetch') {
    const segments = urlSegments(first);
    const init = call.arguments[1] ? unwrap(call.arguments[1]) : undefined;
    const method = init && ts.isObjectLiteralExpression(init) ? property(init, 'method') : undefined;
    const methodText =
      method && ts.isStringLiteral(unwrap(method)) ? (unwrap(method) as ts.StringLiteral).text : 'GET';
    return segments ? { method: methodText.toUpperCase(), segments } : undefined;
  }
  return undefined;
}

/** `'/a/b'`, `` `/a/${id}` ``, `` `${base}/a` `` (a leading expression is an origin), without query. */
function urlSegments(expression: ts.Expression): Segments | undefined {
  const node = unwrap(expression);
  let text: string;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
  else if (ts.isTemplateExpression(node)) {
    const leadingOrigin = node.head.text === '';
    text = node.head.text;
    node.templateSpans.forEach((span, index) => {
      text += leadingOrigin && index === 0 ? '' : '{p}';
      text += span.literal.text;
    });
  } else return undefined;
  if (!/^(\/|https?:\/\/)/.test(text)) return undefined;
  const path = /^https?:/.test(text) ? serverBasePath(text) : (text.split(/[?#]/)[0] ?? '');
  return parseSpecPath(path);
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name) return p.initializer;
  return undefined;
}
