import ts from '../typescript.cjs';

/**
 * A 403 that is one number of a table of numbers: generated or committed data (a lookup table, code points,
 * Unicode ranges, a CRC table), not a status. breaker32 case 02: `const table = [0, 1, …, 999, 0, 1, …]` of
 * 2,000,000 numbers held 2,000 `403`s, each reported as "a shape mtls-fix does not know".
 *
 * A table is an array literal of at least {@link TABLE_FLOOR} elements that are all numbers (`-1` too), or all
 * arrays of numbers (`[[0x41, 0x5a], [0x61, 0x7a], …]`), holding at least one number that is no HTTP status
 * (an integer from 100 to 599): a list of statuses (`[200, 201, …, 403, …, 511]`) is not data and stays the
 * census's to report, as is a short list (`[401, 403]`).
 */

/** The fewest elements an array literal has to be read as a data table. */
export const TABLE_FLOOR = 32;

const TABLES = new WeakMap<ts.ArrayLiteralExpression, boolean>();

/**
 * Whether `node` (a 403 number token) is one number of a data table, directly or in one of its rows. Each array
 * is read once per tree (memoised), so asking for every 403 of a table costs one reading of it.
 */
export function inNumberTable(node: ts.Node): boolean {
  const number = ts.isPrefixUnaryExpression(node.parent) ? node.parent : node;
  const list = number.parent;
  if (!ts.isNumericLiteral(node) || !ts.isArrayLiteralExpression(list)) return false;
  if (isTable(list)) return true;
  const outer = list.parent;
  return ts.isArrayLiteralExpression(outer) && isTable(outer);
}

function isTable(list: ts.ArrayLiteralExpression): boolean {
  let table = TABLES.get(list);
  if (table === undefined) TABLES.set(list, (table = readTable(list)));
  return table;
}

/** Reads the array once: every element a number or an array of numbers, and one number no status. */
function readTable(list: ts.ArrayLiteralExpression): boolean {
  if (list.elements.length < TABLE_FLOOR) return false;
  const rows = ts.isArrayLiteralExpression(list.elements[0]);
  let data = false;
  for (const element of list.elements) {
    if (rows !== ts.isArrayLiteralExpression(element)) return false;
    const numbers = ts.isArrayLiteralExpression(element) ? element.elements : [element];
    for (const item of numbers) {
      const value = numberOf(item);
      if (value === undefined) return false;
      if (!Number.isInteger(value) || value < 100 || value > 599) data = true;
    }
  }
  return data;
}

/** The value of `403`, `-1`, `0x41`, `1e3`; undefined for anything else. */
function numberOf(node: ts.Node): number | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  )
    return -Number(node.operand.text);
  return undefined;
}
