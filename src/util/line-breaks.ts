/**
 * Lone carriage returns as line breaks (classic Mac OS line ends, `\r` with no `\n` after it). YAML 1.2 reads a
 * lone CR as a line break (§5.4, b-break) and JSON as white space (RFC 8259 §2), while every position mtls-fix
 * reports, and every key `fix` looks for, counts lines by line feeds. A text with lone CRs is therefore read with
 * a line feed in place of each of them: the same length, so every offset names the same character in the text
 * as written, and the same data (YAML folds CR, LF and CRLF alike; JSON skips all three between tokens).
 */

/** Whether `text` holds a CR that no LF follows. */
export function hasLoneCr(text: string): boolean {
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== 0x0a) return true;
  }
  return false;
}

/** `text` with each lone CR replaced by LF (same length); `text` itself when it has none. */
export function loneCrAsLf(text: string): string {
  return hasLoneCr(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * A function that puts text `fix` computed on the {@link loneCrAsLf} view of `written` into `written`'s line
 * ends: each LF that no CR precedes becomes CR when lone CRs are the file's most common line end (they end more
 * lines than LF or CRLF do), so an inserted line ends as the file's lines do; the text is unchanged otherwise.
 * Either way the length stays, so offsets computed on the view hold.
 */
export function lineEndsOf(written: string): (text: string) => string {
  return mostlyLoneCr(written) ? (text) => text.replace(/(?<!\r)\n/g, '\r') : (text) => text;
}

/** Whether lone CRs end more lines of `text` than LF or CRLF do. */
function mostlyLoneCr(text: string): boolean {
  return mostCommonLineEnd(text) === '\r';
}

/** A line end as written: LF, CRLF, or a lone CR (classic Mac OS). */
export type LineEnd = '\n' | '\r\n' | '\r';

/** The line end that ends the most lines of `text` (ties: LF, then CRLF, then a lone CR; LF when it has none). */
export function mostCommonLineEnd(text: string): LineEnd {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) === 0x0a) crlf++;
    else cr++;
  }
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lf++;
  lf -= crlf;
  if (lf >= crlf && lf >= cr) return '\n';
  return crlf >= cr ? '\r\n' : '\r';
}
