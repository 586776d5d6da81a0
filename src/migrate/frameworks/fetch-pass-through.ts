import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { ROUTE_METHODS } from '../scope.js';
import type { Framework } from './framework.js';

/**
 * Exported names a web-standard framework calls with a Request and answers with the Response they return: HTTP
 * method handlers (Next.js route handlers, SvelteKit `+server` endpoints, Astro endpoints, SolidStart API
 * routes, SvelteKit's `fallback`), Remix / React Router `loader` / `action` (a Response they return is sent as
 * it is) and Cloudflare Pages Functions' `onRequest` / `onRequestGet` / …. Sources: Next.js "Route Handlers",
 * SvelteKit "Routing: +server", Astro "Endpoints", Remix "loader", Cloudflare Pages "Functions: API reference".
 */
const HANDLER_EXPORTS = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'ALL',
  'fallback',
  'loader',
  'action',
  // Cloudflare Pages Functions (functions/**): onRequest for every method, onRequestGet, … for one.
  'onRequest',
  'onRequestGet',
  'onRequestPost',
  'onRequestPut',
  'onRequestPatch',
  'onRequestDelete',
  'onRequestHead',
  'onRequestOptions',
]);

/** How many names, wrappers and `new Response(…, init)` steps are followed back to the `fetch(…)`. */
const MAX_DEPTH = 6;

/** Modules whose fetch is the Fetch API's (a Response comes back). */
const FETCH_MODULES = ['undici', 'node-fetch', 'cross-fetch', 'isomorphic-fetch', '@whatwg-node/fetch'];

/** Web-standard routers whose route handlers answer with the Response they return. */
const WEB_ROUTERS: Record<string, string> = {
  hono: 'hono',
  '@hono/zod-openapi': 'hono',
  'itty-router': 'itty-router',
  elysia: 'elysia',
  h3: 'h3',
};

/**
 * Web-standard handlers that return the Response of an upstream `fetch()` as their own (a pass-through proxy):
 * `return fetch(url)`, `const r = await fetch(url); return r` (also a name assigned later), `new Response(r.body,
 * r)` (the upstream's init: status included), `cached ?? fetch(url)`, a same-file function that hands back the
 * Response it is given (`return cors(res)`), `event.respondWith(fetch(event.request))`, a Cloudflare service
 * binding's `env.API.fetch(request)`. A 403 the upstream answers reaches the client as it is, with no 403 in the
 * code: each is a manual site, `Implicit 403`, at the returned expression, with the remap to add. The handlers:
 * exported HTTP method handlers, Remix `loader` / `action` and Cloudflare Pages `onRequest*` (also `export { h as
 * GET }`), a Worker's or Bun's `fetch(request)` (an `export default { fetch }` object, `serve({ fetch })`,
 * `Deno.serve(fn)`), a route handler of Hono, itty-router, Elysia or h3 (and h3's `defineEventHandler(fn)`, its
 * `proxyRequest` / `sendProxy`), and an `export default` function taking a Request (Vercel / Netlify functions).
 * Code that reads the upstream's status first (`r.status === 403 ? … : r`, `if (!r.ok) …`) is not a site.
 * Express / Fastify proxies are middleware-403-table.ts packages; `{ status: r.status }` is a dynamic status.
 */
export const fetchPassThrough: Framework = {
  id: 'fetch-pass-through',
  title: 'Web handlers that return an upstream fetch() Response (Next.js, SvelteKit, Remix, Hono, Workers)',
  enablers: [],
  kinds: [ts.SyntaxKind.ReturnStatement, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (analysis.options.testFile) return;
    let returned: ts.Expression | undefined;
    let fn: ts.SignatureDeclaration | undefined;
    if (ts.isReturnStatement(node)) {
      returned = node.expression;
      fn = enclosingFunction(node);
    } else if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      returned = node.body;
      fn = node;
    } else if (ts.isCallExpression(node)) {
      if (isH3Proxy(analysis, node)) {
        report(analysis, node, 'h3', shorten(node, analysis));
        return;
      }
      // addEventListener('fetch', (event) => event.respondWith(fetch(event.request)))
      const callee = node.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'respondWith') return;
      returned = node.arguments[0];
      fn = enclosingFunction(node);
      const upstream = returned && fn && upstreamOf(analysis, returned, fn, 0);
      if (upstream && returned) report(analysis, returned, 'web', upstream);
      return;
    }
    if (!returned || !fn) return;
    const upstream = upstreamOf(analysis, returned, fn, 0);
    if (!upstream) return;
    const framework = handlerFramework(analysis, fn);
    if (framework) report(analysis, returned, framework, upstream);
  },
};

function report(analysis: FileAnalysis, node: ts.Expression, framework: string, upstream: string): void {
  const n = analysis.target;
  analysis.addSite({
    node,
    framework,
    manual: true,
    reason: `Implicit 403: this handler returns the upstream's Response (${upstream}), so a 403 the upstream answers reaches the client as it is. On mTLS routes rewrite what it returns: const res = await fetch(…); return res.status === 403 ? new Response(res.body, { status: ${n}, headers: res.headers }) : res;`,
  });
}

/**
 * h3's `proxyRequest(event, url)` / `sendProxy(event, url)` (Nuxt / Nitro server routes, where h3's helpers are
 * auto-imported): they send the upstream's answer, status included. Source: h3 docs, "Proxy" utilities.
 */
function isH3Proxy(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isIdentifier(callee) || !['proxyRequest', 'sendProxy'].includes(callee.text)) return false;
  const binding = analysis.importOf(callee.text);
  if (binding) return binding.module === 'h3' || binding.module === '#imports';
  return !declaresFunction(analysis.sourceFile, callee.text);
}

/** The nearest function around a node (the one a `return` returns from). */
function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let at = node.parent; at && !ts.isSourceFile(at); at = at.parent) if (ts.isFunctionLike(at)) return at;
  return undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAwaitExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isSatisfiesExpression(node)
  )
    node = node.expression;
  return node;
}

/**
 * How an expression is the upstream's Response, for the reason (`fetch(…)`, `upstream = fetch(…)`), or
 * undefined: a fetch call, a name the function declares from one (and does not read the status of), or
 * `new Response(body, upstream)`.
 */
function upstreamOf(
  analysis: FileAnalysis,
  expression: ts.Expression,
  fn: ts.SignatureDeclaration,
  depth: number,
): string | undefined {
  const node = unwrap(expression);
  if (ts.isCallExpression(node) && isFetch(analysis, node.expression)) return shorten(node, analysis);
  // `return cors(res)`: a function of the file that hands back the Response it is given (headers added).
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && depth < MAX_DEPTH) {
    const index = returnedParameter(analysis.sourceFile, node.expression.text);
    const argument = index === undefined ? undefined : node.arguments[index];
    const from = argument && upstreamOf(analysis, argument, fn, depth + 1);
    if (from) return `${node.expression.text}(${from})`;
  }
  if (ts.isIdentifier(node) && depth < MAX_DEPTH) {
    let from: string | undefined;
    for (const value of valuesIn(fn, node.text)) from ??= upstreamOf(analysis, value, fn, depth + 1);
    if (!from || readsStatus(fn, node.text)) return undefined;
    return from.startsWith(`${node.text} = `) ? from : `${node.text} = ${from}`;
  }
  // `cached ?? fetch(url)`, `hit ? hit : fetch(url)`: a branch that is the upstream's Response.
  if (ts.isConditionalExpression(node))
    return (
      upstreamOf(analysis, node.whenTrue, fn, depth + 1) ??
      upstreamOf(analysis, node.whenFalse, fn, depth + 1)
    );
  if (
    ts.isBinaryExpression(node) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)
  )
    return upstreamOf(analysis, node.right, fn, depth + 1);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Response') {
    const init = node.arguments?.[1];
    return init && depth < MAX_DEPTH ? upstreamOf(analysis, init, fn, depth + 1) : undefined;
  }
  return undefined;
}

/** `fetch`, `globalThis.fetch`, the event's `fetch` (SvelteKit), a service binding's `env.API.fetch`. */
function isFetch(analysis: FileAnalysis, callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) {
    if (callee.text !== 'fetch') return false;
    const binding = analysis.importOf('fetch');
    if (binding) return FETCH_MODULES.includes(binding.module);
    return !declaresFunction(analysis.sourceFile, 'fetch');
  }
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'fetch') return false;
  const object = callee.expression;
  if (ts.isIdentifier(object)) return ['globalThis', 'self', 'window', 'event'].includes(object.text);
  // A Cloudflare service binding: env.AUTH.fetch(request), c.env.AUTH.fetch(…), platform.env.AUTH.fetch(…).
  return (
    ts.isPropertyAccessExpression(object) &&
    ((ts.isIdentifier(object.expression) && object.expression.text === 'env') ||
      (ts.isPropertyAccessExpression(object.expression) && object.expression.name.text === 'env'))
  );
}

/**
 * The index of the parameter a top-level function of the file returns as it is (`function cors(res) {
 * res.headers.set(…); return res; }`, `const withCors = (r) => r`), when every return gives it back.
 */
function returnedParameter(sourceFile: ts.SourceFile, name: string): number | undefined {
  for (const statement of sourceFile.statements) {
    let fn: ts.SignatureDeclaration | undefined;
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) fn = statement;
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (
          ts.isIdentifier(d.name) &&
          d.name.text === name &&
          d.initializer &&
          ts.isFunctionLike(d.initializer)
        )
          fn = d.initializer;
    if (!fn) continue;
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return undefined;
    const returned: ts.Expression[] = [];
    if (!ts.isBlock(body)) returned.push(body);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
      ts.forEachChild(node, visit);
    };
    if (ts.isBlock(body)) ts.forEachChild(body, visit);
    const names = returned.map((e) => unwrap(e)).map((e) => (ts.isIdentifier(e) ? e.text : undefined));
    const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === names[0]);
    return index >= 0 && names.every((n) => n === names[0]) ? index : undefined;
  }
  return undefined;
}

/** A function declaration or `const name = function/arrow` of this name at the file's top level. */
function declaresFunction(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some(
    (s) =>
      (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
      (ts.isVariableStatement(s) &&
        s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)),
  );
}

/**
 * The values the function's own body gives `name` (not a nested function's): its declaration's initializer
 * (`const r = …`, `let r = …`) and each assignment (`r = new Response(upstream.body, upstream)`).
 */
function valuesIn(fn: ts.SignatureDeclaration, name: string): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === name &&
      node.initializer
    )
      found.push(node.initializer);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left) &&
      node.left.text === name
    )
      found.push(node.right);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/**
 * Whether the function reads the status of `name` to decide (`name.status === 403`, `switch (name.status)`,
 * `if (!name.ok)`): the code chose what to do with an upstream 403, which is not passed on unseen.
 */
function readsStatus(fn: ts.SignatureDeclaration, name: string): boolean {
  let found = false;
  const isRead = (node: ts.Node): boolean =>
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === name &&
    ['status', 'ok'].includes(node.name.text);
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isRead(node)) {
      const parent = node.parent;
      found =
        (ts.isBinaryExpression(parent) && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken) ||
        ts.isSwitchStatement(parent) ||
        ts.isPrefixUnaryExpression(parent) ||
        ts.isIfStatement(parent) ||
        ts.isConditionalExpression(parent);
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/**
 * The framework whose handler the function is (its Response is what the client gets), or undefined when it is
 * none of the handlers fetchPassThrough lists.
 */
function handlerFramework(analysis: FileAnalysis, fn: ts.SignatureDeclaration): string | undefined {
  const exported = exportedName(analysis.sourceFile, fn);
  if (exported && HANDLER_EXPORTS.has(exported)) return fileFramework(analysis, exported);
  const holder = fn.parent;
  // A Worker's / Bun's fetch(request): `export default { fetch }`, `serve({ fetch })`.
  const object = ts.isMethodDeclaration(fn)
    ? memberNamed(fn.name, 'fetch') && fn.parent
    : ts.isPropertyAssignment(holder) && memberNamed(holder.name, 'fetch') && holder.parent;
  if (object && ts.isObjectLiteralExpression(object)) return servedObject(object) ? 'web' : undefined;
  if (ts.isCallExpression(holder) && holder.arguments.includes(fn as ts.Expression)) {
    if (isServeCall(holder)) return 'web';
    // h3 / Nitro: defineEventHandler(async (event) => …) answers with the Response it returns.
    if (
      ts.isIdentifier(holder.expression) &&
      /^(?:defineEventHandler|eventHandler)$/.test(holder.expression.text)
    )
      return 'h3';
    return routerHandler(analysis, holder, fn);
  }
  if (ts.isExportAssignment(holder) || (ts.isFunctionDeclaration(fn) && isDefaultExport(fn)))
    return takesRequest(fn) ? 'web' : undefined;
  return undefined;
}

function memberNamed(name: ts.PropertyName, wanted: string): boolean {
  return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === wanted;
}

/** An object a runtime serves: `export default {…}`, `module.exports = {…}`, `serve({…})`, `Bun.serve({…})`. */
function servedObject(object: ts.Node): boolean {
  const parent = object.parent;
  if (ts.isExportAssignment(parent)) return true;
  if (ts.isSatisfiesExpression(parent) || ts.isAsExpression(parent)) return servedObject(parent);
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    /^(?:module\.)?exports$/.test(parent.left.getText())
  )
    return true;
  return ts.isCallExpression(parent) && isServeCall(parent);
}

/** `serve(…)`, `Bun.serve(…)`, `Deno.serve(…)`. */
function isServeCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    (ts.isIdentifier(callee) && callee.text === 'serve') ||
    (ts.isPropertyAccessExpression(callee) &&
      callee.name.text === 'serve' &&
      ts.isIdentifier(callee.expression) &&
      ['Bun', 'Deno'].includes(callee.expression.text))
  );
}

/** A handler given to a web-standard router's route registration: `app.get('/x', (c) => …)`. */
function routerHandler(
  analysis: FileAnalysis,
  call: ts.CallExpression,
  fn: ts.SignatureDeclaration,
): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (!ROUTE_METHODS.has(callee.name.text) && callee.name.text !== 'on') return undefined;
  const router = Object.entries(WEB_ROUTERS).find(([module]) => analysis.importsModule(module))?.[1];
  if (router) return router;
  // A Hono sub-app registered on an imported app: its handlers take the context `c`.
  const first = fn.parameters[0];
  return first && ts.isIdentifier(first.name) && first.name.text === 'c' ? 'hono' : undefined;
}

/** An `export default` function whose first parameter is a Request (Vercel / Netlify functions), not (req, res). */
function takesRequest(fn: ts.SignatureDeclaration): boolean {
  const [first, second] = fn.parameters;
  if (!first || !ts.isIdentifier(first.name)) return false;
  if (second && ts.isIdentifier(second.name) && /^(?:res|response|reply)$/.test(second.name.text))
    return false;
  const type = first.type && ts.isTypeReferenceNode(first.type) ? first.type.typeName.getText() : undefined;
  return type ? /^(?:Request|NextRequest)$/.test(type) : /^(?:req|request)$/.test(first.name.text);
}

function isDefaultExport(fn: ts.FunctionDeclaration): boolean {
  const modifiers = ts.getModifiers(fn) ?? [];
  return (
    modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
    modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

/**
 * The name a function is exported under: `export function GET`, `export const GET = …`, or a local function
 * exported by `export { handler as GET }`.
 */
function exportedName(sourceFile: ts.SourceFile, fn: ts.SignatureDeclaration): string | undefined {
  let local: string | undefined;
  let direct = false;
  if (ts.isFunctionDeclaration(fn) && fn.name) {
    local = fn.name.text;
    direct = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  } else if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
    local = fn.parent.name.text;
    const statement = fn.parent.parent.parent;
    direct =
      ts.isVariableStatement(statement) &&
      (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  }
  if (!local) return undefined;
  if (direct) return local;
  for (const statement of sourceFile.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier || !statement.exportClause) continue;
    if (!ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements)
      if ((element.propertyName ?? element.name).text === local && HANDLER_EXPORTS.has(element.name.text))
        return element.name.text;
  }
  return undefined;
}

/** Which framework an exported handler is, from the file's name and imports (for the report). */
function fileFramework(analysis: FileAnalysis, exported: string): string {
  const file = analysis.file;
  if (exported === 'loader' || exported === 'action') return 'remix';
  if (/(?:^|\/)\+server\.[cm]?[jt]s$/.test(file) || analysis.importsModule('@sveltejs/kit'))
    return 'sveltekit';
  if (/(?:^|\/)route\.[cm]?[jt]sx?$/.test(file) || analysis.importsModule('next')) return 'nextjs';
  return 'web';
}

function shorten(node: ts.Node, analysis: FileAnalysis): string {
  const text = node.getText(analysis.sourceFile).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
