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
  const listing = listingOf(project, element.file, element.table);
  if (!listing) return undefined;
  const out: ProjectFile[] = [];
  for (const entry of listing.entries) {
    const kept = listing.filters.map((f) =>
      'directory' in f
        ? f.directory === entry.directory
        : filterKeeps(f, (e) => elementValue(e, f.name, entry.name)),
    );
    if (kept.includes(undefined)) return undefined;
    if (kept.includes(false)) continue;
    const name = spelled(project, file, argument, element.name, entry.name);
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

/**
 * The one loop element the name is built from (`x` of `.forEach((x) => …)`), and the table it walks (with the
 * file it is written in). The name's other identifiers are constants (`${apiFolder}/${folder}/${folder}.router.js`
 * with `const apiFolder = `${SRC_DIR}/api``), spelled when the name is.
 */
function elementOf(
  project: Project,
  file: ProjectFile,
  argument: ts.Expression,
): { name: string; table: ts.Expression; file: ProjectFile } | undefined {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isIdentifier(node) &&
      node.text !== '__dirname' &&
      !isCalleePart(node) &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)
    )
      names.add(node.text);
    node.forEachChild(visit);
  };
  visit(argument);
  const found: { name: string; table: ts.Expression; file: ProjectFile }[] = [];
  for (const name of names) {
    const identifier = findIdentifier(argument, name);
    if (!identifier) return undefined;
    for (const d of project.lookup(file, identifier, name)) {
      const table = elementSource(d.node);
      if (table) found.push({ name, table, file: d.file });
    }
  }
  return found.length === 1 ? found[0] : undefined;
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

/** A `.filter((d) => d.isDirectory())` (or `isFile()`, `!…`) over `readdirSync(dir, { withFileTypes: true })`. */
interface KindFilter {
  directory: boolean;
}

/** A directory listing and the filters applied to it before the loop. */
interface Listing {
  /**
   * Entries as the listing call gives them (names for `readdirSync`, paths relative to `cwd` for a glob), and
   * whether each is a folder (one the project holds files below).
   */
  entries: { name: string; directory: boolean }[];
  filters: (Filter | KindFilter)[];
}

/** `(d) => d.isDirectory()`, `(d) => d.isFile()`, `(d) => !d.isDirectory()`: the kind kept; else undefined. */
function kindFilterOf(argument: ts.Expression | undefined): KindFilter | undefined {
  const filter = filterOf(argument);
  if (!filter) return undefined;
  let body = unwrap(filter.body);
  let negated = false;
  while (ts.isPrefixUnaryExpression(body) && body.operator === ts.SyntaxKind.ExclamationToken) {
    negated = !negated;
    body = unwrap(body.operand);
  }
  if (!ts.isCallExpression(body) || body.arguments.length || !ts.isPropertyAccessExpression(body.expression))
    return undefined;
  const receiver = unwrap(body.expression.expression);
  if (!ts.isIdentifier(receiver) || receiver.text !== filter.name) return undefined;
  const method = body.expression.name.text;
  if (method !== 'isDirectory' && method !== 'isFile') return undefined;
  return { directory: (method === 'isDirectory') !== negated };
}

/** `(d) => d.name` (also `({ name }) => name`): a Dirent mapped to its name. */
function mapsToName(argument: ts.Expression | undefined): boolean {
  const fn = argument ? unwrap(argument) : undefined;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  const parameter = fn.parameters[0];
  const body = ts.isBlock(fn.body) ? undefined : unwrap(fn.body);
  if (!parameter || !body) return false;
  if (ts.isIdentifier(parameter.name))
    return (
      ts.isPropertyAccessExpression(body) &&
      body.name.text === 'name' &&
      ts.isIdentifier(body.expression) &&
      body.expression.text === parameter.name.text
    );
  return (
    ts.isObjectBindingPattern(parameter.name) &&
    ts.isIdentifier(body) &&
    parameter.name.elements.some(
      (e) => ts.isIdentifier(e.name) && e.name.text === body.text && !e.propertyName,
    )
  );
}

const GLOB = /(^|\.)(globSync|sync)$/;
const READDIR = /(^|\.)readdirSync$/;

function listingOf(
  project: Project,
  file: ProjectFile,
  table: ts.Expression,
  depth = 0,
): Listing | undefined {
  const filters: (Filter | KindFilter)[] = [];
  let node = unwrap(table);
  // `.filter(...)` and `.map((d) => d.name)` steps, `Array.from(x)`, `[...x]`, and a `const` holding the list.
  for (;;) {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const step = node.expression.name.text;
      if (step === 'filter') {
        const filter = kindFilterOf(node.arguments[0]) ?? filterOf(node.arguments[0]);
        if (!filter) return undefined;
        filters.unshift(filter);
        node = unwrap(node.expression.expression);
        continue;
      }
      if (step === 'map' && mapsToName(node.arguments[0])) {
        node = unwrap(node.expression.expression);
        continue;
      }
      if (
        step === 'from' &&
        node.expression.expression.getText(file.sourceFile) === 'Array' &&
        node.arguments[0]
      ) {
        node = unwrap(node.arguments[0]);
        continue;
      }
    }
    if (ts.isArrayLiteralExpression(node) && node.elements.length === 1 && node.elements[0]) {
      const only = node.elements[0];
      if (!ts.isSpreadElement(only)) return undefined;
      node = unwrap(only.expression);
      continue;
    }
    if (ts.isIdentifier(node) && depth < 3) {
      for (const d of project.lookup(file, node, node.text))
        if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
          const inner = listingOf(project, d.file, d.node.initializer, depth + 1);
          return inner ? { entries: inner.entries, filters: [...inner.filters, ...filters] } : undefined;
        }
      return undefined;
    }
    break;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression.getText(file.sourceFile);
  const [first, options] = node.arguments;
  if (!first) return undefined;
  if (READDIR.test(callee)) {
    const folder = folderOf(project, file, first);
    if (!folder) return undefined;
    const entries = new Map<string, boolean>();
    for (const f of project.files) {
      const relative = path.relative(folder, f.absolute);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const [top, ...below] = relative.split(path.sep);
      if (top) entries.set(top, (entries.get(top) ?? false) || below.length > 0);
    }
    return {
      entries: [...entries]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, directory]) => ({ name, directory })),
      filters,
    };
  }
  if (GLOB.test(callee)) {
    const pattern = staticString(first);
    const cwd =
      options && ts.isObjectLiteralExpression(unwrap(options))
        ? cwdOption(unwrap(options) as ts.ObjectLiteralExpression)
        : undefined;
    const folder = cwd ? folderOf(project, file, cwd) : undefined;
    if (pattern === undefined || !folder) return undefined;
    const matcher = globPattern(pattern);
    const entries = project.files
      .map((f) => path.relative(folder, f.absolute).split(path.sep).join('/'))
      .filter((r) => !r.startsWith('..') && !path.isAbsolute(r) && matcher.test(r))
      .sort()
      .map((name) => ({ name, directory: false }));
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

/**
 * A folder spelled from the file's own folder: `__dirname`, `path.join(__dirname, 'routes')`, `` `${__dirname}/routes` ``,
 * `dirname(fileURLToPath(import.meta.url))`, `import.meta.dirname`, through constants (`${SRC_DIR}/api`).
 */
function folderOf(project: Project, file: ProjectFile, expression: ts.Expression): string | undefined {
  const spelledFolder = spelled(project, file, expression, undefined, '');
  return spelledFolder !== undefined && path.isAbsolute(spelledFolder) ? spelledFolder : undefined;
}

/**
 * The string an expression spells with the loop element `name` standing for `entry`: literals, `__dirname` (the
 * file's folder), `fileURLToPath(import.meta.url)` (the file), `import.meta.dirname` / `import.meta.filename`,
 * `+`, templates, `path.join` / `path.resolve` / `path.dirname` (and imported `join` / `resolve` / `dirname`), and
 * `const`s spelled so, in their own file (`export const SRC_DIR = resolve(here, '../')`).
 */
function spelled(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  name: string | undefined,
  entry: string,
  depth = 0,
): string | undefined {
  const node = unwrap(expression);
  const literal = staticString(node);
  if (literal !== undefined) return literal;
  const again = (f: ProjectFile, e: ts.Expression): string | undefined =>
    depth > 8 ? undefined : spelled(project, f, e, name, entry, depth + 1);
  if (ts.isIdentifier(node)) {
    if (node.text === '__dirname') return path.dirname(file.absolute);
    if (node.text === '__filename') return file.absolute;
    if (node.text === name) return entry;
    for (const d of project.lookup(file, node, node.text))
      if (
        ts.isVariableDeclaration(d.node) &&
        d.node.initializer &&
        ts.isVariableDeclarationList(d.node.parent) &&
        (d.node.parent.flags & ts.NodeFlags.Const) !== 0
      )
        return again(d.file, d.node.initializer);
    return undefined;
  }
  if (ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression)) {
    if (node.name.text === 'dirname') return path.dirname(file.absolute);
    if (node.name.text === 'filename') return file.absolute;
    return undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = again(file, node.left);
    const right = again(file, node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const part of node.templateSpans) {
      const value = again(file, part.expression);
      if (value === undefined) return undefined;
      out += value + part.literal.text;
    }
    return out;
  }
  if (ts.isCallExpression(node)) {
    const method = calleeName(node);
    const [only] = node.arguments;
    // `fileURLToPath(import.meta.url)`: this file's path.
    if (
      method === 'fileURLToPath' &&
      only &&
      ts.isPropertyAccessExpression(unwrap(only)) &&
      ts.isMetaProperty((unwrap(only) as ts.PropertyAccessExpression).expression)
    )
      return file.absolute;
    if (method === 'dirname' && only && node.arguments.length === 1) {
      const inner = again(file, only);
      return inner === undefined ? undefined : path.dirname(inner);
    }
    if (method !== 'join' && method !== 'resolve') return undefined;
    const parts = node.arguments.map((a) => again(file, a));
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
