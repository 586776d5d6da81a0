import { describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { shorten } from '../../src/migrate/analysis.js';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { parseSource } from '../../src/migrate/parse.js';
import { migrateSource } from '../../src/migrate/transform.js';

// breaker32 case 02: one route answering 403 beside a generated table of numbers (`i % 1000`, so every 1000th
// element is 403). Each 403 of the table was placed, read by the off modules and quoted by walking (or printing)
// the whole array: 200,000 elements took 23.8 s of CPU and 900 MB, 2,000,000 never finished. The work is counted
// here as reads of the array elements' positions (`pos`), which every walk over a child list makes; a run must
// read about as many with 40 403s in the table as with 4.

const ELEMENTS = 20_000;

/** A route answering 403 beside a table of `ELEMENTS` numbers of which `count` are 403. */
function source(count: number): string {
  const every = Math.floor(ELEMENTS / count);
  const table = Array.from({ length: ELEMENTS }, (_, i) => (i % every === every - 1 ? 403 : i % 400));
  return `const express = require('express');
const app = express();
const table = [${table.join(',\n')}];
app.get('/a', (req, res) => res.status(403).json(table));
`;
}

/** Runs the codemod on the text, counting reads of the table elements' `pos`. */
function elementReads(count: number): { reads: number; rewrites: number; occurrences: number } {
  const text = source(count);
  const sourceFile = parseSource('src/table.js', text);
  let reads = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.elements.length === ELEMENTS) {
      for (const element of node.elements) {
        let pos = element.pos;
        Object.defineProperty(element, 'pos', {
          get: () => {
            reads++;
            return pos;
          },
          set: (value: number) => (pos = value),
        });
      }
      return;
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  const express = FRAMEWORKS.filter((f) => f.id === 'express');
  // Modules chosen per file (a function), as a run chooses them: the others read the unexplained 403s again.
  const result = migrateSource('src/table.js', text, {
    target: 401,
    frameworks: () => express,
    testFile: false,
    sourceFile,
  });
  const rewrites = result.sites.filter((s) => s.kind === 'rewrite').length;
  return { reads, rewrites, occurrences: result.occurrences.length };
}

describe('a big data literal holding many 403s: the work does not grow with the 403s in it', () => {
  it('reads the table about as often with 40 403s as with 4', () => {
    const few = elementReads(4);
    const many = elementReads(40);
    expect(few.rewrites).toBe(1);
    expect(many.rewrites).toBe(1);
    expect(few.occurrences).toBe(5);
    expect(many.occurrences).toBe(41);
    // Before: every 403 read every element (placing it, finding its statement, finding the node of an off
    // module's reading), 40 × 20,000 reads and more; now a few per 403 by halving the list.
    expect(many.reads - few.reads).toBeLessThan(36 * 100);
    expect(many.reads).toBeLessThan(ELEMENTS * 4);
  });

  it('quotes a megabyte-long node by reading its first characters only', () => {
    const long = `[${Array.from({ length: 200_000 }, (_, i) => i % 1000).join(',\n  ')}]`;
    let read = 0;
    // Count on a String object: an index reads one character, a method (`replace`, `slice`) the whole text.
    const counted = new Proxy(new String(long), {
      get(target, key): unknown {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof key === 'string' && /^\d+$/.test(key)) read++;
        else if (typeof value === 'function') read += target.length;
        return typeof value === 'function' ? (value.bind(target) as unknown) : value;
      },
    }) as unknown as string;
    expect(shorten(counted)).toBe(shorten(long.slice(0, 200)));
    expect(read).toBeLessThan(200);
  });
});
