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
    if (bytes[index] === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  const before = Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8');
  return { line, column: [...before].length + 1 };
}

/** `utf-16le` / `utf-16be` when the bytes start with a UTF-16 byte order mark. */
export function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
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
