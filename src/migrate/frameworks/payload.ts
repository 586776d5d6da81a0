import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

/**
 * Payload CMS access control: an `access` object of a collection or global config (an object with a `slug`) holds
 * functions whose `false` makes Payload throw `Forbidden` (403, "You are not allowed to perform this action.";
 * `executeAccess` in packages/payload/src/auth/executeAccess.ts). No 403 is written in the project: the `access`
 * key is an `Implicit 403` site. Field-level `access` (a field has a `name`, no `slug`) only hides fields and is no
 * site.
 */
export const payload: Framework = {
  id: 'payload',
  title: 'Payload CMS (collection and global access control)',
  enablers: ['payload'],
  kinds: [ts.SyntaxKind.PropertyAssignment],
  visit(node, analysis) {
    if (analysis.options.testFile || !ts.isPropertyAssignment(node)) return;
    if (keyName(node.name) !== 'access' || !ts.isObjectLiteralExpression(node.initializer)) return;
    const config = node.parent;
    if (!ts.isObjectLiteralExpression(config)) return;
    const keys = config.properties.map((p) => (p.name ? keyName(p.name) : undefined));
    if (!keys.includes('slug')) return;
    const n = analysis.target;
    analysis.addSite({
      node: node.name,
      framework: 'payload',
      manual: true,
      reason: `Implicit 403: Payload answers 403 (Forbidden) when an access function here returns false. On mTLS routes throw new APIError(message, ${n}) from it instead of returning false (Payload answers an error's own status).`,
    });
  },
};

function keyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}
