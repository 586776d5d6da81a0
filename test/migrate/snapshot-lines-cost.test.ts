import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseSource } from '../../src/migrate/parse.js';
import { snapshotAssertions } from '../../src/migrate/test-snapshots.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import type * as Lines from '../../src/util/lines.js';

// A stored snapshot file of many entries holding a 403 (`__snapshots__/*.snap`): each entry's line was counted by
// a line table of the file's text up to that entry, so the characters scanned grew with the entries times the
// file. Counted here as the characters of the texts given a line table (util/lines.ts `linesOfText`): twice the
// entries must cost about twice the characters, not four times.
const counted = vi.hoisted(() => ({ chars: 0, last: undefined as string | undefined }));
vi.mock('../../src/util/lines.js', async (importOriginal) => {
  const lines = await importOriginal<typeof Lines>();
  return {
    ...lines,
    linesOfText: (text: string) => {
      if (text !== counted.last) counted.chars += text.length;
      counted.last = text;
      return lines.linesOfText(text);
    },
  };
});

const { temp } = tempDirs('snapshot-cost');

/** Characters given a line table while reading the snapshot assertions of a test file of `count` tests. */
function chars(count: number): { chars: number; lines: number[] } {
  const tests = Array.from(
    { length: count },
    (_, i) => `it('t${i}', async () => { expect({ status: res.status }).toMatchSnapshot(); });`,
  );
  const text = `describe('all', () => {\n${tests.join('\n')}\n});\n`;
  const entries = Array.from(
    { length: count },
    (_, i) => `exports[\`all > t${i} 1\`] = \`\n{\n  "status": 403,\n}\n\`;\n`,
  );
  const cwd = temp({
    'test/a.test.js': text,
    'test/__snapshots__/a.test.js.snap': `// Vitest Snapshot v1\n\n${entries.join('\n')}`,
  });
  const test = path.join(cwd, 'test/a.test.js');
  counted.chars = 0;
  counted.last = undefined;
  const found = snapshotAssertions(cwd, test, parseSource(test, text));
  return { chars: counted.chars, lines: found.flatMap((a) => a.entries.map((e) => e.line)) };
}

describe('a snapshot file of many entries', () => {
  it('names each entry at its line', () => {
    // the header, a blank line, then 6 lines per entry; the status is the third line of each
    expect(chars(3).lines).toEqual([5, 11, 17]);
  });

  it('costs characters in proportion to its entries', () => {
    const few = chars(150).chars;
    const many = chars(300).chars;
    expect(few).toBeGreaterThan(0);
    expect(many / few).toBeLessThan(2.5);
  });
});
