import ts from '../typescript.cjs';
import { skipOuter } from './analysis/syntax.js';

const WRITTEN = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/**
 * The names a file gives a value to other than by their declaration's initializer: assignments (`x = …`,
 * `x ??= …`, `x += …`), `x++` / `--x`, destructuring assignments (`[x] = …`, `({ x } = …)`, `({ k: x } = …)`,
 * defaults `[x = 1] = …`), `for (x of …)` / `for (x in …)`, and a `var` declared more than once (`var x = 1; …
 * var x = 2` assigns the one variable again). Syntax only, by name over the whole file: a write to a shadowing
 * name in another scope counts too, which can only make a caller more careful. One walk per file, kept.
 *
 * The one answer behind "is this variable a constant" for the analysis (analysis/fixed-bindings.ts), the route
 * graph (routes/project.ts) and the test follower (test-fixed-values.ts).
 */
export function writtenNames(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const known = WRITTEN.get(sourceFile);
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
      target(inner.left);
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
  WRITTEN.set(sourceFile, names);
  return names;
}
