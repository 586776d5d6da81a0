import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

const MODULES = ['parse', 'parse/node'];

/**
 * Parse Server: `Parse.Error.OPERATION_FORBIDDEN` is Parse's application code 119, and Parse Server answers a
 * thrown `Parse.Error` with HTTP 400 whatever its code but INTERNAL_SERVER_ERROR (500) and OBJECT_NOT_FOUND (404)
 * (`handleParseErrors` in parse-server src/middlewares.js): no HTTP 403, so the name is not an emit (kind
 * `app-code`). The same holds for a number given as the code, `new Parse.Error(403, 'unauthorized')`: the client
 * gets HTTP 400 with `{ code: 403 }` in the body, so that 403 is an application code too. `Parse` is cloud code's
 * global or an import of `parse` / `parse/node`. (Parse Server's own 403s, for a missing application ID or key
 * and master-key-only routes, are middleware-403-table.ts's `parse-server` entry.)
 */
export const parseServer: Framework = {
  id: 'parse-server',
  title: 'Parse Server (Parse.Error codes)',
  enablers: ['parse-server', 'parse'],
  kinds: [ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node)) {
      // new Parse.Error(403, '...'): the code argument, when it is the number itself.
      const code = node.arguments?.[0];
      if (
        code &&
        ts.isNumericLiteral(code) &&
        Number(code.text) === 403 &&
        isParseError(node.expression, analysis)
      )
        analysis.notAnEmit(code, 'app-code');
      return;
    }
    if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'OPERATION_FORBIDDEN') return;
    if (isParseError(node.expression, analysis)) analysis.notAnEmit(node, 'app-code');
  },
};

/** `Parse.Error`, where `Parse` is cloud code's global or an import of `parse` / `parse/node`. */
function isParseError(node: ts.Expression, analysis: Parameters<Framework['visit']>[1]): boolean {
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'Error') return false;
  const root = node.expression;
  if (!ts.isIdentifier(root)) return false;
  const binding = analysis.importOf(root.text);
  return binding ? MODULES.includes(binding.module) : root.text === 'Parse';
}
