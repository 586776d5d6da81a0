import { describe, expect, it } from 'vitest';
import { statementReads } from '../helpers/statement-reads.js';

// Session 37 review: census-called-keys.ts looked for a call reading a text's name as a member key
// (`const K = 'forbidden'; Boom[K]()`) by walking the whole file for every 403 text a `const` holds, so a routes
// file of many handlers each holding a message (`const message = 'Access forbidden'`) was quadratic in its
// handlers. The work is counted as reads of the body's statements' `kind` (test/helpers/statement-reads.ts):
// twice the handlers must cost about twice the reads, not four times.

/** A routes file of `count` handlers in one function body, each holding a message with "forbidden" in a const. */
function source(count: number): string {
  const routes = Array.from(
    { length: count },
    (_, i) =>
      `  app.get('/a${i}', (req: Request, res: Response) => { const message = 'Access forbidden'; ` +
      `res.status(400).send(message); });`,
  );
  return (
    `import express, { Request, Response } from 'express';\n` +
    `export function routes(app: express.Express) {\n${routes.join('\n')}\n}\n`
  );
}

describe('a routes file of many held texts', () => {
  it('costs reads in proportion to its handlers', () => {
    const few = statementReads('src/routes.ts', source(150), 150, false).reads;
    const many = statementReads('src/routes.ts', source(300), 300, false).reads;
    expect(few).toBeGreaterThan(0);
    expect(many / few).toBeLessThan(2.5);
  });
});
