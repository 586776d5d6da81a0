import path from 'node:path';
import type { SpecCoverage } from '../types.js';
import { appFolderOf, appUses, configFiles, NITRO, type AppFramework } from './app-frameworks.js';
import type { CodeRoute, Span } from './model.js';
import { matcherCovers, readMatcher, type Matcher } from './next-matcher.js';
import { nextBasePath } from './nextjs.js';
import { joinPaths, parseCodePath } from './paths.js';
import { lineOf, type Project, type ProjectFile } from './project.js';
import { span } from './syntax.js';

/**
 * Request middleware a framework attaches by file convention, running before every route of its app (no call the
 * router graph follows registers it):
 * - Next.js `middleware.ts` (Next 16: `proxy.ts`), at the app's root or in `src/`, export `middleware` / `proxy` or
 *   the default, for the paths of its `config.matcher` (next-matcher.ts; none: every path);
 * - SvelteKit `src/hooks.server.ts` `handle` (also `sequence(a, b)`: what it names is followed by reach);
 * - Astro `src/middleware.ts` (or `src/middleware/index.ts`) `onRequest`;
 * - Nuxt / Nitro `server/middleware/**` default exports (every request).
 * Sources: nextjs.org/docs/app/api-reference/file-conventions/middleware (and `proxy` in Next 16);
 * svelte.dev/docs/kit/hooks ("Server hooks", `handle`); docs.astro.build/en/guides/middleware/;
 * nuxt.com/docs/guide/directory-structure/server ("Server Middleware").
 */
interface Convention {
  framework: string;
  /** The file's path below its app's folder. */
  file: RegExp;
  exports: readonly string[];
  /** The packages one of which the app's package.json names, or the configuration files its folder holds. */
  app: AppFramework;
  label: string;
}

const NEXT: AppFramework = { packages: ['next'], configs: configFiles('next.config') };

const CONVENTIONS: readonly Convention[] = [
  // Next.js `middleware.ts`, renamed `proxy.ts` in Next 16: one convention each, exporting its own name.
  ...(['middleware', 'proxy'] as const).map((name): Convention => ({
    framework: 'nextjs',
    file: new RegExp(`^(?:src/)?${name}\\.[cm]?[jt]sx?$`),
    exports: [name, 'default'],
    app: NEXT,
    label: `Next.js ${name}`,
  })),
  {
    framework: 'sveltekit',
    file: /^src\/hooks\.server\.[cm]?[jt]s$/,
    exports: ['handle'],
    app: { packages: ['@sveltejs/kit'], configs: configFiles('svelte.config') },
    label: 'SvelteKit handle hook',
  },
  {
    framework: 'astro',
    file: /^src\/middleware(?:\/index)?\.[cm]?[jt]s$/,
    exports: ['onRequest'],
    app: { packages: ['astro'], configs: configFiles('astro.config') },
    label: 'Astro middleware',
  },
  {
    framework: 'nitro',
    file: /^server\/middleware\/.+\.[cm]?[jt]s$/,
    exports: ['default'],
    app: NITRO,
    label: 'Nitro server middleware',
  },
];

/** A path one of CONVENTIONS may match below some folder (checked before any package folder is looked up). */
const CANDIDATE =
  /(?:^|\/)(?:(?:src\/)?(?:middleware|proxy)\.[cm]?[jt]sx?|src\/hooks\.server\.[cm]?[jt]s|src\/middleware\/index\.[cm]?[jt]s|server\/middleware\/.+\.[cm]?[jt]s)$/;

type Note = SpecCoverage['unresolved'][number];

/** What `applyRequestMiddleware` named for a project (matchers read as every path), for the coverage. */
const notes = new WeakMap<Project, Note[]>();

/**
 * Adds each convention middleware's code to the handlers of the routes it runs before: the routes registered in
 * its app's package folder (not in a package below it) whose path its matcher may cover. An app none of whose
 * routes mtls-fix reads (Astro pages, a Remix app) gets one `ALL /*` route of the middleware, marked unreadable,
 * so that its 403s are named for review, never left alone. A Next.js matcher that cannot be read covers every
 * route and is named (`requestMiddlewareNotes`). Changes `routes`' handler lists in place; returns the routes added.
 */
export function applyRequestMiddleware(project: Project, routes: CodeRoute[]): CodeRoute[] {
  const added: CodeRoute[] = [];
  const named: Note[] = [];
  // The routes of each package folder, grouped once (when a file follows a convention), not per middleware file.
  let byFolder: Map<string, CodeRoute[]> | undefined;
  const routesIn = (folder: string): CodeRoute[] => {
    if (!byFolder) {
      byFolder = new Map();
      for (const route of routes) {
        const at = appFolderOf(project, path.resolve(project.cwd, route.file));
        const list = byFolder.get(at);
        if (list) list.push(route);
        else byFolder.set(at, [route]);
      }
    }
    return byFolder.get(folder) ?? [];
  };
  for (const file of project.files) {
    if (!CANDIDATE.test(file.relative)) continue;
    const found = conventionOf(project, file, appFolderOf(project, file.absolute));
    if (!found) continue;
    const { convention, folder } = found;
    const spans = middlewareSpans(project, file, convention);
    if (!spans.length) continue;
    const matcher = convention.framework === 'nextjs' ? readMatcher(project, file) : undefined;
    const basePath = convention.framework === 'nextjs' ? nextBasePath(folder) : '';
    const own = routesIn(folder);
    if (!own.length) {
      const root = path.relative(project.cwd, folder).split(path.sep).join('/') || '.';
      added.push({
        framework: convention.framework,
        method: 'ALL',
        path: '/*',
        syntax: 'colon',
        file: file.relative,
        line: lineOf(file, file.sourceFile.statements[0] ?? file.sourceFile),
        handlers: spans,
        unresolved: `${convention.label} ${file.relative} runs before the requests of the app at ${root}, whose routes mtls-fix does not read: its 403s may answer mTLS operations`,
        mountFile: file.relative,
        unreadable: true,
      });
      continue;
    }
    if (matcher && 'unreadable' in matcher)
      named.push({
        method: 'ALL',
        path: '/*',
        file: file.relative,
        line: 1,
        framework: convention.framework,
        reason: `${convention.label} ${file.relative}: ${matcher.unreadable}, so it is read as running before every route of its app`,
        mountFile: file.relative,
      });
    for (const route of own)
      if (covers(matcher, basePath, route)) route.handlers = [...route.handlers, ...spans];
  }
  if (named.length) notes.set(project, named);
  return added;
}

/** Matchers read as every path (`applyRequestMiddleware`), as coverage entries. */
export function requestMiddlewareNotes(project: Project): Note[] {
  return notes.get(project) ?? [];
}

function covers(matcher: Matcher | undefined, basePath: string, route: CodeRoute): boolean {
  if (!matcher || 'unreadable' in matcher) return true;
  // The matcher is written below basePath; a route outside it is not this app's.
  const base = joinPaths(basePath);
  const full = joinPaths(route.path);
  if (base !== '/' && !(full === base || full.startsWith(`${base}/`))) return true;
  const below = base === '/' ? full : joinPaths(full.slice(base.length));
  // A route whose path is not known (a run-time prefix) may be any: covered.
  if (route.unresolved) return true;
  return parseCodePath(below, route.syntax).some((segments) =>
    matcher.paths.some((entry) => matcherCovers(entry, segments)),
  );
}

/** The convention a file follows, when its app's package folder names the framework. */
function conventionOf(
  project: Project,
  file: ProjectFile,
  folder: string,
): { convention: Convention; folder: string } | undefined {
  const below = path.relative(folder, file.absolute).split(path.sep).join('/');
  if (below.startsWith('..')) return undefined;
  const convention = CONVENTIONS.find((c) => c.file.test(below) && appUses(project, folder, c.app));
  return convention ? { convention, folder } : undefined;
}

/** The code of the middleware's exports (what reach follows from: `sequence(a, b)` names a and b). */
function middlewareSpans(project: Project, file: ProjectFile, convention: Convention): Span[] {
  for (const name of convention.exports) {
    const declarations = project.exportOf(file, name);
    if (declarations.length) return declarations.map((d) => span(d.file, d.node));
  }
  return [];
}
