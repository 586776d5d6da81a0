import ts from '../../typescript.cjs';
import { skipOuter as unwrap } from '../analysis/syntax.js';

// What a class's own fields hold, read from its syntax alone (project.ts reads `this.path` through it, so it
// imports nothing of the project; class-fields.ts follows instances of project classes on top of it).

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
export function classFieldValues(owner: ts.ClassLikeDeclaration): ReadonlyMap<string, ts.Expression[]> {
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
    // `constructor(private readonly router: Router)`: a parameter property holds what the constructor receives
    if (ts.isConstructorDeclaration(member))
      for (const parameter of member.parameters)
        if (ts.isIdentifier(parameter.name) && ts.getModifiers(parameter)?.some(isPropertyModifier))
          add(parameter.name.text, parameter.name);
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

/** `private`, `public`, `protected`, `readonly`: the modifiers that make a constructor parameter a field. */
function isPropertyModifier(modifier: ts.Modifier): boolean {
  return (
    modifier.kind === ts.SyntaxKind.PrivateKeyword ||
    modifier.kind === ts.SyntaxKind.PublicKeyword ||
    modifier.kind === ts.SyntaxKind.ProtectedKeyword ||
    modifier.kind === ts.SyntaxKind.ReadonlyKeyword
  );
}

/** Per class (trees are not changed once the route graph reads them). */
const fieldValues = new WeakMap<ts.ClassLikeDeclaration, Map<string, ts.Expression[]>>();

/** The class whose instance `this` is at `node`: arrows keep the outer `this`, functions do not. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassLike(at)) return at;
    if (ts.isFunctionDeclaration(at) || ts.isFunctionExpression(at)) return undefined;
  }
  return undefined;
}
