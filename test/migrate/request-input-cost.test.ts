import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { parseSource } from '../../src/migrate/parse.js';
import { migrateSource } from '../../src/migrate/transform.js';
import { countKindReads } from '../helpers/statement-reads.js';

// Review of house37b (frameworks/tests/request-inputs.ts): whether a 403 in an object a test hands to a call is
// what a request sends asks, for a call `svc.post(url, { status: 403 })`, whether `svc` holds a request client;
// that question scanned the whole file for `svc`'s declarations each time, so a test file of 4,000 such calls took
// 288 s under --include-tests (2,000: 64 s). The names of a file are now indexed once (test-unread-requests.ts).
// The work is counted as reads of the file's top-level statements' `kind`, which every scan of the file makes:
// twice the tests must cost about twice the reads, not four times.

/** A test file of `count` tests, each handing `{ status: 403 }` to a call on a name that holds no client. */
function source(count: number): string {
  const tests = Array.from(
    { length: count },
    (_, i) => `it('t${i}', async () => {\n  svc.post('/x', { status: 403, i: ${i} });\n});`,
  );
  return `import { it, vi } from 'vitest';\nconst svc = { post: vi.fn() };\n${tests.join('\n')}\n`;
}

/** Runs the codemod on a test file of `count` tests, counting reads of its top-level statements' `kind`. */
function statementReads(count: number): number {
  const text = source(count);
  const sourceFile = parseSource('test/svc.test.ts', text);
  const counter = countKindReads(sourceFile.statements);
  const result = migrateSource('test/svc.test.ts', text, {
    target: 401,
    frameworks: () => FRAMEWORKS,
    testFile: true,
    sourceFile,
  });
  expect(result.occurrences.filter((o) => o.kind === 'test-fixture')).toHaveLength(count);
  return counter.reads;
}

describe('a test file of many calls handed a 403', () => {
  it('costs reads in proportion to its tests', () => {
    const few = statementReads(150);
    const many = statementReads(300);
    expect(few).toBeGreaterThan(0);
    expect(many / few).toBeLessThan(2.5);
  });
});
