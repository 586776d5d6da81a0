import { describe, expect, it } from 'vitest';
import { utf8Chunks } from '../../src/util/utf8.js';

/** The chunks joined, each copied as it comes (the next one reuses the buffer). */
function joined(text: string): Buffer {
  const copies: Buffer[] = [];
  for (const chunk of utf8Chunks(text)) copies.push(Buffer.from(chunk));
  return Buffer.concat(copies);
}

describe('utf8Chunks', () => {
  it('gives the UTF-8 of the text, a surrogate pair never split across chunks', () => {
    // 2^20 - 1 ASCII units, then a pair that straddles the first chunk border, then more of everything.
    const text = 'a'.repeat((1 << 20) - 1) + '😀' + 'é€😀x'.repeat(300_000);
    const chunks = [...utf8Chunks(text)].map((chunk) => chunk.length);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]).toBe((1 << 20) - 1); // the pair waited for the next chunk
    expect(joined(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('gives nothing for an empty text, and one chunk for a short one', () => {
    expect([...utf8Chunks('')]).toEqual([]);
    expect(joined('a: é\n').toString('utf8')).toBe('a: é\n');
  });
});
