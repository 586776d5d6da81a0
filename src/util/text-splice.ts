import { lineEndsOf } from './line-breaks.js';

/** One splice of the text: `[start, end)` replaced by `text` (written with LF; {@link applySplices} converts). Offsets are those of the file's LF view (src/util/line-breaks.ts), which are the file's own. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * `written` with `splices` applied (at most one per offset range, any order), their text in the file's line
 * ends: CRLF when the file has CRLF, CR when lone CRs end most of its lines, else LF.
 */
export function applySplices(written: string, splices: readonly Splice[]): string {
  const eol = /\r\n/.test(written) ? '\r\n' : '\n';
  const inStyle = lineEndsOf(written);
  let after = written;
  for (const splice of [...splices].sort((a, b) => b.start - a.start)) {
    after = after.slice(0, splice.start) + inStyle(splice.text.replace(/\n/g, eol)) + after.slice(splice.end);
  }
  return after;
}
