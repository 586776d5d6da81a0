import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import { runCache } from '../../util/run-caches.js';

/**
 * One tsconfig's compile mapping, relative to the package folder that holds the tsconfig (`/`-separated, no
 * leading `./` nor trailing `/`; the package folder itself is ``): the code in `rootDir` runs from `outDir`.
 */
export interface BuildDir {
  outDir: string;
  rootDir: string;
}

/** The tsconfig files of a package that may set `outDir`, most specific first. */
const CONFIG_NAMES = ['tsconfig.build.json', 'tsconfig.lib.json', 'tsconfig.json'];

/**
 * The `outDir` -> `rootDir` pairs of the package in `folder` (absolute), read from its `tsconfig.build.json`,
 * `tsconfig.lib.json` and `tsconfig.json` (in that order), each following its `extends` chain (a relative path,
 * or several: the nearer config wins; a package specifier is looked for under `node_modules`). Paths in an
 * extended config are relative to that config's own folder, as TypeScript reads them.
 *
 * `rootDir` absent: TypeScript's default is the longest common folder of the program's non-declaration inputs
 * (TypeScript handbook, tsconfig reference "rootDir"). This approximates it without listing the inputs: the
 * fixed folder every `include` pattern starts with (`src` for `["src/**\/*"]`), else `src` when the package has a
 * src/ folder and no TypeScript file beside its tsconfig, else the package folder. Cached per folder.
 */
export function buildDirs(folder: string): readonly BuildDir[] {
  let out = BUILD_DIRS.get(folder);
  if (!out) {
    out = readBuildDirs(folder);
    BUILD_DIRS.set(folder, out);
  }
  return out;
}

/** buildDirs' answers by folder (a run asks about one package's many files). */
const BUILD_DIRS = runCache<string, readonly BuildDir[]>();

/**
 * Where the compiled output of the source file `file` (absolute) runs from: the file under the `outDir` of the
 * tsconfig files of the nearest folder at or above the file's (up to `stop`) that holds one, whose `rootDir` holds it, its extension
 * `.js` (`src/app.ts` -> `dist/app.js`). Undefined when no tsconfig above it sets an `outDir` holding it.
 */
export function builtPathOf(file: string, stop: string): string | undefined {
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    const relative = path.relative(folder, file).split(path.sep).join('/');
    const hasConfig = CONFIG_NAMES.some((n) => existsSync(path.join(folder, n)));
    const dirs = hasConfig ? buildDirs(folder) : [];
    for (const { outDir, rootDir } of dirs) {
      if (rootDir !== '' && relative !== rootDir && !relative.startsWith(`${rootDir}/`)) continue;
      const rest = rootDir === '' ? relative : relative.slice(rootDir.length + 1);
      // The output folder is never below the root folder's own inputs: a file of outDir is not a source.
      if (outDir !== '' && (relative === outDir || relative.startsWith(`${outDir}/`))) continue;
      return path.join(folder, outDir, rest.replace(/\.([cm]?)tsx?$/, '.$1js'));
    }
    if (hasConfig || folder === stop || !folder.startsWith(stop) || path.dirname(folder) === folder)
      return undefined;
  }
}

interface CompilerOptionsRead {
  outDir?: string;
  rootDir?: string;
  include?: string[];
}

function readBuildDirs(folder: string): BuildDir[] {
  const out: BuildDir[] = [];
  for (const name of CONFIG_NAMES) {
    const file = path.join(folder, name);
    if (!existsSync(file)) continue;
    const read = readConfig(file, folder, 0);
    if (read.outDir === undefined) continue;
    const rootDir = read.rootDir ?? defaultRootDir(folder, read.include);
    const dir = { outDir: read.outDir, rootDir };
    if (!out.some((d) => d.outDir === dir.outDir && d.rootDir === dir.rootDir)) out.push(dir);
  }
  return out;
}

/** `outDir`, `rootDir` and `include` of the config `file`, its own over its `extends`', relative to `folder`. */
function readConfig(file: string, folder: string, depth: number): CompilerOptionsRead {
  if (depth > 5) return {};
  const config = ts.readConfigFile(file, (f) => ts.sys.readFile(f)).config as
    | { extends?: unknown; include?: unknown; compilerOptions?: { outDir?: unknown; rootDir?: unknown } }
    | undefined;
  if (!config) return {};
  const here = path.dirname(file);
  const local = (p: string): string => norm(path.relative(folder, path.resolve(here, p)));
  const own: CompilerOptionsRead = {};
  const options = config.compilerOptions;
  if (typeof options?.outDir === 'string') own.outDir = local(options.outDir);
  if (typeof options?.rootDir === 'string') own.rootDir = local(options.rootDir);
  if (Array.isArray(config.include))
    own.include = config.include.filter((i): i is string => typeof i === 'string').map(local);
  const parents = typeof config.extends === 'string' ? [config.extends] : config.extends;
  // Of several `extends`, a later one overrides an earlier one; the config's own options override them all.
  const inherited: CompilerOptionsRead = {};
  for (const parent of Array.isArray(parents) ? (parents as unknown[]) : []) {
    if (typeof parent !== 'string') continue;
    const parentFile = configFile(here, parent);
    if (parentFile) Object.assign(inherited, readConfig(parentFile, folder, depth + 1));
  }
  return { ...inherited, ...own };
}

/** The file an `extends` names: a relative path (`.json` optional), or a package's config under node_modules. */
function configFile(from: string, specifier: string): string | undefined {
  const bases = specifier.startsWith('.') || path.isAbsolute(specifier) ? [from] : nodeModules(from);
  for (const base of bases) {
    const target = path.resolve(base, specifier);
    for (const candidate of [target, `${target}.json`, path.join(target, 'tsconfig.json')])
      if (existsSync(candidate) && candidate.endsWith('.json')) return candidate;
  }
  return undefined;
}

function nodeModules(from: string): string[] {
  const out: string[] = [];
  for (let at = from; ; at = path.dirname(at)) {
    out.push(path.join(at, 'node_modules'));
    if (path.dirname(at) === at) return out;
  }
}

/** See {@link buildDirs}: the approximated default `rootDir` of a package's config. */
function defaultRootDir(folder: string, include: readonly string[] | undefined): string {
  if (include?.length) {
    const fixed = include.map((i) => {
      const parts = i.split('/');
      const glob = parts.findIndex((p) => /[*?{[]/.test(p));
      // `src/**/*` -> `src`; `src/index.ts` (a file) -> `src`; `src` (a folder) -> `src`.
      const kept = glob < 0 ? parts : parts.slice(0, glob);
      const last = kept[kept.length - 1];
      return (glob < 0 && last && /\.[cm]?tsx?$/.test(last) ? kept.slice(0, -1) : kept).join('/');
    });
    let common = fixed[0]?.split('/') ?? [];
    for (const f of fixed.slice(1)) {
      const parts = f.split('/');
      let i = 0;
      while (i < common.length && common[i] === parts[i]) i++;
      common = common.slice(0, i);
    }
    return common.join('/');
  }
  let names: string[] = [];
  try {
    names = readdirSync(folder);
  } catch {
    return '';
  }
  const topLevelSource = names.some((n) => /\.[cm]?tsx?$/.test(n) && !/\.d\.[cm]?ts$/.test(n));
  return !topLevelSource && names.includes('src') ? 'src' : '';
}

/** A relative path `/`-separated, without a leading `./` nor a trailing `/` (`.` is ``). */
function norm(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\/?|\/$/g, '');
}
