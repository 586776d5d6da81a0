import ts from '../../typescript.cjs';
import { unwrap } from './project.js';

/**
 * What `this.app` holds inside a class: the initializer of the property declaration (`app = express()`) and
 * every `this.app = …` assignment in the class's own members (`constructor() { this.app = express(); }`),
 * in source order. Empty when `access` is not `this.<name>`, or not inside a class. `this` inside a nested
 * `function` (not an arrow) is another object, so such an access finds nothing.
 */
export function thisMemberValues(access: ts.PropertyAccessExpression): ts.Expression[] {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return [];
  const owner = enclosingClass(access);
  if (!owner) return [];
  const name = access.name.text;
  const out: ts.Expression[] = [];
  for (const member of owner.members) {
    if (
      ts.isPropertyDeclaration(member) &&
      member.initializer &&
      (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) &&
      member.name.text === name
    )
      out.push(member.initializer);
    const visit = (node: ts.Node): void => {
      if (ts.isClassLike(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return;
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        isThisMember(node.left, name)
      )
        out.push(node.right);
      node.forEachChild(visit);
    };
    member.forEachChild(visit);
  }
  return out;
}

/** `this.<name>` (through parentheses and casts); any name when `name` is not given. */
export function isThisMember(expression: ts.Expression, name?: string): boolean {
  const node = unwrap(expression);
  return (
    ts.isPropertyAccessExpression(node) &&
    node.expression.kind === ts.SyntaxKind.ThisKeyword &&
    (name === undefined || node.name.text === name)
  );
}

/** The class whose instance `this` is at `node`: arrows keep the outer `this`, functions do not. */
function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassLike(at)) return at;
    if (ts.isFunctionDeclaration(at) || ts.isFunctionExpression(at)) return undefined;
  }
  return undefined;
}
