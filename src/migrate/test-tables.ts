import ts from '../typescript.cjs';
import { isFunctionLike } from './scope.js';
import { isRunnerCall } from './test-scopes.js';
import { pathTo, rowsOf, templateRows, unwrap, type TableRow } from './test-table-rows.js';

export type { TableRow } from './test-table-rows.js';

/**
 * Tables of test cases (`--include-tests`, issue 9 §1): rows a test file hands one by one to a test or suite
 * body, or to a loop's body. Jest/Vitest `it.each([...rows])(title, fn)`, `test.each`, `describe.each` (also
 * through modifiers: `it.only.each`, `test.concurrent.each`), template-literal tables (`test.each\`a | b\``),
 * Vitest `test.for([...rows])`, and loops over an array of cases (`for (const c of cases) test(...)`, node:test
 * and Mocha's style; `cases.forEach((c) => it(...))`). The rows are an array literal given inline or held in a
 * `const` of the file. Syntax only: a row's value is read where the table spells it out, never computed.
 *
 * A value of the body is read from a row through the names the body binds to it: the test function's
 * parameters (spread from an array row by `.each`, the whole row otherwise), a loop variable, and their
 * destructuring; then member reads (`c.status`, `c.res.status`, `row[1]`).
 */

/** A table and the body its rows are handed to. */
export interface TestTable {
  rows: readonly TableRow[];
  /** The test or suite function, or the loop's body: where the bound names are read. */
  body: ts.Node;
  /** The names `body` binds to a part of the row: name -> the path of that part (`[]`: the whole row). */
  bindings: ReadonlyMap<string, readonly string[]>;
}

/** A row value a test body reads, with the row it comes from. */
export interface RowValue {
  row: TableRow;
  value: ts.Expression;
}

const RUNNERS = new Set([
  'it',
  'test',
  'describe',
  'suite',
  'context',
  'specify',
  'fit',
  'xit',
  'fdescribe',
  'xdescribe',
]);

const TABLE_METHODS = new Set(['each', 'for']);

const LOOP_METHODS = new Set(['forEach', 'map']);

const cache = new WeakMap<ts.SourceFile, TestTable[]>();

/** Every table of a test file, found once per parsed file. */
export function tablesIn(sourceFile: ts.SourceFile): readonly TestTable[] {
  let found = cache.get(sourceFile);
  if (found) return found;
  found = [];
  const out = found;
  const visit = (node: ts.Node): void => {
    const table = tableAt(node);
    if (table) out.push(table);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  cache.set(sourceFile, found);
  return found;
}

/**
 * The row values an expression of a table's body reads (`status` bound by `it.each(rows)('x', (path, status)
 * => ...)`, `c.status` in `for (const c of cases)`), one per row whose part is spelled out; undefined when the
 * expression reads no table's binding.
 */
export function rowValuesOf(expression: ts.Expression): RowValue[] | undefined {
  const read = readOf(expression);
  if (!read) return undefined;
  const table = tableAround(expression, read.name);
  if (!table) return undefined;
  const path = [...(table.bindings.get(read.name) ?? []), ...read.path];
  return table.rows.flatMap((row) => {
    const value = row.at(path);
    return value ? [{ row, value }] : [];
  });
}

/**
 * The tables whose rows hold the position (a 403 in a row), each with the row and the path of the row's part
 * that holds it. Empty when the position is in no table's row.
 */
export function tableRowsAt(
  sourceFile: ts.SourceFile,
  position: number,
): { table: TestTable; row: TableRow; path: string[] }[] {
  const out: { table: TestTable; row: TableRow; path: string[] }[] = [];
  for (const table of tablesIn(sourceFile))
    for (const row of table.rows) {
      const path = pathTo(row, position);
      if (path) out.push({ table, row, path });
    }
  return out;
}

/**
 * The expressions of the table's body that read the row's part at `path`: the name bound to it (`status`), or a
 * member read reaching it (`c.status`, `row[1]`). Declaration names and property names are no reads.
 */
export function usesOf(table: TestTable, path: readonly string[]): ts.Expression[] {
  const out: ts.Expression[] = [];
  const key = path.join('\u0000');
  const visit = (node: ts.Node): void => {
    if (ts.isExpression(node)) {
      const read = readOf(node);
      const bound = read && table.bindings.get(read.name);
      if (read && bound && [...bound, ...read.path].join('\u0000') === key && !isPartOfLongerRead(node)) {
        out.push(node);
        return;
      }
    }
    node.forEachChild(visit);
  };
  visit(table.body);
  return out;
}

/** The row's expression that an expression of the table's body reads; undefined when it reads none. */
export function valueIn(
  table: TestTable,
  row: TableRow,
  expression: ts.Expression,
): ts.Expression | undefined {
  const read = readOf(expression);
  const bound = read && table.bindings.get(read.name);
  return read && bound ? row.at([...bound, ...read.path]) : undefined;
}

/** Whether an expression of the table's body reads one of its bound names (in any member read). */
export function readsRow(table: TestTable, expression: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && table.bindings.has(node.text) && !isNameOnly(node)) found = true;
    else node.forEachChild(visit);
  };
  visit(expression);
  return found;
}

/** The table a node starts, if any: a runner's `.each` / `.for` call, a template table, a loop over cases. */
function tableAt(node: ts.Node): TestTable | undefined {
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const fn = node.arguments.find((a) => isFunctionLike(a));
    // it.each(rows)('x', fn), test.for(rows)('x', fn)
    if (
      fn &&
      ts.isCallExpression(callee) &&
      ts.isPropertyAccessExpression(callee.expression) &&
      TABLE_METHODS.has(callee.expression.name.text) &&
      isRunner(callee.expression.expression) &&
      callee.arguments[0]
    ) {
      const rows = rowsOf(callee.arguments[0]);
      if (!rows) return undefined;
      const spread = callee.expression.name.text === 'each';
      return fromFunction(rows, fn, spread);
    }
    // test.each`a | b ${1} | ${2}`('x', fn)
    if (
      fn &&
      ts.isTaggedTemplateExpression(callee) &&
      ts.isPropertyAccessExpression(callee.tag) &&
      callee.tag.name.text === 'each' &&
      isRunner(callee.tag.expression)
    ) {
      const rows = templateRows(callee.template);
      if (!rows) return undefined;
      return fromFunction(rows, fn, false);
    }
    // cases.forEach((c) => it(...)), cases.map(({ path }) => test(...))
    if (
      ts.isPropertyAccessExpression(callee) &&
      LOOP_METHODS.has(callee.name.text) &&
      node.arguments[0] &&
      isFunctionLike(node.arguments[0])
    ) {
      const rows = rowsOf(callee.expression);
      if (!rows) return undefined;
      return fromFunction(rows, node.arguments[0], false);
    }
    return undefined;
  }
  // for (const c of cases) { test(...) }, for (const [path, status] of [...]) {...}
  if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
    const declaration = node.initializer.declarations[0];
    if (!declaration || node.initializer.declarations.length !== 1) return undefined;
    const rows = rowsOf(node.expression);
    if (!rows) return undefined;
    const bindings = new Map<string, string[]>();
    bind(declaration.name, [], bindings);
    return bindings.size ? { rows, body: node.statement, bindings } : undefined;
  }
  return undefined;
}

/** A table whose rows are handed to `fn`: spread over its parameters (`.each` on array rows) or whole. */
function fromFunction(
  rows: TableRow[],
  fn: ts.SignatureDeclaration & { body?: ts.Node },
  spread: boolean,
): TestTable | undefined {
  if (!fn.body) return undefined;
  const bindings = new Map<string, string[]>();
  // Jest and Vitest spread an array row over the parameters; any other row (an object, a scalar) is the first.
  const arrays = spread && rows.every((r) => ts.isArrayLiteralExpression(r.node));
  fn.parameters.forEach((parameter, index) => {
    if (arrays) bind(parameter.name, [String(index)], bindings);
    else if (index === 0) bind(parameter.name, [], bindings);
  });
  return bindings.size ? { rows, body: fn.body, bindings } : undefined;
}

/** The names a binding (a parameter or loop variable, possibly destructured) gives to parts of the row. */
function bind(name: ts.BindingName, path: string[], out: Map<string, string[]>): void {
  if (ts.isIdentifier(name)) {
    out.set(name.text, path);
    return;
  }
  if (ts.isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      if (element.dotDotDotToken) continue;
      const key = element.propertyName ?? element.name;
      const text =
        ts.isIdentifier(key) || ts.isStringLiteral(key) || ts.isNumericLiteral(key) ? key.text : undefined;
      if (text !== undefined) bind(element.name, [...path, text], out);
    }
    return;
  }
  name.elements.forEach((element, index) => {
    if (ts.isBindingElement(element) && !element.dotDotDotToken)
      bind(element.name, [...path, String(index)], out);
  });
}

/** `it`, `test.only`, `describe.skip`, `it.concurrent`: a runner, possibly through its modifiers. */
function isRunner(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isPropertyAccessExpression(node)) node = node.expression;
  return ts.isIdentifier(node) && RUNNERS.has(node.text);
}

/** The table around `node` whose body binds `name` (none when a nearer function declares `name` itself). */
function tableAround(node: ts.Node, name: string): TestTable | undefined {
  const tables = tablesIn(node.getSourceFile());
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    const table = tables.find((t) => t.body === current && t.bindings.has(name));
    if (table) return table;
    if (isFunctionLike(current) && declaresParameter(current, name)) return undefined;
  }
  return undefined;
}

/** Whether a function declares a parameter of that name (at any depth of its destructuring). */
function declaresParameter(fn: ts.Node, name: string): boolean {
  if (!('parameters' in fn)) return false;
  const names = new Map<string, string[]>();
  for (const p of (fn as ts.SignatureDeclaration).parameters) bind(p.name, [], names);
  return names.has(name);
}

/** `status` -> { name: 'status', path: [] }; `c.res.status` -> { name: 'c', path: ['res', 'status'] }; `r[1]`. */
function readOf(expression: ts.Expression): { name: string; path: string[] } | undefined {
  const path: string[] = [];
  let node = unwrap(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(node)) {
      path.unshift(node.name.text);
      node = unwrap(node.expression);
    } else if (
      ts.isElementAccessExpression(node) &&
      (ts.isNumericLiteral(node.argumentExpression) || ts.isStringLiteralLike(node.argumentExpression))
    ) {
      path.unshift(node.argumentExpression.text);
      node = unwrap(node.expression);
    } else break;
  }
  if (!ts.isIdentifier(node) || isNameOnly(node)) return undefined;
  return { name: node.text, path };
}

/** `c` in `c.status`: a read that a longer member read around it continues (that one is the use). */
function isPartOfLongerRead(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.expression === node) ||
    (ts.isElementAccessExpression(parent) && parent.expression === node)
  );
}

/** An identifier that only names something (a property name, a declaration's own name), never a read. */
function isNameOnly(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return true;
  if (ts.isPropertyAssignment(parent) && parent.name === identifier) return true;
  return (
    (ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isFunctionDeclaration(parent)) &&
    parent.name === identifier
  );
}

/**
 * Whether the body builds a path from the row inside a template after its start (`` `/api${c.path}` ``,
 * `` `${base}${c.path}` ``) with a row value that holds more than one segment: a request's path reads such a
 * part as one parameter (routes/requests.ts), so the row's own path is not what is matched.
 */
export function splitsPath(table: TestTable, row: TableRow): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // A test's title (`test(`GET ${c.path}`, fn)`) is no request.
    const title =
      ts.isCallExpression(node.parent) && node.parent.arguments[0] === node && isRunnerCall(node.parent);
    if (ts.isTemplateExpression(node) && !title)
      node.templateSpans.forEach((span, index) => {
        if (index === 0 && node.head.text === '') return;
        const value = valueIn(table, row, span.expression);
        const text =
          value && (ts.isStringLiteralLike(value) || ts.isNumericLiteral(value)) ? value.text : undefined;
        if (readsRow(table, span.expression) && (text === undefined || text.includes('/'))) found = true;
      });
    node.forEachChild(visit);
  };
  visit(table.body);
  return found;
}
