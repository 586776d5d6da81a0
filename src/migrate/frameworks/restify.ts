import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { renameCallee } from '../import-edits.js';
import { RESTIFY_HTTP_ERRORS, RESTIFY_REST_ERRORS } from '../status-names.js';
import type { Framework } from './framework.js';

const MODULES = ['restify-errors'];

/** restify-errors: `new errors.ForbiddenError(m)`, `NotAuthorizedError` (also 403), `makeErrFromCode(403)`. */
export const restify: Framework = {
  id: 'restify',
  title: 'restify-errors',
  enablers: ['restify', 'restify-errors'],
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return;
    const callee = node.expression;
    if (analysis.resolvesTo(callee, MODULES, 'makeErrFromCode')) {
      analysis.statusSlot(node.arguments?.[0], node, 'restify');
      return;
    }
    for (const [from, names] of [
      ['ForbiddenError', RESTIFY_HTTP_ERRORS],
      ['NotAuthorizedError', RESTIFY_REST_ERRORS],
    ] as const) {
      if (analysis.resolvesTo(callee, MODULES, from)) rename(analysis, node, callee, names[analysis.target]);
    }
  },
};

function rename(
  analysis: FileAnalysis,
  node: ts.Node,
  callee: ts.Expression,
  target: string | undefined,
): void {
  if (!target) {
    analysis.addSite({
      node,
      framework: 'restify',
      manual: true,
      reason: `No restify error class for ${analysis.target}: use errors.makeErrFromCode(${analysis.target}, message).`,
    });
    return;
  }
  const rename = renameCallee(analysis, callee, target);
  if ('manual' in rename) {
    analysis.addSite({ node, framework: 'restify', manual: true, reason: rename.manual });
    return;
  }
  analysis.addSite({ node, framework: 'restify', edits: rename.edits, imports: rename.imports });
}
