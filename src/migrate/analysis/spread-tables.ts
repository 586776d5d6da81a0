import ts from '../../typescript.cjs';
import { constantNumber } from './fold.js';
import { objectAssignSources, objectLiteralOf, skipOuter } from './syntax.js';
import type { TableEntry } from './types.js';

/**
 * Tables built by copying another (`const more = { ...Codes }`, `{ ...Codes, TEAPOT: 418 }`,
 * `Object.assign({}, Codes)`, `{ ...require('./codes') }`): an object spread copies the source's own enumerable
 * keys in order (ECMAScript CopyDataProperties), and a key written later wins over one of the same name. A read
 * of such a table (`more.DENY`) is the source's constant, as `Codes.DENY` is (session 33: it was a "Dynamic
 * status", and a Lambda result reading it was not named at all).
 */

/** What a spread's operand copies, as entries; undefined when it is not known whole (a call's result, a parameter). */
export type SpreadReader = (operand: ts.Expression) => readonly TableEntry[] | undefined;

/**
 * Whether a table's initializer is one this module reads: an object literal (frozen or not) with a spread among its
 * keys, or `Object.assign({}, …)`. A plain object literal is `Constants.localValue`'s own.
 */
export function isCopiedTable(initializer: ts.Expression): boolean {
  const object = objectLiteralOf(initializer);
  if (object) return object.properties.some(ts.isSpreadAssignment);
  return objectAssignSources(skipOuter(initializer)) !== undefined;
}

/**
 * The entries of a copied table (see {@link isCopiedTable}), later keys winning: the keys written in the literal
 * (numbers, and nested objects' entries) and the entries of each spread as `read` gives them. A spread `read`
 * cannot give, a computed key, drops every entry before it (it may overwrite any of them). Undefined when the
 * expression is no object literal or `Object.assign({}, …)`.
 */
export function copiedEntries(initializer: ts.Expression, read: SpreadReader): TableEntry[] | undefined {
  const node = skipOuter(initializer);
  const sources = objectAssignSources(node) ?? (objectLiteralOf(node) ? [node] : undefined);
  if (!sources) return undefined;
  let out: TableEntry[] = [];
  for (const source of sources) {
    const object = objectLiteralOf(source);
    if (!object) {
      const copied = read(source);
      out = copied ? [...out, ...copied] : [];
      continue;
    }
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property)) {
        const copied = read(property.expression);
        out = copied ? [...out, ...copied] : [];
        continue;
      }
      const name = property.name;
      if (!name || ts.isComputedPropertyName(name)) {
        out = [];
        continue;
      }
      if (!ts.isIdentifier(name) && !ts.isStringLiteral(name)) continue;
      if (!ts.isPropertyAssignment(property)) {
        out.push({ name: name.text, value: undefined });
        continue;
      }
      const nested = objectLiteralOf(property.initializer);
      out.push({
        name: name.text,
        value: constantNumber(property.initializer),
        ...(nested ? { entries: copiedEntries(nested, read) ?? [] } : {}),
      });
    }
  }
  return lastWins(out);
}

/** The entry named `name` of `entries` (the last one, as a later key wins). */
export function entryNamed(entries: readonly TableEntry[], name: string): TableEntry | undefined {
  for (let index = entries.length - 1; index >= 0; index--)
    if (entries[index].name === name) return entries[index];
  return undefined;
}

/** One entry per name, the last written kept (in the place of the first). */
function lastWins(entries: readonly TableEntry[]): TableEntry[] {
  const byName = new Map<string, TableEntry>();
  for (const entry of entries) byName.set(entry.name, entry);
  return [...byName.values()];
}
