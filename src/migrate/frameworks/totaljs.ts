import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { methodCall, renameMember } from './shared.js';

/** The statuses Total.js controllers have a `throwNNN(problem)` method for (https://docs.totaljs.com). */
const THROW_METHODS = new Set([400, 401, 403, 404, 409, 500, 501]);

/**
 * Total.js: a controller's `this.throw403(problem)` (also `controller.throw403`, `$.controller.throw403`) ->
 * `throw401` / `throw404`, same arguments. The method name is the status, so no literal 403 is written anywhere;
 * without this module the census reports it by its name.
 */
export const totaljs: Framework = {
  id: 'totaljs',
  title: 'Total.js (controller.throw403)',
  enablers: ['total4', 'total5', 'total.js'],
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    const call = methodCall(node);
    if (call?.method !== 'throw403') return;
    if (!THROW_METHODS.has(analysis.target)) {
      analysis.addSite({
        node,
        framework: 'totaljs',
        manual: true,
        reason: `Total.js has no throw${analysis.target}(): answer it with this.status = ${analysis.target} and a response (this.json(...)).`,
      });
      return;
    }
    analysis.addSite({
      node,
      framework: 'totaljs',
      edits: [renameMember(analysis, call.call.expression, `throw${analysis.target}`)],
    });
  },
};
