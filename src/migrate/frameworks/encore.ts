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
const CODES: Readonly<Record<number, { factory: string; member: string; value: string }>> = {
  400: { factory: 'invalidArgument', member: 'InvalidArgument', value: 'invalid_argument' },
  401: { factory: 'unauthenticated', member: 'Unauthenticated', value: 'unauthenticated' },
  404: { factory: 'notFound', member: 'NotFound', value: 'not_found' },
  409: { factory: 'alreadyExists', member: 'AlreadyExists', value: 'already_exists' },
  429: { factory: 'resourceExhausted', member: 'ResourceExhausted', value: 'resource_exhausted' },
};

/** `ErrCode.PermissionDenied`'s value: ErrCode is a string enum (encore.dev/api, `PermissionDenied = "permission_denied"`). */
const PERMISSION_DENIED = 'permission_denied';

/**
 * Encore.ts: `APIError.permissionDenied(m)` -> `APIError.unauthenticated(m)` and
 * `new APIError(ErrCode.PermissionDenied, m)` -> `ErrCode.Unauthenticated` (permission_denied answers 403). Since
 * session 30 a code held in a name (`new APIError(code, m)`, `new APIError(e.code, m)`) is reported: it may be
 * permission_denied (it was silent, the file read clean); the written value `'permission_denied'` is rewritten.
 */
export const encore: Framework = {
  id: 'encore',
  title: 'Encore.ts (APIError)',
  enablers: ['encore.dev'],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (ts.isNewExpression(node) && isEncore(analysis, node.expression, 'APIError')) {
      constructed(analysis, node);
      return;
    }
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

/**
 * `new APIError(code, m)`: `ErrCode.X` is read by the member visit; the string `'permission_denied'` becomes the
 * target's code; a `const` holding a member or a string is read where it is written; any other code is reported.
 */
function constructed(analysis: FileAnalysis, node: ts.NewExpression): void {
  const code = node.arguments?.[0];
  if (!code) return;
  const bare = skipParentheses(code);
  if (ts.isPropertyAccessExpression(bare) && isEncore(analysis, bare.expression, 'ErrCode')) return;
  if (ts.isStringLiteral(bare) || ts.isNoSubstitutionTemplateLiteral(bare)) {
    if (bare.text !== PERMISSION_DENIED) return;
    const to = CODES[analysis.target]?.value;
    if (to) analysis.addSite({ node, framework: 'encore', edits: [analysis.phraseEdit(bare, to)] });
    else analysis.addSite({ node, framework: 'encore', manual: true, reason: missing(analysis) });
    return;
  }
  if (ts.isIdentifier(bare) && heldCode(analysis, bare)) return;
  const shown = bare.getText(analysis.sourceFile);
  analysis.addSite({
    node,
    framework: 'encore',
    manual: true,
    reason: `Dynamic status: the Encore error code comes from '${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}', which may be permission_denied (answered 403). Where it is chosen, give mTLS routes ${CODES[analysis.target] ? `ErrCode.${CODES[analysis.target].member}` : `a raw endpoint response with ${analysis.target}`} instead (the ErrCode.PermissionDenied written in this run's files are rewritten there).`,
  });
}

/** A `const` of this file whose initializer is an `ErrCode` member or a string: read where it is written. */
function heldCode(analysis: FileAnalysis, name: ts.Identifier): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === name.text &&
      node.initializer &&
      ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const
    ) {
      const value = skipParentheses(node.initializer);
      found =
        ts.isStringLiteral(value) ||
        (ts.isPropertyAccessExpression(value) && isEncore(analysis, value.expression, 'ErrCode'));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(analysis.sourceFile);
  return found;
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current)) current = current.expression;
  return current;
}

function missing(analysis: FileAnalysis): string {
  return `Encore.ts has no error code that answers ${analysis.target}: return a raw endpoint response with that status, or keep permission_denied.`;
}

function isEncore(analysis: FileAnalysis, expression: ts.Expression, name: string): boolean {
  if (!ts.isIdentifier(expression)) return false;
  const binding = analysis.importOf(expression.text);
  return Boolean(binding && ENCORE.includes(binding.module) && binding.name === name);
}
