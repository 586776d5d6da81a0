import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { globSync } from 'tinyglobby';
import ts from '../../typescript.cjs';
import { buildDirs } from './build-dirs.js';

/**
 * Workspace packages (npm / yarn `workspaces`, pnpm `pnpm-workspace.yaml`) resolved by name from the
 * workspace's own folders, as the package manager would link them into `node_modules`, for a clone where
 * `npm install` has not run (no `node_modules`, so TypeScript's resolver finds nothing): growthbook's
 * `import { getNamespaceValidator } from 'shared/validators'` in `packages/back-end` names
 * `packages/shared/validators.d.ts`, a shim that re-exports `./src/validators`.
 *
 * Resolution follows Node's and TypeScript's order for a package folder: the `exports` map (`.` and
 * subpaths, `*` patterns, conditions `types` / `import` / `require` / `node` / `default`), else for the
 * package itself `types` / `typings` / `module` / `main` / `index`, and for a subpath the file or folder it
 * names. A `.js` target with a TypeScript twin (`.ts`, `.tsx`) resolves to the twin. A declaration file
 * (`.d.ts`) is taken only when it is a shim of `export ... from` statements (it names source files); any other
 * declaration file holds no code. Errors reading a package.json or workspace file count as "no package".
 */
export class WorkspacePackages {
  /** Workspace root of each folder asked about (undefined: none), and each root's packages by name. */
  private readonly roots = new Map<string, string | undefined>();
  private readonly packages = new Map<string, ReadonlyMap<string, string>>();

  /**
   * @param stop folder above which no workspace root is looked for (the working folder's repository root);
   *   undefined looks up to the file system root.
   */
  constructor(private readonly stop?: string) {}

  /** The absolute path of the source file a bare `specifier` names from `containingFile`, if a workspace package holds it. */
  resolve(specifier: string, containingFile: string): string | undefined {
    const found = this.packageOf(specifier, containingFile);
    if (!found) return undefined;
    const { folder, subpath, manifest } = found;
    const exported = manifest ? exportTarget(manifest.exports, subpath ? `./${subpath}` : '.') : undefined;
    if (exported !== undefined) return builtFrom(folder, exported);
    // With `exports`, what it does not list is not exported (Node refuses the import).
    if (manifest?.exports !== undefined && manifest.exports !== null) return undefined;
    if (subpath) return builtFrom(folder, subpath);
    for (const field of ['types', 'typings', 'module', 'main']) {
      const value = manifest?.[field];
      const found = typeof value === 'string' ? builtFrom(folder, value) : undefined;
      if (found) return found;
    }
    return sourceFile(path.join(folder, 'index')) ?? sourceFile(path.join(folder, 'src/index'));
  }

  /**
   * The absolute path a bare `specifier` of a data file (`@acme/contracts/openapi.v1.json`) names in a workspace
   * package from `containingFile`: its `exports` target, else the subpath in the package folder. The file may
   * not exist (a build output); undefined when no workspace package has the name or `exports` does not list it.
   */
  resolveData(specifier: string, containingFile: string): string | undefined {
    const found = this.packageOf(specifier, containingFile);
    if (!found?.subpath) return undefined;
    const { folder, subpath, manifest } = found;
    if (manifest?.exports === undefined || manifest.exports === null) return path.join(folder, subpath);
    const exported = exportTarget(manifest.exports, `./${subpath}`);
    return exported === undefined ? undefined : path.resolve(folder, exported);
  }

  /**
   * The folder of the workspace package `name` (`@acme/tsconfig`) as seen from `folder`, or undefined when the
   * workspace around `folder` has no package of that name.
   */
  packageFolder(name: string, folder: string): string | undefined {
    const root = this.rootOf(folder);
    return root ? this.packagesOf(root).get(name) : undefined;
  }

  /**
   * The workspace package a bare specifier names from `containingFile` (`@acme/shared/errors`: the folder of
   * `@acme/shared`, subpath `errors`, its package.json), or undefined when none of the workspace has that name.
   */
  private packageOf(
    specifier: string,
    containingFile: string,
  ): { folder: string; subpath: string; manifest: ReturnType<typeof readJson> } | undefined {
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    if (parts.length < nameLength || parts.some((p) => !p)) return undefined;
    const name = parts.slice(0, nameLength).join('/');
    const root = this.rootOf(path.dirname(containingFile));
    const folder = root ? this.packagesOf(root).get(name) : undefined;
    if (!folder) return undefined;
    return {
      folder,
      subpath: parts.slice(nameLength).join('/'),
      manifest: readJson(path.join(folder, 'package.json')),
    };
  }

  private rootOf(folder: string): string | undefined {
    if (this.roots.has(folder)) return this.roots.get(folder);
    let found: string | undefined;
    if (existsSync(path.join(folder, 'pnpm-workspace.yaml')) || workspaceGlobs(folder).length) found = folder;
    else {
      const parent = path.dirname(folder);
      const atTop = parent === folder || folder === this.stop || existsSync(path.join(folder, '.git'));
      if (!atTop) found = this.rootOf(parent);
    }
    this.roots.set(folder, found);
    return found;
  }

  private packagesOf(root: string): ReadonlyMap<string, string> {
    const cached = this.packages.get(root);
    if (cached) return cached;
    const globs = workspaceGlobs(root);
    const include = globs.filter((g) => !g.startsWith('!')).map((g) => `${trimSlash(g)}/package.json`);
    const ignore = [
      '**/node_modules/**',
      ...globs.filter((g) => g.startsWith('!')).map((g) => `${trimSlash(g.slice(1))}/package.json`),
    ];
    const out = new Map<string, string>();
    const manifests = include.length ? globSync(include, { cwd: root, ignore, absolute: true }) : [];
    for (const manifest of manifests.sort()) {
      const name = readJson(manifest)?.name;
      if (typeof name === 'string' && !out.has(name)) out.set(name, path.dirname(path.resolve(manifest)));
    }
    this.packages.set(root, out);
    return out;
  }
}

/** The package folder globs a workspace root declares (`pnpm-workspace.yaml` `packages`, package.json `workspaces`). */
function workspaceGlobs(folder: string): string[] {
  const pnpm = path.join(folder, 'pnpm-workspace.yaml');
  if (existsSync(pnpm)) {
    try {
      const parsed = jsYaml.load(readFileSync(pnpm, 'utf8')) as { packages?: unknown } | undefined;
      return strings(parsed?.packages);
    } catch {
      return [];
    }
  }
  const workspaces = readJson(path.join(folder, 'package.json'))?.workspaces;
  // `"workspaces": [...]` (npm, yarn) or `{ "packages": [...] }` (yarn 1 with nohoist)
  return Array.isArray(workspaces)
    ? strings(workspaces)
    : strings((workspaces as { packages?: unknown } | undefined)?.packages);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function trimSlash(glob: string): string {
  return glob.replace(/^\.\//, '').replace(/\/+$/, '');
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const CONDITIONS = ['types', 'import', 'require', 'node', 'default'];

/**
 * The target `exports` gives a subpath (`.` or `./x`): a string, an object of subpaths (with `*` patterns), or
 * conditions (the first of `types`, `import`, `require`, `node`, `default` that gives a string). Undefined when
 * `exports` is absent or does not list the subpath.
 */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (typeof exports !== 'object' || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (!keys.some((k) => k.startsWith('.'))) return subpath === '.' ? condition(map) : undefined;
  if (subpath in map) return condition(map[subpath]);
  for (const key of keys) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const head = key.slice(0, star);
    const tail = key.slice(star + 1);
    if (subpath.startsWith(head) && subpath.endsWith(tail) && subpath.length >= head.length + tail.length) {
      const matched = subpath.slice(head.length, subpath.length - tail.length);
      return condition(map[key])?.replaceAll('*', matched);
    }
  }
  return undefined;
}

function condition(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  for (const key of CONDITIONS) {
    const found = key in object ? condition(object[key]) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Build output folders a package's `main` / `exports` commonly point into, when no tsconfig says which. */
const BUILD_FOLDERS = /^(?:\.\/)?(?:dist|build|lib|out|esm|cjs)(?:\/(?:esm|cjs|src|node|browser))?\//;

/**
 * The source file a package target names (`./dist/index.js`): the target itself when it is a source file (or a
 * re-export shim), else the source it is built from, as a fresh clone has no build output (or only declarations):
 * the package tsconfig's `outDir` read back to its `rootDir` (`tsconfig.json`, `tsconfig.build.json`,
 * `tsconfig.lib.json`), else a leading `dist/`, `build/`, `lib/`, `out/`, `esm/` or `cjs/` folder (with a
 * format folder below it: `dist/esm/`) read as `src/`, or as the package folder. A declaration target
 * (`dist/index.d.ts`) is read as its `.js`.
 */
function builtFrom(folder: string, target: string): string | undefined {
  const direct = sourceFile(path.resolve(folder, target));
  if (direct) return direct;
  const relative = path.relative(folder, path.resolve(folder, target)).split(path.sep).join('/');
  const js = relative.replace(/\.d\.([cm]?)ts$/, '.$1js');
  const candidates: string[] = [];
  for (const { outDir, rootDir } of buildDirs(folder))
    if (js === outDir || js.startsWith(`${outDir}/`)) candidates.push(rootDir + js.slice(outDir.length));
  if (BUILD_FOLDERS.test(js))
    candidates.push(js.replace(BUILD_FOLDERS, 'src/'), js.replace(BUILD_FOLDERS, ''));
  for (const candidate of candidates) {
    const found = sourceFile(path.join(folder, candidate));
    if (found) return found;
  }
  return undefined;
}

/**
 * The source file a relative import of a build folder absent from the clone names (`require('../lib/guard')`
 * or a package `main` of `lib/index.js`, lib/ compiled from src/ by Babel or tsc): `target` (absolute) read
 * back from the nearest folder above it that holds a package.json or tsconfig.json, up to `stop`, as a
 * package's own `main` is (builtFrom: tsconfig `outDir` -> `rootDir`, else a leading `lib/`, `dist/`,
 * `build/`... read as `src/`). Undefined when no build folder leads the path or no source is found.
 */
export function sourceOfBuilt(target: string, stop: string): string | undefined {
  for (let folder = path.dirname(target); ; folder = path.dirname(folder)) {
    if (isFile(path.join(folder, 'package.json')) || isFile(path.join(folder, 'tsconfig.json'))) {
      const relative = path.relative(folder, target).split(path.sep).join('/');
      return relative.startsWith('..') ? undefined : builtFrom(folder, relative);
    }
    if (folder === stop || path.dirname(folder) === folder || !folder.startsWith(stop)) return undefined;
  }
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];

/** The source file a path names: itself, with an extension, its folder's index, a `.js` target's TypeScript twin. */
function sourceFile(target: string): string | undefined {
  const candidates: string[] = [];
  const twin = target.match(/^(.*)\.([cm]?)jsx?$/);
  if (twin) candidates.push(`${twin[1]}.${twin[2]}ts`, `${twin[1]}.tsx`);
  candidates.push(target, ...SOURCE_EXTENSIONS.map((e) => target + e));
  candidates.push(...SOURCE_EXTENSIONS.map((e) => path.join(target, `index${e}`)));
  for (const candidate of candidates) {
    if (!isFile(candidate)) continue;
    if (/\.d\.[cm]?ts$/.test(candidate) && !isReExportShim(candidate)) continue;
    if (!/\.([cm]?[jt]sx?)$/.test(candidate)) continue;
    return path.resolve(candidate);
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A declaration file made only of `export * from './x'` / `export { a } from './x'`: it points at source files. */
function isReExportShim(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  return (
    source.statements.length > 0 &&
    source.statements.every((s) => ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined)
  );
}
