import { readFileSync } from 'node:fs';
import { describeWideEncoding, wideEncoding, type WideEncoding } from '../util/utf8.js';

/** A source file written in UTF-16 or UTF-32: its encoding and its text decoded. */
export interface WideSource {
  /** The encoding in words (util/utf8.ts `describeWideEncoding`). */
  described: string;
  encoding: WideEncoding;
  text: string;
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
  return { described: describeWideEncoding(found), encoding: found.encoding, text: decodeWide(bytes, found) };
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
