import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { joinPaths } from './paths.js';
import { nextRewriteRoutes } from './nextjs-rewrites.js';
import { lineOf, unwrap, type Project, type ProjectFile } from './project.js';
import { externalImport } from './syntax.js';

/**
 * Adapters that hand a Next.js request to another router, which sees the full URL and carries the real
 * routes (`export const GET = handle(app)` with `handle` from `hono/vercel`; Hono's docs give the app
 * `basePath('/api')`, so its paths are absolute). Source: hono.dev/docs/getting-started/vercel, /nextjs.
 */
const ADAPTERS: Record<string, string> = {
  'hono/vercel': 'handle',
  'hono/nextjs': 'handle',
};

const APP_ROUTE = /(?:^|\/)(?:src\/)?app\/((?:.+\/)?)route\.[cm]?[jt]sx?$/;
const PAGES_API = /(?:^|\/)(?:src\/)?pages\/(api(?:\/.+)?)\.[cm]?[jt]sx?$/;
const APP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Next.js: the file system is the router. App router `app/**\/route.ts` files export one function per
 * method; pages API files (`pages/api/**`) default-export one handler for every method. Route groups
 * `(x)` and parallel slots `@x` are not in the URL, `_private` folders are not routes; `basePath` comes
 * from next.config.* when it is a literal, and so do `rewrites()` that serve a public path by one of these
 * routes (nextjs-rewrites.ts).
 */
export function extractNextRoutes(project: Project): CodeRoute[] {
  // Each Next.js app of the project (a monorepo's apps/web, apps/site) has its own next.config.*: its basePath and
  // rewrites apply to the routes of its own app/ and pages/ folders, not to another app's.
  const byApp = new Map<string, CodeRoute[]>();
  const add = (root: string, route: CodeRoute): void => {
    const list = byApp.get(root) ?? [];
    list.push(route);
    byApp.set(root, list);
  };
  const basePaths = new Map<string, string>();
  const basePathOf = (root: string): string => {
    let known = basePaths.get(root);
    if (known === undefined) {
      known = nextBasePath(path.join(project.cwd, root));
      basePaths.set(root, known);
    }
    return known;
  };
  for (const file of project.files) {
    const app = APP_ROUTE.exec(file.relative);
    if (app) {
      const segments = folderSegments(app[1] ?? '');
      if (!segments) continue;
      const root = appRoot(file.relative, app.index);
      for (const method of APP_METHODS) {
        for (const declaration of project.exportOf(file, method)) {
          if (delegates(project, declaration.file, declaration.node)) continue;
          add(root, route(file, method, joinPaths(basePathOf(root), ...segments), declaration.node));
        }
      }
      continue;
    }
    const pages = PAGES_API.exec(file.relative);
    if (pages) {
      const parts = (pages[1] ?? '').split('/');
      if (parts[parts.length - 1] === 'index') parts.pop();
      const segments = folderSegments(parts.join('/'));
      if (!segments) continue;
      const root = appRoot(file.relative, pages.index);
      for (const declaration of project.exportOf(file, 'default')) {
        if (delegates(project, declaration.file, declaration.node)) continue;
        add(root, route(file, 'ALL', joinPaths(basePathOf(root), ...segments), declaration.node));
      }
    }
  }
  // The app at the working folder keeps reading its next.config.* when it has no route file (rewrites it cannot read).
  if (!byApp.has('')) byApp.set('', []);
  const routes: CodeRoute[] = [];
  for (const [root, own] of byApp) {
    routes.push(...own);
    // `rewrites()` of next.config.*: a public path served by one of these routes is a route of its own.
    routes.push(...nextRewriteRoutes(path.join(project.cwd, root), basePathOf(root), own, root));
  }
  return routes;
}

/**
 * The folder of the Next.js app a route file belongs to (relative to the working folder, `''` for the working
 * folder itself): what comes before its `app/` or `pages/` folder (and `src/`), where its next.config.* sits.
 */
function appRoot(relative: string, matchIndex: number): string {
  const before = relative.slice(0, matchIndex);
  return before.replace(/\/$/, '');
}

function route(file: ProjectFile, method: string, routePath: string, node: ts.Node): CodeRoute {
  return {
    framework: 'nextjs',
    method,
    path: routePath,
    syntax: 'colon',
    file: file.relative,
    line: lineOf(file, node),
    handlers: [{ file: file.relative, start: node.getStart(file.sourceFile), end: node.getEnd() }],
  };
}

/**
 * `export const GET = handle(app)` (or `export default handle(app)`) with an adapter of `ADAPTERS`, also
 * through a variable (`const handler = handle(app); export const GET = handler`), or a function that only
 * passes the request on (`export const GET = (req: Request) => app.fetch(req)`): the export is not a handler
 * of its own; the router it wraps registers the routes (read by the router graph).
 */
function delegates(project: Project, file: ProjectFile, node: ts.Node, depth = 0): boolean {
  const value = ts.isVariableDeclaration(node)
    ? node.initializer
    : ts.isExportAssignment(node)
      ? node.expression
      : ts.isFunctionDeclaration(node)
        ? node
        : undefined;
  if (!value || depth > 3) return false;
  if (ts.isFunctionDeclaration(value)) return passesRequestOn(value);
  const call = unwrap(value);
  if (ts.isIdentifier(call))
    return project.lookup(file, call, call.text).some((d) => delegates(project, d.file, d.node, depth + 1));
  if (ts.isArrowFunction(call) || ts.isFunctionExpression(call)) return passesRequestOn(call);
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return false;
  return project.lookup(file, call.expression, call.expression.text).some((d) => {
    const imported = externalImport(d.node);
    return imported !== undefined && ADAPTERS[imported.module] === imported.name;
  });
}

/** `(req) => app.fetch(req)`, `function GET(req) { return app.fetch(req) }`: one `x.fetch(request)` call. */
function passesRequestOn(fn: ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration): boolean {
  const request = fn.parameters[0]?.name;
  if (!request || !ts.isIdentifier(request) || !fn.body) return false;
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    if (!only || !ts.isReturnStatement(only) || !only.expression) return false;
    body = only.expression;
  }
  if (!ts.isExpression(body)) return false;
  const call = unwrap(body);
  const inner = ts.isAwaitExpression(call) ? unwrap(call.expression) : call;
  if (!ts.isCallExpression(inner) || !ts.isPropertyAccessExpression(inner.expression)) return false;
  const passed = inner.arguments[0] ? unwrap(inner.arguments[0]) : undefined;
  return (
    inner.expression.name.text === 'fetch' &&
    passed !== undefined &&
    ts.isIdentifier(passed) &&
    passed.text === request.text
  );
}

/** Folder names to colon-syntax segments; undefined for private folders (not routable). */
function folderSegments(folders: string): string[] | undefined {
  const out: string[] = [];
  for (const folder of folders.split('/')) {
    if (folder === '' || /^\(.*\)$/.test(folder) || folder.startsWith('@')) continue;
    if (folder.startsWith('_')) return undefined;
    const optionalCatchAll = /^\[\[\.\.\.(\w+)\]\]$/.exec(folder);
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(folder);
    const dynamic = /^\[(\w+)\]$/.exec(folder);
    if (optionalCatchAll) out.push(`:${optionalCatchAll[1]}*`);
    else if (catchAll) out.push(`:${catchAll[1]}+`);
    else if (dynamic) out.push(`:${dynamic[1]}`);
    else out.push(folder);
  }
  return out;
}

/** The literal `basePath` of the next.config.* in `cwd` (an absolute folder), else `''`. */
export function nextBasePath(cwd: string): string {
  for (const name of ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs']) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    const match = /basePath\s*:\s*['"`]([^'"`$]*)['"`]/.exec(readFileSync(file, 'utf8'));
    if (match) return match[1] ?? '';
  }
  return '';
}
