import ts from '../../typescript.cjs';
import { writtenNames } from '../written-names.js';

/**
 * Whether a name a variable statement binds holds one value for good: a `const`, or a `let` / `var` the file
 * never assigns again (session 33: `let { FORBIDDEN: V } = httpStatus; res.status(V)` and `let x =
 * StatusCodes.FORBIDDEN` read as "Dynamic status"). A `let` / `var` of a `for` header or a `catch` is never fixed
 * (the loop or the throw gives it its values). The check is by name over the whole file, so an assignment to
 * another variable of the same name (in another function) makes it not fixed: a miss that stays safe (the slot is
 * reported, not rewritten).
 */
export function isFixedBinding(list: ts.Node, name: string): boolean {
  if (!ts.isVariableDeclarationList(list)) return false;
  if (list.flags & ts.NodeFlags.Const) return true;
  if (!ts.isVariableStatement(list.parent)) return false;
  // `declare let x: number` (an ambient declaration) holds no value the file gives.
  if (list.parent.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return false;
  return !writtenNames(list.getSourceFile()).has(name);
}
