import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { FEATHERS_ERRORS } from '../status-names.js';
import type { Framework } from './framework.js';
import { renameSite } from './class-rename.js';
import { alternative, checkedSpelling } from './instance-checks.js';

const MODULES = ['@feathersjs/errors', 'feathers-errors'];

/**
 * FeathersJS errors (https://feathersjs.com/api/errors): `new Forbidden(m)`, `new errors.Forbidden(m)` ->
 * `NotAuthenticated` (401) / `NotFound` (404); `new FeathersError(m, 'Forbidden', 403, 'forbidden')` follows
 * in all three slots. `instanceof Forbidden` checks are reported.
 */
export const feathers: Framework = {
  id: 'feathers',
  title: 'FeathersJS (@feathersjs/errors)',
  enablers: ['@feathersjs/errors', '@feathersjs/feathers', 'feathers-errors'],
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const callee = node.expression;
      if (isForbidden(analysis, callee)) {
        renameSite(analysis, {
          form: node,
          callee,
          to: FEATHERS_ERRORS[analysis.target],
          framework: 'feathers',
          missing: `@feathersjs/errors has no class for ${analysis.target}: throw new FeathersError(message, name, ${analysis.target}, className, data).`,
        });
      } else if (ts.isNewExpression(node) && isFeathers(analysis, callee, 'FeathersError')) {
        generic(analysis, node);
      }
      return;
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
      isForbidden(analysis, node.right)
    ) {
      const to = FEATHERS_ERRORS[analysis.target];
      const spelling = checkedSpelling(analysis, node.right, MODULES, 'Forbidden', to);
      analysis.addSite({
        node,
        framework: 'feathers',
        manual: true,
        reason: `An instanceof check on ${spelling.shown}: its throws become ${to ?? `errors answering ${analysis.target}`} on mTLS routes, so decide whether this check should also match ${alternative(analysis, node, spelling) ?? 'them'}.`,
      });
    }
  },
};

function isForbidden(analysis: FileAnalysis, expression: ts.Expression): boolean {
  return isFeathers(analysis, expression, 'Forbidden');
}

/** `Name` imported from @feathersjs/errors, `ns.Name`, or `errors.Name` where `errors` is the package's map. */
function isFeathers(analysis: FileAnalysis, expression: ts.Expression, name: string): boolean {
  if (analysis.resolvesTo(expression, MODULES, name)) return true;
  if (!ts.isPropertyAccessExpression(expression) || expression.name.text !== name) return false;
  const owner = expression.expression;
  if (!ts.isIdentifier(owner)) return false;
  const binding = analysis.importOf(owner.text);
  return Boolean(binding && MODULES.includes(binding.module) && binding.name === 'errors');
}

/** `new FeathersError(message, 'Forbidden', 403, 'forbidden', data)`: the code, name and className follow. */
function generic(analysis: FileAnalysis, node: ts.NewExpression): void {
  const [, name, code, className] = node.arguments ?? [];
  const target = FEATHERS_ERRORS[analysis.target];
  analysis.statusSlot(code, node, 'feathers', () => {
    if (!target) return {};
    const kebab = target.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());
    const edits = [];
    if (name && ts.isStringLiteral(name) && name.text === 'Forbidden')
      edits.push(analysis.phraseEdit(name, target));
    if (className && ts.isStringLiteral(className) && className.text === 'forbidden')
      edits.push(analysis.phraseEdit(className, kebab));
    return { edits };
  });
}
