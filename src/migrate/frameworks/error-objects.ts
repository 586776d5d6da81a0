import { isOuter } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import { skipOuter, type FileAnalysis } from '../analysis.js';
import { enclosingFunction } from '../scope.js';
import type { Framework } from './framework.js';
import { reasonPhrase } from '../status-names.js';
import { assignment } from './shared.js';
import { calleeName } from './declared-beside.js';
import { nonHttpCarrier } from '../analysis/non-http.js';

/**
 * Keys an error handler reads the status from: Express/finalhandler and Koa read `status` / `statusCode`,
 * tus-node-server `status_code`, many projects `httpStatus` / `httpStatusCode`.
 */
const STATUS_KEYS = new Set(['status', 'statusCode', 'status_code', 'httpStatus', 'httpStatusCode']);
/** Callbacks that hand an error to the framework's error handler. */
const ERROR_CALLBACKS = new Set(['next', 'done', 'cb', 'callback', 'reject']);

/**
 * Plain errors that carry a status to the framework's error handler (finalhandler, Koa, Fastify, tus):
 * `err.status = 403; next(err)`, `Object.assign(new Error(m), { statusCode: 403 })`,
 * `throw { status_code: 403, body }`, `next({ status: 403 })`, `Promise.reject({ statusCode: 403 })`.
 */
export const errorObjects: Framework = {
  id: 'error-objects',
  title: 'Errors carrying a status (err.status = 403, Object.assign, thrown objects)',
  enablers: [],
  kinds: [
    ts.SyntaxKind.BinaryExpression,
    ts.SyntaxKind.ObjectLiteralExpression,
    ts.SyntaxKind.CallExpression,
  ],
  visit(node, analysis) {
    // A socket.io acknowledgement or middleware error, a Meteor (DDP) error: no HTTP response (census names it).
    if (nonHttpCarrier(analysis, node)) return;
    const assign = assignment(node);
    if (assign) {
      if (STATUS_KEYS.has(assign.property) && isErrorValue(analysis, assign.object)) {
        // `const err = new Error('Forbidden'); err.status = 403`: the message is the body's, and follows the status
        // as it does in `Object.assign(new Error('Forbidden'), { status: 403 })`.
        const message = declaredMessage(assign.object);
        analysis.statusSlot(assign.right, node, label(analysis), () =>
          message ? { edits: [analysis.phraseEdit(message, reasonPhrase(analysis.target))] } : {},
        );
      }
      return;
    }
    if (ts.isObjectLiteralExpression(node)) {
      if (carriesError(analysis, node)) statusProperty(analysis, node);
      return;
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'assign' &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'Object'
    ) {
      const [first, ...rest] = node.arguments;
      if (!first || !isErrorValue(analysis, first)) return;
      for (const argument of rest) {
        const object = skipOuter(argument);
        if (ts.isObjectLiteralExpression(object)) statusProperty(analysis, object, node);
      }
    }
  },
};

/**
 * The `'Forbidden'` message an error variable is created with (`const err = new Error('Forbidden')` in the
 * function around), undefined for any other message or value.
 */
function declaredMessage(object: ts.Expression): ts.StringLiteral | undefined {
  const node = skipOuter(object);
  if (!ts.isIdentifier(node)) return undefined;
  let found: ts.StringLiteral | undefined;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.name.text === node.text) {
      const init = child.initializer && skipOuter(child.initializer);
      const first = init && ts.isNewExpression(init) ? init.arguments?.[0] : undefined;
      if (first && ts.isStringLiteral(first) && first.text === 'Forbidden') found = first;
      return;
    }
    ts.forEachChild(child, visit);
  };
  visit(enclosingFunction(node)?.body ?? node.getSourceFile());
  return found;
}

function label(analysis: FileAnalysis): string {
  return analysis.importsModule('express', 'connect', 'router') ? 'express' : 'error-objects';
}

function statusProperty(analysis: FileAnalysis, object: ts.ObjectLiteralExpression, form?: ts.Node): void {
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = property.name;
    if (!(ts.isIdentifier(name) || ts.isStringLiteral(name)) || !STATUS_KEYS.has(name.text)) continue;
    analysis.statusSlot(property.initializer, form ?? object, label(analysis));
  }
}

/**
 * The framework label of an error handed to an error handler (`throw x`, `next(x)`, `Promise.reject(x)`), where
 * the handler reads its status keys: a result helper's call there (`next(httpError(403, m))`) is a status slot as
 * the literal object would be. Undefined elsewhere.
 */
export function errorHandlerLabel(analysis: FileAnalysis, expression: ts.Expression): string | undefined {
  return carriesError(analysis, expression) ? label(analysis) : undefined;
}

/**
 * `throw {…}`, `next({…})`, `reject({…})`, `Promise.reject({…})`, `callback({…})`: the object is an error; so is
 * an object literal held in a variable that the same function hands on so (`const err = { status: 403 };
 * next(err)`, `let e; e = {…}; throw e`). Session 36: the held object was a 'declaration' in the census, silent.
 */
function carriesError(analysis: FileAnalysis, object: ts.Expression): boolean {
  let node: ts.Node = object;
  while (isOuter(node.parent)) node = node.parent;
  if (handsOn(node)) return true;
  const held = heldName(node);
  return Boolean(held && ts.isObjectLiteralExpression(object) && handedOnByName(held));
}

/** Whether `node` is thrown, or the first argument of an error callback or `Promise.reject`. */
function handsOn(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isThrowStatement(parent)) return true;
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== node) return false;
  const callee = parent.expression;
  if (ts.isIdentifier(callee)) return ERROR_CALLBACKS.has(callee.text) && isParameter(callee);
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'reject' &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Promise'
  );
}

/** The variable a value is stored in: `const x = value`, `x = value`; undefined otherwise. */
function heldName(node: ts.Node): ts.Identifier | undefined {
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name))
    return parent.name;
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === node &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(parent.left)
  )
    return parent.left;
  return undefined;
}

/**
 * Whether the function around `name`'s store (or the file, at the top level) hands the variable on as an error:
 * `throw name`, `next(name)`, `Promise.reject(name)`, nested callbacks included.
 */
function handedOnByName(name: ts.Identifier): boolean {
  const body = enclosingFunction(name)?.body ?? name.getSourceFile();
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || (child !== body && ts.isFunctionLike(child) && declares(child, name.text))) return;
    if (ts.isIdentifier(child) && child !== name && child.text === name.text) {
      let node: ts.Node = child;
      while (isOuter(node.parent)) node = node.parent;
      if (handsOn(node)) found = true;
      return;
    }
    child.forEachChild(visit);
  };
  visit(body);
  return found;
}

/** Whether a nested function binds `name` itself (a parameter, or a variable of its own): another variable. */
function declares(fn: ts.SignatureDeclaration, name: string): boolean {
  if (fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)) return true;
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || (child !== fn && ts.isFunctionLike(child))) return;
    if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.name.text === name)
      found = true;
    else child.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return found;
}

/** The callee is a parameter of an enclosing function (`next` in `(req, res, next) => …`). */
function isParameter(identifier: ts.Identifier): boolean {
  for (let fn = enclosingFunction(identifier); fn; fn = enclosingFunction(fn)) {
    if (fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === identifier.text)) return true;
  }
  return false;
}

/**
 * Whether an expression is an error object: `new XError(…)`, or an identifier initialised with one, or
 * one the same function hands to `next(x)` / `throw x` / `reject(x)`.
 */
function isErrorValue(analysis: FileAnalysis, expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  if (ts.isNewExpression(node)) return isErrorConstructor(node);
  if (ts.isCallExpression(node))
    return ts.isIdentifier(node.expression) && /^(createError|httpError)$/.test(node.expression.text);
  if (!ts.isIdentifier(node)) return false;
  const fn = enclosingFunction(node);
  const body = fn?.body ?? analysis.sourceFile;
  let found = false;
  const name = node.text;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (
      ts.isVariableDeclaration(child) &&
      ts.isIdentifier(child.name) &&
      child.name.text === name &&
      child.initializer
    ) {
      const init = skipOuter(child.initializer);
      if (ts.isNewExpression(init) && isErrorConstructor(init)) found = true;
      // `const error = new AccessDenied(m); error.statusCode = 403; return error;`: an error factory
      // (oidc-provider's error classes are not named …Error); the variable's name says what it holds.
      else if (ts.isNewExpression(init) && ERROR_NAME.test(name) && returns(body, name)) found = true;
    } else if (ts.isThrowStatement(child) && isName(child.expression, name)) {
      found = true;
    } else if (
      ts.isCallExpression(child) &&
      ts.isIdentifier(child.expression) &&
      ERROR_CALLBACKS.has(child.expression.text) &&
      child.arguments.length >= 1 &&
      isName(child.arguments[0], name)
    ) {
      found = true;
    }
    if (!found) child.forEachChild(visit);
  };
  visit(body);
  if (found) return true;
  // A catch clause variable or an error-handler parameter (`(err, req, res, next)`).
  const declaration = fn?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
  return Boolean(declaration && /^(err|error)$/i.test(name) && fn && fn.parameters.length === 4);
}

/** A variable named for an error: `err`, `error`, `accessError`, `denied_error`, `exception`. */
const ERROR_NAME = /^err$|error$|exception$/i;

/** Whether `body` hands `name` out with `return name` (not inside a nested function). */
function returns(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || (child !== body && ts.isFunctionLike(child))) return;
    if (ts.isReturnStatement(child) && isName(child.expression, name)) found = true;
    else child.forEachChild(visit);
  };
  visit(body);
  return found;
}

/** `new XError(…)`, `new errors.XException(…)`: a constructor named as an error. */
function isErrorConstructor(node: ts.NewExpression): boolean {
  return /Error$|Exception$/.test(calleeName(node) ?? '');
}

function isName(expression: ts.Expression | undefined, name: string): boolean {
  return Boolean(
    expression && ts.isIdentifier(skipOuter(expression)) && skipOuter(expression).getText() === name,
  );
}
