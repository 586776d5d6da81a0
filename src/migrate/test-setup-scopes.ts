import path from 'node:path';
import picomatch from 'picomatch';
import ts from '../typescript.cjs';
import { configLocations, configText, entriesOf, resolveEntry, unquote } from './test-setup-files.js';

// Which test files each runner setup file is loaded for (the test follower's question): the configurations read as
// objects with the compiler. Apart from test-setup-files.ts so that discovery, on the sources thread before the
// compiler loads, does not load it.

/** A file the runner loads before test files, and which test files those are (undefined: every one). */
export interface RunnerSetup {
  /** The setup file, relative to the project root, `/`-separated. */
  file: string;
  /** Whether the runner configuration that loads it runs this test file (relative path). */
  runs?: (testFile: string) => boolean;
}

/**
 * The setup files of {@link runnerSetupFiles}, each with the test files its configuration runs: a `mocha -r
 * test/unit/setup.js test/unit` script loads it for `test/unit` only (another script without the flag does not),
 * a Jest `projects` entry or a configuration object for its `roots` / `testMatch` / `testRegex`, Vitest for its
 * `include`, `.mocharc` for its `spec`. A configuration that does not say which tests it runs loads it for every
 * one. Sources: Jest "Configuring Jest" (roots, testMatch, testRegex, projects), Vitest "Config: include",
 * Mocha "Command-line usage" (spec arguments) and "Configuring Mocha" (spec).
 */
export function runnerSetups(cwd: string): RunnerSetup[] {
  const out: RunnerSetup[] = [];
  for (const location of configLocations(cwd)) {
    const text = configText(cwd, location);
    if (text === undefined) continue;
    for (const { entry, scope, base } of scopedEntries(text, location.config)) {
      // A workspace package's configuration (or a project with its own `root`) runs the tests under its folder.
      const folder = path.posix.normalize(path.posix.join(location.folder, base ?? '')).replace(/^\.$/, '');
      const file = resolveEntry(cwd, entry, folder);
      if (file) out.push({ file, runs: scoped(folder, scope) });
    }
  }
  return out;
}

/** The test files a configuration of `folder` runs: those under it that its scope matches (relative to it). */
function scoped(folder: string, scope: Scope | undefined): ((testFile: string) => boolean) | undefined {
  const matches = scope && matcher(scope);
  if (!folder) return matches;
  return (testFile) =>
    testFile.startsWith(`${folder}/`) && (!matches || matches(testFile.slice(folder.length + 1)));
}

/** A setup entry, the tests its configuration object runs, and the folder (`root`) both are relative to. */
interface ScopedEntry {
  entry: string;
  scope?: Scope;
  /** A Vitest project's `root` / a Jest project's `rootDir`, relative to the configuration's folder. */
  base?: string;
}

/** Which test files a configuration runs, as it spells them (relative to the configuration's folder). */
interface Scope {
  /** Globs or folders (`test/unit`, `test/**\/*.spec.js`, `<rootDir>/src`). */
  globs: string[];
  /** Jest `roots`: folders the globs apply under. */
  roots: string[];
  /** Jest `testRegex`. */
  regexes: string[];
}

function scopedEntries(text: string, config: string): ScopedEntry[] {
  const scoped = /\.ya?ml$/.test(config)
    ? undefined
    : config === 'package.json'
      ? packageScopes(text)
      : objectScopes(ts.createSourceFile(config, text, ts.ScriptTarget.Latest, false));
  if (scoped) {
    // What the object walk read, plus the entries only the text patterns see (left unscoped).
    const seen = new Set(scoped.map((s) => s.entry));
    const rest = entriesOf(text, config).filter((entry) => !seen.has(entry));
    return [...scoped, ...rest.map((entry) => ({ entry }))];
  }
  const spec = yamlSpec(text);
  return entriesOf(text, config).map((entry) => ({ entry, scope: spec }));
}

/** A `.mocharc.yml` `spec` (one value or a list), as a scope. */
function yamlSpec(text: string): Scope | undefined {
  const match = /^spec\s*:\s*((?:\s*-\s*\S+\s*)+|\S+)/m.exec(text);
  if (!match) return undefined;
  const value = match[1] ?? '';
  const items = [...value.matchAll(/(?:^|\s)-\s+(\S+)/g)].map((item) => unquote(item[1] ?? ''));
  const globs = (items.length ? items : [unquote(value.trim())]).filter(Boolean);
  return globs.length ? { globs, roots: [], regexes: [] } : undefined;
}

const SETUP_KEYS = new Set(['setupFiles', 'setupFilesAfterEnv', 'require', 'file']);

/**
 * Every object literal of a configuration (JS, TS or JSON) that names setup files, with the scope its own keys
 * give (`testMatch`, `roots`, `testRegex`, `include`, `spec`), or its enclosing configuration object's when it
 * gives none (a Vitest `test: { setupFiles }` beside `include`).
 */
function objectScopes(source: ts.SourceFile): ScopedEntry[] {
  const out: ScopedEntry[] = [];
  const visit = (node: ts.Node, outer: Scope | undefined, outerBase: string | undefined): void => {
    let scope = outer;
    let base = outerBase;
    if (ts.isObjectLiteralExpression(node)) {
      // `{ test: { root: './services/svc', setupFiles: [...] } }` (a Vitest project), `{ rootDir: 'packages/a' }`
      const root = rootOf(node);
      if (root !== undefined) {
        base = path.posix.join(outerBase ?? '', root);
        scope = undefined;
      }
      scope = scopeOf(node) ?? scope;
      for (const property of node.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        const key = keyName(property.name);
        if (key && SETUP_KEYS.has(key))
          for (const entry of strings(property.initializer)) out.push({ entry, scope, base });
      }
    }
    ts.forEachChild(node, (child) => visit(child, scope, base));
  };
  visit(source, undefined, undefined);
  return out;
}

/** An object's own `root` (Vitest) or `rootDir` (Jest) folder, `./` and `<rootDir>/` taken off. */
function rootOf(object: ts.ObjectLiteralExpression): string | undefined {
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = keyName(property.name);
    if ((key === 'root' || key === 'rootDir') && ts.isStringLiteralLike(property.initializer))
      return property.initializer.text.replace(/^<rootDir>\/?/, '').replace(/^\.\/?/, '');
  }
  return undefined;
}

function scopeOf(object: ts.ObjectLiteralExpression): Scope | undefined {
  const scope: Scope = { globs: [], roots: [], regexes: [] };
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = keyName(property.name);
    const values = strings(property.initializer);
    if (key === 'testMatch' || key === 'include' || key === 'spec') scope.globs.push(...values);
    else if (key === 'roots') scope.roots.push(...values);
    else if (key === 'testRegex') scope.regexes.push(...values);
  }
  return scope.globs.length || scope.roots.length || scope.regexes.length ? scope : undefined;
}

function keyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

/** A string literal or an array literal of them. */
function strings(node: ts.Expression): string[] {
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isArrayLiteralExpression(node))
    return node.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
  return [];
}

/** package.json: its `jest` / `mocha` / `ava` objects, and flags on `mocha` scripts with the specs they name. */
function packageScopes(text: string): ScopedEntry[] | undefined {
  const source = ts.parseJsonText('package.json', text);
  const root = source.statements[0]?.expression;
  if (!root || !ts.isObjectLiteralExpression(root)) return undefined;
  const out: ScopedEntry[] = [];
  for (const property of root.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = keyName(property.name);
    if (
      (key === 'jest' || key === 'mocha' || key === 'ava') &&
      ts.isObjectLiteralExpression(property.initializer)
    )
      out.push(...objectScopes(ts.parseJsonText('package.json', property.initializer.getText(source))));
    if (key === 'scripts' && ts.isObjectLiteralExpression(property.initializer))
      for (const script of property.initializer.properties)
        if (ts.isPropertyAssignment(script) && ts.isStringLiteralLike(script.initializer))
          out.push(...mochaCommand(script.initializer.text));
  }
  return out;
}

/** Mocha flags that take a value (Mocha "Command-line usage"); any other flag stands alone. */
const VALUED = new Set([
  '-r',
  '--require',
  '--file',
  '--config',
  '--package',
  '-R',
  '--reporter',
  '-O',
  '--reporter-option',
  '--reporter-options',
  '-t',
  '--timeout',
  '-s',
  '--slow',
  '-u',
  '--ui',
  '-g',
  '--grep',
  '-f',
  '--fgrep',
  '--extension',
  '--ignore',
  '--exclude',
  '--retries',
  '-j',
  '--jobs',
  '-n',
  '--node-option',
  '--watch-files',
  '--watch-ignore',
  '--spec',
  '--delay',
  '--reporter-opts',
]);

/** The setup entries of each `mocha` command of a script, scoped by the specs the command names. */
function mochaCommand(script: string): { entry: string; scope?: Scope }[] {
  const out: { entry: string; scope?: Scope }[] = [];
  for (const command of script.split(/&&|\|\||;/)) {
    const words = command.trim().split(/\s+/).map(unquote);
    const at = words.findIndex((w) => /(?:^|\/)_?mocha$/.test(w));
    if (at < 0) continue;
    const entries: string[] = [];
    const specs: string[] = [];
    for (let i = at + 1; i < words.length; i++) {
      const word = words[i] ?? '';
      const [flag, inline] = word.startsWith('-') ? word.split('=', 2) : [word, undefined];
      if (!word.startsWith('-')) specs.push(word);
      else if (VALUED.has(flag ?? '')) {
        const value = inline ?? words[++i] ?? '';
        if (flag === '-r' || flag === '--require' || flag === '--file') entries.push(value);
        if (flag === '--spec') specs.push(value);
      }
    }
    const scope = specs.length ? { globs: specs, roots: [], regexes: [] } : undefined;
    for (const entry of entries) out.push({ entry, scope });
  }
  return out;
}

/** Whether a test file (relative to the project root) is one a scope runs. */
function matcher(scope: Scope): (testFile: string) => boolean {
  const clean = (p: string): string =>
    p
      .replace(/^<rootDir>\/?/, '')
      .replace(/^\.\//, '')
      .replace(/\/$/, '');
  const roots = scope.roots.map(clean);
  const globs = scope.globs.map(clean).map((glob) =>
    // A folder (`test/unit`) holds the tests under it; a glob matches as written.
    picomatch.scan(glob).isGlob
      ? picomatch(glob, { dot: true })
      : (f: string) => f === glob || f.startsWith(`${glob}/`),
  );
  const regexes = scope.regexes.flatMap((r) => {
    try {
      return [new RegExp(r)];
    } catch {
      return [];
    }
  });
  return (testFile) =>
    (!roots.length || roots.some((r) => !r || testFile === r || testFile.startsWith(`${r}/`))) &&
    (!globs.length || globs.some((g) => g(testFile))) &&
    (!regexes.length || regexes.some((r) => r.test(testFile)));
}
