import type { Site } from './types.js';

// A constant's reason that claims a rewrite the run did not make (session 39, fix39c; breaker39 05).

/**
 * The name a census claim is about: census-values.ts `replacedReason` (`'NAME' still holds 403: this run writes N in
 * place of it where …`) and `memberGoneReason` (`'Codes.FORBIDDEN' still holds 403 and no file of this run reads
 * it after this run: its reads (…) now send N. …`), the reasons of the sites it gives `Site.replacedUses`.
 */
const CLAIMED = /^'([^']+)' still holds 403[ :]/;

/**
 * The census settles a constant (`const FORBIDDEN = 403`, a table's entry `Codes.FORBIDDEN`) before the test
 * follower decides the assertions that read it (run-settle.ts: every test site counts as rewritten for the census,
 * test-follow.ts decides after). A read the follower then leaves as it is (an assertion helper shared by tests
 * whose servers answer differently, test-caller-split.ts) still reads the 403 after the run, so the constant's
 * reason must not say the run writes the status in its place there, nor that no file of the run reads it. Such a
 * reason is rewritten to name those reads as left, and whatever rewritten reads remain. A read is matched by
 * `file:line form`, as the census lists them (`Site.replacedUses`, every one: the reason shows three).
 * @param sites the run's settled sites (mutated: reasons)
 * @param lineOf a site's 1-based line (undefined when its file is not at hand: the site is not matched)
 * @param rewritten whether the run writes a site's edits (kept, not ignored, refused or out of scope)
 * @param target the agreed status
 */
export function dropStaleReplacedClaims(
  sites: readonly Site[],
  lineOf: (site: Site) => number | undefined,
  rewritten: (site: Site) => boolean,
  target: number,
): void {
  const claims = sites.filter((s) => s.replacedUses && s.reason && CLAIMED.test(s.reason));
  if (!claims.length) return;
  const left = new Set<string>();
  for (const site of sites) {
    if (rewritten(site)) continue;
    const line = lineOf(site);
    if (line !== undefined) left.add(`${site.file}:${line} ${site.form}`);
  }
  for (const claim of claims) {
    const uses = claim.replacedUses ?? [];
    const name = CLAIMED.exec(claim.reason ?? '')?.[1];
    const stale = uses.filter((use) => left.has(use));
    if (name === undefined || !stale.length) continue;
    const rest = uses.filter((use) => !left.has(use));
    const more = rest.length > 3 ? `; ${rest.length - 3} more` : '';
    const written = rest.length
      ? ` It is written as ${target} in place of it at ${rest.slice(0, 3).join(', ')}${more}, which this run rewrites.`
      : '';
    claim.reason = `'${name}' still holds 403, and ${stale.join(', ')} ${stale.length > 1 ? 'read' : 'reads'} it where this run leaves the 403 as it is (reported there).${written} Once ${stale.length > 1 ? 'those reads are' : 'that read is'} settled, change this definition to ${target} (or give each read its own status); if nothing reads it, remove it; else mark it // mtls-fix-ignore: <why>.`;
  }
}
