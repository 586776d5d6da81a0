import type ts from '../../typescript.cjs';
import { appFolderOf, appUses, NITRO } from './app-frameworks.js';
import type { CodeRoute } from './model.js';
import { joinPaths } from './paths.js';
import { lineOf, type Project, type ProjectFile } from './project.js';

/** SvelteKit endpoints: `src/routes/**\/+server.ts` (SvelteKit docs, "Routing": `+server`). */
const SVELTEKIT_SERVER = /(?:^|\/)src\/routes\/((?:.+\/)?)\+server\.[cm]?[jt]s$/;
/** The methods a `+server` file exports, and `fallback` for every other one. */
const SVELTEKIT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Nuxt / Nitro server routes: `server/api/**` under `/api`, `server/routes/**` at the root; a file's name may end
 * in the method it answers (`[id].get.ts`), `index` is its folder (Nuxt docs, "server directory").
 */
const NITRO_ROUTE =
  /(?:^|\/)server\/(api|routes)\/(.+?)(?:\.(get|post|put|patch|delete|head|options))?\.[cm]?[jt]s$/;

/**
 * Routes the file system declares: SvelteKit `+server` endpoints (one route per exported method, `fallback`
 * for any) and Nuxt / Nitro `server/api` and `server/routes` handlers (the default export). Route groups `(x)`
 * are not in the URL; `[id]`, `[id=matcher]`, `[[id]]` and `[...rest]` are parameters.
 */
export function extractFileRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    const svelte = SVELTEKIT_SERVER.exec(file.relative);
    if (svelte) {
      const path = joinPaths('/', ...segments(svelte[1] ?? ''));
      for (const method of [...SVELTEKIT_METHODS, 'fallback'])
        for (const declaration of project.exportOf(file, method))
          routes.push(
            route('sveltekit', file, method === 'fallback' ? 'ALL' : method, path, declaration.node),
          );
      continue;
    }
    const nitro = NITRO_ROUTE.exec(file.relative);
    if (nitro && servesNitro(project, file)) {
      const parts = (nitro[2] ?? '').split('/');
      if (parts[parts.length - 1] === 'index') parts.pop();
      const path = joinPaths(nitro[1] === 'api' ? '/api' : '/', ...segments(parts.join('/')));
      const method = nitro[3]?.toUpperCase() ?? 'ALL';
      for (const declaration of project.exportOf(file, 'default'))
        routes.push(route('nitro', file, method, path, declaration.node));
    }
  }
  return routes;
}

/**
 * Whether `file` (under a `server/api` or `server/routes` folder) belongs to a Nuxt or Nitro app: its nearest
 * package.json names one of app-frameworks.ts `NITRO`'s packages in its dependencies, or that folder holds a
 * `nuxt.config` / `nitro.config`. An Express or Fastify app that keeps its routers in `server/routes`
 * (heroku-examples' `server/routes/api.js`, a Fastify plugin) serves no route by the file's name (since session 34:
 * before, its default export was a Nitro handler of `ALL /api`, and an Express router file named `status.ts`
 * answered a document's `GET /status`).
 */
function servesNitro(project: Project, file: ProjectFile): boolean {
  return appUses(project, appFolderOf(project, file.absolute), NITRO);
}

function route(framework: string, file: ProjectFile, method: string, path: string, node: ts.Node): CodeRoute {
  return {
    framework,
    method,
    path,
    syntax: 'colon',
    file: file.relative,
    line: lineOf(file, node),
    handlers: [{ file: file.relative, start: node.getStart(file.sourceFile), end: node.getEnd() }],
  };
}

/** Folder and file names to colon-syntax segments. */
function segments(folders: string): string[] {
  const out: string[] = [];
  for (const folder of folders.split('/')) {
    if (folder === '' || /^\(.*\)$/.test(folder)) continue;
    const rest = /^\[\.\.\.(\w+)(?:=\w+)?\]$/.exec(folder);
    const optional = /^\[\[(\w+)(?:=\w+)?\]\]$/.exec(folder);
    const dynamic = /^\[(\w+)(?:=\w+)?\]$/.exec(folder);
    if (rest) out.push(`:${rest[1]}*`);
    else if (optional) out.push(`:${optional[1]}?`);
    else if (dynamic) out.push(`:${dynamic[1]}`);
    else out.push(folder);
  }
  return out;
}
