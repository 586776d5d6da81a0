import { isUtf8 } from 'node:buffer';

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or undefined when the whole buffer is valid UTF-8.
 * Fast path: Node's `buffer.isUtf8` (simdutf); the byte walk runs only when it fails.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes, index);
    if (length === 0) return index;
    index += length;
  }
  return undefined;
}

/** Length of the well-formed sequence starting at `index`, or 0 when it is malformed (RFC 3629 §4). */
function sequenceLength(bytes: Uint8Array, index: number): number {
  const first = bytes[index];
  if (first < 0x80) return 1;
  const continuation = (offset: number, low = 0x80, high = 0xbf): boolean => {
    const byte = bytes[index + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (first >= 0xc2 && first <= 0xdf) return continuation(1) ? 2 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    const low = first === 0xe0 ? 0xa0 : 0x80;
    const high = first === 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const low = first === 0xf0 ? 0x90 : 0x80;
    const high = first === 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

/** 1-based line and column (in characters of the valid text before it) of a byte offset. */
export function lineAndColumnOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index++) {
    // LF, CRLF (counted at its LF) and a lone CR (a line break to YAML) each end a line.
    if (bytes[index] === 0x0a || (bytes[index] === 0x0d && bytes[index + 1] !== 0x0a)) {
      line++;
      lineStart = index + 1;
    }
  }
  const before = Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8');
  return { line, column: [...before].length + 1 };
}

/** A Unicode encoding other than UTF-8 that YAML 1.2 and JSON texts may be written in. */
export type WideEncoding = 'UTF-16LE' | 'UTF-16BE' | 'UTF-32LE' | 'UTF-32BE';

/**
 * The encoding of bytes written in UTF-16 or UTF-32, with or without a byte order mark, as YAML 1.2 §5.2 tells
 * them apart (the BOM, else the zero bytes around a first character that is ASCII, as every YAML, JSON and
 * configuration file's first character is); RFC 4627 §3 does the same for JSON. `undefined` for anything else
 * (UTF-8, with or without a BOM, and binary files whose first bytes match no pattern). `bom`: whether it has one.
 * Windows PowerShell 5's `>` and `Out-File` write UTF-16LE with a BOM; Notepad's "Unicode" is the same.
 */
export function wideEncoding(bytes: Uint8Array): { encoding: WideEncoding; bom: boolean } | undefined {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (bytes.length >= 4) {
    if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'UTF-32BE', bom: true };
    if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'UTF-32LE', bom: true };
    if (a === 0x00 && b === 0x00 && c === 0x00 && d !== 0x00) return { encoding: 'UTF-32BE', bom: false };
    if (a !== 0x00 && b === 0x00 && c === 0x00 && d === 0x00) return { encoding: 'UTF-32LE', bom: false };
  }
  if (bytes.length >= 2) {
    if (a === 0xfe && b === 0xff) return { encoding: 'UTF-16BE', bom: true };
    if (a === 0xff && b === 0xfe) return { encoding: 'UTF-16LE', bom: true };
    if (a === 0x00 && b !== 0x00 && b < 0x80) return { encoding: 'UTF-16BE', bom: false };
    if (a !== 0x00 && a < 0x80 && b === 0x00) return { encoding: 'UTF-16LE', bom: false };
  }
  return undefined;
}

/** A {@link wideEncoding} result in words: `UTF-16LE text, byte order mark` / `UTF-32BE text, no byte order mark`. */
export function describeWideEncoding(found: { encoding: WideEncoding; bom: boolean }): string {
  return `${found.encoding} text, ${found.bom ? 'byte order mark' : 'no byte order mark (zero bytes around its first character)'}`;
}

/**
 * The UTF-8 bytes of `text`, {@link UTF8_CHUNK} UTF-16 units at a time (a surrogate pair is never split), in one
 * reused buffer: each chunk is valid until the next is asked for. Writing or comparing a 43 MB text this way
 * holds ~3 MB of bytes instead of a second copy of the file.
 */
export function* utf8Chunks(text: string): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(Math.min(text.length, UTF8_CHUNK) * 3);
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + UTF8_CHUNK);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // keep the pair together
    const { read, written } = encoder.encodeInto(text.slice(start, end), buffer);
    if (read !== end - start) throw new Error(`utf8Chunks: encoded ${read} of ${end - start} units`); // a bug
    yield buffer.subarray(0, written);
    start = end;
  }
}

/** UTF-16 units per chunk of {@link utf8Chunks}. */
const UTF8_CHUNK = 1 << 20;
