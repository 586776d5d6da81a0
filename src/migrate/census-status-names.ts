import ts from '../typescript.cjs';
import { skipOuter, staticMember } from './analysis/syntax.js';

/** Helpers that take a status by its number or its name as the first argument (Elysia's `status` / `error`). */
const NAMED_STATUS_CALLS = new Set(['status', 'error']);

/**
 * The status slot a string holding 403's name fills, when it fills one: `ctx.set.status = 'Forbidden'`,
 * `set['status'] = 'Forbidden'` (a member named `status` assigned the name), `status('Forbidden', body)`,
 * `ctx.error('Forbidden')` (the name as the first argument of a `status` / `error` helper). Elysia answers 403 for
 * the name `'Forbidden'` (its StatusMap), so such a string is a status, not a text. Returns the slot's form
 * (`ctx.set.status`, `status(…)`) for the reason, undefined for any other string. Only the exact StatusMap key
 * `'Forbidden'` counts; a message such as `'Forbidden: admins only'` is a text. Session 52: in a hook whose file
 * does not import Elysia (`export const admin = async (ctx) => { ctx.set.status = 'Forbidden' }`, handed to
 * `.onBeforeHandle(admin)` elsewhere) the name was counted as a text (not an emit), so the run read clean.
 */
export function statusNameSlot(node: ts.Node): string | undefined {
  if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node)) return undefined;
  if (node.text !== 'Forbidden') return undefined;
  let value: ts.Node = node;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const parent = value.parent;
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === value &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
  ) {
    const member = staticMember(skipOuter(parent.left));
    return member?.name === 'status' ? parent.left.getText() : undefined;
  }
  if (ts.isCallExpression(parent) && parent.arguments[0] === value) {
    const callee = skipOuter(parent.expression);
    const name = ts.isIdentifier(callee) ? callee.text : staticMember(callee)?.name;
    return name && NAMED_STATUS_CALLS.has(name) ? `${callee.getText()}(…)` : undefined;
  }
  return undefined;
}
