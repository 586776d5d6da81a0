import ts from '../../typescript.cjs';
import { exportNamesOf } from '../analysis/call-sites.js';
import { isOuter } from '../analysis/syntax.js';
import type { FunctionLike } from '../scope.js';

/**
 * Whether a function is exported under any name, as Lambda reaches a handler: an ES export (`export const main`,
 * `export { del, put as update }`, `export default`), a CommonJS one (`module.exports.getUser = …`,
 * `module.exports = { del, put: put }`, `exports.list = list`; call-sites.ts `exportNamesOf`), or handed to a
 * wrapper whose result is exported (`export const main = middy(base).use(m)`, `exports.run = wrap(base)`,
 * `module.exports = { run: middy(base) }`). A local used only inside the file is not.
 */
export function exportedUnderAnyName(fn: FunctionLike): boolean {
  if (exportNamesOf(fn).length > 0) return true;
  const local =
    ts.isFunctionDeclaration(fn) && fn.name
      ? fn.name.text
      : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
        ? fn.parent.name.text
        : undefined;
  // Written inline as the wrapper's argument (`export const main = middy(async (event) => …)`).
  if (!local) return wrappedExport(fn);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === local && wrappedExport(node)) found = true;
    else node.forEachChild(visit);
  };
  fn.getSourceFile().forEachChild(visit);
  return found;
}

/**
 * Whether `node` is an argument of a call (through a chain of calls on its result: `middy(x).use(a)`) whose value
 * is an export: an exported `const`, `exports.X =`/`module.exports.X =`/`module.exports =`, or an entry of the
 * object assigned to `module.exports`.
 */
function wrappedExport(node: ts.Node): boolean {
  let at: ts.Node = node;
  while (isOuter(at.parent)) at = at.parent;
  const call = at.parent;
  if (!ts.isCallExpression(call) || !call.arguments.some((a) => a === at)) return false;
  let value: ts.Node = call;
  for (;;) {
    const up = value.parent;
    if (isOuter(up) || (ts.isCallExpression(up) && up.expression === value)) value = up;
    else if (
      ts.isPropertyAccessExpression(up) &&
      ts.isCallExpression(up.parent) &&
      up.parent.expression === up
    )
      value = up.parent;
    else break;
  }
  const holder = value.parent;
  if (ts.isVariableDeclaration(holder)) {
    const statement = holder.parent.parent;
    return (
      ts.isVariableStatement(statement) &&
      (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    );
  }
  if (ts.isExportAssignment(holder)) return true;
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return isExportsTarget(holder.left);
  if (ts.isPropertyAssignment(holder) && ts.isObjectLiteralExpression(holder.parent)) {
    const assigned = holder.parent.parent;
    return (
      ts.isBinaryExpression(assigned) &&
      assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isExportsTarget(assigned.left)
    );
  }
  return false;
}

/** `exports`, `module.exports`, `exports.X`, `module.exports.X`, `exports['X']`. */
function isExportsTarget(left: ts.Expression): boolean {
  const text = left.getText();
  return /^(?:module\.)?exports(?:\.[\w$]+|\[['"][^'"]+['"]\])?$/.test(text.replace(/\s+/g, ''));
}
