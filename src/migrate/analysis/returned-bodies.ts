import ts from '../../typescript.cjs';
import { isFunctionBoundary, skipOuter } from './syntax.js';

/** A value a returned local is given that is no object literal (`body = load()`): the body is not known. */
export interface UnreadBodyValue {
  /** The local's name (`body`). */
  name: string;
  /** The value (`load()`), or the whole compound assignment (`body ??= load()`). */
  value: ts.Node;
  /** The object literals the same local is given (`{ statusCode: 403 }`). */
  bodies: readonly ts.ObjectLiteralExpression[];
}

/** The bodies a method returns (see {@link returnedBodies}). */
export interface ReturnedBodies {
  /** Object literals the method returns, directly or through a local holding only object literals. */
  objects: ts.ObjectLiteralExpression[];
  /** The values a returned local holding an object literal is also given that are none (`body = load()`). */
  unread: UnreadBodyValue[];
}

/**
 * The bodies a route method returns (not counting nested functions): each `return { … }`, and each `return body`
 * of a local (`const` or, since session 48, `let`/`var`) whose initializer and every plain assignment
 * (`body = { … }`) are object literals. A `let` that holds an object literal and is also assigned anything else
 * (`body = load()`, `body ??= x`) gives its object literals to `objects` all the same (each is sent with the
 * decorator's status when it is the one returned), and each other value to `unread`, with the local's name.
 */
export function returnedBodies(body: ts.Block): ReturnedBodies {
  const declared = new Map<string, ts.VariableDeclaration>();
  const values = new Map<string, ts.Node[]>();
  const returnedNames: string[] = [];
  const objects: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionBoundary(node)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      declared.set(node.name.text, node);
      if (node.initializer) values.set(node.name.text, [node.initializer]);
    }
    if (ts.isBinaryExpression(node) && ts.isIdentifier(skipOuter(node.left))) {
      const name = (skipOuter(node.left) as ts.Identifier).text;
      const kind = node.operatorToken.kind;
      if (kind === ts.SyntaxKind.EqualsToken) values.set(name, [...(values.get(name) ?? []), node.right]);
      else if (kind >= ts.SyntaxKind.FirstCompoundAssignment && kind <= ts.SyntaxKind.LastCompoundAssignment)
        values.set(name, [...(values.get(name) ?? []), node]);
    }
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuter(node.expression);
      if (ts.isObjectLiteralExpression(value)) objects.push(value);
      else if (ts.isIdentifier(value) && !returnedNames.includes(value.text)) returnedNames.push(value.text);
    }
    node.forEachChild(visit);
  };
  body.forEachChild(visit);
  const unread: UnreadBodyValue[] = [];
  for (const name of returnedNames) {
    const declaration = declared.get(name);
    if (!declaration) continue;
    const list = declaration.parent;
    const constant = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
    const given = values.get(name) ?? [];
    const literals = given.flatMap((v) => {
      const inner = ts.isExpression(v) ? skipOuter(v) : v;
      return ts.isObjectLiteralExpression(inner) ? [inner] : [];
    });
    if (constant) {
      objects.push(...literals);
      continue;
    }
    // Only a `let` holding a 403 body is worth naming: one that never holds an object literal is no body here.
    if (!literals.length) continue;
    const other = given.filter((v) => !(ts.isExpression(v) && ts.isObjectLiteralExpression(skipOuter(v))));
    unread.push(...other.map((value) => ({ name, value, bodies: literals })));
    objects.push(...literals.filter((o) => !objects.includes(o)));
  }
  return { objects, unread };
}
