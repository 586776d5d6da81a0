import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { renameSite } from './class-rename.js';
import { isComparison } from './shared.js';

const ENCORE = ['encore.dev/api', 'encore.dev'];

/**
 * Encore.ts error codes and the HTTP status each answers (https://encore.dev/docs/ts/primitives/errors):
 * the `APIError` factory method and the `ErrCode` member for each target that has one.
 */
const CODES: Readonly<Record<number, { factory: string; member: string }>> = {
  400: { factory: 'invalidArgument', member: 'InvalidArgument' },
  401: { factory: 'unauthenticated', member: 'Unauthenticated' },
  404: { factory: 'notFound', member: 'NotFound' },
  409: { factory: 'alreadyExists', member: 'AlreadyExists' },
  429: { factory: 'resourceExhausted', member: 'ResourceExhausted' },
};

/**
 * Encore.ts: `APIError.permissionDenied(m)` -> `APIError.unauthenticated(m)` and
 * `new APIError(ErrCode.PermissionDenied, m)` -> `ErrCode.Unauthenticated` (permission_denied answers 403).
 */
export const encore: Framework = {
  id: 'encore',
  title: 'Encore.ts (APIError)',
  enablers: ['encore.dev'],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyAccessExpression],
  visit(node, analysis) {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'permissionDenied' &&
      isEncore(analysis, node.expression.expression, 'APIError')
    ) {
      renameSite(analysis, {
        form: node,
        callee: node.expression,
        to: CODES[analysis.target]?.factory,
        framework: 'encore',
        missing: missing(analysis),
      });
      return;
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'PermissionDenied' &&
      isEncore(analysis, node.expression, 'ErrCode')
    ) {
      if (isComparison(node)) {
        analysis.notAnEmit(node, 'comparison');
        return;
      }
      const parent = node.parent;
      const form = ts.isNewExpression(parent) || ts.isCallExpression(parent) ? parent : node;
      renameSite(analysis, {
        form,
        callee: node,
        to: CODES[analysis.target]?.member,
        framework: 'encore',
        missing: missing(analysis),
      });
    }
  },
};

function missing(analysis: FileAnalysis): string {
  return `Encore.ts has no error code that answers ${analysis.target}: return a raw endpoint response with that status, or keep permission_denied.`;
}

function isEncore(analysis: FileAnalysis, expression: ts.Expression, name: string): boolean {
  if (!ts.isIdentifier(expression)) return false;
  const binding = analysis.importOf(expression.text);
  return Boolean(binding && ENCORE.includes(binding.module) && binding.name === name);
}
