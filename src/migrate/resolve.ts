import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';

/** Compiler options and resolution cache of one tsconfig (or of the defaults, for files outside any). */
interface ConfigEntry {
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
  /** The config files of its project `references` (a solution-style tsconfig.json keeps its `paths` there). */
  references: string[];
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
    // A solution-style tsconfig.json (`files: []`, `references: [{ path: './tsconfig.app.json' }]`, as Vite and
    // Nx write it): the referenced projects hold the `paths`.
    for (const reference of entry.references) {
      if (resolved) break;
      resolved = this.run(specifier, containingFile, this.entryOf(reference));
    }
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
    return file ? this.entryOf(file) : this.defaults();
  }

  private entryOf(file: string): ConfigEntry {
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
function readConfig(file: string): ConfigEntry | undefined {
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
  const options: ts.CompilerOptions = { ...parsed.options, allowJs: true };
  // A reference names a config file or a folder holding a tsconfig.json.
  const references = (parsed.projectReferences ?? [])
    .map((r) =>
      existsSync(r.path) && !r.path.endsWith('.json') ? path.join(r.path, 'tsconfig.json') : r.path,
    )
    .filter((r) => r !== file && existsSync(r));
  return {
    options,
    cache: ts.createModuleResolutionCache(path.dirname(file), (f) => f, options),
    references,
  };
}
