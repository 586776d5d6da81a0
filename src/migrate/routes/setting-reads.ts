import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import ts from '../../typescript.cjs';
import { skipOuter as unwrap } from '../analysis/syntax.js';

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

/** `<config>.get('key' [, default])`: the key and the default argument, or undefined for any other call. */
export function configGetter(call: ts.CallExpression): { key: string; fallback?: ts.Expression } | undefined {
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
  if (!keyText || !(ts.isStringLiteral(keyText) || ts.isNoSubstitutionTemplateLiteral(keyText)))
    return undefined;
  return { key: keyText.text, ...(fallback ? { fallback } : {}) };
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
