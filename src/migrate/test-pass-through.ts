import ts from '../typescript.cjs';
import { nodeAt } from './routes/reach.js';
import type { Site } from './types.js';

/**
 * Whether the manual site `site` is the run-time branch of the status slot that the rewritten site `rewritten`
 * changed: one slot mixing a literal 403 with a status passed through (`res.status(r === null ? 403 : r.status)`,
 * `r?.status ?? 403`, `err.status || 403`, nested conditions). The rewrite changed the literal branch only; the
 * other branch may still pass a 403 on (an upstream's, an error object's), so a test reaching the slot may check
 * that 403 and must not follow the rewrite (issue 9 §1: tests follow the server, never lead it). Such a site lies
 * inside the rewritten form, as a text left beside the status does, but unlike that text it sends the status.
 *
 * @param sourceFile the tree of the server file both sites are in (their offsets index its text)
 * @param site a manual site of that file
 * @param rewritten a site of that file this run rewrote
 * @returns true when the server analysis reported `site` as the run-time value beside a 403 it rewrote, or when a
 *   chain of conditions and `??` / `||` / `&&` operands (through parentheses and `as`) leads from `site` to an
 *   expression holding one of `rewritten`'s edits
 */
export function passesThroughBeside(sourceFile: ts.SourceFile, site: Site, rewritten: Site): boolean {
  if (site.file !== rewritten.file || site.kind !== 'manual' || !rewritten.edits.length) return false;
  // The run-time value a status slot's variable may hold beside its 403 (`status = 403` in one case of a switch,
  // `status = upstream.status` in its default), reported by the server analysis (analysis.ts `statusSlot`).
  if (site.reason && PASS_THROUGH_REASON.test(site.reason)) return true;
  let node = nodeAt(sourceFile, site.start);
  // The node whose span is the site's own (the innermost node at its start may be a part of it).
  while (node && node.parent && node.getEnd() < site.end) node = node.parent;
  if (!node || node.getStart(sourceFile) !== site.start || node.getEnd() !== site.end) return false;
  const holdsEdit = (n: ts.Node): boolean =>
    rewritten.edits.some((e) => n.getStart(sourceFile) <= e.start && e.end <= n.getEnd());
  for (let parent = node.parent; parent && choice(parent); parent = parent.parent)
    if (holdsEdit(parent)) return true;
  return false;
}

/** The reason the server analysis gives the run-time branch of a 403 slot (analysis.ts `statusSlot`). */
const PASS_THROUGH_REASON = /^Dynamic status beside the rewritten 403\b/;

/** An expression that picks one of its operands as its value (a condition, `??`, `||`, `&&`, parentheses, `as`). */
function choice(node: ts.Node): boolean {
  if (ts.isConditionalExpression(node) || ts.isParenthesizedExpression(node) || ts.isAsExpression(node))
    return true;
  if (!ts.isBinaryExpression(node)) return false;
  const operator = node.operatorToken.kind;
  return (
    operator === ts.SyntaxKind.QuestionQuestionToken ||
    operator === ts.SyntaxKind.BarBarToken ||
    operator === ts.SyntaxKind.AmpersandAmpersandToken
  );
}
