import { describe, expect, it } from 'vitest';
import { statementReads } from '../helpers/statement-reads.js';

// Session 37 review: a routes file of many handlers in one function body, each sending a constant of the file
// (`const code = 403; … res.status(code)`), made the plan quadratic in its handlers. For every rewritten read,
// kept-names.ts found the node of the edit by walking the file and the declaration by scanning each enclosing
// block's statements; frameworks/nestjs.ts scanned the blocks around every `res.status(…)` for a held
// `getResponse()`; routes/reach.ts `nodeAt` read every statement of the block on its way to each site. The work
// is counted as reads of the block's statements' `kind`, as in large-test-file-cost.test.ts: twice the handlers
// must cost about twice the reads, not four times.

/** A routes file of `count` handlers in one function body, each sending the file's `code`. */
function source(count: number): string {
  const routes = Array.from(
    { length: count },
    (_, i) => `  app.get('/a${i}', (req: Request, res: Response) => { res.status(code).send('no'); });`,
  );
  return (
    `import express, { Request, Response } from 'express';\nconst code = 403;\n` +
    `export function routes(app: express.Express) {\n${routes.join('\n')}\n}\n`
  );
}

/** Runs the codemod on a routes file of `count` handlers, counting reads of the body's statements' `kind`. */
function run(count: number): { reads: number; text: string } {
  return statementReads('src/routes.ts', source(count), count, false);
}

describe('a routes file of many handlers in one function body', () => {
  it('costs reads in proportion to its handlers', () => {
    const few = run(150);
    const many = run(300);
    // The constant keeps its name and takes the target; the reads stay as written (kept-names.ts).
    expect(many.text).toContain('const code = 401;');
    expect(many.text).toContain('res.status(code)');
    expect(few.reads).toBeGreaterThan(0);
    expect(many.reads / few.reads).toBeLessThan(2.5);
  });
});
