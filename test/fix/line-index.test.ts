import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/fix/line-index.js';
import { lineStarts, positionAt } from '../../src/openapi/range.js';

/** A text of many lines of varied lengths (some longer than a checkpoint block), CRLF and LF. */
function sampleText(): string {
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const width = i % 97 === 0 ? 40_000 : (i * 7919) % 120;
    lines.push('x'.repeat(width) + (i % 5 === 0 ? '\r' : ''));
  }
  return lines.join('\n');
}

describe('LineIndex (line numbers without an array of every line start)', () => {
  const text = sampleText();
  const starts = lineStarts(text);
  const expected = (offset: number): number => positionAt(starts, offset).line;

  it('agrees with the line-start array in document order, in reverse and at random', () => {
    const offsets: number[] = [];
    for (let offset = 0; offset <= text.length; offset += 997) offsets.push(offset);
    offsets.push(text.length, ...starts.slice(0, 50), ...starts.slice(0, 50).map((s) => Math.max(0, s - 1)));
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const shuffled = offsets.map((offset) => [random(), offset]).sort((a, b) => a[0] - b[0]);
    for (const order of [offsets, [...offsets].reverse(), shuffled.map(([, offset]) => offset)]) {
      const index = new LineIndex(text);
      for (const offset of order) expect(index.lineOf(offset), `offset ${offset}`).toBe(expected(offset));
    }
  });

  it('counts a text without line feeds, an empty text and offsets past the end', () => {
    expect(new LineIndex('').lineOf(0)).toBe(0);
    expect(new LineIndex('abc').lineOf(2)).toBe(0);
    expect(new LineIndex('a\nb\n').lineOf(99)).toBe(2);
    expect(new LineIndex('a\nb\n').lineOf(2)).toBe(1);
  });
});
