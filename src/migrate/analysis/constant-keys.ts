import ts from '../../typescript.cjs';
import { foldConstant, enumMemberValues } from './fold.js';
import { isFixedBinding } from './fixed-bindings.js';
import { objectLiteralOf, skipOuter } from './syntax.js';

/** The `const` or enum declaration a name has where it is read (constants.ts `findDeclaration`). */
export type FindDeclaration = (
  name: string,
  from: ts.Node,
) => ts.VariableDeclaration | ts.EnumDeclaration | undefined;

/**
 * The key an element access reads when it is written with a name whose value this file fixes (session 36):
 * `CODES[K]` with `const K = 'FORBIDDEN'`, `CODES[Keys.Denied]` with `enum Keys { Denied = 'FORBIDDEN' }`,
 * `CODES[KEYS.denied]` with `const KEYS = { denied: 'FORBIDDEN' }`, `CODES['FORBID' + 'DEN']`, `` CODES[`${K}`] ``,
 * `NAMES[K]` with `const K = 403`. The key is the string JavaScript converts it to (ECMA-262 §13.3.2.1, ToPropertyKey).
 * Undefined for a literal key (syntax.ts `staticMember` reads those) and for a key known only at run time (a
 * parameter, a `let`, an import: another file may say nothing of its value here).
 */
export function constantKey(node: ts.Node, find: FindDeclaration): string | undefined {
  if (!ts.isElementAccessExpression(node)) return undefined;
  const key = skipOuter(node.argumentExpression);
  if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) return undefined;
  const folded = foldConstant(key, (read) => keyPart(read, find));
  return folded === undefined ? undefined : String(folded.value);
}

/** A name or member read that is part of a key: a fixed `const`'s literal, a string enum member, a const object's entry. */
function keyPart(
  read: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression,
  find: FindDeclaration,
): number | string | undefined {
  if (ts.isIdentifier(read)) {
    const declaration = find(read.text, read);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    if (!ts.isIdentifier(declaration.name) || !isFixedBinding(declaration.parent, read.text))
      return undefined;
    return literalOf(declaration.initializer);
  }
  if (!ts.isPropertyAccessExpression(read)) return undefined;
  const owner = skipOuter(read.expression);
  if (!ts.isIdentifier(owner)) return undefined;
  const declaration = find(owner.text, read);
  if (!declaration) return undefined;
  if (ts.isEnumDeclaration(declaration)) {
    const member = declaration.members.find(
      (m) => (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === read.name.text,
    );
    if (member?.initializer) return literalOf(member.initializer);
    return enumMemberValues(declaration).find((m) => m.name === read.name.text)?.value;
  }
  if (!declaration.initializer || !(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
  // Only a table the code cannot have changed: `as const` or frozen (a plain object's entry may be reassigned).
  const init = declaration.initializer;
  const fixed = isConstAssertion(init) || objectLiteralOf(init) !== skipOuter(init);
  const object = fixed ? objectLiteralOf(init) : undefined;
  const entry = object?.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === read.name.text,
  );
  return entry ? literalOf(entry.initializer) : undefined;
}

/** A string or number literal's value (through `as const` and parentheses). */
function literalOf(expression: ts.Expression): number | string | undefined {
  const node = skipOuter(expression);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ''));
  return undefined;
}

/** `{ … } as const` (also `<const>{ … }`), before `skipOuter` drops the assertion. */
function isConstAssertion(expression: ts.Expression): boolean {
  let node: ts.Expression = expression;
  while (ts.isParenthesizedExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  const type = ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) ? node.type : undefined;
  return Boolean(
    type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'const',
  );
}
