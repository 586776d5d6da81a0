import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeCensus } from '../../src/migrate/census.js';
import { addCodeMapSites } from '../../src/migrate/code-maps.js';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { settleNestGuards } from '../../src/migrate/frameworks/nest-guard-sites.js';
import { parseSource } from '../../src/migrate/parse.js';
import { keepsShape } from '../../src/migrate/same-shape.js';
import {
  analyzeSource,
  ignoreReason,
  localHelpers,
  planFile,
  rewriteHelperCalls,
} from '../../src/migrate/transform.js';
import type { Edit } from '../../src/migrate/types.js';

// planFile skips its re-parse when every edit swaps one token for one of the same kind (same-shape.ts). The
// skip must never change a plan: every fixture is planned both ways and must come out identical.

/** An edit replacing the `nth` occurrence (0-based) of `old` in `text` by `replacement`. */
function swap(text: string, old: string, replacement: string, nth = 0): Edit {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(old, start + 1);
  if (start < 0) throw new Error(`${old} not in the text`);
  return { start, end: start + old.length, text: replacement };
}

const keeps = (file: string, text: string, ...edits: [string, string, number?][]): boolean =>
  keepsShape(
    parseSource(file, text),
    edits.map(([old, replacement, nth]) => swap(text, old, replacement, nth)),
  );

describe('keepsShape: token swaps that cannot change the parse', () => {
  it.each([
    ['a status', 'res.status(403).end();', ['403', '401']],
    ['a member name', 'res.status(StatusCodes.FORBIDDEN);', ['FORBIDDEN', 'UNAUTHORIZED']],
    ['a phrase', "res.json({ error: 'forbidden' });", ["'forbidden'", "'unauthorized'"]],
    ['a class name', 'throw new ForbiddenException();', ['ForbiddenException', 'UnauthorizedException']],
    ['inside a template expression', 'const s = `${403}`;', ['403', '401']],
    ['inside a JSX expression', 'const e = <A code={403} />;', ['403', '401']],
  ] as [string, string, [string, string]][])('%s', (_, text, edit) => {
    expect(keeps('a.tsx', text, edit)).toBe(true);
  });

  it.each([
    ['an insertion', 'res.status(403);', ['', 'x']],
    ['a number that would join a dot', 'const s = 0x193.toString();', ['0x193', '401']],
    ['a number that is not a plain integer', 'res.status(403);', ['403', '4_01']],
    ['a legacy octal', 'res.status(403);', ['403', '0621']],
    ['a BigInt', 'res.status(403);', ['403', '401n']],
    ['a keyword', 'const forbidden = 1; use(forbidden);', ['forbidden', 'type', 1]],
    ['a contextual keyword replaced', 'const type = 1; use(type);', ['type', 'kind', 1]],
    ['a string with an escape', "res.json({ error: 'forbidden' });", ["'forbidden'", "'un\\u0061uthorized'"]],
    ['a string with a line break', "res.json({ error: 'forbidden' });", ["'forbidden'", "'a\nb'"]],
    ['an unterminated string', "res.json({ error: 'forbidden' });", ["'forbidden'", "'forbidden"]],
    ['two tokens', 'res.status(403);', ['403', '401 + 0']],
    ['another kind', 'res.status(403);', ['403', "'401'"]],
    ['a directive', "'forbidden';\nlet x = 1;", ["'forbidden'", "'use strict'"]],
    ['a class member named by a string', "class A { 'forbidden'() {} }", ["'forbidden'", "'constructor'"]],
    ['new.target', 'function F() { return new.target; }', ['target', 'other']],
    ['a JSX tag name', 'const e = <Forbidden>x</Forbidden>;', ['Forbidden', 'Unauthorized']],
    ['a JSX attribute string', 'const e = <A error="forbidden" />;', ['"forbidden"', '"unauthorized"']],
    ['text in a comment', '// forbidden\nlet x = 1;', ['forbidden', 'unauthorized']],
    ['text in a template', 'const s = `403 forbidden`;', ['403', '401']],
    ['part of a token', 'res.status(4030);', ['403', '401']],
  ] as [string, string, [string, string, number?]][])('not: %s', (_, text, edit) => {
    expect(keeps('a.tsx', text, edit)).toBe(false);
  });
});

const root = path.resolve(import.meta.dirname, '../fixtures');
const FIXTURES = readdirSync(root).flatMap((dir) =>
  readdirSync(path.join(root, dir))
    .filter((f) => /\.(input|unchanged)\.(?:[cm]?[jt]sx?|astro)$/.test(f))
    .map((f) => path.join(dir, f)),
);

describe('planFile with and without the re-parse', () => {
  it('gives the same plan for every fixture, and skips the re-parse for many', () => {
    let skipped = 0;
    let planned = 0;
    for (const fixture of FIXTURES) {
      const text = readFileSync(path.join(root, fixture), 'utf8');
      const line = /^\uFEFF?(?:---\r?\n)?\/\/ fixture:(.*)/.exec(text)?.[1] ?? '';
      const file = path.basename(fixture);
      const analysis = analyzeSource(file, text, {
        target: Number(/\bstatus=(\d+)/.exec(line)?.[1] ?? 401),
        frameworks: FRAMEWORKS,
        testFile: /\btests\b/.test(line),
        wwwAuthenticate: /\bwww-authenticate=(\S+)/.exec(line)?.[1],
      });
      for (let round = 0; round < 8 && rewriteHelperCalls(analysis, localHelpers(analysis)); round++);
      addCodeMapSites([analysis]);
      settleNestGuards([analysis]);
      takeCensus(analysis);
      for (const site of analysis.sites) site.ignoreReason = ignoreReason(text, analysis.sourceFile, site);
      const rewrites = analysis.sites.filter((s) => s.kind === 'rewrite' && !s.ignoreReason);
      if (!rewrites.length) continue;
      planned++;
      const reparsed = planFile(text, file, rewrites, 0);
      const direct = planFile(text, file, rewrites, 0, analysis.sourceFile);
      expect({ fixture, ...direct }).toEqual({ fixture, ...reparsed });
      if (
        keepsShape(
          analysis.sourceFile,
          rewrites.flatMap((s) => s.edits),
        )
      )
        skipped++;
    }
    expect(planned).toBeGreaterThan(50);
    // Not vacuous: a good share of the fixtures take the shortcut.
    expect(skipped).toBeGreaterThan(planned / 5);
  });
});
