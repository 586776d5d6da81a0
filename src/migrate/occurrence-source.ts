/**
 * The spellings a 403 takes in source text: the census's occurrence patterns (census-occurrences.ts) and the root
 * of the prefilter (prefilter.ts). Kept apart from census.ts, which loads the TypeScript compiler, so that finding
 * and prefiltering files (sources.ts, on a worker thread) loads nothing heavy.
 *
 * Two patterns: {@link OCCURRENCE_SOURCE}, used case-insensitively, and {@link NAMED_NUMBER_SOURCE}, used as
 * written (a name's case tells where the number ends, which `i` cannot). {@link occurrenceMatches} runs both.
 */
export const OCCURRENCE_SOURCE =
  '\\b403\\b|\\b0[xX]193\\b|\\b4_03\\b|\\b0[oO]623\\b|\\b0[bB]110010011\\b|forbidden|permission[_-]?denied';

/**
 * A name (or text) that carries the number after a letter, `_` or `$`, whatever the prefix: Total.js
 * `controller.throw403()`, `HTTP_403`, `Error403`, `status403`, and equally a library's `send403(res)`,
 * `api403Response`, egg's `E403`, `deny_403` (breaker44: those were no occurrence, so a file that only called one
 * was not parsed and its census read 0). Case-sensitive. Not another number or word that merely holds the digits
 * (session 47, tests47; each made a file parsed and counted as a "string" 403): a digit after it (`x4030`), a
 * lower-case letter after it (`'x403y'`, `'9f2a403bc1'`: a word going on, where a name's next word starts upper-case
 * or after `_`), a hex colour (`'#ffa403'`, `'#A403FF'`) or a hex number (`0x403`, `0xa403`) around it. `'1403'`
 * and `'u+0403'` never matched (a digit before).
 */
export const NAMED_NUMBER_SOURCE = String.raw`(?<!#[\dA-Fa-f]*|\b0[xX][\dA-Fa-f]*|\b0(?=[xX]))[A-Za-z_$]403(?![0-9a-z])`;

const ANY_CASE = new RegExp(OCCURRENCE_SOURCE, 'gi');
const NAMED = new RegExp(NAMED_NUMBER_SOURCE, 'g');

/** One 403 form found in a text: where it starts and how long the matched text is (UTF-16 code units). */
export interface OccurrenceMatch {
  index: number;
  length: number;
}

/** Every 403 form of `text` by both patterns, in text order (one per start). */
export function occurrenceMatches(text: string): OccurrenceMatch[] {
  const out: OccurrenceMatch[] = [];
  for (const match of text.matchAll(ANY_CASE)) out.push({ index: match.index, length: match[0].length });
  const named = [...text.matchAll(NAMED)];
  if (!named.length) return out;
  const seen = new Set(out.map((m) => m.index));
  for (const match of named)
    if (!seen.has(match.index)) out.push({ index: match.index, length: match[0].length });
  return out.sort((a, b) => a.index - b.index);
}

/** The offset of the first 403 form of `text`, or undefined when it holds none. */
export function firstOccurrenceIndex(text: string): number | undefined {
  ANY_CASE.lastIndex = 0;
  NAMED.lastIndex = 0;
  const any = ANY_CASE.exec(text)?.index;
  const named = NAMED.exec(text)?.index;
  ANY_CASE.lastIndex = 0;
  NAMED.lastIndex = 0;
  return any === undefined ? named : named === undefined ? any : Math.min(any, named);
}

/** Whether `text` holds a 403 in one of its spellings. */
export function holds403Form(text: string): boolean {
  return firstOccurrenceIndex(text) !== undefined;
}
