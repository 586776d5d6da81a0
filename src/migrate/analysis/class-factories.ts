import ts from '../../typescript.cjs';
import type { FunctionLike } from '../scope.js';
import { skipOuter } from './syntax.js';

/**
 * Error classes a project function makes: `function generateHttpErrorClass(statusCode, name) { return class extends
 * HttpError { constructor(m) { super(statusCode, name, m) } } }`, then `const BaseHttpError =
 * generateHttpErrorClass(403, 'ForbiddenHttpError')` (CommunitySolidServer's src/util/errors). Each call defines a
 * class that every throw of it shares, so a call passing 403 is a class definition: reported as a class with a fixed
 * 403 is (error-classes.ts), never rewritten. Before session 49 the call was rewritten as a helper call, turning
 * the class named Forbidden into a 401 class behind every throw, on routes with and without mTLS alike.
 */

/**
 * The class declared inside `fn` that holds `form` (the place that reads `fn`'s parameter as the status): the class
 * the function makes. Undefined when `form` is in `fn` itself or in a class `fn` is a member of (a constructor
 * taking the status is a helper whose calls are rewritten).
 */
export function madeClass(fn: FunctionLike, form: ts.Node): ts.ClassLikeDeclaration | undefined {
  let made: ts.ClassLikeDeclaration | undefined;
  for (let node: ts.Node | undefined = form.parent; node; node = node.parent) {
    if (node === fn) return made;
    if (ts.isClassLike(node)) made = node;
  }
  return undefined;
}

/** The reason a call passing 403 to a class-making function gets (the call is reported, not rewritten). */
export function classFactoryCallReason(fnName: string, parameter: string, target: number): string {
  return `Makes an error class that answers 403 wherever it is thrown (${fnName} gives the class it makes the status of its parameter '${parameter}'): make a sibling class with ${target} and throw it on mTLS routes, or map this class to ${target} in the error handler.`;
}

/** The note at the place in the made class that reads the parameter (instead of a shared helper's note). */
export function classFactoryNote(fnName: string, parameter: string): string {
  return `Error class factory: each call of ${fnName} makes a class whose status is its parameter '${parameter}'. A call passing 403 makes a class that answers 403 wherever it is thrown, reported at the call (not rewritten).`;
}

/** A function's name as its callers write it: its own name, or the variable or property holding it. */
export function functionName(fn: FunctionLike): string {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name)
    return fn.name.getText();
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) && ts.isIdentifier(holder.name))
    return holder.name.text;
  return 'the function';
}

/** Names a made class's status is held under (a field, `this.<name> = …`). */
const MADE_STATUS_NAMES = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'httpCode']);

/**
 * The parameters (by index) of a function that become the status of the error class it makes, read syntactically
 * (declarations.ts reads module exports without a checker): a class declared inside `fn` that passes the parameter
 * to `super(…)`, assigns it to `this.status` (or another status name), or initializes a status field with it
 * (`function generate(code, name) { return class extends HttpError { constructor(m) { super(code, name, m) } } }`).
 * Empty for a function making no class. Session 49 (left49b): the throws of such a class are reported.
 */
export function factoryStatusIndexes(fn: ts.FunctionLikeDeclaration): number[] {
  const params = new Map<string, number>();
  fn.parameters.forEach((p, i) => {
    if (ts.isIdentifier(p.name)) params.set(p.name.text, i);
  });
  const found = new Set<number>();
  const param = (expression: ts.Expression | undefined): void => {
    const node = expression && skipOuter(expression);
    const index = node && ts.isIdentifier(node) ? params.get(node.text) : undefined;
    if (index !== undefined) found.add(index);
  };
  const visit = (node: ts.Node, inClass: boolean): void => {
    const here = inClass || ts.isClassLike(node);
    if (here && ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword)
      node.arguments.forEach(param);
    if (
      here &&
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      MADE_STATUS_NAMES.has(node.left.name.text)
    )
      param(node.right);
    if (
      here &&
      ts.isPropertyDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      MADE_STATUS_NAMES.has(node.name.text)
    )
      param(node.initializer);
    ts.forEachChild(node, (child) => visit(child, here));
  };
  if (fn.body) visit(fn.body, false);
  return [...found];
}

/**
 * The function a module declares at its top level under `name`: `function name(…) {…}` (the implementation, not an
 * overload signature), `const name = (…) => …` or `= function (…) {…}`, and for `default` an `export default
 * function`. Undefined for any other. Shared by {@link factoryStatusIndexes}'s readers and code-map-helpers.ts.
 */
export function declaredFunction(
  sourceFile: ts.SourceFile,
  name: string,
): ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.body) {
      const isDefault = (ts.getModifiers(statement) ?? []).some(
        (m) => m.kind === ts.SyntaxKind.DefaultKeyword,
      );
      if (statement.name?.text === name || (name === 'default' && isDefault)) return statement;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const value = declaration.initializer && skipOuter(declaration.initializer);
      if (
        ts.isIdentifier(declaration.name) &&
        declaration.name.text === name &&
        value &&
        (ts.isArrowFunction(value) || ts.isFunctionExpression(value))
      )
        return value;
    }
  }
  return undefined;
}

/** `generate(403, …)`: how a reason names the call that made a class (the status in its place among the arguments). */
export function madeByText(callee: string, index: number, count: number, value: number): string {
  return `${callee}(${index > 0 ? '…, ' : ''}${value}${index < count - 1 ? ', …' : ''})`;
}
