import { describe, expect, it } from 'vitest';
import { requestReads } from '../helpers/statement-reads.js';

// Session 37 review: requestOf (routes/requests.ts) read `request(app)`, `fetch(req)`, `got(x)` and `ky(x)` with an
// identifier argument by walking the whole test file for a `const` of that name (a `new Request(url, init)`), once
// per request call: a test file of many supertest tests cost tests x file. The file's variables are now indexed
// once. The work is counted as reads of every node's `kind`: twice the tests must cost about twice the reads.

/** A test file of `count` supertest tests in one describe callback. */
function source(count: number): string {
  const tests = Array.from(
    { length: count },
    (_, i) =>
      `  it('t${i}', async () => { const res = await request(app).get('/a${i}'); expect(res.status).toBe(403); });`,
  );
  const req = `const req = new Request('http://localhost/r', { method: 'POST' });`;
  const last = `  it('r', async () => { const res = await fetch(req); expect(res.status).toBe(403); });`;
  return `${req}\ndescribe('all', () => {\n${tests.join('\n')}\n${last}\n});\n`;
}

/** Each assertion's request (method and path) and the `kind` reads (helpers/statement-reads.ts). */
function requests(count: number): { answers: string[]; reads: number } {
  return requestReads(source(count), 'expect(res.status)');
}

describe('a test file of many supertest tests', () => {
  it('finds each assertion request, at a cost in proportion to the tests', () => {
    const few = requests(150);
    const many = requests(300);
    expect(few.answers[7]).toBe(`GET ${JSON.stringify(['a7'])}`);
    expect(many.answers).toHaveLength(301);
    expect(many.answers[300]).toMatch(/^POST /);
    expect(few.reads).toBeGreaterThan(0);
    expect(many.reads / few.reads).toBeLessThan(2.5);
  });
});
