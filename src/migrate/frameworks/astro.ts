import { ts } from 'ts-morph';
import { reasonPhrase } from '../status-names.js';
import type { Framework } from './framework.js';
import { assignment } from './shared.js';

/**
 * Astro pages (`.astro` frontmatter, see src/migrate/astro.ts): `Astro.response.status = 403` and
 * `Astro.response.statusText = 'Forbidden'` (https://docs.astro.build/en/reference/api-reference/#response).
 * Endpoints and middleware return a Web `Response` (the `web` module).
 */
export const astro: Framework = {
  id: 'astro',
  title: 'Astro (Astro.response in frontmatter)',
  enablers: ['astro'],
  visit(node, analysis) {
    const assign = assignment(node);
    if (!assign || !isAstroResponse(assign.object) || analysis.imports.has('Astro')) return;
    if (assign.property === 'status') {
      analysis.statusSlot(assign.right, node, 'astro');
    } else if (assign.property === 'statusText') {
      const value = assign.right;
      if (
        (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) &&
        value.text === 'Forbidden'
      )
        analysis.addSite({
          node,
          framework: 'astro',
          edits: [analysis.phraseEdit(value, reasonPhrase(analysis.target))],
        });
    }
  },
};

/** `Astro.response` (the page's global). */
function isAstroResponse(object: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(object) &&
    object.name.text === 'response' &&
    ts.isIdentifier(object.expression) &&
    object.expression.text === 'Astro'
  );
}
