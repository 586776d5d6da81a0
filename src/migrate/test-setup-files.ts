import { existsSync, readFileSync } from 'node:fs';
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
];

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
 * The project files (relative to `cwd`, `/`-separated) that the suite's runner configuration loads before test
 * files. Entries naming a package (`ts-node/register`) or a file that does not exist are left out; so is
 * anything the configuration computes. Reads the configuration files at the root only.
 */
export function runnerSetupFiles(cwd: string): string[] {
  const files = new Set<string>();
  for (const config of CONFIGS) {
    const absolute = path.join(cwd, config);
    if (!existsSync(absolute)) continue;
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch {
      continue;
    }
    for (const entry of entriesOf(text, config)) {
      const file = resolveEntry(cwd, entry);
      if (file) files.add(file);
    }
  }
  return [...files];
}
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

/** The project file an entry names (`<rootDir>/test/setup.js`, `./test/setup`), or undefined. */
export function resolveEntry(cwd: string, entry: string): string | undefined {
  const relative = entry.replace(/^<rootDir>\//, '').replace(/^\.\//, '');
  if (!relative || path.isAbsolute(relative) || !/^[.\w@/-][\w@./-]*$/.test(relative)) return undefined;
  // A bare package name (`ts-node/register`, `@babel/register`) is no project file unless it exists as one.
  for (const extension of EXTENSIONS) {
    const candidate = path.join(cwd, relative + extension);
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
