import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import { ModuleAliases } from './module-aliases.js';
import { RelativeFiles } from './relative-files.js';
import { WorkspacePackages } from './routes/workspace-packages.js';

/** Compiler options and resolution cache of one tsconfig (or of the defaults, for files outside any). */
interface ConfigEntry {
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
  /**
   * Configs a solution-style tsconfig (`"files": []` and `references`, as Vite and Nuxt 4 generate) hands its
   * files to, tried in order when its own options resolve nothing; Nuxt's aliases when its generated configs
   * are not there yet.
   */
  references: ConfigEntry[];
}

/** A bare specifier: a package or an alias (not `./x`, `../x`, `/abs`, `C:\\abs`, `#import`). */
const BARE = /^(?![./#]|[A-Za-z]:[\\/])/;

/** Options when no tsconfig/jsconfig applies: what a bundler or Node's own resolution would find. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  resolveJsonModule: false,
};

/**
 * Module resolution for the cross-file phase, with TypeScript's own resolver (`ts.resolveModuleName`) and the
 * compiler options of the nearest `tsconfig.json` (or `jsconfig.json`) above each file, `extends` and `paths`
 * included. Package `imports` (`#src/*`) resolve under `node16`/`nodenext`/`bundler` resolution; a specifier the
 * config cannot resolve (`#src/*` under `node10`) gets a second try with `bundler` resolution. One parsed config and one
 * resolution cache per config file; the nearest config is looked up once per folder.
 */
export class ModuleResolver {
  private readonly configs = new Map<string, ConfigEntry>();
  private readonly nearest = new Map<string, string | undefined>();
  private readonly results = new Map<string, string | undefined>();
  /** `resolve`'s answers by importing folder and specifier (a relative specifier's `keyOf` is the same key). */
  private readonly byFolder = new Map<string, string | undefined>();
  /** `packageScope` answers by folder. */
  private readonly scopes = new Map<string, string>();
  /** `packageName` answers by folder. */
  private readonly names = new Map<string, string | undefined>();
  private fallback?: ConfigEntry;
  /** Aliases of test runners and bundlers (jest `moduleNameMapper`, vite `resolve.alias`, babel module-resolver). */
  private readonly aliases: ModuleAliases;
  /** Workspace packages by name, for a clone whose `node_modules` does not link them (workspace-packages.ts). */
  private readonly workspaces: WorkspacePackages;
  /** Files answered from a workspace package's folder rather than by TypeScript (see `fromWorkspace`). */
  private readonly workspaceFiles = new Set<string>();
  /** Relative specifiers answered from folder listings (relative-files.ts) when the config allows it. */
  private readonly relativeFiles = new RelativeFiles();

  /**
   * @param stop folder above which no config is looked for (the working folder's repository root or the
   *   file system root); `undefined` searches up to the root.
   */
  constructor(private readonly stop?: string) {
    this.aliases = new ModuleAliases(stop);
    this.workspaces = new WorkspacePackages(stop);
  }

  /**
   * Whether `absolute` was answered from a workspace package's folder (a fresh clone of a monorepo, or a
   * package whose `main` names a build output): it may lie outside the scanned paths, and is then read for
   * its values only.
   */
  fromWorkspace(absolute: string): boolean {
    return this.workspaceFiles.has(absolute);
  }

  /**
   * The absolute path of the source file `specifier` names from `containingFile` (absolute), or undefined
   * when it resolves to nothing, to a declaration file, or into `node_modules` (a workspace package linked
   * there resolves to its real path in the project).
   */
  resolve(specifier: string, containingFile: string): string | undefined {
    // By folder first: `keyOf` for a bare specifier asks three folder tables, and a big project asks about the
    // same package from each of its files (the outside-import pass: every file with no 403 form).
    const folder = path.dirname(containingFile);
    const quick = `${folder}\0${specifier}`;
    if (this.byFolder.has(quick)) return this.byFolder.get(quick);
    const resolved = this.resolveUncached(specifier, containingFile);
    this.byFolder.set(quick, resolved);
    return resolved;
  }

  private resolveUncached(specifier: string, containingFile: string): string | undefined {
    const key = this.keyOf(specifier, path.dirname(containingFile));
    if (this.results.has(key)) return this.results.get(key);
    const entry = this.configFor(path.dirname(containingFile));
    // `./routes/users` to a `users.ts` beside it: the folder's listing gives TypeScript's answer without asking
    // it (the references count too: they are tried when the config refuses an extensionless specifier).
    if (
      specifier.startsWith('.') &&
      RelativeFiles.usable(entry.options) &&
      entry.references.every((r) => RelativeFiles.usable(r.options))
    ) {
      const listed = this.relativeFiles.resolve(specifier, path.dirname(containingFile));
      if (listed) {
        this.results.set(key, listed);
        return listed;
      }
    }
    let resolved: string | undefined;
    if (!BARE.test(specifier) || !this.notInstalled(specifier, path.dirname(containingFile), entry)) {
      resolved = this.run(specifier, containingFile, entry);
      for (const reference of entry.references) resolved ??= this.run(specifier, containingFile, reference);
      // A config that cannot see it (`node10` and `#src/*`, extensionless imports under `nodenext`): a bundler's view.
      if (!resolved && entry !== this.defaults())
        resolved = this.run(specifier, containingFile, this.defaults());
    }
    // What tsconfig does not map, the test runner or bundler may (`@/services/x` through jest's moduleNameMapper,
    // also `#/x` and an absolute `/opt/base` of a Lambda layer).
    if (!resolved && !specifier.startsWith('.')) resolved = this.aliased(specifier, containingFile, entry);
    // `@acme/core` of the same workspace, not linked into node_modules or built yet (its `main` in `dist/`).
    if (!resolved && BARE.test(specifier)) {
      resolved = this.workspaces.resolve(specifier, containingFile);
      if (resolved) this.workspaceFiles.add(resolved);
    }
    this.results.set(key, resolved);
    return resolved;
  }

  /** `specifier` through the aliases of the nearest test runner or bundler config (module-aliases.ts). */
  private aliased(specifier: string, containingFile: string, entry: ConfigEntry): string | undefined {
    const folder = path.dirname(containingFile);
    for (const target of this.aliases.candidates(specifier, folder)) {
      const relative = path.relative(folder, target).split(path.sep).join('/');
      const local = relative.startsWith('.') ? relative : `./${relative}`;
      const found =
        this.run(local, containingFile, entry) ?? this.run(local, containingFile, this.defaults());
      if (found) return found;
    }
    return undefined;
  }

  /**
   * What a resolution depends on. A relative (or `#` package-import) specifier: the importing folder. A bare one
   * (`express`, `@/routes/x`, `lodash/fp`): only the config (`paths`, `baseUrl`), the `node_modules` folders
   * above the importing folder (a package, or a workspace package linked there) and the nearest package.json
   * (a package naming itself), so folders that share those share the answer: a project of hundreds of folders
   * asks TypeScript once per package instead of once per folder (its failed lookups probe every folder up).
   */
  private keyOf(specifier: string, folder: string): string {
    if (!BARE.test(specifier)) return `${folder}\0${specifier}`;
    const aliases = this.aliases.rulesFor(folder).map((r) => r.source);
    return `${this.configFile(folder) ?? ''}\0${this.packageScope(folder)}\0${aliases.join('\0')}\0${specifier}`;
  }

  /**
   * A bare specifier TypeScript can only fail to resolve to a project file: no config tried maps it (a
   * `baseUrl`, or a `paths` pattern it matches: `mapsSpecifier`), no `node_modules` folder above holds its package, and the nearest package.json is
   * not that package (a package importing itself by name). A fresh clone (no `node_modules`) asks about every
   * package it imports; each such failed lookup probes every folder up to the root, several times.
   */
  private notInstalled(specifier: string, folder: string, entry: ConfigEntry): boolean {
    const maps = (e: ConfigEntry): boolean => mapsSpecifier(e.options, specifier);
    if (maps(entry) || entry.references.some(maps)) return false;
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    const [pkg, ...modules] = this.packageScope(folder).split('\0');
    if (modules.some((m) => existsSync(path.join(m, 'node_modules', name)))) return false;
    return !pkg || this.packageName(pkg) !== name;
  }

  /** The `name` of the package.json in `folder` (undefined when unreadable or unnamed), read once. */
  private packageName(folder: string): string | undefined {
    if (this.names.has(folder)) return this.names.get(folder);
    let name: string | undefined;
    try {
      const data: unknown = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
      const value = data && typeof data === 'object' ? (data as { name?: unknown }).name : undefined;
      name = typeof value === 'string' ? value : undefined;
    } catch {
      name = undefined;
    }
    this.names.set(folder, name);
    return name;
  }

  /** The nearest package.json's folder and every folder above holding `node_modules`, as one string. */
  private packageScope(folder: string): string {
    const cached = this.scopes.get(folder);
    if (cached !== undefined) return cached;
    const parent = path.dirname(folder);
    const above = parent === folder ? '\0' : this.packageScope(parent);
    const [pkg, ...modules] = above.split('\0');
    const ownPackage = existsSync(path.join(folder, 'package.json')) ? folder : pkg;
    const linked = existsSync(path.join(folder, 'node_modules')) ? [folder, ...modules] : modules;
    const scope = [ownPackage, ...linked.filter(Boolean)].join('\0');
    this.scopes.set(folder, scope);
    return scope;
  }

  private run(specifier: string, containingFile: string, entry: ConfigEntry): string | undefined {
    const result = ts.resolveModuleName(specifier, containingFile, entry.options, ts.sys, entry.cache);
    const module = result.resolvedModule;
    // A workspace package linked into node_modules (npm/pnpm/yarn workspaces) is "external" to TypeScript but
    // its real path is a project file: keep it; anything that really lives under node_modules is not ours.
    if (!module || /[\\/]node_modules[\\/]/.test(module.resolvedFileName)) return undefined;
    if (/\.d\.[cm]?ts$/.test(module.resolvedFileName)) return undefined;
    return path.resolve(module.resolvedFileName);
  }

  private defaults(): ConfigEntry {
    this.fallback ??= {
      options: DEFAULT_OPTIONS,
      cache: ts.createModuleResolutionCache(process.cwd(), (f) => f, DEFAULT_OPTIONS),
      references: [],
    };
    return this.fallback;
  }

  private configFor(folder: string): ConfigEntry {
    const file = this.configFile(folder);
    if (!file) return this.defaults();
    let entry = this.configs.get(file);
    if (!entry) {
      entry = readConfig(file, this.workspaces) ?? this.defaults();
      this.configs.set(file, entry);
    }
    return entry;
  }

  private configFile(folder: string): string | undefined {
    if (this.nearest.has(folder)) return this.nearest.get(folder);
    let found: string | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const candidate = path.join(folder, name);
      if (existsSync(candidate)) {
        found = candidate;
        break;
      }
    }
    const parent = path.dirname(folder);
    if (!found && parent !== folder && folder !== this.stop) found = this.configFile(parent);
    this.nearest.set(folder, found);
    return found;
  }
}

/**
 * Whether compiler options can map the bare `specifier` to a file by name: a `baseUrl` (every bare specifier is
 * also looked up under it) or a `paths` pattern that matches it (`@/*` matches `@/routes/x`; `react` matches no
 * `@/*`). A Next.js app's `paths: { "@/*": [...] }` maps its own aliases only: `react` or a workspace package
 * it imports are still a `node_modules` lookup, which fails in a fresh clone after probing every folder up
 * (lead50: 24 s of 68 s in typebot's builder, whose tsconfig references 44 configs).
 * Pattern rules as TypeScript's (https://www.typescriptlang.org/tsconfig/#paths): an exact key, or one `*`.
 */
function mapsSpecifier(options: ts.CompilerOptions, specifier: string): boolean {
  if (options.baseUrl) return true;
  return Object.keys(options.paths ?? {}).some((pattern) => {
    const star = pattern.indexOf('*');
    if (star < 0) return pattern === specifier;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    return (
      specifier.length >= prefix.length + suffix.length &&
      specifier.startsWith(prefix) &&
      specifier.endsWith(suffix)
    );
  });
}

/** Parses one tsconfig with TypeScript's own reader (comments, `extends`, `paths`); undefined when unreadable. */
function readConfig(file: string, workspaces: WorkspacePackages, depth = 0): ConfigEntry | undefined {
  const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  if (read.error) return undefined;
  // A base config in a workspace package (`"extends": "@acme/tsconfig"`) that node_modules does not link (a
  // fresh clone): its `node_modules/@acme/tsconfig/...` paths are read from the package's folder. Without it,
  // the base's `module` / `moduleResolution` are lost and TypeScript falls back to classic resolution.
  const linked = (f: string): string => {
    const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)(.*)$/.exec(f);
    if (!match || ts.sys.fileExists(f)) return f;
    const folder = workspaces.packageFolder((match[1] ?? '').replace(/\\/g, '/'), path.dirname(file));
    return folder ? folder + (match[2] ?? '') : f;
  };
  // Only the options matter: an empty file list keeps TypeScript from walking the project's folders.
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: () => [],
    fileExists: (f) => ts.sys.fileExists(linked(f)),
    readFile: (f) => ts.sys.readFile(linked(f)),
  };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(file), undefined, file);
  const options = { ...parsed.options, allowJs: true };
  // A base config that cannot be read at all: resolve as a bundler would rather than TypeScript's classic default.
  const lostBase = parsed.errors.some((e) => e.code === 6053 || e.code === 5083);
  if (lostBase && options.moduleResolution === undefined) {
    options.moduleResolution = ts.ModuleResolutionKind.Bundler;
    options.module ??= ts.ModuleKind.ESNext;
  }
  return entryOf(file, options, referencesOf(file, parsed, workspaces, depth));
}

function entryOf(file: string, options: ts.CompilerOptions, references: ConfigEntry[] = []): ConfigEntry {
  return {
    options,
    cache: ts.createModuleResolutionCache(path.dirname(file), (f) => f, options),
    references,
  };
}

/**
 * The configs a tsconfig references (`references: [{ path }]`, a folder meaning its tsconfig.json), read one
 * level deep. A Nuxt project before `nuxt prepare` references `.nuxt/tsconfig*.json` files that do not exist
 * yet: Nuxt's own aliases stand in for them (https://nuxt.com/docs/api/nuxt-config#alias): `~~`/`@@` the root,
 * `~`/`@` the source folder (`app/` in Nuxt 4), `#shared` the shared folder.
 */
function referencesOf(
  file: string,
  parsed: ts.ParsedCommandLine,
  workspaces: WorkspacePackages,
  depth: number,
): ConfigEntry[] {
  const references = parsed.projectReferences ?? [];
  if (!references.length || depth > 0) return [];
  const entries: ConfigEntry[] = [];
  let missingNuxt = false;
  for (const reference of references) {
    const target = /\.json$/.test(reference.path)
      ? reference.path
      : path.join(reference.path, 'tsconfig.json');
    if (existsSync(target)) {
      const entry = readConfig(target, workspaces, depth + 1);
      if (entry) entries.push(entry);
    } else if (target.split(path.sep).includes('.nuxt')) {
      missingNuxt = true;
    }
  }
  if (missingNuxt) entries.push(entryOf(file, nuxtAliases(path.dirname(file))));
  return entries;
}

function nuxtAliases(root: string): ts.CompilerOptions {
  const source = existsSync(path.join(root, 'app')) ? 'app' : '.';
  return {
    ...DEFAULT_OPTIONS,
    paths: {
      '~~/*': ['./*'],
      '@@/*': ['./*'],
      '~/*': [`./${source}/*`],
      '@/*': [`./${source}/*`],
      '#shared/*': ['./shared/*'],
      '#shared': ['./shared'],
    },
    pathsBasePath: root,
  };
}
