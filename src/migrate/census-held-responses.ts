import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { heldName } from './analysis/held-receivers.js';
import { skipOuter } from './analysis/syntax.js';

/**
 * The census's reason for a 403 set on a response held in a local variable that the analysis could not read as
 * the response (session 37, breaker37 #01): `let r = reply; … r = other; r.code(403)`. Fixed variables are read
 * through (analysis/held-receivers.ts) and rewritten; one assigned again cannot be proven to still hold the
 * response, so the reason names the variable and the line it is declared on, not "a shape mtls-fix does not know".
 */

/**
 * The reason for the 403 in `shape` (a call `x.code(403)`, an assignment `x.status = 403`), when its receiver is a
 * local variable initialised from a framework's response object; undefined otherwise.
 */
export function heldResponseReason(analysis: FileAnalysis, shape: ts.Node): string | undefined {
  const root = receiverRoot(shape);
  const held = root && heldName(root);
  if (!root || !held || !analysis.receiver(held.initializer)) return undefined;
  const why = held.fixed
    ? 'which mtls-fix does not read as a status here'
    : 'which the code assigns again, so mtls-fix cannot prove it still holds the response';
  return `A 403 on the response held in variable \`${root.text}\` (line ${held.line}), ${why}: if it is the response status, change it to ${analysis.target} by hand; if not, mark it // mtls-fix-ignore: <why>.`;
}

/** The identifier a call's or assignment's member chain starts from (`r` of `r.code(403)`, `out.status = 403`). */
function receiverRoot(shape: ts.Node): ts.Identifier | undefined {
  let node: ts.Expression | undefined;
  if (ts.isCallExpression(shape)) node = shape.expression;
  else if (ts.isBinaryExpression(shape) && shape.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    node = shape.left;
  if (!node) return undefined;
  for (;;) {
    node = skipOuter(node);
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = node.expression;
    else if (ts.isCallExpression(node)) node = node.expression;
    else break;
  }
  return ts.isIdentifier(node) ? node : undefined;
}
