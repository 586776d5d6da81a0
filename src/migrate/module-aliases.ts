import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import { autoloadNamespaces } from './adonis-autoload.js';

/** One alias rule: a specifier it applies to, and the absolute paths it may name (tried in order). */
export interface AliasRule {
  /** Where the rule was read (a config file), for tests and messages. */
  source: string;
  /** The candidate targets of `specifier`, absolute, or undefined when the rule does not apply. */
  apply(specifier: string): string[] | undefined;
}

/** The config files whose aliases a test runner or bundler applies, in the order they are read in one folder. */
const CONFIG_FILES = [
  'jest.config.js',
  'jest.config.ts',
  'jest.config.mjs',
  'jest.config.cjs',
  'jest.config.json',
  'vitest.config.ts',
  'vitest.config.mts',
  'vitest.config.js',
  'vitest.config.mjs',
  'vite.config.ts',
  'vite.config.mts',
  'vite.config.js',
  'vite.config.mjs',
  'babel.config.js',
  'babel.config.cjs',
  'babel.config.json',
  '.babelrc',
  '.babelrc.js',
  '.babelrc.json',
  'package.json',
];

/**
 * The module aliases a folder's test runner or bundler applies, which TypeScript's resolver does not know:
 * jest `moduleNameMapper` (`'^@/(.*)$': '<rootDir>/src/$1'`, in a jest config file or package.json `jest`),
 * vite / vitest `resolve.alias` and vitest `test.alias` (an object `{ '@': path.resolve(__dirname, 'src') }` or
 * an array of `{ find, replacement }`, `find` a string or a regex literal), and babel-plugin-module-resolver
 * (`['module-resolver', { root: ['./src'], alias: { '@': './src' } }]`, a `^` key being a regex). Config files
 * are read as text, never run: values are string literals, templates without expressions, `__dirname`,
 * `import.meta.dirname`, `process.cwd()`, `path.resolve` / `path.join` of those, and
 * `fileURLToPath(new URL('./src', import.meta.url))`; a rule whose value is anything else is skipped.
 * Sources: jest docs "Configuring Jest" (moduleNameMapper, rootDir); vite docs "resolve.alias" (entries of
 * @rollup/plugin-alias: a string `find` matches the whole specifier or a prefix followed by `/`);
 * babel-plugin-module-resolver README ("root", "alias", regular expressions).
 */
export class ModuleAliases {
  private readonly byFolder = new Map<string, readonly AliasRule[]>();

  /** @param stop folder above which no config is looked for; undefined: up to the root or a `.git` folder. */
  constructor(private readonly stop?: string) {}

  /** The rules of the nearest folder at or above `folder` that has any (each folder's configs together). */
  rulesFor(folder: string): readonly AliasRule[] {
    const cached = this.byFolder.get(folder);
    if (cached) return cached;
    let rules = CONFIG_FILES.flatMap((name) => {
      const file = path.join(folder, name);
      return existsSync(file) ? readRules(file) : [];
    });
    if (existsSync(path.join(folder, '.meteor', 'release'))) rules.push(meteorRoot(folder));
    const parent = path.dirname(folder);
    const atTop = parent === folder || folder === this.stop || existsSync(path.join(folder, '.git'));
    if (!rules.length && !atTop) rules = [...this.rulesFor(parent)];
    this.byFolder.set(folder, rules);
    return rules;
  }

  /**
   * The absolute paths `specifier` may name from a file in `folder`, rule by rule (the caller takes the first
   * that exists: babel-plugin-module-resolver tries its roots, then its aliases, by what is on disk).
   */
  candidates(specifier: string, folder: string): string[] {
    return this.rulesFor(folder).flatMap((rule) => rule.apply(specifier) ?? []);
  }
}

/**
 * A Meteor application's root (the folder of `.meteor/release`): `import { x } from '/server/api'` and
 * `require('/imports/lib')` name files from the root, not from the file system's (Meteor Guide, "Application
 * Structure": "you can also import from the root of your app using an absolute path").
 */
function meteorRoot(folder: string): AliasRule {
  return {
    source: path.join(folder, '.meteor', 'release'),
    apply: (specifier) =>
      specifier.startsWith('/') && !specifier.startsWith('//') ? [path.join(folder, specifier)] : undefined,
  };
}

/** The rules of one config file; none when it cannot be read or holds none. */
function readRules(file: string): AliasRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const name = path.basename(file);
  // AdonisJS 4's `use('App/…')` namespaces (adonis-autoload.ts).
  const autoload = name === 'package.json' ? autoloadRules(file, text) : [];

  if (name === 'package.json' && !/"jest"|"babel"/.test(text)) return autoload;
  if (!/moduleNameMapper|alias|module-resolver/.test(text)) return autoload;
  const json = name === 'package.json' || name.endsWith('.json') || name === '.babelrc';
  const source = ts.createSourceFile(
    file,
    json ? `export default (${text});` : text,
    ts.ScriptTarget.Latest,
    true,
    json || /\.[cm]?ts$/.test(name) ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  const dir = path.dirname(file);
  const rules: AliasRule[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node)) {
      const key = propertyKey(node.name);
      if (key === 'moduleNameMapper') rules.push(...jestRules(file, node.initializer, jestRoot(node, dir)));
      else if (key === 'alias' && isBabelResolverOptions(node.parent))
        rules.push(...babelAliases(file, node.initializer, dir));
      else if (key === 'root' && isBabelResolverOptions(node.parent))
        rules.push(...babelRoots(file, node.initializer, dir));
      else if (key === 'alias') rules.push(...viteAliases(file, node.initializer, dir));
    }
    node.forEachChild(visit);
  };
  visit(source);
  return [...autoload, ...rules];
}

/** AdonisJS 4 ioc namespaces of a package.json: `App/X` to the absolute `<folder>/app/X` (adonis-autoload.ts). */
function autoloadRules(source: string, text: string): AliasRule[] {
  const dir = path.dirname(source);
  return [...autoloadNamespaces(text)].map(([key, target]) => ({
    source,
    apply: (specifier: string) =>
      specifier.startsWith(`${key}/`)
        ? [path.resolve(dir, target, specifier.slice(key.length + 1))]
        : undefined,
  }));
}

/** jest's `rootDir` beside the mapper (relative to the config's folder), else the config's folder. */
function jestRoot(mapper: ts.PropertyAssignment, dir: string): string {
  const object = mapper.parent;
  if (!ts.isObjectLiteralExpression(object)) return dir;
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) || propertyKey(property.name) !== 'rootDir') continue;
    const value = stringValue(property.initializer, dir);
    if (value !== undefined) return path.resolve(dir, value);
  }
  return dir;
}

/**
 * A rule whose specifier pattern is a regular expression (jest `moduleNameMapper` keys, babel `^` aliases):
 * `targets` makes the candidate paths from the match. Undefined when the pattern does not compile.
 */
function regexRule(
  source: string,
  pattern: string,
  targets: (match: RegExpExecArray) => string[],
): AliasRule | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    return undefined;
  }
  return {
    source,
    apply: (specifier) => {
      const match = regex.exec(specifier);
      return match ? targets(match) : undefined;
    },
  };
}

function jestRules(source: string, value: ts.Expression, root: string): AliasRule[] {
  const object = unwrap(value);
  if (!ts.isObjectLiteralExpression(object)) return [];
  const rules: AliasRule[] = [];
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const pattern = propertyKey(property.name);
    const targets = listOf(property.initializer, root);
    if (pattern === undefined || !targets.length) continue;
    const rule = regexRule(source, pattern, (match) =>
      targets.map((t) =>
        path.resolve(
          root,
          t.replace(/\$(\d+)/g, (_, n: string) => match[Number(n)] ?? '').replaceAll('<rootDir>', root),
        ),
      ),
    );
    if (rule) rules.push(rule);
  }
  return rules;
}

function viteAliases(source: string, value: ts.Expression, dir: string): AliasRule[] {
  const node = unwrap(value);
  const entries: { find: string | RegExp; replacement: string }[] = [];
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const find = propertyKey(property.name);
      const replacement = stringValue(property.initializer, dir);
      if (find !== undefined && replacement !== undefined) entries.push({ find, replacement });
    }
  } else if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) {
      const entry = unwrap(element);
      if (!ts.isObjectLiteralExpression(entry)) continue;
      const findNode = member(entry, 'find');
      const replacementNode = member(entry, 'replacement');
      const replacement = replacementNode ? stringValue(replacementNode, dir) : undefined;
      const find = findNode ? findOf(findNode, dir) : undefined;
      if (find !== undefined && replacement !== undefined) entries.push({ find, replacement });
    }
  }
  return entries.map(({ find, replacement }) => ({
    source,
    apply: (specifier) => {
      let replaced: string | undefined;
      if (typeof find === 'string') {
        if (specifier === find || specifier.startsWith(`${find}/`))
          replaced = replacement + specifier.slice(find.length);
      } else if (find.test(specifier)) replaced = specifier.replace(find, replacement);
      if (replaced === undefined) return undefined;
      // `'/src'` is read from the project root, as vite reads it when no such absolute folder exists.
      if (path.isAbsolute(replaced) && !existsSync(path.dirname(replaced))) return [path.join(dir, replaced)];
      return [path.resolve(dir, replaced)];
    },
  }));
}

function babelAliases(source: string, value: ts.Expression, dir: string): AliasRule[] {
  const node = unwrap(value);
  if (!ts.isObjectLiteralExpression(node)) return [];
  const rules: AliasRule[] = [];
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = propertyKey(property.name);
    const target = stringValue(property.initializer, dir);
    if (key === undefined || target === undefined) continue;
    if (key.startsWith('^')) {
      const rule = regexRule(source, key, (match) => [
        path.resolve(
          dir,
          target.replace(/\\(\d+)/g, (_, n: string) => match[Number(n)] ?? ''),
        ),
      ]);
      if (rule) rules.push(rule);
    } else
      rules.push({
        source,
        apply: (specifier) =>
          specifier === key || specifier.startsWith(`${key}/`)
            ? [path.resolve(dir, target + specifier.slice(key.length))]
            : undefined,
      });
  }
  return rules;
}

/** `root: ['./src']`: a bare specifier is looked for under each root folder. */
function babelRoots(source: string, value: ts.Expression, dir: string): AliasRule[] {
  const roots = listOf(value, dir).map((r) => path.resolve(dir, r));
  if (!roots.length) return [];
  return [{ source, apply: (specifier) => roots.map((r) => path.join(r, specifier)) }];
}

/** An object that is the options of a babel-plugin-module-resolver entry: `['module-resolver', { ... }]`. */
function isBabelResolverOptions(object: ts.Node): boolean {
  const array = object.parent;
  if (!ts.isArrayLiteralExpression(array) || array.elements[1] !== object) return false;
  const first = array.elements[0];
  const name =
    first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text : '';
  return /(^|\/)(babel-plugin-)?module-resolver$/.test(name);
}

function findOf(node: ts.Expression, dir: string): string | RegExp | undefined {
  const value = unwrap(node);
  if (ts.isRegularExpressionLiteral(value)) {
    const match = /^\/(.*)\/([a-z]*)$/s.exec(value.text);
    try {
      return match ? new RegExp(match[1] ?? '', match[2]) : undefined;
    } catch {
      return undefined;
    }
  }
  return stringValue(value, dir);
}

function listOf(node: ts.Expression, dir: string): string[] {
  const value = unwrap(node);
  const items = ts.isArrayLiteralExpression(value) ? [...value.elements] : [value];
  const out = items.map((i) => stringValue(i, dir));
  return out.every((s): s is string => s !== undefined) ? out : [];
}

/**
 * A path a config spells (see `ModuleAliases`); undefined when it is computed some other way. A `const` of the
 * config file is read through (`const dirname = typeof __dirname !== 'undefined' ? __dirname :
 * path.dirname(fileURLToPath(import.meta.url))`, a conditional read by its first branch that gives a path).
 */
function stringValue(node: ts.Expression, dir: string, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const value = unwrap(node);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text;
  const text = value.getText();
  if (text === '__dirname' || text === 'import.meta.dirname') return dir;
  if (text === 'process.cwd()') return dir;
  // The config file itself: `fileURLToPath(import.meta.url)`, `__filename`.
  if (text === 'import.meta.url' || text === '__filename' || text === 'import.meta.filename')
    return path.join(dir, path.basename(value.getSourceFile().fileName));
  if (ts.isConditionalExpression(value))
    return stringValue(value.whenTrue, dir, depth + 1) ?? stringValue(value.whenFalse, dir, depth + 1);
  if (ts.isIdentifier(value)) {
    const initializer = constInitializer(value);
    return initializer ? stringValue(initializer, dir, depth + 1) : undefined;
  }
  if (ts.isPropertyAccessExpression(value) && value.name.text === 'pathname')
    return stringValue(value.expression, dir);
  if (ts.isNewExpression(value) && value.expression.getText() === 'URL') {
    const [relative, base] = value.arguments ?? [];
    if (!relative || base?.getText() !== 'import.meta.url') return undefined;
    const target = stringValue(relative, dir);
    if (target === undefined) return undefined;
    // A URL keeps its trailing slash (`new URL('./src/', import.meta.url)`), which a replacement relies on.
    return path.resolve(dir, target) + (target.endsWith('/') ? '/' : '');
  }
  if (!ts.isCallExpression(value)) return undefined;
  const callee = value.expression.getText();
  if (/(^|\.)fileURLToPath$/.test(callee) && value.arguments[0])
    return stringValue(value.arguments[0], dir, depth + 1);
  if (/(^|\.)dirname$/.test(callee) && value.arguments[0]) {
    const inner = stringValue(value.arguments[0], dir, depth + 1);
    return inner === undefined ? undefined : path.dirname(inner);
  }
  const fn = /(?:^|\.)(resolve|join)$/.exec(callee)?.[1];
  if (!fn || /^(require|import\.meta)\./.test(callee)) return undefined;
  const parts = value.arguments.map((a) => stringValue(a, dir, depth + 1));
  if (!parts.length || parts.some((p) => p === undefined)) return undefined;
  const strings = parts as string[];
  return fn === 'resolve' ? path.resolve(dir, ...strings) : path.join(...strings);
}

/** The initializer of the one top-level `const` of the file named like `name`. */
function constInitializer(name: ts.Identifier): ts.Expression | undefined {
  for (const statement of name.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations)
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text)
        return declaration.initializer;
  }
  return undefined;
}

function member(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property) && propertyKey(property.name) === name) return property.initializer;
  return undefined;
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name))
    return name.text;
  return undefined;
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current)
  )
    current = current.expression;
  return current;
}
