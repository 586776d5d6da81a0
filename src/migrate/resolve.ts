import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';

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
  private fallback?: ConfigEntry;

  /**
   * @param stop folder above which no config is looked for (the working folder's repository root or the
   *   file system root); `undefined` searches up to the root.
   */
  constructor(private readonly stop?: string) {}

  /**
   * The absolute path of the source file `specifier` names from `containingFile` (absolute), or undefined
   * when it resolves to nothing, to a declaration file, or into `node_modules` (a workspace package linked
   * there resolves to its real path in the project).
   */
  resolve(specifier: string, containingFile: string): string | undefined {
    const key = `${path.dirname(containingFile)}\0${specifier}`;
    if (this.results.has(key)) return this.results.get(key);
    const entry = this.configFor(path.dirname(containingFile));
    let resolved = this.run(specifier, containingFile, entry);
    for (const reference of entry.references) resolved ??= this.run(specifier, containingFile, reference);
    // A config that cannot see it (`node10` and `#src/*`, extensionless imports under `nodenext`): a bundler's view.
    if (!resolved && entry !== this.defaults())
      resolved = this.run(specifier, containingFile, this.defaults());
    this.results.set(key, resolved);
    return resolved;
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
      entry = readConfig(file) ?? this.defaults();
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

/** Parses one tsconfig with TypeScript's own reader (comments, `extends`, `paths`); undefined when unreadable. */
function readConfig(file: string, depth = 0): ConfigEntry | undefined {
  const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  if (read.error) return undefined;
  // Only the options matter: an empty file list keeps TypeScript from walking the project's folders.
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: () => [],
    fileExists: (f) => ts.sys.fileExists(f),
    readFile: (f) => ts.sys.readFile(f),
  };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(file), undefined, file);
  return entryOf(file, { ...parsed.options, allowJs: true }, referencesOf(file, parsed, depth));
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
function referencesOf(file: string, parsed: ts.ParsedCommandLine, depth: number): ConfigEntry[] {
  const references = parsed.projectReferences ?? [];
  if (!references.length || depth > 0) return [];
  const entries: ConfigEntry[] = [];
  let missingNuxt = false;
  for (const reference of references) {
    const target = /\.json$/.test(reference.path)
      ? reference.path
      : path.join(reference.path, 'tsconfig.json');
    if (existsSync(target)) {
      const entry = readConfig(target, depth + 1);
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
