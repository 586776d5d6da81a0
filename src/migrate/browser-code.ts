import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { clientExportSpans, isClientOnlyRoute } from './client-only-routes.js';
import { FRAMEWORKS } from './frameworks/index.js';
import { normalizeModule } from './imports.js';

/**
 * Modules only a browser (or a React Native app) runs: React and its DOM renderer, the Next.js pages-router
 * hooks, Vue, Svelte, Angular, and the data-fetching hooks built on them.
 */
const BROWSER_MODULES = [
  'react',
  'react-dom',
  'react-native',
  'next/router',
  'next/link',
  'next/image',
  'next/head',
  'next/dynamic',
  'next/script',
  'vue',
  'vue-router',
  'pinia',
  'svelte',
  '$app/navigation',
  '$app/stores',
  '$app/state',
  '@angular/core',
  '@angular/common',
  '@angular/router',
  'swr',
  '@tanstack/react-query',
  '@tanstack/vue-query',
];

/**
 * Modules that answer HTTP on a server besides the framework modules' enablers (which include `next`): the
 * Next.js server entry points, Remix and React Router loaders and actions (`data(b, { status: 403 })`).
 */
const SERVER_MODULES = [
  'next/server',
  'next/navigation',
  'next/headers',
  'remix',
  '@remix-run/node',
  '@remix-run/server-runtime',
  '@remix-run/cloudflare',
  '@remix-run/deno',
  'react-router',
  '@react-router/node',
  '@tanstack/react-start',
  '@tanstack/start',
];

/**
 * Exports through which a framework runs a module's code on the server: Next.js pages data functions, Remix and
 * React Router loaders and actions, route handlers named by method, middleware.
 */
const SERVER_EXPORTS =
  /^(?:getServerSideProps|getInitialProps|getStaticProps|loader|action|middleware|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL|handler)$/;

let serverPackages: Set<string> | undefined;

/** The framework modules' enabler packages (`express`, `next`, `@nestjs/common`...), once per process. */
function enablers(): Set<string> {
  serverPackages ??= new Set(FRAMEWORKS.flatMap((f) => f.enablers));
  return serverPackages;
}

function packageOf(module: string): string {
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? module);
}

function within(module: string, list: readonly string[]): boolean {
  return list.some((m) => module === m || module.startsWith(`${m}/`));
}

/**
 * Whether a (non-test) file runs only in a browser, where no 403 is ever sent, only read: it is a service worker
 * (its responses go to its own page), or it starts with the `'use client'` directive (React Server Components: a client module), or it imports a browser module
 * (never when it starts with `'use server'` or imports `server-only`; React's `cache` is no browser import)
 * (BROWSER_MODULES) and no module that answers HTTP (a framework module's enabler, SERVER_MODULES), and exports
 * nothing a server framework runs (SERVER_EXPORTS: `getServerSideProps`, `loader`, `GET`...).
 * Source: react.dev "'use client'"; Next.js docs, "Pages Router: getServerSideProps", "Route Handlers".
 */
export function isBrowserCode(analysis: FileAnalysis): boolean {
  const { sourceFile } = analysis;
  if (isServiceWorker(analysis)) return true;
  const first = sourceFile.statements[0];
  const directive =
    first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression)
      ? first.expression.text
      : undefined;
  if (directive === 'use client') return true;
  // `'use server'` (server actions), `import 'server-only'` (a module Next.js refuses to bundle for the browser).
  if (directive === 'use server' || importsServerOnly(sourceFile)) return false;
  let browser = false;
  for (const binding of analysis.imports.values()) {
    const module = normalizeModule(binding.module);
    // React's `cache` is a server API (React Server Components): it marks no browser module.
    if (module === 'react' && SERVER_REACT.has(binding.name)) continue;
    if (within(module, BROWSER_MODULES)) browser = true;
    else if (within(module, SERVER_MODULES) || enablers().has(packageOf(module))) return false;
  }
  return browser && !exportsServerEntry(sourceFile);
}

/**
 * What only a browser service worker says: its lifecycle events (`install`, `activate`), its global scope's own
 * names (`ServiceWorkerGlobalScope`, `skipWaiting()`, `clients.claim()`), Workbox's precache manifest and modules,
 * the `webworker` lib reference. A Cloudflare Worker in service-worker syntax (`addEventListener('fetch', …)`) has
 * none of them: it answers HTTP, so it stays server code. Source: MDN "ServiceWorkerGlobalScope" (install, activate,
 * skipWaiting, clients), Cloudflare Workers "Service Worker syntax" (fetch and scheduled events only).
 */
const SERVICE_WORKER =
  /\baddEventListener\(\s*['"](?:install|activate)['"]|\bServiceWorkerGlobalScope\b|\bskipWaiting\s*\(|\bclients\.claim\s*\(|\b__WB_MANIFEST\b|['"]workbox-[\w-]+['"]|<reference\s+lib=["']webworker["']/;

/**
 * Whether the file is a browser service worker ({@link SERVICE_WORKER}) that imports no module answering HTTP: the
 * responses it builds (`event.respondWith(new Response(body, { status: 403 }))`) go to its own page, not over
 * the network.
 */
function isServiceWorker(analysis: FileAnalysis): boolean {
  if (!SERVICE_WORKER.test(analysis.text)) return false;
  for (const binding of analysis.imports.values()) {
    const module = normalizeModule(binding.module);
    if (within(module, SERVER_MODULES) || enablers().has(packageOf(module))) return false;
  }
  return true;
}

function exportsServerEntry(sourceFile: ts.SourceFile): boolean {
  for (const statement of sourceFile.statements) {
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (
        clause &&
        ts.isNamedExports(clause) &&
        clause.elements.some((e) => SERVER_EXPORTS.test(e.name.text))
      )
        return true;
      continue;
    }
    if (!exported) continue;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name)
      if (SERVER_EXPORTS.test(statement.name.text)) return true;
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && SERVER_EXPORTS.test(d.name.text)) return true;
  }
  return false;
}

/** React exports only a server runs (react.dev "cache": for React Server Components only). */
const SERVER_REACT = new Set(['cache']);

/** `import 'server-only'` / `require('server-only')`: the file may never run in a browser (Next.js docs, "server-only"). */
function importsServerOnly(sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some((statement) => {
    if (ts.isImportDeclaration(statement))
      return (
        ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === 'server-only'
      );
    if (!ts.isExpressionStatement(statement)) return false;
    const call = statement.expression;
    return (
      ts.isCallExpression(call) &&
      ts.isIdentifier(call.expression) &&
      call.expression.text === 'require' &&
      call.arguments.length === 1 &&
      ts.isStringLiteral(call.arguments[0]) &&
      call.arguments[0].text === 'server-only'
    );
  });
}

/**
 * Browser code sends no status: each site a framework module found in it (a client-side error class built
 * from a received 403, `new ApiError(403, 'Access denied')` in a React hook) becomes not-an-emit `client`,
 * which the census counts and §7 readers (readers.ts) list when a request there reaches a rewritten route. So do
 * a SvelteKit universal route file that runs only in the browser (`export const ssr = false`, own or inherited)
 * and the sites inside a Remix / React Router `clientLoader` / `clientAction` (isClientOnlyRoute, clientExportSpans).
 */
export function demoteBrowserSites(analysis: FileAnalysis): void {
  if (analysis.options.testFile || !analysis.sites.length) return;
  if (isBrowserCode(analysis) || isClientOnlyRoute(analysis)) {
    for (const site of analysis.sites.splice(0))
      analysis.notAnEmitRanges.push({ start: site.span.start, end: site.span.end, kind: 'client' });
    return;
  }
  // Breaker50b: a Remix route module's `clientLoader` / `clientAction` runs in the browser, its `loader` on the
  // server: only the sites inside the former are demoted.
  const spans = clientExportSpans(analysis);
  if (!spans.length) return;
  const kept = analysis.sites.filter((site) => {
    const inside = spans.some((s) => site.span.start >= s.start && site.span.end <= s.end);
    if (inside) analysis.notAnEmitRanges.push({ start: site.span.start, end: site.span.end, kind: 'client' });
    return !inside;
  });
  analysis.sites.splice(0, analysis.sites.length, ...kept);
}
