import { describe, expect, it } from 'vitest';
import { requestReads } from '../helpers/statement-reads.js';

// Session 38 review: the request options a test hands `server.inject(options)` (test-request-options.ts) were read
// with the writes to their variable, found by a walk of the variable's whole scope once per variable: a test file
// declaring each test's options at its top level (hapi style) cost variables x file. The file's writes are now
// found by one walk and sliced by scope. The work is counted as reads of every node's `kind`: twice the tests must
// cost about twice the reads.

/** A test file of `count` hapi tests, each injecting an options object declared at the file's top level. */
function source(count: number): string {
  const options = Array.from({ length: count }, (_, i) => `const o${i} = { method: 'GET', url: '/a${i}' };`);
  const tests = Array.from(
    { length: count },
    (_, i) =>
      `  it('t${i}', async () => { const res = await server.inject(o${i}); expect(res.statusCode).toBe(403); });`,
  );
  return `${options.join('\n')}\no7.url = '/b7';\ndescribe('all', () => {\n${tests.join('\n')}\n});\n`;
}

/** A suite of `count` tests sharing one options object, each writing its own url before injecting it. */
function shared(count: number): string {
  const tests = Array.from(
    { length: count },
    (_, i) =>
      `  it('t${i}', async () => { options.url = '/a${i}'; const res = await server.inject(options); ` +
      `expect(res.statusCode).toBe(403); });`,
  );
  return `describe('all', () => {\n  const options = { method: 'GET' };\n${tests.join('\n')}\n});\n`;
}

/** Each assertion's request (method and path) and the `kind` reads (helpers/statement-reads.ts). */
function requests(count: number, make = source): { answers: string[]; reads: number } {
  return requestReads(make(count), 'expect(res.statusCode)');
}

describe('a test file of many tests whose options are declared at its top level', () => {
  it('reads each request, at a cost in proportion to the tests', () => {
    const few = requests(150);
    const many = requests(300);
    expect(few.answers[3]).toBe(`GET ${JSON.stringify(['a3'])}`);
    expect(few.answers[7]).toBe(`GET ${JSON.stringify(['b7'])}`);
    expect(many.answers).toHaveLength(300);
    expect(few.reads).toBeGreaterThan(0);
    expect(many.reads / few.reads).toBeLessThan(2.5);
  });
});

// The same review: each write to a shared options variable was placed against each request by walks up from both
// (its function, the blocks around it): a suite of tests that each write `options.url` cost tests x tests
// (150 -> 300 tests: 3.98x the reads before the places were found once per write and once per request).
describe('a suite whose tests each write the url of one shared options object', () => {
  it('reads each request with its own url, at a cost in proportion to the tests', () => {
    const few = requests(150, shared);
    const many = requests(300, shared);
    expect(few.answers[3]).toBe(`GET ${JSON.stringify(['a3'])}`);
    expect(many.answers[299]).toBe(`GET ${JSON.stringify(['a299'])}`);
    expect(few.reads).toBeGreaterThan(0);
    expect(many.reads / few.reads).toBeLessThan(2.5);
  });
});
