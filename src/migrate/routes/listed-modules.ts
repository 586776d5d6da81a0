import path from 'node:path';
import ts from '../../typescript.cjs';
import { calleeName, elementSource } from './syntax.js';
import { staticString, unwrap, type Project, type ProjectFile } from './project.js';
import { filterKeeps, filterOf, type Filter } from './static-filters.js';

/**
 * The modules a `require(…)` / `import(…)` loads by a name built from a directory listing, as services load their
 * route files (mojaloop's central-ledger: `globSync('**\/routes.js', { cwd: __dirname }).filter((x) => x !==
 * 'routes.js').forEach((x) => server.route(require('./' + x)))`; `fs.readdirSync(path.join(__dirname, 'routes'))
 * .forEach((f) => app.use(require(`./routes/${f}`)))`). The listing is read from the project's files: a folder
 * spelled from `__dirname` (`readdirSync(dir)`, a glob's `cwd`), a glob pattern of `*`, `**`, `?` and `{a,b}`,
 * filters of literals (`x !== 'index.js'`, `f.endsWith('.js')`, `!f.startsWith('_')`, `/\.js$/.test(f)`, `&&`,
 * `||`, `!`). Undefined when the call is no such load or a part of it is known only at run time (the caller
 * names the registration); otherwise each listed entry the filters keep whose module the project holds.
 */
export function listedModules(project: Project, file: ProjectFile, call: ts.Node): ProjectFile[] | undefined {
  const argument = loadedName(call);
  if (!argument) return undefined;
  const element = elementOf(project, file, argument);
  if (!element) return undefined;
  const listing = listingOf(project, file, element.table);
  if (!listing) return undefined;
  const out: ProjectFile[] = [];
  for (const entry of listing.entries) {
    const kept = listing.filters.map((f) => filterKeeps(f, (e) => elementValue(e, f.name, entry)));
    if (kept.includes(undefined)) return undefined;
    if (kept.includes(false)) continue;
    const name = spelled(file, argument, element.name, entry);
    if (name === undefined) return undefined;
    const module = path.isAbsolute(name)
      ? (project.file(name) ??
        project.resolveModule(file, `./${path.relative(path.dirname(file.absolute), name)}`))
      : project.resolveModule(file, name);
    if (module && !out.includes(module)) out.push(module);
  }
  return out;
}

/** Whether a node is `require(x)` / `import(x)` (awaited or not) of a name the code does not spell out. */
export function loadsByName(node: ts.Node): boolean {
  return loadedName(node) !== undefined;
}

/** The name argument of `require(x)` / `import(x)` when it is not a string the code spells out. */
function loadedName(node: ts.Node): ts.Expression | undefined {
  let call = ts.isExpression(node) ? unwrap(node) : node;
  if (ts.isAwaitExpression(call)) call = unwrap(call.expression);
  if (!ts.isCallExpression(call) || call.arguments.length !== 1) return undefined;
  const callee = call.expression;
  const loads =
    callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
  const argument = call.arguments[0];
  return loads && argument && staticString(argument) === undefined ? argument : undefined;
}

/** The one loop element the name is built from (`x` of `.forEach((x) => …)`), and the table it walks. */
function elementOf(
  project: Project,
  file: ProjectFile,
  argument: ts.Expression,
): { name: string; table: ts.Expression } | undefined {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text !== '__dirname' && !isCalleePart(node)) names.add(node.text);
    node.forEachChild(visit);
  };
  visit(argument);
  if (names.size !== 1) return undefined;
  const [name] = [...names];
  if (name === undefined) return undefined;
  const identifier = findIdentifier(argument, name);
  if (!identifier) return undefined;
  for (const d of project.lookup(file, identifier, name)) {
    const table = elementSource(d.node);
    if (table) return { name, table };
  }
  return undefined;
}

/** `path.join` / `join` / `resolve` in `path.join(__dirname, x)`: part of a callee, not a value. */
function isCalleePart(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isCallExpression(parent) && parent.expression === node) return true;
  return (
    ts.isPropertyAccessExpression(parent) &&
    ts.isCallExpression(parent.parent) &&
    parent.parent.expression === parent
  );
}

function findIdentifier(node: ts.Node, name: string): ts.Identifier | undefined {
  if (ts.isIdentifier(node) && node.text === name && !isCalleePart(node)) return node;
  return node.forEachChild((child) => findIdentifier(child, name));
}

/** A directory listing and the filters applied to it before the loop. */
interface Listing {
  /** Entries as the listing call gives them (names for `readdirSync`, paths relative to `cwd` for a glob). */
  entries: string[];
  filters: Filter[];
}

const GLOB = /(^|\.)(globSync|sync)$/;
const READDIR = /(^|\.)readdirSync$/;

function listingOf(project: Project, file: ProjectFile, table: ts.Expression): Listing | undefined {
  const filters: Filter[] = [];
  let node = unwrap(table);
  while (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'filter'
  ) {
    const filter = filterOf(node.arguments[0]);
    if (!filter) return undefined;
    filters.unshift(filter);
    node = unwrap(node.expression.expression);
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression.getText(file.sourceFile);
  const [first, options] = node.arguments;
  if (!first) return undefined;
  if (READDIR.test(callee)) {
    const folder = folderOf(file, first);
    if (!folder) return undefined;
    const entries = new Set<string>();
    for (const f of project.files) {
      const relative = path.relative(folder, f.absolute);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const top = relative.split(path.sep)[0];
      if (top) entries.add(top);
    }
    return { entries: [...entries].sort(), filters };
  }
  if (GLOB.test(callee)) {
    const pattern = staticString(first);
    const cwd =
      options && ts.isObjectLiteralExpression(unwrap(options))
        ? cwdOption(unwrap(options) as ts.ObjectLiteralExpression)
        : undefined;
    const folder = cwd ? folderOf(file, cwd) : undefined;
    if (pattern === undefined || !folder) return undefined;
    const matcher = globPattern(pattern);
    const entries = project.files
      .map((f) => path.relative(folder, f.absolute).split(path.sep).join('/'))
      .filter((r) => !r.startsWith('..') && !path.isAbsolute(r) && matcher.test(r))
      .sort();
    return { entries, filters };
  }
  return undefined;
}

function cwdOption(object: ts.ObjectLiteralExpression): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'cwd') return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'cwd') return undefined;
  }
  return undefined;
}

/** A folder spelled from `__dirname`: `__dirname`, `path.join(__dirname, 'routes')`, `` `${__dirname}/routes` ``. */
function folderOf(file: ProjectFile, expression: ts.Expression): string | undefined {
  const spelledFolder = spelled(file, expression, undefined, '');
  return spelledFolder !== undefined && path.isAbsolute(spelledFolder) ? spelledFolder : undefined;
}

/**
 * The string an expression spells with the loop element `name` standing for `entry`: literals, `__dirname` (the
 * file's folder), `+`, templates, `path.join` / `path.resolve` (and imported `join` / `resolve`).
 */
function spelled(
  file: ProjectFile,
  expression: ts.Expression,
  name: string | undefined,
  entry: string,
): string | undefined {
  const node = unwrap(expression);
  const literal = staticString(node);
  if (literal !== undefined) return literal;
  if (ts.isIdentifier(node)) {
    if (node.text === '__dirname') return path.dirname(file.absolute);
    return node.text === name ? entry : undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = spelled(file, node.left, name, entry);
    const right = spelled(file, node.right, name, entry);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const part of node.templateSpans) {
      const value = spelled(file, part.expression, name, entry);
      if (value === undefined) return undefined;
      out += value + part.literal.text;
    }
    return out;
  }
  if (ts.isCallExpression(node)) {
    const method = calleeName(node);
    if (method !== 'join' && method !== 'resolve') return undefined;
    const parts = node.arguments.map((a) => spelled(file, a, name, entry));
    if (parts.some((p) => p === undefined)) return undefined;
    const joined =
      method === 'join' ? path.join(...(parts as string[])) : path.resolve(...(parts as string[]));
    // `path.join('./routes', f)` stays relative, as `require` reads it from the file's folder.
    return method === 'join' && /^\.\.?\//.test(parts[0] ?? '') && !joined.startsWith('.')
      ? `./${joined}`
      : joined;
  }
  return undefined;
}

/** A glob pattern (`**\/routes.js`, `*.{js,ts}`, `routes/?.js`) as a RegExp over `/`-separated relative paths. */
function globPattern(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${pattern
          .slice(i + 1, end)
          .split(',')
          .map((p) => p.replace(/[.+^$()|[\]\\]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^(?:\\./)?${out}$`);
}

/** The loop element itself, a string literal, or `path.extname(x)` / `path.basename(x)` of the element. */
function elementValue(expression: ts.Expression, name: string, entry: string): string | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return node.text === name ? entry : undefined;
  const literal = staticString(node);
  if (literal !== undefined) return literal;
  if (ts.isCallExpression(node) && node.arguments.length === 1 && node.arguments[0]) {
    const method = calleeName(node);
    const inner = elementValue(node.arguments[0], name, entry);
    if (inner === undefined) return undefined;
    if (method === 'extname') return path.posix.extname(inner);
    if (method === 'basename') return path.posix.basename(inner);
  }
  return undefined;
}
