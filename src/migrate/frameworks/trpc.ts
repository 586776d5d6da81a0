import ts from '../../typescript.cjs';
import { TRPC_CODES } from '../status-names.js';
import type { Framework } from './framework.js';
import { propertyOf } from './shared.js';

/** tRPC: `new TRPCError({ code: 'FORBIDDEN' })` (tRPC maps the code to the HTTP status). */
export const trpc: Framework = {
  id: 'trpc',
  title: 'tRPC error codes',
  enablers: ['@trpc/server'],
  visit(node, analysis) {
    if (!ts.isNewExpression(node) || !analysis.resolvesTo(node.expression, ['@trpc/server'], 'TRPCError'))
      return;
    const options = node.arguments?.[0];
    const code = options && ts.isObjectLiteralExpression(options) ? propertyOf(options, 'code') : undefined;
    if (!code || !ts.isStringLiteral(code.initializer) || code.initializer.text !== 'FORBIDDEN') return;
    const target = TRPC_CODES[analysis.target];
    if (!target) {
      analysis.addSite({
        node,
        framework: 'trpc',
        manual: true,
        reason: `No tRPC code maps to ${analysis.target}: set data.httpStatus in an errorFormatter for mTLS procedures.`,
      });
      return;
    }
    analysis.addSite({ node, framework: 'trpc', edits: [analysis.phraseEdit(code.initializer, target)] });
  },
};
