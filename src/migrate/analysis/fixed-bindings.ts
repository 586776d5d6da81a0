import ts from '../../typescript.cjs';
import { skipOuter } from './syntax.js';

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
  return !changedNames(list.getSourceFile()).has(name);
}

const CHANGED = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/**
 * The names a file gives a value to other than by a `let` / `const` declaration's initializer: assignments (`x =
 * …`, `x ??= …`, `x += …`), `x++` / `--x`, destructuring assignments (`[x] = …`, `({ x } = …)`, `({ k: x } = …)`),
 * `for (x of …)` / `for (x in …)`, and a `var` declared more than once (`var x = 1; … var x = 2` assigns the one
 * variable again). Made by one walk of the file, kept per file.
 */
function changedNames(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const known = CHANGED.get(sourceFile);
  if (known) return known;
  const names = new Set<string>();
  const vars = new Set<string>();
  const target = (node: ts.Node): void => {
    const inner = ts.isExpression(node) ? skipOuter(node) : node;
    if (ts.isIdentifier(inner)) names.add(inner.text);
    else if (ts.isArrayLiteralExpression(inner)) inner.elements.forEach(target);
    else if (ts.isSpreadElement(inner)) target(inner.expression);
    else if (ts.isObjectLiteralExpression(inner))
      for (const p of inner.properties) {
        if (ts.isShorthandPropertyAssignment(p)) names.add(p.name.text);
        else if (ts.isPropertyAssignment(p)) target(p.initializer);
        else if (ts.isSpreadAssignment(p)) target(p.expression);
      }
    else if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      target(inner.left); // a default in a destructuring target: `[x = 1] = …`
  };
  const varNames = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) {
      if (vars.has(name.text)) names.add(name.text);
      vars.add(name.text);
    } else for (const element of name.elements) if (!ts.isOmittedExpression(element)) varNames(element.name);
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    )
      target(node.left);
    else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    )
      target(node.operand);
    else if (
      (ts.isForInStatement(node) || ts.isForOfStatement(node)) &&
      !ts.isVariableDeclarationList(node.initializer)
    )
      target(node.initializer);
    else if (
      ts.isVariableDeclarationList(node) &&
      !(node.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let | ts.NodeFlags.Using))
    )
      for (const declaration of node.declarations) varNames(declaration.name);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  CHANGED.set(sourceFile, names);
  return names;
}
