import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// A 403 written without its digits (session 32, breaker32 #04): literals that fold to 403 in a file with no other
// 403 text (the prefilter used to drop it: a clean report), and an auto-numbered enum member imported from
// another file (read as "Dynamic status ... from an upstream").
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-fold-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

describe('a 403 folded from literals or auto-numbered', () => {
  it.each([
    ['400 + 3', 'res.status(401)'],
    ['4.03e2', 'res.status(401)'],
    ['0x0193', 'res.status(401)'],
    ["'4' + '03'", "res.status('401')"],
  ])('res.status(%s) alone in its file is parsed and rewritten', async (value, replacement) => {
    const report = await run({
      'src/a.js': `const app = require('express')();\napp.get('/a', (req, res) => res.status(${value}).end());\nmodule.exports = app;\n`,
    });
    expect(report.summary.filesParsed).toBe(1);
    expect(report.sites.map((s) => [s.action, s.replacement])).toEqual([['would-rewrite', replacement]]);
  });

  it('an imported enum member numbered 403 after 401 takes the 401 member', async () => {
    const report = await run({
      'src/status.ts':
        'export enum HttpStatus {\n  Unauthorized = 401,\n  PaymentRequired,\n  Forbidden,\n}\n',
      'src/b.ts':
        "import express from 'express';\nimport { HttpStatus } from './status';\nconst app = express();\napp.get('/b', (req, res) => res.status(HttpStatus.Forbidden).end());\nexport default app;\n",
    });
    expect(report.sites.map((s) => [s.file, s.action, s.replacement])).toEqual([
      ['src/b.ts', 'would-rewrite', 'res.status(HttpStatus.Unauthorized)'],
    ]);
  });
});

// Session 33: a folded 403 was a site but no census occurrence (the census found 403 tokens only), so the census
// totals and the sites disagreed. Every spelling the analysis folds is an occurrence now, read where it stands.
describe('the census counts a 403 folded from literals', () => {
  const app = (line: string): Record<string, string> => ({
    'src/a.js': `const app = require('express')();\n${line}\nmodule.exports = app;\n`,
  });

  it.each([
    ['400 + 3'],
    ['806 / 2'],
    ['0x190 | 3'],
    ["'4' + '03'"],
    ['`${400 + 3}`'],
    ["parseInt('403px')"],
    ["parseInt('403', 10)"],
    ["Number('403')"],
    ["parseFloat('403.0')"],
    ['+`403${""}`'],
  ])('res.status(%s): one occurrence, rewritten', async (value) => {
    const report = await run(app(`app.get('/a', (req, res) => res.status(${value}).end());`));
    expect(report.sites.map((s) => s.action)).toEqual(['would-rewrite']);
    expect(report.census.occurrences).toBe(1);
    expect(report.census.rewritten).toBe(1);
  });

  it('a const folded from literals is counted at its declaration', async () => {
    const report = await run(app("const S = 400 + 3;\napp.get('/a', (req, res) => res.status(S).end());"));
    expect(report.sites.map((s) => s.action)).toEqual(['would-rewrite']);
    expect(report.census.occurrences).toBe(1);
    // The write edits the declaration (`const S = 401`), so that occurrence is counted rewritten there
    // (breakfix33d's edited places), not "not an emit (declaration)".
    expect(report.census.rewritten).toBe(1);
    expect(report.census.notAnEmit).toEqual({});
  });

  it('a fold beside one that folds to another value is still found (the walk skips only what a fold holds)', async () => {
    const report = await run(
      app("app.get('/a', (req, res) => res.json({ n: (400 + 3) * 2, m: 806 / 2, k: `${(1 + 2) * 0}` }));"),
    );
    expect(report.census.occurrences).toBe(1);
  });

  it.each([
    ["Number('403px') (NaN)", "res.status(Number('403px'))"],
    ['a fold to another value', 'res.json({ n: (400 + 3) * 2 })'],
    ['parseInt bound by the file', "res.status(parseInt('403px'))", 'const parseInt = (s) => 0;\n'],
  ])('%s is no occurrence', async (_name, expression, before = '') => {
    const report = await run(app(`${before}app.get('/a', (req, res) => ${expression}.end());`));
    expect(report.census.occurrences).toBe(0);
  });
});
