import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { codeRemaps } from '../../src/migrate/remaps-hooks.js';
import { analyzeSource } from '../../src/migrate/transform.js';

// Review of session 37's remaps (rev-remaps): every run reads each analysed file's hook registrations for remaps
// (remaps-covered.ts), and a hook passed by name (`app.use(mw1)`) is looked up among the file's locals
// (remaps-handlers.ts). The lookup walked the whole file once per registration, so a file of many `app.use(name)`
// lines cost the square of its size (2,000 of them: 21 s). The work is counted as reads of the top-level
// statements' `kind`, which every walk over the file makes: twice the registrations must cost about twice the reads.

/** An Express app of `count` local middlewares, each answering 403, registered by name. */
function source(count: number): string {
  const lines = ["const express = require('express');", 'const app = express();'];
  for (let i = 0; i < count; i++)
    lines.push(
      `const mw${i} = (req, res, next) => { if (req.x${i}) return res.status(403).end(); next(); };`,
    );
  for (let i = 0; i < count; i++) lines.push(`app.use(mw${i});`);
  return `${lines.join('\n')}\n`;
}

/** Reads of the top-level statements' `kind` while the file's remaps are read (the analysis before is not counted). */
function statementReads(count: number): number {
  const analysis = analyzeSource('app.js', source(count), {
    target: 401,
    frameworks: () => FRAMEWORKS,
    testFile: false,
  });
  let reads = 0;
  for (const statement of analysis.sourceFile.statements) {
    const kind = statement.kind;
    Object.defineProperty(statement, 'kind', {
      get: () => {
        reads++;
        return kind;
      },
    });
  }
  codeRemaps(analysis);
  return reads;
}

describe('a file of many hook registrations passed by name', () => {
  it('costs reads in proportion to its registrations', () => {
    const few = statementReads(150);
    const many = statementReads(300);
    expect(few).toBeGreaterThan(0);
    expect(many / few).toBeLessThan(2.5);
  });

  it('still reads a remap passed by name among them', () => {
    const text = `${source(3)}const errors = (err, req, res, next) => { if (err.status === 403) return res.status(401).end(); next(err); };\napp.use(errors);\n`;
    const analysis = analyzeSource('app.js', text, {
      target: 401,
      frameworks: () => FRAMEWORKS,
      testFile: false,
    });
    expect(codeRemaps(analysis).map((r) => [r.how, r.status, r.via])).toEqual([
      ['error middleware', 401, 'errors (app.js:9)'],
    ]);
  });
});
