import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

const MODULES = ['micro'];

/**
 * Vercel's micro (https://github.com/vercel/micro#api): `send(res, 403, body)` and `createError(403, message)`
 * (thrown, answered by micro's error handler; `sendError` sends its status) imported from micro, by name or as
 * `micro.send`.
 */
export const micro: Framework = {
  id: 'micro',
  title: 'micro (send, createError)',
  enablers: MODULES,
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isCallExpression(node)) return;
    if (analysis.resolvesTo(node.expression, MODULES, 'send'))
      analysis.statusSlot(node.arguments[1], node, 'micro');
    else if (analysis.resolvesTo(node.expression, MODULES, 'createError'))
      analysis.statusSlot(node.arguments[0], node, 'micro');
  },
};
