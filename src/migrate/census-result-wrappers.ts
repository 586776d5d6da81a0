import ts from '../typescript.cjs';
import { outerParent } from './analysis/syntax.js';

/**
 * A 403 written inside the failure of a result wrapper (neverthrow `err(…)` / `errAsync(…)`, fp-ts `left(…)` /
 * `E.left(…)`, ts-results `Err(…)`, a CQRS `Result.fail(…)`): `return left({ status: 403, message })`. Nothing is
 * sent there; the code that turns the result into a reply sends it later, so the census names it as such
 * (census-values.ts) rather than as a shape it does not know.
 */

/** The failure constructors of the result libraries (the callee's last name). */
const FAILURES = new Set([
  'err',
  'errAsync',
  'Err',
  'left',
  'Left',
  'fail',
  'failure',
  'Failure',
  'throwError',
]);

/** Keys of an error object that carry its status. */
const STATUS_KEYS = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'code']);

/**
 * The wrapper call a 403 value is the status of (`left(…)` of `left({ status: 403 })`, `Result.fail(…)`), shortened
 * to its callee and `(…)`; undefined when the 403 is no status key of an object literal handed to such a call.
 */
export function resultWrapperOf(node: ts.Node): string | undefined {
  const entry = outerParent(node, true);
  if (!ts.isPropertyAssignment(entry) || !STATUS_KEYS.has(entry.name.getText().replace(/^['"]|['"]$/g, '')))
    return undefined;
  const call = outerParent(entry.parent, true);
  if (
    !ts.isCallExpression(call) ||
    !call.arguments.some((a) => a === entry.parent || (a.pos <= entry.pos && entry.end <= a.end))
  )
    return undefined;
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : undefined;
  return name !== undefined && FAILURES.has(name) ? `${callee.getText()}(…)` : undefined;
}
