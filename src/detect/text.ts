import { LineTable } from '../util/lines.js';

/**
 * Line arithmetic shared by the readers: offsets are UTF-16 indexes into the file text, lines 1-based. Lines end
 * at LF, CRLF or a lone CR, never at U+2028/U+2029: src/util/lines.ts's table, read 1-based.
 */
export class LineIndex extends LineTable {
  /** 1-based line holding `offset`. */
  lineOf(offset: number): number {
    return this.line(offset);
  }

  /** The text of a 1-based line, trimmed, without its newline ('' past the last line). */
  lineText(line: number): string {
    return this.textOf(line - 1).trim();
  }
}

/** Splits a whitespace-separated directive value, keeping quoted words whole and unquoting them. */
export function words(value: string): string[] {
  const out: string[] = [];
  for (const match of value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    out.push(match[1] ?? match[2] ?? match[3]);
  return out;
}

/** Unique, in first-seen order. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * The offset of the `)` that closes the call whose arguments start at `start` (just after its `(`), quoted
 * strings skipped over; the text's length when it is not closed.
 */
export function closingParen(text: string, start: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return text.length;
}
