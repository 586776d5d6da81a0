import ts from '../../typescript.cjs';
import { functionName } from '../scope.js';

/** Names that say a constructor function makes an error (`AccessDenied`, `ForbiddenError`, `NotAllowed`). */
const ERROR_NAME = /Error|Exception|Denied|Forbidden|Refused|Rejected|Unauthori[sz]ed|NotAllowed|Failure/;

/**
 * The name of the pre-ES2015 error class a `this.code = 403` sits in: a `function` (never an arrow) named in
 * PascalCase, declared (`function AccessDenied() {…}`), held in a variable (`var AccessDenied = function () {…}`) or
 * an object's member (`var errors = { AccessDenied: function () {…} }`, telefonicaid/fiware-pep-steelskin's
 * lib/errors.js), and made an error by its file (`util.inherits(X, Error)`, `X.prototype = Object.create(
 * Error.prototype)`, `Object.setPrototypeOf(X.prototype, Error.prototype)`) or named as one (`AccessDenied`,
 * `ForbiddenError`). Every `new X()` answers the status wherever it is thrown, as a class's does. Undefined for any
 * other function (a helper, a method, an arrow, a generator, a callback) and outside a function.
 *
 * @param node the assignment to `this.<field>`.
 */
export function constructorFunctionName(node: ts.Node): string | undefined {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn))) return undefined;
  // `app.use(function* Auth(next) { this.status = 403 })`: Koa 1 middleware, whose `this` is the context.
  if (fn.asteriskToken || ts.isCallExpression(fn.parent)) return undefined;
  const name = constructorName(fn);
  if (name === undefined || !/^[A-Z][A-Za-z0-9_$]*$/.test(name)) return undefined;
  if (ERROR_NAME.test(name)) return name;
  const text = fn.getSourceFile().text;
  const madeError = /\binherits\s*\([^,]+,\s*Error\s*\)/.test(text) || /\bError\.prototype\b/.test(text);
  return madeError ? name : undefined;
}

/** `function X`, `var X = function`, `{ X: function }` (scope.ts), or `X = function` / `a.X = function` (an assignment). */
function constructorName(fn: ts.FunctionDeclaration | ts.FunctionExpression): string | undefined {
  const named = functionName(fn);
  if (named !== undefined) return named;
  const holder = fn.parent;
  if (!ts.isBinaryExpression(holder) || holder.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
    return undefined;
  if (ts.isIdentifier(holder.left)) return holder.left.text;
  return ts.isPropertyAccessExpression(holder.left) ? holder.left.name.text : undefined;
}
