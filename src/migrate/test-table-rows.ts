import ts from '../typescript.cjs';
import { isFixedDeclaration } from './test-fixed-values.js';
import { lineAndCharacterAt } from '../util/lines.js';

// The rows of a test table (test-tables.ts): an array literal given inline or held in a `const` (or never rewritten `var` / `let`) of the file, or
// the lines of a template-literal table; each row's parts by path (array elements by index, object properties and
// template columns by name). Syntax only.

/** One row of a table: the row as written and its parts. */
export interface TableRow {
  /** The row as written: an array or object literal, a scalar, or a template table line's first cell. */
  node: ts.Node;
  /** The row's 1-based line. */
  line: number;
  /** The expression at `path` in the row (`['1']`, `['status']`, `['res', 'status']`); undefined when unread. */
  at(path: readonly string[]): ts.Expression | undefined;
}

/** The rows of an array literal (inline, or the `const` of the file holding one); undefined for anything else. */
export function rowsOf(expression: ts.Expression): TableRow[] | undefined {
  const list = unwrap(expression);
  const literal = ts.isArrayLiteralExpression(list)
    ? list
    : ts.isIdentifier(list)
      ? constArray(list)
      : undefined;
  if (!literal) return undefined;
  const sourceFile = literal.getSourceFile();
  return literal.elements
    .filter((e) => !ts.isSpreadElement(e) && !ts.isOmittedExpression(e))
    .map((element) => ({
      node: element,
      line: lineAndCharacterAt(sourceFile, element.getStart(sourceFile)).line + 1,
      at: (path: readonly string[]) => partOf(element, path),
    }));
}

/** The array literal a `const` (or a `var` / `let` never written again) of an enclosing block or the file holds. */
function constArray(identifier: ts.Identifier): ts.ArrayLiteralExpression | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== identifier.text || !d.initializer) continue;
        if (!isFixedDeclaration(d)) return undefined;
        const value = unwrap(d.initializer);
        return ts.isArrayLiteralExpression(value) ? value : undefined;
      }
    }
  }
  return undefined;
}

/** The part of a row at `path`: array elements by index, object properties by name. */
function partOf(row: ts.Expression, path: readonly string[]): ts.Expression | undefined {
  let node: ts.Expression | undefined = unwrap(row);
  for (const key of path) {
    if (!node) return undefined;
    if (ts.isArrayLiteralExpression(node)) {
      const element: ts.Expression | undefined = node.elements[Number(key)];
      if (
        !element ||
        ts.isSpreadElement(element) ||
        node.elements.slice(0, Number(key)).some(ts.isSpreadElement)
      )
        return undefined;
      node = unwrap(element);
    } else if (ts.isObjectLiteralExpression(node)) {
      const property: ts.ObjectLiteralElementLike | undefined = node.properties.find(
        (p) =>
          (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
          (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) &&
          p.name.text === key,
      );
      if (property && ts.isPropertyAssignment(property)) node = unwrap(property.initializer);
      else if (property && ts.isShorthandPropertyAssignment(property)) node = property.name;
      else return undefined;
    } else return undefined;
  }
  return node;
}

/**
 * A template-literal table (`path | status` then `${'/a'} | ${403}` lines): one row per line of cells, read by
 * the header's names. Undefined when the cells do not fill the header's columns.
 */
export function templateRows(template: ts.TemplateLiteral): TableRow[] | undefined {
  if (!ts.isTemplateExpression(template)) return undefined;
  const names = template.head.text
    .split('|')
    .map((n) => n.trim())
    .filter(Boolean);
  const cells = template.templateSpans.map((s) => s.expression);
  if (!names.length || cells.length % names.length !== 0) return undefined;
  const sourceFile = template.getSourceFile();
  const rows: TableRow[] = [];
  for (let i = 0; i < cells.length; i += names.length) {
    const line = cells.slice(i, i + names.length);
    const first = line[0];
    rows.push({
      node: first,
      line: lineAndCharacterAt(sourceFile, first.getStart(sourceFile)).line + 1,
      at: (path) => {
        const index = names.indexOf(path[0] ?? '');
        const cell = index >= 0 ? line[index] : undefined;
        return cell && partOf(cell, path.slice(1));
      },
    });
  }
  return rows;
}

/** The path inside a row to the innermost spelled-out part holding `position`; undefined outside the row. */
export function pathTo(row: TableRow, position: number): string[] | undefined {
  // A template table's row is its cells: try each name by probing the row's parts.
  const root = row.node;
  const sourceFile = root.getSourceFile();
  if (ts.isTemplateSpan(root.parent)) {
    const template = root.parent.parent;
    if (!ts.isTemplateExpression(template)) return undefined;
    const names = template.head.text
      .split('|')
      .map((n) => n.trim())
      .filter(Boolean);
    for (const name of names) {
      const cell = row.at([name]);
      if (cell && cell.getStart(sourceFile) <= position && position < cell.getEnd())
        return [name, ...(innerPath(cell, position) ?? [])];
    }
    return undefined;
  }
  if (position < root.getStart(sourceFile) || position >= root.getEnd()) return undefined;
  return innerPath(root as ts.Expression, position) ?? [];
}

/** The path from `node` down through array elements and object properties to the part holding `position`. */
function innerPath(node: ts.Expression, position: number): string[] | undefined {
  const value = unwrap(node);
  const sourceFile = value.getSourceFile();
  const holds = (n: ts.Node): boolean => n.getStart(sourceFile) <= position && position < n.getEnd();
  if (ts.isArrayLiteralExpression(value)) {
    const index = value.elements.findIndex(holds);
    const element = value.elements[index];
    if (!element || ts.isSpreadElement(element)) return undefined;
    return [String(index), ...(innerPath(element, position) ?? [])];
  }
  if (ts.isObjectLiteralExpression(value)) {
    const property = value.properties.find(holds);
    if (!property || !ts.isPropertyAssignment(property)) return undefined;
    const name = property.name;
    if (!ts.isIdentifier(name) && !ts.isStringLiteral(name) && !ts.isNumericLiteral(name)) return undefined;
    if (!holds(property.initializer)) return undefined;
    return [name.text, ...(innerPath(property.initializer, position) ?? [])];
  }
  return [];
}

/** The expression inside parentheses and type assertions (`as`, `satisfies`, `!`, `<T>`). */
export function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isTypeAssertionExpression(node)
  )
    node = node.expression;
  return node;
}
