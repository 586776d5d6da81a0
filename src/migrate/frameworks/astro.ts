import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { reasonPhrase } from '../status-names.js';
import type { Framework } from './framework.js';
import { assignment } from './shared.js';

/**
 * Astro pages (`.astro` frontmatter, see src/migrate/astro.ts): `Astro.response.status = 403` and
 * `Astro.response.statusText = 'Forbidden'` (https://docs.astro.build/en/reference/api-reference/#response).
 * Also a helper's `AstroGlobal` parameter. Endpoints and middleware return a Web `Response` (the `web` module).
 */
export const astro: Framework = {
  id: 'astro',
  title: 'Astro (Astro.response in frontmatter)',
  enablers: ['astro'],
  kinds: [ts.SyntaxKind.BinaryExpression],
  visit(node, analysis) {
    const assign = assignment(node);
    if (!assign || !isAstroResponse(analysis, assign.object)) return;
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

/**
 * `Astro.response`: the page's global (never an imported `Astro`), or a helper's parameter typed `AstroGlobal`
 * (`function guard(astro: AstroGlobal) { astro.response.status = 403 }`).
 */
function isAstroResponse(analysis: FileAnalysis, object: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(object) || object.name.text !== 'response') return false;
  const root = object.expression;
  if (!ts.isIdentifier(root)) return false;
  if (root.text === 'Astro' && !analysis.imports.has('Astro')) return true;
  for (let current = root.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameter = current.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === root.text);
    if (parameter) return Boolean(parameter.type && /\bAstroGlobal\b/.test(parameter.type.getText()));
  }
  return false;
}
