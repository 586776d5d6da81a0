import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { messageEdits } from './class-rename.js';
import { initObject, statusProperty } from './shared.js';

const ITTY = ['itty-router', 'itty-router-extras'];

/**
 * itty-router (https://itty.dev/itty-router/api): `error(403, body)`, `status(403)`, `new StatusError(403, m)`,
 * and the response helpers' init `json(x, { status: 403 })` / `text(…)` / `html(…)`. A `'Forbidden'` message follows.
 */
export const ittyRouter: Framework = {
  id: 'itty-router',
  title: 'itty-router',
  enablers: ITTY,
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return;
    const callee = node.expression;
    const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const from = (name: string) => analysis.resolvesTo(callee, ITTY, name);
    if (ts.isNewExpression(node) ? from('StatusError') : from('error') || from('status')) {
      analysis.statusSlot(args[0], node, 'itty-router', () => ({ edits: messageEdits(analysis, args[1]) }));
      return;
    }
    if (ts.isCallExpression(node) && ['json', 'text', 'html'].some(from)) {
      const init = args[1] && initObject(args[1]);
      const status = init ? statusProperty(init, 'status') : undefined;
      if (init && status) analysis.statusSlot(status.value, init === args[1] ? node : init, 'itty-router');
    }
  },
};
