/**
 * `// mtls-fix-ignore: <reason>` markers in source code. A marker acknowledges a site only with a reason; a
 * marker without one (`// mtls-fix-ignore`, `// mtls-fix-ignore:`) or a token that merely starts with it
 * (`// mtls-fix-ignore-next-line`) acknowledges nothing, and the site's message says so (as lint says of an
 * `x-mtls-fix-ignore` without a reason).
 */

/** What one comment line holds: a marker with its reason, a marker that gives none, or no marker. */
export type IgnoreMarker = { reason: string } | { bare: string } | undefined;

// The comment opener, the marker and whatever follows it on the line (a closing `*/` is dropped).
const MARKER = /(?:\/\/|\/\*|\*)\s*(mtls-fix-ignore[\w-]*)(.*?)\s*(?:\*\/)?\s*$/;

/**
 * Reads the marker of one line of source. `{ reason }` for `mtls-fix-ignore: <reason>` (or
 * `mtls-fix-ignore <reason>`); `{ bare }` (the marker as written) for a marker whose reason is empty or has no
 * letter or digit, and for another token beginning with it; undefined for a line without a marker.
 */
export function readIgnoreMarker(line: string): IgnoreMarker {
  const found = MARKER.exec(line);
  if (!found) return undefined;
  const [, token, rest] = found;
  const reason = rest.replace(/^\s*:?\s*/, '').trim();
  if (token !== 'mtls-fix-ignore' || !/[\p{L}\p{N}]/u.test(reason)) return { bare: `${token}${rest}`.trim() };
  return { reason };
}

/**
 * The message of a site whose marker gives no reason: the marker acknowledges nothing, so the site stays a
 * review item (a rewrite is not made against a person's marker, and not silently kept either).
 * @param marker the marker as written (`mtls-fix-ignore-next-line`).
 * @param line 1-based line of the marker.
 * @param before the site's own message, if it has one.
 */
export function bareMarkerMessage(marker: string, line: number, before: string | null): string {
  const said = `'// ${marker}' (line ${line}) gives no reason, so it acknowledges nothing: write '// mtls-fix-ignore: <why>' to keep this 403, or delete the marker to have it rewritten.`;
  return before ? `${said} ${before}` : said;
}
