import { lineStartsOf } from '../util/lines.js';

/** 0-based position and range, Spectral's shape. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export const DEFAULT_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Offsets of line starts, for turning offsets into positions: a line ends at LF, CRLF or a lone CR, as editors
 * and SARIF count (src/util/lines.ts; U+2028/U+2029 are ordinary characters in YAML 1.2 and JSON).
 */
export function lineStarts(text: string): number[] {
  return lineStartsOf(text);
}

export function positionAt(starts: number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - (starts[low] ?? 0) };
}
