import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

const MODULES = ['parse', 'parse/node'];

/**
 * Parse Server: `Parse.Error.OPERATION_FORBIDDEN` is Parse's application code 119, and Parse Server answers a
 * thrown `Parse.Error` with HTTP 400 whatever its code but INTERNAL_SERVER_ERROR (500) and OBJECT_NOT_FOUND (404)
 * (`handleParseErrors` in parse-server src/middlewares.js): no HTTP 403, so the name is not an emit (kind
 * `app-code`). `Parse` is cloud code's global or an import of `parse` / `parse/node`.
 */
export const parseServer: Framework = {
  id: 'parse-server',
  title: 'Parse Server (Parse.Error codes)',
  enablers: ['parse-server', 'parse'],
  kinds: [ts.SyntaxKind.PropertyAccessExpression],
  visit(node, analysis) {
    if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'OPERATION_FORBIDDEN') return;
    const errorAccess = node.expression;
    if (!ts.isPropertyAccessExpression(errorAccess) || errorAccess.name.text !== 'Error') return;
    const root = errorAccess.expression;
    if (!ts.isIdentifier(root)) return;
    const binding = analysis.importOf(root.text);
    const isParse = binding ? MODULES.includes(binding.module) : root.text === 'Parse';
    if (isParse) analysis.notAnEmit(node, 'app-code');
  },
};
