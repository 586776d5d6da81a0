import ts from '../../typescript.cjs';
import { skipOuter, type FileAnalysis } from '../analysis.js';
import { extendsOf, memberFunction, resolveClass, type GuardScope } from './nest-guards.js';

/** Fields of an error object that an error handler sends as the status (`res.status(this.code)`). */
const STATUS_FIELDS = new Set(['status', 'statusCode', 'httpStatus', 'httpCode', 'code']);
/** How many classes (a class and the ones it extends) are read for one call. */
const MAX_DEPTH = 8;

/**
 * A status set through a method of an error class, on an error built in place: `new HttpError(m).status(403)`,
 * `new OAuthError(m).errorId('invalid_grant').status(403)` (smart-on-fhir/smart-launcher-v2), where the class (or
 * one it extends, in this file or another the import link leads to) declares `status(code) { this.code = code;
 * return this; }`: the argument is a status slot, rewritten as any other. Each call between the `new` and the
 * setter must be a method of the class that only returns `this`, so the chain stays on the error. Returns whether
 * the call was such a setter (its status slot recorded).
 */
export function errorStatusSetter(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || call.arguments.length !== 1) return false;
  // Cheapest question first: the chain starts at a `new` (read from the syntax alone); then a 403 is what is set.
  const members: string[] = [];
  let receiver = skipOuter(callee.expression);
  while (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression)) {
    members.push(receiver.expression.name.text);
    receiver = skipOuter(receiver.expression.expression);
  }
  if (!ts.isNewExpression(receiver)) return false;
  if (!analysis.forbiddenEdits(call.arguments[0])) return false;
  const scope: GuardScope = {
    sourceFile: analysis.sourceFile,
    imports: analysis,
    link: analysis.options.link,
  };
  if (!members.every((name) => methodOf(receiver.expression, name, scope, returnsThis))) return false;
  if (!methodOf(receiver.expression, callee.name.text, scope, setsStatus)) return false;
  analysis.statusSlot(call.arguments[0], call, 'error-classes');
  return true;
}

/** Whether the class `base` names (or one it extends) declares method `name` and `test` holds for it. */
function methodOf(
  base: ts.Expression,
  name: string,
  scope: GuardScope,
  test: (fn: ts.FunctionLikeDeclaration) => boolean,
): boolean {
  let expression = base;
  let current = scope;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const found = resolveClass(expression, current);
    if ('why' in found) return false;
    const member = memberFunction(found.cls, name);
    if (member) return test(member.fn);
    const parent = extendsOf(found.cls);
    if (!parent) return false;
    expression = parent;
    current = found.scope;
  }
  return false;
}

/** Every return of the method gives `this` back, and there is at least one. */
function returnsThis(fn: ts.FunctionLikeDeclaration): boolean {
  const returns = returnsOf(fn);
  return (
    returns.length > 0 &&
    returns.every((r) => r.expression && skipOuter(r.expression).kind === ts.SyntaxKind.ThisKeyword)
  );
}

/** The method assigns its first parameter to a status field of `this` (`this.code = statusCode`) and returns `this`. */
function setsStatus(fn: ts.FunctionLikeDeclaration): boolean {
  const parameter = fn.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name) || !fn.body || !ts.isBlock(fn.body)) return false;
  const name = parameter.name.text;
  const assigns = fn.body.statements.some((statement) => {
    if (!ts.isExpressionStatement(statement)) return false;
    const expression = skipOuter(statement.expression);
    return (
      ts.isBinaryExpression(expression) &&
      expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(expression.left) &&
      expression.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      STATUS_FIELDS.has(expression.left.name.text) &&
      ts.isIdentifier(skipOuter(expression.right)) &&
      (skipOuter(expression.right) as ts.Identifier).text === name
    );
  });
  return assigns && returnsThis(fn);
}

function returnsOf(fn: ts.FunctionLikeDeclaration): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node)) found.push(node);
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    node.forEachChild(visit);
  };
  fn.body?.forEachChild(visit);
  return found;
}
