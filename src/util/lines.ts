/**
 * Lines and columns of offsets in a file, as a user's tools count them. A line ends at LF, CRLF or a lone CR:
 * what editors, git, GitHub and SARIF 2.1.0 (§3.30.2: "a line is terminated by CR, LF or CRLF") count. U+2028
 * (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR) are line terminators for the JavaScript parser only
 * (ECMA-262 §12.3), so TypeScript's `getLineAndCharacterOfPosition` and `getLineStarts` count them too and every
 * line after one would be reported one too far: every line or column mtls-fix shows a user is computed here.
 *
 * Columns are UTF-16 code units from the line's start (what JavaScript string offsets, TypeScript and the
 * Language Server Protocol count; SARIF output says so with `columnKind: "utf16CodeUnits"`). A BOM is part of
 * the first line here: callers that show 1-based columns drop it where they say so.
 *
 * Cost: one table of line starts per file, built on first use (one scan of the text), then a binary search
 * per lookup.
 */

/** A 0-based line and UTF-16 column, TypeScript's and Spectral's shape. */
export interface LineAndCharacter {
  line: number;
  character: number;
}

/** The line starts of one text; see the module comment for what ends a line. */
export class LineTable {
  /** Offsets where lines start, ascending; `starts[0]` is 0. */
  readonly starts: readonly number[];

  constructor(readonly text: string) {
    this.starts = lineStartsOf(text);
  }

  /** The 0-based line and column of `offset` (clamped to the text). */
  at(offset: number): LineAndCharacter {
    const line = this.lineIndex(offset);
    return { line, character: Math.max(0, Math.min(offset, this.text.length)) - this.starts[line] };
  }

  /** The 1-based line of `offset`. */
  line(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  /** The offset where 0-based `line` starts (the text's length past the last line). */
  startOf(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** The text of 0-based `line` without its line break ('' past the last line). */
  textOf(line: number): string {
    if (line >= this.starts.length) return '';
    const end = this.starts[line + 1] ?? this.text.length;
    return this.text.slice(this.starts[line], end).replace(/(?:\r\n|\r|\n)$/, '');
  }

  private lineIndex(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** Offsets where the lines of `text` start: 0, then just after each LF, CRLF and lone CR. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    // The common case, searched by indexOf (several times faster than a loop over every character).
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    return starts;
  }
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x0a) starts.push(at + 1);
    else if (code === 0x0d) {
      if (text.charCodeAt(at + 1) === 0x0a) at++;
      starts.push(at + 1);
    }
  }
  return starts;
}

const tables = new WeakMap<object, LineTable>();

/**
 * The line table of a file object holding a `text` (a TypeScript `SourceFile`, whose text never changes: an
 * edit makes a new object), built once per object.
 */
export function linesOf(file: { readonly text: string }): LineTable {
  let table = tables.get(file);
  if (!table || table.text !== file.text) {
    table = new LineTable(file.text);
    tables.set(file, table);
  }
  return table;
}

/** The tables of the plain texts looked up last, oldest first (see {@link linesOfText}). */
const recentTexts = new Map<string, LineTable>();
const RECENT_TEXTS = 8;

/**
 * The line table of a plain text, built once while the text is among the last {@link RECENT_TEXTS} looked up:
 * lookups that alternate between a few files (the sites of two JSON modules, run-files.ts `lineInText`) do not
 * rescan each file at every switch, and no more than those few texts are held.
 */
export function linesOfText(text: string): LineTable {
  let table = recentTexts.get(text);
  if (table) recentTexts.delete(text);
  else table = new LineTable(text);
  recentTexts.set(text, table);
  if (recentTexts.size > RECENT_TEXTS) recentTexts.delete(recentTexts.keys().next().value as string);
  return table;
}

/** The 0-based line and UTF-16 column of `offset` in `file` (in place of TypeScript's line counting). */
export function lineAndCharacterAt(file: { readonly text: string }, offset: number): LineAndCharacter {
  return linesOf(file).at(offset);
}

/** The 1-based line of `offset` in `file`. */
export function lineAt(file: { readonly text: string }, offset: number): number {
  return linesOf(file).line(offset);
}
