/**
 * The spellings a 403 takes in source text, as a RegExp source (case-insensitive use): the census's occurrence
 * pattern (census.ts) and the root of the prefilter (prefilter.ts). Kept apart from census.ts, which loads the
 * TypeScript compiler, so that finding and prefiltering files (sources.ts, on a worker thread) loads nothing heavy.
 */
export const OCCURRENCE_SOURCE =
  '\\b403\\b|\\b0[xX]193\\b|\\b4_03\\b|\\b0[oO]623\\b|\\b0[bB]110010011\\b|forbidden|permission[_-]?denied|' +
  // A name that carries the number: Total.js `controller.throw403()`, `HTTP_403`, `Error403`, `status403`.
  '(?:throw|error|err|status|http|code)_?403(?![0-9])';
