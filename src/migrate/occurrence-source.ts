/**
 * The spellings a 403 takes in source text, as a RegExp source (case-insensitive use): the census's occurrence
 * pattern (census.ts) and the root of the prefilter (prefilter.ts). Kept apart from census.ts, which loads the
 * TypeScript compiler, so that finding and prefiltering files (sources.ts, on a worker thread) loads nothing heavy.
 */
export const OCCURRENCE_SOURCE =
  '\\b403\\b|\\b0[xX]193\\b|\\b4_03\\b|\\b0[oO]623\\b|\\b0[bB]110010011\\b|forbidden|permission[_-]?denied|' +
  // A name (or text) that carries the number after a letter, `_` or `$`, whatever the prefix: Total.js
  // `controller.throw403()`, `HTTP_403`, `Error403`, `status403`, and equally a library's `send403(res)`,
  // `api403Response`, egg's `E403`, `deny_403` (breaker44: those were no occurrence, so a file that only called
  // one was not parsed and its census read 0). A digit after it makes another number (`x4030`).
  '[a-z_$]403(?![0-9])';
