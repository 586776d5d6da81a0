import ts from '../../typescript.cjs';
import { unwrap } from './project.js';

/**
 * What `this.app` holds inside a class: the initializer of the property declaration (`app = express()`) and
 * every `this.app = …` assignment in the class's own members (`constructor() { this.app = express(); }`),
 * in source order. Empty when `access` is not `this.<name>`, or not inside a class. `this` inside a nested
 * `function` (not an arrow) is another object, so such an access finds nothing.
 */
export function thisMemberValues(access: ts.PropertyAccessExpression): readonly ts.Expression[] {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return [];
  const owner = enclosingClass(access);
  if (!owner) return [];
  return classFieldValues(owner).get(access.name.text) ?? [];
}

/**
 * Every member name of `owner` to the values `thisMemberValues` gives for it, from one walk of the class (kept
 * per class: asking each `this.x` of a large class to walk the whole class again made route extraction
 * quadratic in the class's size; audiobookshelf's controllers).
 */
function classFieldValues(owner: ts.ClassLikeDeclaration): ReadonlyMap<string, ts.Expression[]> {
  let values = fieldValues.get(owner);
  if (values) return values;
  const found = new Map<string, ts.Expression[]>();
  values = found;
  fieldValues.set(owner, found);
  const add = (name: string, value: ts.Expression): void => {
    const list = found.get(name);
    if (list) list.push(value);
    else found.set(name, [value]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(node.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword)
        add(left.name.text, node.right);
    }
    node.forEachChild(visit);
  };
  for (const member of owner.members) {
    if (
      ts.isPropertyDeclaration(member) &&
      member.initializer &&
      (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))
    )
      add(member.name.text, member.initializer);
    member.forEachChild(visit);
  }
  return values;
}

/** Per class (trees are not changed once the route graph reads them). */
const fieldValues = new WeakMap<ts.ClassLikeDeclaration, Map<string, ts.Expression[]>>();

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
