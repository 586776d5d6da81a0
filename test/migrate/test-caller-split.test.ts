import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { tempProject } from '../helpers/cli.js';

// fix39c (breaker39 05): --include-tests, an assertion helper shared by a test whose server 403 the run rewrites and
// a test whose server still answers 403. Before, the helper's reason named only the caller that still passes (the
// one that now fails was in no line of the report), and the constant it reads claimed a rewrite the run did not make.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const APP = `const express = require('express');
const csrf = require('csurf');
const app = express();
app.get('/admin', (req, res) => { if (!req.headers.admin) return res.status(403).json({ error: 'no' }); res.end(); });
app.post('/form', csrf({ cookie: true }), (req, res) => res.end());
module.exports = app;
`;

async function run(tests: string, helpers: string): Promise<MigrateReport> {
  const cwd = tempProject({
    'package.json': JSON.stringify({
      dependencies: { express: '4', csurf: '1' },
      devDependencies: { supertest: '6', jest: '29' },
    }),
    'src/app.js': APP,
    'test/helpers.js': helpers,
    'test/app.test.js': `const request = require('supertest');
const app = require('../src/app');
const { expectForbidden } = require('./helpers');
${tests}`,
  });
  temps.push(cwd);
  return (await migrate({ cwd, status: 401, mode: 'dry-run', includeTests: true })).report;
}

const reasonAt = (report: MigrateReport, where: string): string =>
  report.sites.find((s) => `${s.file}:${s.line}` === where)?.reason ?? '';

describe('a shared assertion whose callers end at different statuses', () => {
  it('is one manual site naming every caller and what each now receives', async () => {
    const report = await run(
      `it('admin', async () => { expectForbidden(await request(app).get('/admin')); });
it('form', async () => { expectForbidden(await request(app).post('/form')); });
`,
      `const FORBIDDEN = 403;
exports.expectForbidden = (res) => expect(res.status).toBe(FORBIDDEN);
`,
    );
    const helper = reasonAt(report, 'test/helpers.js:2');
    expect(helper).toMatch(
      /shared by tests whose servers now answer differently: test\/app\.test\.js:4 \(GET \/admin, now 401: this test fails until it expects 401\); test\/app\.test\.js:5 \(POST \/form, that is still emitted by csrf/,
    );
    expect(report.sites.find((s) => s.file === 'test/helpers.js' && s.line === 2)?.action).toBe('manual');
    // The constant: no claim of a rewrite at helpers.js:2, which the run leaves.
    const constant = reasonAt(report, 'test/helpers.js:1');
    expect(constant).not.toMatch(/this run writes 401 in place of it/);
    expect(constant).toMatch(
      /^'FORBIDDEN' still holds 403, and test\/helpers\.js:2 expect\(res\.status\)\.toBe\(FORBIDDEN\) reads it where this run leaves the 403 as it is/,
    );
  });

  // Session 39 review: the constant's reads were read back from its reason, which names three and counts the rest
  // ("; 1 more"): a left read beyond the third kept the claim that no rewritten site reads it any more.
  it('names a left read of the constant that its reason did not show (a fourth read)', async () => {
    const report = await run(
      `const { a1, a2, a3 } = require('./helpers');
it('admin', async () => { expectForbidden(await request(app).get('/admin')); });
it('form', async () => { expectForbidden(await request(app).post('/form')); });
it('b1', async () => { a1(await request(app).get('/admin')); });
it('b2', async () => { a2(await request(app).get('/admin')); });
it('b3', async () => { a3(await request(app).get('/admin')); });
`,
      `const FORBIDDEN = 403;
exports.a1 = (res) => expect(res.status).toBe(FORBIDDEN);
exports.a2 = (res) => expect(res.status).toBe(FORBIDDEN);
exports.a3 = (res) => expect(res.status).toBe(FORBIDDEN);
exports.expectForbidden = (res) => expect(res.status).toBe(FORBIDDEN);
`,
    );
    expect(report.sites.find((s) => s.file === 'test/helpers.js' && s.line === 5)?.action).toBe('manual');
    const constant = reasonAt(report, 'test/helpers.js:1');
    expect(constant).not.toMatch(/no rewritten site reads it any more/);
    expect(constant).toMatch(
      /^'FORBIDDEN' still holds 403, and test\/helpers\.js:5 expect\(res\.status\)\.toBe\(FORBIDDEN\) reads it where this run leaves the 403 as it is \(reported there\)\. It is written as 401 in place of it at test\/helpers\.js:2 .*, test\/helpers\.js:3 .*, test\/helpers\.js:4 expect\(res\.status\)\.toBe\(FORBIDDEN\), which this run rewrites\./,
    );
  });

  // Session 39 review: a table's entry (`Codes.FORBIDDEN`, a class's static) read by the shared assertion kept the
  // claim that no file of the run reads it after the run, its reads now sending 401, though the run leaves that read.
  it.each([
    ['an object table', 'const Codes = { FORBIDDEN: 403, OK: 200 };'],
    ["a class's static", 'class Codes { static FORBIDDEN = 403; }'],
  ])('names the left read of an entry of %s', async (_, table) => {
    const report = await run(
      `it('admin', async () => { expectForbidden(await request(app).get('/admin')); });
it('form', async () => { expectForbidden(await request(app).post('/form')); });
`,
      `${table}
exports.expectForbidden = (res) => expect(res.status).toBe(Codes.FORBIDDEN);
`,
    );
    expect(report.sites.find((s) => s.file === 'test/helpers.js' && s.line === 2)?.action).toBe('manual');
    const entry = reasonAt(report, 'test/helpers.js:1');
    expect(entry).not.toMatch(/no file of this run reads it|now send 401/);
    expect(entry).toMatch(
      /^'Codes\.FORBIDDEN' still holds 403, and test\/helpers\.js:2 expect\(res\.status\)\.toBe\(Codes\.FORBIDDEN\) reads it where this run leaves the 403 as it is \(reported there\)\. Once that read is settled, change this definition to 401/,
    );
  });

  it('every caller rewritten: the helper follows (unchanged behaviour)', async () => {
    const report = await run(
      `it('admin', async () => { expectForbidden(await request(app).get('/admin')); });
`,
      `exports.expectForbidden = (res) => expect(res.status).toBe(403);
`,
    );
    expect(report.sites.find((s) => s.file === 'test/helpers.js')?.action).toBe('would-rewrite');
  });
});
