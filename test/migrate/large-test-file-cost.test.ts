import { describe, expect, it } from 'vitest';
import { statementReads } from '../helpers/statement-reads.js';

// breaker36 (kazu-42/HonoWarden): a 14,800-line test file whose tests all stand in one `describe(() => { … })`
// callback made a plain `migrate` take over a minute. For every name a test reads (`code`, `status`, an expected
// object), the analysis scanned the whole callback body again: whether a function around it declares the name
// (analysis/captured.ts), a `const` destructuring it (analysis/evaluation.ts, analysis/constants.ts), the nearest
// variable (test-fixed-values.ts), an expected object (frameworks/tests/expected.ts). The work is counted here as
// reads of the callback's statements' `kind`, which every walk and scan over them makes: twice the tests must cost
// about twice the reads, not four times.

/** A test file of `count` tests in one describe callback, each reading names no function around it declares. */
function source(count: number): string {
  const tests = Array.from(
    { length: count },
    (_, i) =>
      `  it('t${i}', async () => { const res = await app.request('/a${i}'); expect(res.status).toBe(code); ` +
      `expect(await res.json()).toEqual(expected${i % 7}); send(res, status); Number(x${i}); });`,
  );
  return `import { app } from './app';\ndescribe('all', () => {\n${tests.join('\n')}\n});\n`;
}

/** Runs the codemod on a test file of `count` tests, counting reads of the describe callback's statements' `kind`. */
function reads(count: number): number {
  return statementReads('test/app.test.ts', source(count), count, true).reads;
}

describe('a test file of many tests in one callback', () => {
  it('costs reads in proportion to its tests', () => {
    const few = reads(150);
    const many = reads(300);
    expect(few).toBeGreaterThan(0);
    expect(many / few).toBeLessThan(2.5);
  });
});
