import type { FileAnalysis } from './analysis.js';
import type { Occurrence } from './census.js';
import { isExpectedValue } from './frameworks/tests/inputs.js';
import { nodeAt } from './routes/reach.js';
import type { Verdict } from './test-verdicts.js';
import type { Site } from './types.js';

/**
 * The census's unknown-shape sites of a test file that are an expected value built from a name of the 403: the
 * project's own error class that holds no status (`expect(body.error).toBe(new ForbiddenError().message)`,
 * `toEqual({ data: new ForbiddenError() })` outside a status assertion, `toBe(FORBIDDEN_MESSAGE)`), a name the
 * census could link to no 403 of the server. Each is a mirror of what its request or unit receives, decided as
 * a body-text assertion is (test-follow.ts `settleNamedMirrors`), never left with advice meant for server code.
 * Only sites whose 403 occurrences are all names: a number or a string in an unknown shape keeps its reason.
 */
export function namedMirrors(analysis: FileAnalysis, occurrences: readonly Occurrence[]): Site[] {
  if (!analysis.options.testFile) return [];
  return analysis.sites.filter((site) => {
    if (site.framework !== 'unknown' || site.kind !== 'manual' || site.ignoreReason) return false;
    const inside = occurrences.filter((o) => o.start >= site.span.start && o.end <= site.span.end);
    if (!inside.length || inside.some((o) => o.form !== 'identifier')) return false;
    const token = nodeAt(analysis.sourceFile, site.start);
    return token !== undefined && isExpectedValue(token);
  });
}

/**
 * Applies the follower's verdict to one named mirror (`verdict` as for a body-text assertion at the site):
 * - not an emit (the test builds that 403 itself, or mocks another service): the site goes, its occurrences
 *   take the kind;
 * - manual: a `tests` site naming what still emits the 403 (or why its server could not be found);
 * - kept (its server's text changed with this run): still manual, since mtls-fix does not rename a project's
 *   own name in a test; the reason says the server now answers the agreed status.
 */
export function settleNamedMirror(
  analysis: FileAnalysis,
  occurrences: Occurrence[],
  site: Site,
  verdict: Verdict,
): void {
  if ('notAnEmit' in verdict) {
    analysis.sites.splice(analysis.sites.indexOf(site), 1);
    for (const occurrence of occurrences)
      if (!occurrence.kind && occurrence.start >= site.span.start && occurrence.end <= site.span.end)
        occurrence.kind = verdict.notAnEmit;
    return;
  }
  site.framework = 'tests';
  site.reason =
    'keep' in verdict
      ? `Expects ${site.form}, a value named for the 403, from a server this run rewrote to answer ${analysis.target}: mtls-fix does not rename the project's own names in tests, so change it to what the server now sends, or keep it on purpose with // mtls-fix-ignore: <why>.`
      : `Asserts a 403 ${verdict.manual}, expecting ${site.form}, a value named for the 403: change it together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
}
