import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { messageEdits } from './class-rename.js';

const KIT = ['@sveltejs/kit'];

/**
 * SvelteKit (https://svelte.dev/docs/kit/errors): `error(403, body)` (thrown, or `throw error(…)` in 1.x) and
 * form actions' `fail(403, data)` take the status first. A `'Forbidden'` message follows.
 */
export const sveltekit: Framework = {
  id: 'sveltekit',
  title: 'SvelteKit (error, fail)',
  enablers: ['@sveltejs/kit'],
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression;
    if (!analysis.resolvesTo(callee, KIT, 'error') && !analysis.resolvesTo(callee, KIT, 'fail')) return;
    analysis.statusSlot(node.arguments[0], node, 'sveltekit', () => ({
      edits: messageEdits(analysis, node.arguments[1]),
    }));
  },
};
