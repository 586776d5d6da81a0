import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';

// The setup files a test runner loads before every test file (`--include-tests`, issue 9 §1): a stub one installs
// (`sinon.stub(auth, 'check').callsFake(refuse)`) holds for every test of the suite. Text patterns only, no
// compiler: discovery (on the sources thread, before the compiler loads) reads them; which tests each one is
// loaded for is test-setup-scopes.ts's.

/** Runner configuration files, relative to the project root. */
export const CONFIGS = [
  'package.json',
  'jest.config.js',
  'jest.config.cjs',
  'jest.config.mjs',
  'jest.config.ts',
  'jest.config.json',
  'vitest.config.js',
  'vitest.config.mjs',
  'vitest.config.ts',
  'vitest.config.mts',
  'vite.config.js',
  'vite.config.mjs',
  'vite.config.ts',
  '.mocharc.js',
  '.mocharc.cjs',
  '.mocharc.json',
  '.mocharc.jsonc',
  '.mocharc.yml',
  '.mocharc.yaml',
  'jest.config.mts',
  'jest.config.cts',
  'vitest.config.cts',
  'vite.config.mts',
  'vitest.workspace.ts',
  'vitest.workspace.mts',
  'vitest.workspace.js',
  'vitest.workspace.mjs',
  'vitest.workspace.json',
];

/** A runner configuration file: the folder it sits in (relative to the project root, '' for the root) and its name. */
export interface ConfigLocation {
  folder: string;
  config: string;
}

/** Folders a configuration search never enters: installed and built code, caches. */
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'coverage', 'out', 'vendor', 'tmp', 'fixtures']);

/** How deep below the root a workspace package's own configuration is looked for (`packages/web`, `apps/x/y`). */
const DEPTH = 3;

/**
 * The runner configurations of a project: those at its root, and those of the workspace packages below it
 * (`packages/web/jest.config.js`, `libs/lib/vitest.config.ts` with `projects:`, a package's own package.json
 * `jest` key or `mocha` script), whose entries are relative to their own folder (Jest's `<rootDir>` is the folder
 * of the configuration, Vitest resolves `setupFiles` from the project's root). Folders are read
 * {@link DEPTH} levels down, skipping hidden, installed and built folders.
 */
export function configLocations(cwd: string): ConfigLocation[] {
  const out: ConfigLocation[] = [];
  const names = new Set(CONFIGS);
  const visit = (folder: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(cwd, folder), { withFileTypes: true });
    } catch {
      return;
    }
    const here = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    for (const config of CONFIGS) if (here.has(config) && names.has(config)) out.push({ folder, config });
    if (depth >= DEPTH) return;
    for (const entry of entries)
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name))
        visit(folder ? `${folder}/${entry.name}` : entry.name, depth + 1);
  };
  visit('', 0);
  return out;
}

/** A configuration's text, or undefined when it cannot be read. */
export function configText(cwd: string, location: ConfigLocation): string | undefined {
  try {
    return readFileSync(path.join(cwd, location.folder, location.config), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Keys and flags naming files loaded before the tests: Jest `setupFiles` / `setupFilesAfterEnv`, Vitest
 * `setupFiles`, Mocha `require` / `file` (`.mocharc`, `"mocha"` in package.json, `--require` / `-r` / `--file`
 * on a `mocha` command line), ava `require`. Sources: Jest "Configuring Jest", Vitest "Config: setupFiles", Mocha
 * "Configuring Mocha" and "Command-line usage", ava "Configuration".
 */
const KEYED =
  /["']?(?:setupFiles|setupFilesAfterEnv|require|file)["']?\s*:\s*(\[[^\]]*\]|"[^"]*"|'[^']*'|`[^`]*`)/g;
const YAML_KEYED = /^(?:require|file)\s*:\s*((?:\s*-\s*\S+\s*)+|\S+)/gm;
const FLAGS = /(?:^|\s)(?:--require|-r|--file)[\s=]+(["']?)([^\s"']+)\1/g;
const QUOTED = /"([^"]+)"|'([^']+)'|`([^`]+)`/g;

/** Extensions a setup entry may leave off. */
const EXTENSIONS = ['', '.js', '.cjs', '.mjs', '.ts', '.mts', '.cts', '/index.js', '/index.ts'];

/**
 * The project files (relative to `cwd`, `/`-separated) that the suite's runner configurations load before test
 * files: the root's and each workspace package's ({@link configLocations}). Entries naming a package
 * (`ts-node/register`) or a file that does not exist are left out; so is anything the configuration computes.
 */
export function runnerSetupFiles(cwd: string): string[] {
  const files = new Set<string>();
  for (const location of configLocations(cwd)) {
    const text = configText(cwd, location);
    if (text === undefined) continue;
    for (const entry of entriesOf(text, location.config)) {
      const file = resolveEntry(cwd, entry, location.folder);
      if (file) files.add(file);
    }
  }
  return [...files];
}

/** The setup entries a configuration's text names, by the text patterns of its kind. */
export function entriesOf(text: string, config: string): string[] {
  if (config === 'package.json') return packageEntries(text);
  const out: string[] = [];
  for (const match of text.matchAll(KEYED))
    for (const quoted of (match[1] ?? '').matchAll(QUOTED))
      out.push(quoted[1] ?? quoted[2] ?? quoted[3] ?? '');
  if (/\.ya?ml$/.test(config))
    for (const match of text.matchAll(YAML_KEYED)) {
      // A list's items (`- test/setup.js`; a name may hold a hyphen), else the one scalar.
      const value = match[1] ?? '';
      const items = [...value.matchAll(/(?:^|\s)-\s+(\S+)/g)].map((item) => item[1] ?? '');
      for (const item of items.length ? items : [value.trim()]) if (item) out.push(unquote(item));
    }
  return out.filter(Boolean);
}

/** package.json: `jest.setupFiles(AfterEnv)`, `mocha.require` / `mocha.file`, `ava.require`, flags on `mocha` scripts. */
function packageEntries(text: string): string[] {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const at = (value: unknown, key: string): unknown =>
    value && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;
  const add = (value: unknown): void => {
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') out.push(item);
  };
  add(at(at(pkg, 'jest'), 'setupFiles'));
  add(at(at(pkg, 'jest'), 'setupFilesAfterEnv'));
  add(at(at(pkg, 'mocha'), 'require'));
  add(at(at(pkg, 'mocha'), 'file'));
  add(at(at(pkg, 'ava'), 'require'));
  const scripts = at(pkg, 'scripts');
  if (scripts && typeof scripts === 'object')
    for (const script of Object.values(scripts))
      if (typeof script === 'string' && /\bmocha\b/.test(script))
        for (const match of script.matchAll(FLAGS)) out.push(match[2] ?? '');
  return out;
}

export function unquote(text: string): string {
  return text.replace(/^["']|["']$/g, '');
}

/**
 * The project file an entry names (`<rootDir>/test/setup.js`, `./test/setup`), or undefined.
 *
 * @param folder the folder the entry is relative to (its configuration's, or a project's `root`), from `cwd`
 */
export function resolveEntry(cwd: string, entry: string, folder = ''): string | undefined {
  const relative = entry.replace(/^<rootDir>\//, '').replace(/^\.\//, '');
  if (!relative || path.isAbsolute(relative) || !/^[.\w@/-][\w@./-]*$/.test(relative)) return undefined;
  // A bare package name (`ts-node/register`, `@babel/register`) is no project file unless it exists as one.
  for (const extension of EXTENSIONS) {
    const candidate = path.join(cwd, folder, relative + extension);
    if (!candidate.startsWith(cwd + path.sep)) return undefined;
    if (existsSync(candidate) && !candidate.includes(`${path.sep}node_modules${path.sep}`))
      try {
        readFileSync(candidate, 'utf8');
        return path.relative(cwd, candidate).split(path.sep).join('/');
      } catch {
        // a folder: try the next extension
      }
  }
  return undefined;
}
