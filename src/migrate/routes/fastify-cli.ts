import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import { isFunctionNode, unwrap, type ProjectFile } from './project.js';
import type { RouterGraphApi, RouterNode } from './wiring.js';
import { fastifyCliHelperApps } from './fastify-cli-helper.js';
import { runCache } from '../../util/run-caches.js';

/**
 * fastify-cli: `fastify start [options] app.js` (a package.json script) registers the plugin `app.js` exports
 * on the app it builds, at the root or under `--prefix` / `-x`. That plugin's instance parameter is then the
 * app itself, not a router nobody mounts. The script's file is paired with a source file by its name without
 * extension (`dist/app.js` with `src/app.ts`), and only a default export (`export default`,
 * `module.exports =`) counts, as fastify-cli loads. So is the plugin a package exports as its entry point (no
 * app of the scanned code registers it: `isPackageEntry`). Source: fastify-cli's README, `start` options.
 */
export function fastifyCliRoots(graph: RouterGraphApi): void {
  // fastify-cli's test helper builds an app of its own around the plugin it names (fastify-cli-helper.ts).
  fastifyCliHelperApps(graph);
  for (const router of graph.allRouters()) {
    if (router.framework !== 'fastify' || router.kind === 'app' || router.mountedBy > 0) continue;
    const fn = pluginOf(router);
    if (!fn || !isDefaultExport(graph, router.file, fn)) continue;
    const start = startScript(router.file.absolute, graph.project.cwd);
    if (start?.entries.has(stem(router.file.absolute))) {
      router.kind = 'app';
      if (start.prefix) router.prefix = start.prefix;
    } else if (isPackageEntry(router.file.absolute, graph.project.cwd)) router.kind = 'app';
  }
}

/**
 * Whether the file is the entry point of its package (package.json `main`, or `exports` / `exports['.']` as a
 * string or its `import` / `require` / `default`): a plugin package (`@kortxyz/ogcapi-gpkg`, "Fastify plugin for
 * turning a GPKG file into an OGC API") whose apps register it elsewhere, at a prefix of their own; its routes
 * are read at its root, where its own document puts them.
 */
function isPackageEntry(file: string, cwd: string): boolean {
  const stop = path.dirname(cwd);
  for (let dir = path.dirname(file); dir.startsWith(stop) && dir !== stop; dir = path.dirname(dir)) {
    let manifest: { main?: unknown; exports?: unknown };
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    const exported = manifest.exports;
    const dot =
      exported && typeof exported === 'object' && '.' in exported
        ? (exported as Record<string, unknown>)['.']
        : exported;
    const conditions =
      dot && typeof dot === 'object'
        ? ['import', 'require', 'default'].map((k) => (dot as Record<string, unknown>)[k])
        : [dot];
    return [manifest.main, ...conditions].some(
      (entry) => typeof entry === 'string' && path.resolve(dir, entry) === file,
    );
  }
  return false;
}

/** The plugin function whose first parameter the router is. */
function pluginOf(router: RouterNode): ts.SignatureDeclaration | undefined {
  const parameter = router.node;
  if (!ts.isParameter(parameter)) return undefined;
  const fn = parameter.parent;
  return isFunctionNode(fn) && fn.parameters[0] === parameter ? fn : undefined;
}

function isDefaultExport(graph: RouterGraphApi, file: ProjectFile, fn: ts.SignatureDeclaration): boolean {
  return graph.project.exportOf(file, 'default').some((declaration) => {
    const node = declaration.node;
    if (node === fn) return true;
    const value = ts.isExportAssignment(node)
      ? node.expression
      : ts.isVariableDeclaration(node)
        ? node.initializer
        : ts.isBinaryExpression(node)
          ? node.right
          : undefined;
    if (!value) return false;
    if (unwrap(value) === fn) return true;
    return graph.functionsOf(declaration.file, value).some((f) => f.node === fn);
  });
}

function stem(file: string): string {
  return path.basename(file).replace(/\.[cm]?[jt]sx?$/, '');
}

/** `startScript`'s reading of each package.json, by absolute path, for the run. */
const cache = runCache<string, { entries: Set<string>; prefix?: string } | null>();

/** The `fastify start` scripts of the nearest package.json at or above the file (not above `cwd`'s parent). */
function startScript(file: string, cwd: string): { entries: Set<string>; prefix?: string } | undefined {
  const stop = path.dirname(cwd);
  for (let dir = path.dirname(file); dir.startsWith(stop) && dir !== stop; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!cache.has(manifest)) cache.set(manifest, readStart(manifest));
    const found = cache.get(manifest);
    if (found) return found;
  }
  return undefined;
}

/** null: no package.json here (look further up); undefined fields: one without `fastify start`. */
function readStart(manifest: string): { entries: Set<string>; prefix?: string } | null {
  let scripts: Record<string, unknown>;
  try {
    scripts =
      (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return null;
  }
  const entries = new Set<string>();
  let prefix: string | undefined;
  for (const script of Object.values(scripts)) {
    if (typeof script !== 'string') continue;
    for (const match of script.matchAll(/\bfastify(?:-cli)?\s+start\b([^&|;]*)/g)) {
      const args = match[1] ?? '';
      for (const token of args.split(/\s+/))
        if (/\.[cm]?[jt]s$/.test(token) && !token.startsWith('-')) entries.add(stem(token));
      prefix ??= /(?:-x|--prefix)[\s=]+(\/\S*)/.exec(args)?.[1];
    }
  }
  return { entries, prefix };
}
