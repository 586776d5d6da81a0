import ts from '../../typescript.cjs';
import type { FunctionLike } from '../scope.js';

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
