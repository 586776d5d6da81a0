import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { fetchHandlerFunctions, fetchServers } from '../fetch-server-shapes.js';
import { shorten, upstreamOf, type UpstreamScope } from './fetch-upstreams.js';
import { otherOriginRewrite, reportRewrite } from './next-rewrites.js';
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
        report(analysis, node, 'h3', shorten(node));
        return;
      }
      // Next.js middleware: NextResponse.rewrite(url) to another origin serves that origin's answer as its own.
      const origin = otherOriginRewrite(analysis, node);
      if (origin) {
        reportRewrite(analysis, node, origin);
        return;
      }
      // addEventListener('fetch', (event) => event.respondWith(fetch(event.request)))
      const callee = node.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'respondWith') return;
      returned = node.arguments[0];
      fn = enclosingFunction(node);
      const upstream = returned && fn && upstreamOf(scopeOf(analysis), returned, fn);
      if (upstream && returned) report(analysis, returned, 'web', upstream);
      return;
    }
    if (!returned || !fn) return;
    const upstream = upstreamOf(scopeOf(analysis), returned, fn);
    if (!upstream) return;
    const framework = handlerFramework(analysis, fn);
    if (framework) report(analysis, returned, framework, upstream);
    else {
      // `export async function forward(req) { return fetch(…) }`: the handlers of other files that call it.
      const name = topLevelName(analysis.sourceFile, fn);
      if (name) analysis.upstreamProducers.add(name);
    }
  },
};

/** The analysed file as fetch-upstreams.ts reads it (imports, and the link to follow imported functions). */
function scopeOf(analysis: FileAnalysis): UpstreamScope {
  return {
    sourceFile: analysis.sourceFile,
    importOf: (n) => analysis.importOf(n),
    link: analysis.options.link,
  };
}

/** The name of a function declared at the file's top level (`function f`, `const f = (…) => …`), else undefined. */
function topLevelName(sourceFile: ts.SourceFile, fn: ts.SignatureDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.parent === sourceFile) return fn.name?.text;
  const declaration = fn.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  return declaration.parent.parent.parent === sourceFile ? declaration.name.text : undefined;
}

/** The nearest function around a node (the one a `return` returns from). */
function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let at = node.parent; at && !ts.isSourceFile(at); at = at.parent) if (ts.isFunctionLike(at)) return at;
  return undefined;
}

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
 * The framework whose handler the function is (its Response is what the client gets), or undefined when it is
 * none of the handlers fetchPassThrough lists.
 */
function handlerFramework(analysis: FileAnalysis, fn: ts.SignatureDeclaration): string | undefined {
  const exported = exportedName(analysis.sourceFile, fn);
  if (exported && HANDLER_EXPORTS.has(exported)) return fileFramework(analysis, exported);
  // A fetch server's handler (fetch-server-shapes.ts): `export default { fetch }`, `Bun.serve({ fetch })`,
  // `Deno.serve(fn)` / `Deno.serve({ handler })`, `serve({ fetch })`, also a handler named there and declared apart.
  if (serverHandlers(analysis.sourceFile).has(fn)) return 'web';
  const holder = fn.parent;
  if (ts.isCallExpression(holder) && holder.arguments.includes(fn as ts.Expression)) {
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

/** The functions of the file's fetch servers, read once per tree. */
const handlersOf = new WeakMap<ts.SourceFile, Set<ts.Node>>();
function serverHandlers(sourceFile: ts.SourceFile): Set<ts.Node> {
  let found = handlersOf.get(sourceFile);
  if (!found) {
    found = fetchHandlerFunctions(fetchServers(sourceFile), sourceFile);
    handlersOf.set(sourceFile, found);
  }
  return found;
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
