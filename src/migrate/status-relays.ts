import ts from '../typescript.cjs';
import { nodeAt } from './routes/reach.js';
import { isFunctionLike } from './scope.js';

/**
 * A test's own server either relays the status of the error the product hands it (pillarjs/serve-index's
 * `res.statusCode = err ? (err.status || 500) : 404`) or sends a status of its own choosing
 * (`res.status(Number(req.query.status))`, a `code` the test sets): `--include-tests` follows the product
 * through the first and never through the second. Syntax only.
 */

/** Names that hold the request or the reply, never an error handed on: `req.status` is no relay. */
const NOT_ERRORS = new Set(['req', 'request', 'res', 'response', 'reply', 'ctx', 'c', 'context', 'h']);

/**
 * Whether the status of the form at `[start, end)` reads an error it was handed: `err.status`,
 * `error.statusCode`, `e.output.statusCode` where the name is a parameter (`(err) => ...`, `function (err, req, res, next)`) or a `catch (e)` binding.
 * A status the test's request chooses (`Number(req.query.status)`, a header) is not a relay of the product's.
 */
export function relaysAnError(sourceFile: ts.SourceFile, start: number, end: number): boolean {
  let found = false;
  const bound = (name: ts.Identifier): boolean => {
    for (let node: ts.Node | undefined = name.parent; node; node = node.parent) {
      if (ts.isCatchClause(node) && node.variableDeclaration?.name.getText(sourceFile) === name.text)
        return true;
      if (
        isFunctionLike(node) &&
        node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name.text)
      )
        return true;
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && /^(?:status|statusCode)$/.test(node.name.text)) {
      let owner = node.expression;
      // Boom's `err.output.statusCode`
      if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'output') owner = owner.expression;
      if (ts.isIdentifier(owner) && !NOT_ERRORS.has(owner.text) && bound(owner)) found = true;
    }
    node.forEachChild(visit);
  };
  let top: ts.Node | undefined = nodeAt(sourceFile, start);
  while (top?.parent && top.parent.getStart(sourceFile) >= start && top.parent.end <= end) top = top.parent;
  if (top) visit(top);
  return found;
}
