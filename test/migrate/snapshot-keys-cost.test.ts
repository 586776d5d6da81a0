import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSource } from '../../src/migrate/parse.js';
import { snapshotAssertions } from '../../src/migrate/test-snapshots.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 41: a test file's snapshot matcher calls were matched to its stored snapshot entries by building two
// patterns per matcher call and entry (test-snapshots.ts `keyMatches`), and each entry no matcher claimed was tried
// against every test the same way: a test file of many tests, each with its entry, cost the tests times the entries.
// The work is counted here as patterns built and keys tested against one (the global `RegExp` constructor is
// wrapped while the assertions are read): twice the tests must cost about twice the work, not four times.
const { temp } = tempDirs('snapshot-keys-cost');

const Original = RegExp;
afterEach(() => {
  globalThis.RegExp = Original;
});

/** Patterns built and keys tested while reading the snapshot assertions of a test file of `count` tests. */
function work(count: number, unclaimed = false): { work: number; keys: string[] } {
  const tests = Array.from({ length: count }, (_, i) =>
    unclaimed
      ? `it('t${i}', async () => { await helper(res); });`
      : `it('t${i}', async () => { expect({ status: res.status }).toMatchSnapshot(); });`,
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
  const sourceFile = parseSource(test, text);
  let counted = 0;
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args: [string | RegExp, string?]) {
      counted += 1;
      const made: RegExp = Reflect.construct(target, args);
      const test = made.test.bind(made);
      made.test = (s: string) => {
        counted += 1;
        return test(s);
      };
      return made;
    },
  });
  const found = snapshotAssertions(cwd, test, sourceFile);
  globalThis.RegExp = Original;
  return { work: counted, keys: found.flatMap((a) => a.entries.map((e) => e.key)) };
}

describe('a test file of many snapshot matchers', () => {
  it('matches each matcher call to its own entry', () => {
    expect(work(3).keys).toEqual(['all > t0 1', 'all > t1 1', 'all > t2 1']);
    expect(work(3, true).keys).toEqual(['all > t0 1', 'all > t1 1', 'all > t2 1']);
  });

  it('costs work in proportion to its tests', () => {
    const few = work(150).work;
    const many = work(300).work;
    expect(many / Math.max(few, 1)).toBeLessThan(2.5);
  });

  it('places entries no matcher of the file claims at their tests in proportion too', () => {
    const few = work(150, true).work;
    const many = work(300, true).work;
    expect(many / Math.max(few, 1)).toBeLessThan(2.5);
  });
});
