import type { FileAnalysis } from '../../analysis.js';
import type { SiteInput } from '../../analysis/types.js';
import type { Site } from '../../types.js';

/**
 * Manual test sites whose verdict does not hang on the server they check: a negated assertion (`not.toBe(403)`),
 * one that accepts both statuses (`oneOf([401, 403])`), both passing on the new status, and a Postman script's,
 * which names no request (postman.ts). The test follower (test-follow.ts) leaves these as they are; any other
 * manual test site (an expected error the library has no class for, `Boom.forbidden(m, data)` built as the server
 * builds it) follows its server as a rewritable assertion does.
 */
const OWN_VERDICTS = new WeakSet<Site>();

/** Adds a manual test site (`analysis.addSite`) whose verdict is its own (see `OWN_VERDICTS`). */
export function addOwnVerdictSite(analysis: FileAnalysis, input: SiteInput): void {
  const before = analysis.sites.length;
  analysis.addSite({ ...input, manual: true });
  const added = analysis.sites.length > before ? analysis.sites[analysis.sites.length - 1] : undefined;
  if (added) OWN_VERDICTS.add(added);
}

/** Whether a manual test site's verdict is its own, whatever its server does (`addOwnVerdictSite`). */
export function hasOwnVerdict(site: Site): boolean {
  return OWN_VERDICTS.has(site);
}
