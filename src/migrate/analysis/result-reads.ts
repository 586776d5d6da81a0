import ts from '../../typescript.cjs';
import { isFunctionLike, type FunctionLike } from '../scope.js';
import { STATUS_KEYS } from './call-sites.js';
import { skipOuter } from './syntax.js';

/**
 * Status slots that send the status of a call's result (`const r = await updateItem(…); res.status(r.status)`):
 * found here, in the slot's own file; result-producers.ts settles them once the called function can be read.
 */

/** The call whose result a status slot reads, and the key it reads. */
export interface ResultRead {
  /** `updateItem` or `items.updateItem`, as the caller writes it. */
  callee: string;
  /** The status key read (`status`, `statusCode`, ...; call-sites.ts `STATUS_KEYS`). */
  key: string;
  /**
   * For `this.name(…)` (callee `this.name`): the method of the enclosing class the call reaches, read in this file
   * (a method, or a field holding an arrow function or function expression), and whether a subclass can override
   * it (a TypeScript `private` or `#name` member cannot be). Session 49: a Nest filter's
   * `const { status } = this.mapException(e)` was a plain "Dynamic status".
   */
  method?: { fn: FunctionLike; overridable: boolean };
}

/**
 * The result read of a status slot's expression, or undefined: `r.status` (or `r.statusCode`, `r?.status`,
 * `r.status || 500`, `apiError.code`: the slot makes any key read there a status, ...) with
 * `const r = await f(…)` / `const r = f(…)` in the enclosing function or the call in place (`(await f(…)).status`),
 * or `status` destructured from such a call
 * (`const { status } = await f(…)`, `const { statusCode: code } = …`). `const` only: a `let` may be reassigned.
 */
export function resultRead(expression: ts.Expression): ResultRead | undefined {
  const node = skipOuter(expression);
  // `r?.status || 500`: a literal fallback (a 403 one makes the slot no dynamic one) leaves the result's status.
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
    ts.isNumericLiteral(skipOuter(node.right))
  )
    return resultRead(node.left);
  // In a status slot any key read is the status (`{ status: apiError.code }`), whatever its name.
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
    const holder = skipOuter(node.expression);
    // `(await getItem(id)).status`, `local(true).status`: the call written in place.
    if (!ts.isIdentifier(holder)) {
      const callee = producerCallee(holder);
      return callee ? withMethod(callee, node.name.text, node) : undefined;
    }
    const declaration = constDeclaration(
      holder,
      (name) => ts.isIdentifier(name) && name.text === holder.text,
    );
    const callee = declaration && producerCallee(declaration.initializer);
    return callee ? withMethod(callee, node.name.text, node) : undefined;
  }
  if (!ts.isIdentifier(node)) return undefined;
  let key: string | undefined;
  const declaration = constDeclaration(node, (name) => {
    if (!ts.isObjectBindingPattern(name)) return false;
    for (const element of name.elements) {
      if (element.dotDotDotToken || !ts.isIdentifier(element.name) || element.name.text !== node.text)
        continue;
      const property = element.propertyName ?? element.name;
      if (ts.isIdentifier(property) && STATUS_KEYS.has(property.text)) key = property.text;
    }
    return key !== undefined;
  });
  const callee = declaration && producerCallee(declaration.initializer);
  return callee && key ? withMethod(callee, key, node) : undefined;
}

/**
 * The producer a returned name holds (`const result = await verifyAccess(…); … return result`): `f` or `ns.f` of
 * the `const` of the enclosing function that `name` reads, when it is `await f(…)` / `f(…)`; undefined otherwise.
 */
export function heldResultCallee(name: ts.Identifier): string | undefined {
  const declaration = constDeclaration(name, (n) => ts.isIdentifier(n) && n.text === name.text);
  return declaration && producerCallee(declaration.initializer);
}

/** A `const` declaration of the function enclosing `use` (not of a nested function) whose name matches. */
function constDeclaration(
  use: ts.Node,
  matches: (name: ts.BindingName) => boolean,
): ts.VariableDeclaration | undefined {
  let fn: ts.Node | undefined = use.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  const body = fn && fn.body;
  if (!body) return undefined;
  let found: ts.VariableDeclaration | undefined;
  const visit = (child: ts.Node): void => {
    if (found || isFunctionLike(child)) return;
    if (
      ts.isVariableDeclaration(child) &&
      ts.isVariableDeclarationList(child.parent) &&
      child.parent.flags & ts.NodeFlags.Const &&
      child.getStart() < use.getStart() &&
      matches(child.name)
    ) {
      found = child;
      return;
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `f` or `ns.f` of `await f(…)` / `f(…)`; undefined for anything else. */
function producerCallee(initializer: ts.Expression | undefined): string | undefined {
  if (!initializer) return undefined;
  let node = skipOuter(initializer);
  if (ts.isAwaitExpression(node)) node = skipOuter(node.expression);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression))
    return `${callee.expression.text}.${callee.name.text}`;
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword)
    return `this.${callee.name.text}`;
  return undefined;
}

/** `callee` and, for `this.name`, the method it reaches from `at` (see `ResultRead.method`). */
function withMethod(callee: string, key: string, at: ts.Node): ResultRead {
  if (!callee.startsWith('this.')) return { callee, key };
  const method = classMethod(at, callee.slice('this.'.length));
  return method ? { callee, key, method } : { callee, key };
}

/**
 * The method `name` of the class whose body holds `at` (an arrow function's `this` is the class's; a nested
 * `function` or object method has its own `this`, so none is found through one): a method declaration with a body,
 * or a property initialised with an arrow function or function expression.
 */
function classMethod(at: ts.Node, name: string): ResultRead['method'] {
  let node: ts.Node | undefined = at.parent;
  while (node && !ts.isClassLike(node)) {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return undefined;
    node = node.parent;
  }
  if (!node) return undefined;
  for (const member of node.members) {
    const memberName = member.name;
    if (!memberName || !(ts.isIdentifier(memberName) || ts.isPrivateIdentifier(memberName))) continue;
    if (memberName.text !== name) continue;
    const overridable =
      !ts.isPrivateIdentifier(memberName) &&
      !(
        ts.canHaveModifiers(member) &&
        (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)
      );
    if (ts.isMethodDeclaration(member) && member.body) return { fn: member, overridable };
    if (ts.isPropertyDeclaration(member) && member.initializer) {
      const value = skipOuter(member.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return { fn: value, overridable };
    }
    return undefined;
  }
  return undefined;
}
