import type { LintHint } from './types.js';

/** Up to this many documents with no mTLS-secured operation get their own hint paragraph; more make a digest. */
export const SEPARATE_HINTS = 3;

/** Documents a digest names without --explain; the rest are counted. */
export const DIGEST_NAMED = 10;

/**
 * The hints of a run as the lines a human report prints (each line without its `hint: ` prefix). Up to
 * {@link SEPARATE_HINTS} documents with no mTLS-secured operation keep one paragraph each; beyond that they make
 * one digest: a heading with the count, one indented line per document (`file:line: what it shows`; the first
 * {@link DIGEST_NAMED} unless `explain`, then a count of the rest), and the advice once. Other hints (remote
 * `$ref`s skipped) are printed as they are, after the digest. Returns one entry per hint printed; an entry may
 * hold several lines.
 */
export function hintTexts(hints: readonly LintHint[], explain = false): string[] {
  const noMtls = hints.filter((hint) => hint.noMtls);
  if (noMtls.length <= SEPARATE_HINTS) return hints.map((hint) => hint.message);
  const mentioning = noMtls.filter((hint) => hint.terms.length > 0).length;
  const notRead = noMtls.filter((hint) => hint.noMtls?.notRead).length;
  const said = [
    mentioning ? `${mentioning} of them mention mTLS` : '',
    notRead ? `${notRead} declare it in a way that is not read` : '',
  ].filter(Boolean);
  const named = explain ? noMtls : noMtls.slice(0, DIGEST_NAMED);
  const lines = [
    `${noMtls.length} documents have no mTLS-secured operation, so no 403 in them was checked` +
      `${said.length ? ` (${said.join(', ')})` : ''}:`,
    ...named.map((hint) => `  ${hint.noMtls?.where}: ${hint.noMtls?.brief}`),
    ...(named.length < noMtls.length
      ? [`  and ${noMtls.length - named.length} more (\`mtls-fix lint --explain\` lists every one)`]
      : []),
    '  If their endpoints are served over mTLS, try --mtls-everywhere, --mtls-scheme NAME, x-mtls: true (or a gateway mTLS extension), or ' +
      '`mtls-fix detect` on the repository that deploys them; if a document has no mTLS endpoints, write x-mtls: false at its root.',
  ];
  return [lines.join('\n'), ...hints.filter((hint) => !hint.noMtls).map((hint) => hint.message)];
}
