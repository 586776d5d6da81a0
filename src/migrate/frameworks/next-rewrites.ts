import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { shorten, unwrap } from './fetch-upstreams.js';

/**
 * Next.js middleware (`middleware.ts`, Next 16's `proxy.ts`) that rewrites a request to another origin:
 * `NextResponse.rewrite(new URL(path, 'https://legacy.example.com'))`, `NextResponse.rewrite(`${ORIGIN}/x`)`.
 * Next.js proxies the request there and sends that origin's answer, status included, as the app's own (Next.js
 * docs, "Middleware": `NextResponse.rewrite`, "rewrite to an external URL"). A 403 it answers reaches the client.
 * Returns how the destination is written, for the reason; undefined for a call that is not such a rewrite, or
 * whose destination is proven to be the app itself: `new URL(path, request.url)`, `request.nextUrl.clone()` (and a
 * name holding it), a path (`'/new'`). A destination the code builds otherwise may be another origin: it is reported.
 */
export function otherOriginRewrite(analysis: FileAnalysis, call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'rewrite') return undefined;
  if (!ts.isIdentifier(callee.expression)) return undefined;
  const binding = analysis.importOf(callee.expression.text);
  if (!binding || binding.name !== 'NextResponse' || !/^next(?:\/|$)/.test(binding.module)) return undefined;
  const destination = call.arguments[0];
  if (!destination || sameOrigin(destination, call, 0)) return undefined;
  return shorten(destination);
}

/** Adds the manual site for a rewrite to another origin. */
export function reportRewrite(analysis: FileAnalysis, call: ts.CallExpression, destination: string): void {
  analysis.addSite({
    node: call,
    framework: 'nextjs',
    manual: true,
    reason: `Implicit 403: this middleware rewrites the request to ${destination}, which may be another origin: Next.js sends that origin's answer as it is, so a 403 it answers reaches the client. On mTLS routes fetch it instead and map its 403: const res = await fetch(url, { headers: request.headers }); return res.status === 403 ? new NextResponse(res.body, { status: ${analysis.target}, headers: res.headers }) : res; (or make the origin answer ${analysis.target}).`,
  });
}

/** Whether a rewrite destination is the app's own origin (a path, the request's URL, a clone of nextUrl). */
function sameOrigin(expression: ts.Expression, at: ts.Node, depth: number): boolean {
  const node = unwrap(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text.startsWith('/');
  if (ts.isTemplateExpression(node)) return node.head.text.startsWith('/');
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const [path, base] = node.arguments ?? [];
    if (!base) return path !== undefined && isRequestUrl(path);
    // `new URL(`${process.env.BACKEND_URL}${pathname}`, request.url)`: an absolute first argument wins over the base.
    return path !== undefined && isPath(path) && isRequestUrl(base);
  }
  // request.nextUrl.clone(), request.nextUrl
  if (isRequestUrl(node)) return true;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    if (node.expression.name.text === 'clone') return isRequestUrl(node.expression.expression);
  }
  if (ts.isIdentifier(node) && depth < 4) {
    const values = valuesBefore(node.text, at);
    return values.length > 0 && values.every((v) => sameOrigin(v, at, depth + 1));
  }
  return false;
}

/**
 * Whether a URL argument is a path, never an absolute URL: a literal with no scheme (`'/new'`), a template led by
 * one, or the request's own `pathname` (`req.nextUrl.pathname`, a `pathname` destructured from it).
 */
function isPath(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  const relative = (text: string): boolean => !/^[a-z][\w+.-]*:/i.test(text) && !text.startsWith('//');
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return relative(node.text);
  if (ts.isTemplateExpression(node))
    return node.head.text ? relative(node.head.text) : isPath(node.templateSpans[0].expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return isPath(node.left);
  if (ts.isIdentifier(node)) return node.text === 'pathname';
  return ts.isPropertyAccessExpression(node) && node.name.text === 'pathname';
}

/** `request.url`, `req.nextUrl`, `request.nextUrl.origin`, `nextUrl` (destructured): the app's own URL. */
function isRequestUrl(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return node.text === 'nextUrl';
  if (!ts.isPropertyAccessExpression(node)) return false;
  if (['url', 'nextUrl'].includes(node.name.text)) return ts.isIdentifier(node.expression);
  if (['origin', 'href'].includes(node.name.text)) return isRequestUrl(node.expression);
  return false;
}

/** Initializers of `const name = …` in the functions around `at`. */
function valuesBefore(name: string, at: ts.Node): ts.Expression[] {
  const values: ts.Expression[] = [];
  let fn: ts.Node | undefined = at.parent;
  while (fn && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (!fn) return values;
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === name &&
      node.initializer
    )
      values.push(node.initializer);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return values;
}
