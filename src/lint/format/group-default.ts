import { DEFAULT_ONLY } from '../../findings/findings.js';
import type { LintResult } from '../types.js';

/** A result, or one standing for `grouped` results of one document (the stylish summary counts each). */
export type GroupedResult = LintResult & { grouped?: number };

/** Up to this many `default`-only warnings of one document are shown one by one; more make one grouped line. */
export const SEPARATE_DEFAULTS = 3;

/** Operations a grouped line names; the rest are counted. */
const NAMED = 3;

/**
 * For human reports (stylish, text, github-actions): the `mtls-4xx-range` warnings of operations documenting only
 * `default` are one result per document when there are more than {@link SEPARATE_DEFAULTS} of them (a document
 * giving every operation a `default`, such as Plaid's, had 283 lines of the same advice). The grouped result sits
 * at the first one's place and says how many there are, names the first {@link NAMED} operations, and how to list
 * each (`--explain`; json, sarif and junit always list each); the stylish summary still counts every one. Every
 * other result is returned as it is, in order.
 */
export function groupDefaultOnly(results: readonly LintResult[]): GroupedResult[] {
  const bySource = new Map<string, LintResult[]>();
  for (const result of results) {
    if (!isDefaultOnly(result)) continue;
    const list = bySource.get(result.source) ?? [];
    list.push(result);
    bySource.set(result.source, list);
  }
  const grouped = new Map<LintResult, GroupedResult | null>();
  for (const list of bySource.values()) {
    if (list.length <= SEPARATE_DEFAULTS) continue;
    const [first] = list;
    list.forEach((result) => grouped.set(result, result === first ? groupOf(list) : null));
  }
  if (grouped.size === 0) return [...results];
  return results.flatMap((result) => {
    const replaced = grouped.get(result);
    if (replaced === undefined) return [result];
    return replaced === null ? [] : [replaced];
  });
}

function isDefaultOnly(result: LintResult): boolean {
  return result.code === 'mtls-4xx-range' && result.message.includes(DEFAULT_ONLY);
}

/** One result standing for `list` (same document, same rule), at the first one's place. */
function groupOf(list: readonly LintResult[]): GroupedResult {
  const [first] = list;
  const names = list
    .slice(0, NAMED)
    .map((result) => (result.operation ? `${result.operation.method} ${result.operation.path}` : '?'));
  const more = list.length > NAMED ? ` and ${list.length - NAMED} more` : '';
  // The advice of the first message (the iOS effect and the agreed status), said of them all.
  const at = first.message.indexOf('iOS reports');
  const advice = (at >= 0 ? first.message.slice(at) : '').replace(
    'Make sure it answers',
    'Make sure they answer',
  );
  return {
    code: first.code,
    severity: first.severity,
    source: first.source,
    path: first.path,
    range: first.range,
    grouped: list.length,
    message:
      `${list.length} mTLS-secured operations ${DEFAULT_ONLY.replace('documents', 'document')} (${names.join(', ')}${more}), so a 403 they ` +
      `answer is documented only by 'default'; ${advice} Run with --explain (or -f json, -f sarif) to list each.`,
  };
}
