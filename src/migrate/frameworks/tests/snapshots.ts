import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { reasonPhrase } from '../../status-names.js';
import type { Edit } from '../../types.js';
import { snapshotStatuses } from './snapshot-text.js';
import { isStatusAccess } from './subjects.js';

/** Jest and Vitest matchers whose last argument is the snapshot text, written into the test file. */
export const INLINE_SNAPSHOT_MATCHERS = new Set([
  'toMatchInlineSnapshot',
  'toThrowErrorMatchingInlineSnapshot',
]);

/**
 * An inline snapshot of a reply (`expect(res.body).toMatchInlineSnapshot(`{ "status": 403, ... }`)`,
 * `expect(res.status).toMatchInlineSnapshot('403')`, `toThrowErrorMatchingInlineSnapshot(`"Forbidden"`)`, a printed
 * HTTP reply `expect(response).toMatchInlineSnapshot(`HTTP/1.1 403 Forbidden …`)`, jest-axios-snapshot) as a
 * `tests` site: the 403 each status key of the printed value holds, with the reason phrase beside it, edited in the
 * literal, and decided by the test follower as any expected status (it follows its request's server). A snapshot
 * that also holds a 403 in no status slot (`"message": "got 403"`) is left to the census, which lists it as an
 * asserted text. Returns whether the call is an inline snapshot matcher.
 *
 * @param subject what `expect(...)` is about (the status itself makes a bare `403` text the status)
 * @param args the matcher's arguments (an optional property matcher object, then the snapshot text)
 */
export function inlineSnapshot(
  analysis: FileAnalysis,
  form: ts.CallExpression,
  subject: ts.Expression,
  args: readonly ts.Expression[],
): void {
  const literal = args[args.length - 1];
  if (!literal || !(ts.isNoSubstitutionTemplateLiteral(literal) || ts.isStringLiteral(literal))) return;
  const start = literal.getStart(analysis.sourceFile) + 1;
  const raw = analysis.text.slice(start, literal.getEnd() - 1);
  const found = snapshotStatuses(raw, isStatusAccess(subject));
  if (found.others.length || (!found.statuses.length && !found.phrases.length)) return;
  const phrase = reasonPhrase(analysis.target);
  const edits: Edit[] = [
    // A status line's `403 Forbidden` is written with the target's own phrase (`401 Unauthorized`).
    ...found.statuses.map((s) => ({
      start: start + s.start,
      end: start + s.end,
      text: s.end - s.start > 3 ? `${analysis.target} ${phrase}` : String(analysis.target),
    })),
    ...found.phrases.map((p) => ({ start: start + p.start, end: start + p.end, text: phrase })),
  ];
  analysis.addSite({ node: form, framework: 'tests', edits });
}
