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
