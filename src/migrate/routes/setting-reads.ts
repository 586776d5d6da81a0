import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import ts from '../../typescript.cjs';
import { skipOuter as unwrap } from '../analysis/syntax.js';
import { runCache } from '../../util/run-caches.js';

/**
 * Settings read at run time (environment variables and configuration objects) whose value a prefix or a path
 * depends on, and the default the code or the project's configuration writes for them:
 * `process.env.API_PREFIX ?? '/api'`, `process.env.API_PATH || nconf.get('server:api_path') || '/api'`,
 * `configService.get('API_PREFIX', 'api')`, node-config's `config.get('server.prefix')` with
 * `config/default.json` (or `.yaml` / `.yml`) holding it. Reads the trees (and those configuration files), changes
 * nothing.
 */

/** A configuration object's name: `config`, `nconf`, `configService`, `this.configService`, `settings`, `env`. */
const CONFIG_NAME = /^(?:n?conf(?:ig)?|.*config(?:uration)?(?:service)?|settings|env)$/i;

/** The methods that read one setting by key. */
const GETTERS = new Set(['get', 'getOrThrow', 'getString', 'str']);

/**
 * The text of the run-time setting an expression reads, or undefined when it reads none: `process.env.X`,
 * `process.env['X']`, `import.meta.env.X`, `Bun.env.X`, `Deno.env.get('X')`, `<config>.get('key')` (a
 * configuration object named as one, `CONFIG_NAME`), and `a || b` / `a ?? b` of such reads.
 * `follow` gives what a name holds (a `const`'s initializer), for `const prefix = process.env.PREFIX`.
 */
export function settingRead(
  expression: ts.Expression,
  follow: (name: ts.Identifier | ts.PropertyAccessExpression) => ts.Expression | undefined,
  depth = 0,
): string | undefined {
  const node = unwrap(expression);
  if (depth > 4) return undefined;
  if (envRead(node)) return node.getText();
  if (ts.isCallExpression(node) && configGetter(node)) return node.getText();
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  ) {
    const left = settingRead(node.left, follow, depth + 1);
    const right = settingRead(node.right, follow, depth + 1);
    return left !== undefined && right !== undefined
      ? `${left} ${node.operatorToken.getText()} ${right}`
      : undefined;
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const held = follow(node);
    return held ? settingRead(held, follow, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * The variable an environment read names: `API_PREFIX` for `process.env.API_PREFIX`, `process.env['API_PREFIX']`,
 * `import.meta.env.API_PREFIX`, `Bun.env.API_PREFIX`, `Deno.env.get('API_PREFIX')`; undefined for anything else.
 */
export function envKey(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (!envRead(node)) return undefined;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  const key = ts.isElementAccessExpression(node)
    ? node.argumentExpression
    : ts.isCallExpression(node)
      ? node.arguments[0]
      : undefined;
  const text = key ? unwrap(key) : undefined;
  return text && (ts.isStringLiteral(text) || ts.isNoSubstitutionTemplateLiteral(text))
    ? text.text
    : undefined;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Bun.env.X`, `Deno.env.get('X')`. */
function envRead(node: ts.Expression): boolean {
  const owner =
    ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? node.expression : undefined;
  if (owner && ts.isPropertyAccessExpression(owner) && owner.name.text === 'env') {
    const root = unwrap(owner.expression);
    if (ts.isIdentifier(root) && (root.text === 'process' || root.text === 'Bun')) return true;
    if (ts.isMetaProperty(root)) return true;
  }
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'get' &&
    ts.isPropertyAccessExpression(node.expression.expression) &&
    node.expression.expression.name.text === 'env' &&
    ts.isIdentifier(node.expression.expression.expression) &&
    node.expression.expression.expression.text === 'Deno'
  );
}

/**
 * `<config>.get('key' [, default])`: the key and the default argument, or undefined for any other call. `keyOf`
 * reads a key that is no literal (`configService.get(EnvVars.API_PREFIX)` with `enum EnvVars { API_PREFIX =
 * 'API_PREFIX' }`); without it only a literal key counts.
 */
export function configGetter(
  call: ts.CallExpression,
  keyOf?: (key: ts.Expression) => string | undefined,
): { key: string; fallback?: ts.Expression } | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !GETTERS.has(callee.name.text)) return undefined;
  const receiver = unwrap(callee.expression);
  const name = ts.isIdentifier(receiver)
    ? receiver.text
    : ts.isPropertyAccessExpression(receiver)
      ? receiver.name.text
      : undefined;
  if (name === undefined || !CONFIG_NAME.test(name)) return undefined;
  const [key, fallback] = call.arguments;
  const keyText = key ? unwrap(key) : undefined;
  if (!keyText) return undefined;
  const text =
    ts.isStringLiteral(keyText) || ts.isNoSubstitutionTemplateLiteral(keyText)
      ? keyText.text
      : keyOf?.(keyText);
  if (text === undefined) return undefined;
  return { key: text, ...(fallback ? { fallback } : {}) };
}

/**
 * The value node-config gives `config.get('server.prefix')`: the string at that dotted key of `config/default.json`
 * (else `.yaml` / `.yml`) in the folder of the nearest package.json above `from` (or `cwd`), the folder
 * node-config reads by default. Undefined when there is no such file or the key holds no string there.
 */
export function nodeConfigDefault(
  from: string,
  cwd: string,
  key: string,
): { value: string; file: string } | undefined {
  for (const folder of packageFolders(path.dirname(from), cwd)) {
    for (const name of ['default.json', 'default.yaml', 'default.yml']) {
      const file = path.join(folder, 'config', name);
      if (!existsSync(file)) continue;
      let parsed: unknown;
      try {
        const text = readFileSync(file, 'utf8');
        parsed = name.endsWith('.json') ? JSON.parse(text) : jsYaml.load(text);
      } catch {
        return undefined;
      }
      let value: unknown = parsed;
      for (const part of key.split(/[.:]/)) {
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      }
      return typeof value === 'string' ? { value, file } : undefined;
    }
  }
  return undefined;
}

/**
 * The environment files read for a variable's value, in order: `.env` (what dotenv loads at run time), then
 * `.env.defaults` (dotenv-defaults), then the templates a project commits for its deployments (`.env.example`,
 * `.env.sample`, `.env.template`, `example.env`).
 */
const DOTENV_FILES = ['.env', '.env.defaults', '.env.example', '.env.sample', '.env.template', 'example.env'];

/** Each environment file's variables, by absolute path (read once per run). */
const dotenvCache = runCache<string, ReadonlyMap<string, string> | undefined>();

/**
 * The value an environment file gives variable `key`: the first of `DOTENV_FILES` that sets it, in the folder of
 * the nearest package.json above `from` then the folders above up to `cwd`. Undefined when none does, or sets it
 * empty. Lines are dotenv's: `KEY=value`, `export KEY=value`, single, double or back quotes, a ` #` comment after
 * an unquoted value.
 */
export function dotenvDefault(
  from: string,
  cwd: string,
  key: string,
): { value: string; file: string } | undefined {
  for (const folder of packageFolders(path.dirname(from), cwd))
    for (const name of DOTENV_FILES) {
      const file = path.join(folder, name);
      const value = dotenvVariables(file)?.get(key);
      if (value) return { value, file };
    }
  return undefined;
}

/** The variables of one environment file, or undefined when it cannot be read. */
function dotenvVariables(file: string): ReadonlyMap<string, string> | undefined {
  if (dotenvCache.has(file)) return dotenvCache.get(file);
  let text: string | undefined;
  try {
    text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  } catch {
    text = undefined;
  }
  const variables = text === undefined ? undefined : parseDotenv(text);
  dotenvCache.set(file, variables);
  return variables;
}

/** dotenv's line syntax (see `dotenvDefault`); later lines win, as dotenv's parse does. */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    let value = (match[2] ?? '').trim();
    const quote = /^(['"`])(.*)\1$/.exec(value);
    if (quote) value = quote[2] ?? '';
    else value = value.replace(/\s+#.*$/, '').trim();
    out.set(match[1], value);
  }
  return out;
}

/** The folders from `start` up to `cwd` that hold a package.json, nearest first; `cwd` last in any case. */
function packageFolders(start: string, cwd: string): string[] {
  const out: string[] = [];
  let folder = start;
  const root = path.resolve(cwd);
  while (folder.startsWith(root)) {
    if (existsSync(path.join(folder, 'package.json'))) out.push(folder);
    if (folder === root) break;
    folder = path.dirname(folder);
  }
  if (!out.includes(root)) out.push(root);
  return out;
}

/** The modules whose `join` joins path segments: `path`, `node:path`, `path/posix`, `url-join`, `proper-url-join`. */
const JOIN_MODULES = new Set([
  'path',
  'node:path',
  'path/posix',
  'node:path/posix',
  'url-join',
  'proper-url-join',
]);

/**
 * The parts of a call that joins path segments, or undefined: `path.join(a, b)`, `path.posix.join(…)`,
 * `urlJoin(…)` of url-join, and a project's own `join` (`url.join(SERVER.api_path, '/auth')` of a namespace
 * import of the project's url helpers, identfy-entity-service). `importedFrom` gives the module a name is
 * imported from (a project module: `'project'`), undefined when it is no import.
 */
export function joinedParts(
  call: ts.CallExpression,
  importedFrom: (name: ts.Identifier) => string | undefined,
): readonly ts.Expression[] | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) {
    const from = importedFrom(callee);
    if (from === undefined) return undefined;
    return from === 'project'
      ? /^(?:url)?join(?:paths?|urls?)?$/i.test(callee.text)
        ? call.arguments
        : undefined
      : /url-join$/.test(from) || (JOIN_MODULES.has(from) && callee.text === 'join')
        ? call.arguments
        : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'join') return undefined;
  let receiver = unwrap(callee.expression);
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'posix')
    receiver = unwrap(receiver.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  const from = importedFrom(receiver);
  return from !== undefined && (from === 'project' || JOIN_MODULES.has(from)) ? call.arguments : undefined;
}

/** Path segments joined as `path.posix.join` does for URL paths: one `/` between parts, none doubled. */
export function joinPathParts(parts: readonly string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined.replace(/\/{2,}/g, '/');
}

/** The value one environment file (an absolute path) gives variable `key`; undefined when unset, empty or unreadable. */
export function dotenvFileValue(file: string, key: string): string | undefined {
  return dotenvVariables(file)?.get(key) || undefined;
}

/** The folder of the nearest package.json above `file`, up to `cwd` (`cwd` itself when there is none). */
export function packageFolderOf(file: string, cwd: string): string {
  return packageFolders(path.dirname(file), cwd)[0] ?? path.resolve(cwd);
}
