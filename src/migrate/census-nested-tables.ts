import ts from '../typescript.cjs';
import { EXPORTS_TABLE, isExportedTableValue, isExportsLiteral } from './census-exports.js';
import { isObjectFreeze, outerParent, skipOuter } from './analysis/syntax.js';

/** Where an entry of a table nested in another is held: the outermost holder and the keys down to the entry's table. */
export interface NestedTable {
  /** The name reads start from: the variable (`codes`), or `module.exports` for a CommonJS export. */
  root: string;
  /** The table as reads spell it: `codes.STATUS`, `module.exports.http`, `exports.STATUS.errors`. */
  shown: string;
}

/**
 * The holder of `object` when it is a table under one key or more of a constant or exported object
 * (`const codes = { STATUS: { FORBIDDEN: 403 } }`, `module.exports = { http: { … } }`, `exports.STATUS = { errors:
 * { … } }`, frozen or not). Undefined when `object` is no such nested table (a top-level table, an argument, a
 * computed key on the way).
 */
export function nestedTableOf(object: ts.ObjectLiteralExpression): NestedTable | undefined {
  const keys: string[] = [];
  let current: ts.ObjectLiteralExpression = object;
  for (;;) {
    const frozen = outerParent(current, true);
    const holder = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
    if (ts.isPropertyAssignment(holder) && ts.isObjectLiteralExpression(holder.parent)) {
      const key = holder.name;
      if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
      keys.unshift(key.text);
      current = holder.parent;
      continue;
    }
    if (!keys.length) return undefined;
    if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name))
      return { root: holder.name.text, shown: [holder.name.text, ...keys].join('.') };
    if (isExportsLiteral(current)) return { root: EXPORTS_TABLE, shown: [EXPORTS_TABLE, ...keys].join('.') };
    if (ts.isBinaryExpression(holder) && isExportedTableValue(holder))
      return { root: EXPORTS_TABLE, shown: [skipOuter(holder.left).getText(), ...keys].join('.') };
    return undefined;
  }
}
