import ts from '../typescript.cjs';
import { outermost, shorten, skipOuter } from './analysis/syntax.js';

/**
 * Names under which code reads a response's HTTP status: `res.status`, `error.response.statusCode`,
 * `err.httpStatus`, Playwright's `response.status()`, a local `status`.
 */
const STATUS_NAMES = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'status_code']);

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * Whether an expression reads a response status: a name or property in `STATUS_NAMES` (`res.status`,
 * `e.response?.statusCode`, `status`, `r['status']`), or a call of one with no arguments (`response.status()`),
 * also with a default (`err.response?.status ?? 0`).
 */
export function readsStatus(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  // `err.response?.status ?? 0`, `res.statusCode || 500`: the status with a default.
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return readsStatus(node.left);
  if (ts.isIdentifier(node)) return STATUS_NAMES.has(node.text);
  if (ts.isPropertyAccessExpression(node)) return STATUS_NAMES.has(node.name.text);
  if (ts.isElementAccessExpression(node))
    return ts.isStringLiteralLike(node.argumentExpression) && STATUS_NAMES.has(node.argumentExpression.text);
  if (
    ts.isCallExpression(node) &&
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(node.expression)
  )
    return node.expression.name.text === 'status';
  return false;
}

/**
 * The status check a 403 token takes part in, as written (shortened), or undefined. A status check compares a
 * response status (`readsStatus`) with 403, a `FORBIDDEN` constant or `'403'`:
 * - `error.status === 403`, `403 !== res.statusCode`, `response.status() == HttpStatus.FORBIDDEN`;
 * - `case 403:` of a `switch (res.status)`;
 * - `[401, 403].includes(err.response.status)` (also `indexOf`).
 *
 * Such a check is not a response (the census counts it as a `comparison`), yet once the server it reads answers
 * the agreed status instead of 403 it silently stops matching: a Remix error boundary's `error.status === 403`
 * branch, a fetch wrapper's retry-on-403. The report lists them (`statusChecks`) so a person can decide.
 *
 * @param token the 403 token: a numeric literal, a string literal, or an identifier (`FORBIDDEN` in
 *   `StatusCodes.FORBIDDEN`).
 */
export function statusCheckAt(token: ts.Node, sourceFile: ts.SourceFile): string | undefined {
  let value: ts.Node = token;
  while (value.parent && ts.isPropertyAccessExpression(value.parent) && value.parent.name === value)
    value = value.parent;
  value = outermost(value);
  const parent = value.parent;
  if (!parent) return undefined;
  const text = (node: ts.Node): string => shorten(node.getText(sourceFile).replace(/\s+/g, ' '));
  if (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) {
    const other = parent.left === value ? parent.right : parent.left;
    return readsStatus(other) ? text(parent) : undefined;
  }
  if (ts.isCaseClause(parent) && parent.expression === value) {
    const switchStatement = parent.parent.parent;
    return readsStatus(switchStatement.expression)
      ? `switch (${text(switchStatement.expression)}) case ${text(value)}:`
      : undefined;
  }
  if (ts.isArrayLiteralExpression(parent)) {
    const access = parent.parent;
    const call = access?.parent;
    if (
      ts.isPropertyAccessExpression(access) &&
      access.expression === parent &&
      (access.name.text === 'includes' || access.name.text === 'indexOf') &&
      ts.isCallExpression(call) &&
      call.expression === access &&
      call.arguments[0] !== undefined &&
      readsStatus(call.arguments[0])
    )
      return text(call);
  }
  return undefined;
}
