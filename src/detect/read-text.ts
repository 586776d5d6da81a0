import { readFileSync } from 'node:fs';
import { loneCrAsLf } from '../util/line-breaks.js';
import { describeWideEncoding, firstInvalidUtf8, lineAndColumnOfByte, wideEncoding } from '../util/utf8.js';

/**
 * What {@link readScanText} read: the text (`notUtf8`: how it was decoded when it is not UTF-8), or why not
 * (`binary`: nothing to name; else a reason to list).
 */
export type ScanText = { text: string; notUtf8?: string } | { binary: true } | { notRead: string };

/**
 * The text of a file detect scans, with its lines as an editor shows them. UTF-8 (a BOM dropped), and UTF-16
 * with or without a byte order mark (Windows PowerShell 5's `>` / `Out-File` writes UTF-16LE: `kubectl get
 * ingress -o yaml > ingress.yaml` there gives one, and kubectl reads it back), decoded; lone-CR line ends read as
 * LF (src/util/line-breaks.ts). UTF-32 is named (`notRead`), other text with NUL bytes is binary. Throws
 * what `readFileSync` throws.
 */
export function readScanText(absolute: string): ScanText {
  const bytes = readFileSync(absolute);
  const wide = wideEncoding(bytes);
  let text: string;
  if (wide?.encoding === 'UTF-16LE' || wide?.encoding === 'UTF-16BE') {
    text = new TextDecoder(wide.encoding === 'UTF-16LE' ? 'utf-16le' : 'utf-16be').decode(bytes);
  } else if (wide) {
    // Without a byte order mark, UTF-32 is a guess from the first four bytes: a binary file that starts with
    // three zero bytes (a macOS .DS_Store: 00 00 00 01 'Bud1') is binary, not text to save as UTF-8 (session 39).
    if (!wide.bom && !isUtf32(bytes, wide.encoding === 'UTF-32BE')) return { binary: true };
    return { notRead: `${describeWideEncoding(wide)}, which detect does not decode: save it as UTF-8` };
  } else {
    text = bytes.toString('utf8');
    if (text.includes('\u0000')) return { binary: true };
    // Not UTF-8 (a Latin-1 `server_name café.example`, a Windows-1252 comment): decoded byte for byte as
    // Windows-1252, whose first 128 characters are ASCII, so every directive reads as written and a name is not
    // turned into U+FFFD (session 41; before, `caf\uFFFD.example` went into the proposal without a word).
    const invalid = firstInvalidUtf8(bytes);
    if (invalid !== undefined) {
      const { line, column } = lineAndColumnOfByte(bytes, invalid);
      return {
        text: loneCrAsLf(new TextDecoder('windows-1252').decode(bytes)),
        notUtf8:
          `the file is not UTF-8 (byte 0x${bytes[invalid].toString(16).padStart(2, '0')} at line ${line}, column ` +
          `${column}): read as Windows-1252 (Latin-1); save it as UTF-8 if its names are in another encoding`,
      };
    }
  }
  return { text: loneCrAsLf(text.replace(/^\uFEFF/, '')) };
}

/**
 * Whether `bytes` read as UTF-32 (big- or little-endian) hold only Unicode scalar values (at most U+10FFFF, no
 * surrogates) in whole 4-byte units. Source: Unicode 15 §3.9 D90 (UTF-32 code units).
 */
function isUtf32(bytes: Buffer, bigEndian: boolean): boolean {
  if (bytes.length % 4 !== 0) return false;
  for (let at = 0; at < bytes.length; at += 4) {
    const unit = bigEndian ? bytes.readUInt32BE(at) : bytes.readUInt32LE(at);
    if (unit > 0x10ffff || (unit >= 0xd800 && unit <= 0xdfff)) return false;
  }
  return true;
}
