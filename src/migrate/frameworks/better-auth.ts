import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { BETTER_CALL_CODES } from '../status-names.js';
import type { Edit } from '../types.js';
import type { Framework } from './framework.js';
import { challengeNote } from './shared.js';

/** Where `APIError` and the endpoint factories come from (better-auth re-exports better-call's). */
const MODULES = ['better-call', 'better-auth', 'better-auth/api', 'better-auth/plugins'];

/** Factories whose handler receives a context with `ctx.error(status, body)` (better-call's endpoint context). */
const ENDPOINT_FACTORIES = [
  'createAuthEndpoint',
  'createAuthMiddleware',
  'createEndpoint',
  'createMiddleware',
];

/**
 * better-auth / better-call: `new APIError('FORBIDDEN', { message })`, `APIError.from('FORBIDDEN', …)` and
 * `ctx.error('FORBIDDEN', …)` inside an endpoint or hook handler answer 403 (better-call maps the status name,
 * or takes a number: `new APIError(403)`). The name becomes the target's (`'UNAUTHORIZED'`), a number is a
 * status slot; a body saying Forbidden follows.
 */
export const betterAuth: Framework = {
  id: 'better-auth',
  title: 'better-auth / better-call (APIError)',
  enablers: ['better-auth', 'better-call'],
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  visit(node, analysis) {
    if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return;
    const callee = node.expression;
    const isError =
      analysis.resolvesTo(callee, MODULES, 'APIError') ||
      (ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'from' &&
        analysis.resolvesTo(callee.expression, MODULES, 'APIError')) ||
      (ts.isCallExpression(node) && isContextError(analysis, callee));
    if (!isError) return;
    const status = node.arguments?.[0];
    if (!status) return;
    if (ts.isStringLiteralLike(status)) {
      if (status.text === 'FORBIDDEN') rewriteName(analysis, node, status);
      return;
    }
    analysis.statusSlot(status, node, 'better-auth', () => ({ reason: challengeNote(analysis) }));
  },
};

function rewriteName(analysis: FileAnalysis, form: ts.Node, status: ts.StringLiteralLike): void {
  const target = BETTER_CALL_CODES[analysis.target];
  if (!target) {
    analysis.addSite({
      node: form,
      framework: 'better-auth',
      manual: true,
      reason: `better-call has no status name for ${analysis.target}: pass the number (new APIError(${analysis.target}, body)).`,
    });
    return;
  }
  const own = analysis.phraseEdit(status, target);
  // The body's companions (`message: 'Forbidden'`); the status argument itself is this module's edit.
  const companions = analysis
    .companionEdits(form)
    .filter((e: Edit) => e.end <= own.start || e.start >= own.end);
  analysis.addSite({
    node: form,
    framework: 'better-auth',
    edits: [own, ...companions],
    reason: challengeNote(analysis),
    cover: analysis.companionCover(form),
  });
}

/**
 * `ctx.error` where `ctx` is the first parameter of a handler passed to a better-auth / better-call endpoint
 * or middleware factory (`createAuthMiddleware(async (ctx) => { throw ctx.error('FORBIDDEN') })`).
 */
function isContextError(analysis: FileAnalysis, callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'error') return false;
  const receiver = callee.expression;
  if (!ts.isIdentifier(receiver)) return false;
  for (let scope: ts.Node | undefined = callee.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    const first = scope.parameters[0];
    if (!first || !ts.isIdentifier(first.name) || first.name.text !== receiver.text) continue;
    const call = scope.parent;
    return (
      ts.isCallExpression(call) &&
      ENDPOINT_FACTORIES.some((name) => analysis.resolvesTo(call.expression, MODULES, name))
    );
  }
  return false;
}
