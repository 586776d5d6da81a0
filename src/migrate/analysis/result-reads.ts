import ts from '../../typescript.cjs';
import { isFunctionLike } from '../scope.js';
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
      return callee ? { callee, key: node.name.text } : undefined;
    }
    const declaration = constDeclaration(
      holder,
      (name) => ts.isIdentifier(name) && name.text === holder.text,
    );
    const callee = declaration && producerCallee(declaration.initializer);
    return callee ? { callee, key: node.name.text } : undefined;
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
  return callee && key ? { callee, key } : undefined;
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
  return undefined;
}
