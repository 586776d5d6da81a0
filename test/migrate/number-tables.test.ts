import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource, type SourceResult } from '../../src/migrate/transform.js';

// breaker32 case 02: a 403 that is one number of a data table (a generated lookup table, code points, ranges) is
// `number-table`, not "a shape mtls-fix does not know" once per 403; a list of statuses, a short list, a table
// the code compares with and a real status beside the table stay what they were.

/** A table of `count` numbers `(start + i) % modulo` (403 among them when the range holds it). */
function table(count: number, modulo: number, start = 0): string {
  return `[${Array.from({ length: count }, (_, i) => (start + i) % modulo).join(', ')}]`;
}

/** The class of each occurrence: its not-an-emit kind, or the covering site's kind (`rewrite` / `manual`). */
function classes(result: SourceResult): string[] {
  return result.occurrences.map((o) => {
    if (o.kind) return o.kind;
    const covering = result.sites.find((s) => s.span.start <= o.start && o.end <= s.span.end);
    return covering ? covering.kind : 'UNCLASSIFIED';
  });
}

function run(code: string): string[] {
  return classes(migrateSource('src/app.js', code, { target: 401, frameworks: FRAMEWORKS, testFile: false }));
}

const ROUTE = `const app = require('express')();\n`;

const scenarios: { name: string; code: string; expected: string[] }[] = [
  {
    name: 'a generated table of numbers beside a route answering 403',
    code: `${ROUTE}const t = ${table(2000, 1000)};\napp.get('/a', (req, res) => res.status(403).json(t));`,
    expected: ['number-table', 'number-table', 'rewrite'],
  },
  {
    name: 'rows of numbers (Unicode ranges), negative numbers among them',
    code: `export const ranges = [${Array.from({ length: 40 }, (_, i) => `[${i * 20}, ${i === 20 ? 403 : -i}]`).join(', ')}];`,
    expected: ['number-table'],
  },
  {
    name: 'a list of statuses only is no data table: its 403 stays reported',
    code: `export const codes = ${table(60, 600, 400)};`,
    expected: ['manual'],
  },
  {
    name: 'a short list is no data table',
    code: `export const few = [0, 1, 2, 403, 1000];`,
    expected: ['manual'],
  },
  {
    name: 'a table read in a comparison stays a comparison',
    code: `export const f = (s) => ${table(500, 1000)}.includes(s);`,
    expected: ['comparison'],
  },
  {
    name: 'an array with anything but numbers is no data table',
    code: `export const mixed = [${Array.from({ length: 40 }, (_, i) => i).join(', ')}, 403, 'x'];`,
    expected: ['manual'],
  },
];

describe('census: a 403 that is one number of a data table', () => {
  it.each(scenarios)('$name', ({ code, expected }) => {
    expect(run(code)).toEqual(expected);
  });
});
