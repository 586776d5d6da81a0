import { readFileSync } from 'node:fs';
import { describeWideEncoding, wideEncoding, type WideEncoding } from '../util/utf8.js';
import { countOccurrences, firstOccurrence } from './minified.js';

/** A source file written in UTF-16 or UTF-32: its encoding and its text decoded. */
export interface WideSource {
  /** The encoding in words (util/utf8.ts `describeWideEncoding`). */
  described: string;
  encoding: WideEncoding;
  text: string;
  /**
   * Where its first 403 form is (1-based), in any reading of its bytes ({@link textReadings}): `decoded` when in
   * the text decoded as `encoding`; else in its bytes read as ASCII with the zero bytes passed over (a file of
   * ASCII text after a few stray bytes `00 01 02` sniffs as UTF-16BE, and decoding it so loses every digit:
   * breaker33 #01). Absent when no reading holds one.
   */
  form?: { line: number; column: number; decoded: boolean };
  /** How many 403 forms it holds, in the reading that shows the most (0 when none does). */
  forms: number;
}

/**
 * A source file whose text, read as UTF-8, holds a NUL (`text`): when its bytes are UTF-16 or UTF-32 (util/utf8.ts
 * `wideEncoding`: a byte order mark, or the zero bytes around an ASCII first character) its text decoded, else
 * undefined (a UTF-8 file that merely holds a NUL is read as it is). TypeScript's compiler reads UTF-16 files that
 * start with a byte order mark (Visual Studio writes them), so a project may hold some; mtls-fix reads and writes
 * UTF-8 only, and a 403 in such a file read as UTF-8 is invisible (`4\0 0\0 3\0`), so the caller names it.
 *
 * @param absolute the file's path.
 * @param text the file's text as read (UTF-8).
 * @throws what `readFileSync` throws.
 */
export function wideSource(absolute: string, text: string): WideSource | undefined {
  if (!text.includes('\0')) return undefined;
  const bytes = readFileSync(absolute);
  const found = wideEncoding(bytes);
  if (!found) return undefined;
  const decoded = decodeWide(bytes, found);
  const readings = [decoded, ...asciiReadings(text)];
  const first = firstFormInReadings(readings);
  return {
    described: describeWideEncoding(found),
    encoding: found.encoding,
    text: decoded,
    ...(first ? { form: { line: first.line, column: first.column, decoded: first.reading === 0 } } : {}),
    forms: Math.max(...readings.map(countOccurrences)),
  };
}

/**
 * The readings of a file's text in which to look for a 403 form, most faithful first. A text with no zero byte
 * (NUL): the text as read (UTF-8). One with a NUL: the text decoded as UTF-16 or UTF-32 when its first bytes say
 * so (util/utf8.ts `wideEncoding`), the text as read, then the text with every NUL dropped, which reads ASCII
 * written in UTF-16 or UTF-32 of either byte order or alignment (`4\0 0\0 3\0`) and ASCII after stray zero bytes
 * alike. A 403 form is ASCII in every spelling the census counts (`403`, `Forbidden`, `0x193`), so a file holds
 * one in some plausible decoding (ASCII or latin-1 bytes, UTF-16LE/BE, UTF-32) when one of these readings shows
 * it. Reads the file again only for a text with a NUL.
 *
 * @param absolute the file's path.
 * @param text its text as read (UTF-8).
 * @returns `[text]` for a text with no NUL (every file but a few).
 */
export function textReadings(absolute: string, text: string): string[] {
  if (!text.includes('\0')) return [text];
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch {
    return asciiReadings(text);
  }
  const found = wideEncoding(bytes);
  return found ? [decodeWide(bytes, found), ...asciiReadings(text)] : asciiReadings(text);
}

/**
 * The reading of a file's text ({@link textReadings}) that holds its first 403 form, with where (1-based) and
 * which reading it is (0: the first); undefined when none holds one.
 */
export function firstFormInReadings(
  readings: readonly string[],
): { text: string; line: number; column: number; reading: number } | undefined {
  for (const [reading, text] of readings.entries()) {
    const at = firstOccurrence(text);
    if (at) return { text, ...at, reading };
  }
  return undefined;
}

/** A UTF-8 text holding NULs as read, and with the NULs dropped. */
function asciiReadings(text: string): string[] {
  return text.includes('\0') ? [text, text.replaceAll('\0', '')] : [text];
}

/**
 * The error naming a UTF-16 or UTF-32 source the run did not scan because it holds a 403 form (`wide.form`), or
 * only a check that may answer one (`wide.form` absent): what it is, where the form is, what to do. A form found
 * only in the bytes read as ASCII means the file is no UTF-16 at all (stray zero bytes before ASCII text).
 */
export function wideSourceMessage(wide: WideSource): string {
  const at = wide.form;
  if (at && !at.decoded)
    return (
      `is not UTF-8 text: its first bytes read as ${wide.described}, yet its bytes hold a 403 form as ASCII ` +
      `text (line ${at.line}) among zero bytes; migrate reads and writes UTF-8 only, so it was not scanned. ` +
      'Remove the stray bytes (zero and control bytes), or save it as UTF-8, and run again.'
    );
  return (
    `is ${wide.described}, and holds ${at ? `a 403 form (line ${at.line})` : 'a check that may answer 403'}; ` +
    `migrate reads and writes UTF-8 only, so it was not scanned. Convert it to UTF-8 ` +
    `(iconv -f ${wide.encoding} -t UTF-8) and run again.`
  );
}

/** `bytes` decoded from UTF-16 or UTF-32 (a byte order mark dropped; a bad code point becomes U+FFFD). */
function decodeWide(bytes: Uint8Array, found: { encoding: WideEncoding; bom: boolean }): string {
  const { encoding, bom } = found;
  if (encoding === 'UTF-16LE' || encoding === 'UTF-16BE')
    return new TextDecoder(encoding.toLowerCase(), { ignoreBOM: false }).decode(bytes);
  // TextDecoder has no UTF-32: four bytes a code point.
  const little = encoding === 'UTF-32LE';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  for (let at = bom ? 4 : 0; at + 4 <= bytes.length; at += 4) {
    const point = view.getUint32(at, little);
    parts.push(
      point <= 0x10ffff && (point < 0xd800 || point > 0xdfff) ? String.fromCodePoint(point) : '\ufffd',
    );
  }
  return parts.join('');
}
