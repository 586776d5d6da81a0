import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/migrate/parse.js';
import { requestOf } from '../../src/migrate/routes/requests.js';
import { countKindReads, nodesOf } from '../helpers/statement-reads.js';

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

/** Asks requestOf for each assertion's request; the answers (method and path) and the `kind` reads. */
function requests(count: number): { answers: string[]; reads: number } {
  const text = source(count);
  const sourceFile = parseSource('test/app.test.ts', text);
  const counter = countKindReads(nodesOf(sourceFile));
  const answers: string[] = [];
  for (
    let at = text.indexOf('expect(res.status)');
    at >= 0;
    at = text.indexOf('expect(res.status)', at + 1)
  ) {
    const request = requestOf(sourceFile, at);
    answers.push(request ? `${request.method} ${JSON.stringify(request.segments)}` : 'none');
  }
  return { answers, reads: counter.reads };
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
