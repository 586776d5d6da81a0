import { diffArrays } from 'diff';
import type { TextEdit } from './text-edits.js';
import { mostCommonLineEnd, type LineEnd } from '../util/line-breaks.js';

/** One piece of text up to and including its line end ('' for the last piece when the text ends inside a line). */
interface Piece {
  content: string;
  end: LineEnd | '';
}

/**
 * `edits` (made on the file's LF view, added lines ending with LF, or CRLF in a file with any CRLF) with the line
 * ends of the file `before` they go into (its text as written, lone CRs and all; the offsets are the same):
 * each line an edit writes again with the same content as a line it replaces keeps that line's own end, and
 * every other line it adds ends as most lines of the file do (ties: LF, then CRLF). In a file of one kind of
 * line end that is that kind. In a file of mixed ones, before session 41, a merge rewrote the line ends of the
 * lines it wrote again (`headers:` in LF became CRLF), and a file of LF lines with one CRLF line got CRLF on
 * every added line. YAML and JSON read every line end alike, so the edited data stays what was verified.
 */
export function inFileLineEnds(before: string, edits: readonly TextEdit[]): TextEdit[] {
  if (!edits.some((edit) => /[\r\n]/.test(edit.text))) return [...edits];
  const usual = mostCommonLineEnd(before);
  return edits.map((edit) => {
    if (!/[\r\n]/.test(edit.text)) return edit;
    const written = pieces(edit.text);
    const replaced = pieces(before.slice(edit.start, edit.end));
    const ends: (LineEnd | '')[] = written.map((piece) => (piece.end ? usual : ''));
    let [oldIndex, newIndex] = [0, 0];
    for (const part of diffArrays(
      replaced.map((piece) => piece.content),
      written.map((piece) => piece.content),
    )) {
      const count = part.value.length;
      if (!part.added && !part.removed) {
        for (let offset = 0; offset < count; offset++) {
          const old = replaced[oldIndex + offset];
          if (old.end && written[newIndex + offset].end) ends[newIndex + offset] = old.end;
        }
      }
      if (!part.added) oldIndex += count;
      if (!part.removed) newIndex += count;
    }
    const text = written.map((piece, index) => piece.content + ends[index]).join('');
    return text === edit.text ? edit : { ...edit, text };
  });
}

/** `text` cut after each line end. */
function pieces(text: string): Piece[] {
  const found: Piece[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    found.push({ content: match[1], end: match[2] as LineEnd });
    last = match.index + match[0].length;
  }
  if (last < text.length) found.push({ content: text.slice(last), end: '' });
  return found;
}
