import ts from '../../typescript.cjs';
import type { Constants } from './constants.js';
import { literalNumber, objectLiteralOf, skipOuter, staticMember } from './syntax.js';

/** A number read at the end of a path of keys in a nested table of this file. */
export interface NestedValue {
  value: number;
  /**
   * The key of the path to rename for the target, deepest first: its index in the path and the sibling key at
   * that level that reaches the target by the same remaining keys (`UNAUTHORIZED` of `ReturnCodes.FORBIDDEN.CODE`).
   */
  sibling?: { index: number; name: string };
}

/**
 * `Http.ReturnCodes.FORBIDDEN.CODE` where `const Http = { ReturnCodes: { FORBIDDEN: { CODE: 403 } } }` (objects
 * frozen or not) is declared around `node` in this file: the number at the end of a path of two keys or more
 * (one key is `Constants.localValue`'s), and the sibling that reaches `target` (mojaloop's status tables).
 * Undefined when the root is no local object, a key is computed or missing, or the end is no number.
 */
export function nestedLocalValue(
  constants: Constants,
  node: ts.Expression,
  target: number,
): NestedValue | undefined {
  const keys: string[] = [];
  let root: ts.Expression = skipOuter(node);
  for (let member = staticMember(root); member; member = staticMember(root)) {
    keys.unshift(member.name);
    root = skipOuter(member.owner);
  }
  if (keys.length < 2 || !ts.isIdentifier(root)) return undefined;
  const declaration = constants.findDeclaration(root.text, node);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const levels: ts.ObjectLiteralExpression[] = [];
  let at: ts.Expression | undefined = declaration.initializer;
  for (const key of keys) {
    const object: ts.ObjectLiteralExpression | undefined = at && objectLiteralOf(at);
    if (!object) return undefined;
    levels.push(object);
    at = valueOf(object, key);
  }
  const value = at && literalNumber(at);
  if (value === undefined) return undefined;
  for (let index = keys.length - 1; index >= 0; index--) {
    for (const property of levels[index].properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const name = keyOf(property);
      if (name === undefined || name === keys[index]) continue;
      let reached: ts.Expression | undefined = property.initializer;
      for (const key of keys.slice(index + 1)) {
        const object: ts.ObjectLiteralExpression | undefined = reached && objectLiteralOf(reached);
        reached = object && valueOf(object, key);
      }
      if (reached && literalNumber(reached) === target) return { value, sibling: { index, name } };
    }
  }
  return { value };
}

function keyOf(property: ts.PropertyAssignment): string | undefined {
  const name = property.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function valueOf(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property) && keyOf(property) === key) return property.initializer;
  return undefined;
}
