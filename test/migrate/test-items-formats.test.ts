import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { formatMigrateGithubActions, formatMigrateSarif } from '../../src/migrate/check-report.js';
import { checkFailures, formatHuman } from '../../src/migrate/report.js';

// trial39 #06: the test assertions the human report lists without --include-tests ("Tests to change with the
// server", "Tests that may fail") were absent from --format sarif and github-actions; and after a server-only write
// a --check with no server 403 left named no test (exit 0) although a test asserting 403 against a route that now
// answers 401 certainly fails. Both are carried in every format now, and the post-write check fails on them.
const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/skipped-tests');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-test-items-'));
  temps.push(cwd);
  cpSync(fixture, cwd, { recursive: true });
  return cwd;
}

const TOOL = { version: '0.0.0', informationUri: 'https://example.invalid' };

interface SarifOut {
  runs: {
    results: {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

function sarifTests(text: string): string[] {
  const log = JSON.parse(text) as SarifOut;
  return log.runs[0].results
    .filter((r) => r.ruleId === 'mtls-migrate-test')
    .map((r) => {
      const at = r.locations[0].physicalLocation;
      return `${r.level} ${at.artifactLocation.uri}:${at.region.startLine}`;
    });
}

describe('test assertions the human report names, in every format', () => {
  it('before the write: SARIF warnings and ::warning commands at each assertion', async () => {
    const result = await migrate({ cwd: copy(), status: 401, mode: 'check' });
    expect(result.report.skippedTestAssertions?.length).toBe(2);
    expect(sarifTests(formatMigrateSarif(result.report, TOOL))).toEqual([
      'warning test/app.test.ts:4',
      'warning test/app.test.ts:7',
    ]);
    const actions = formatMigrateGithubActions(result.report)
      .split('\n')
      .filter((l) => l.includes('title=mtls-fix migrate%3A test'));
    expect(actions).toHaveLength(2);
    expect(actions[0]).toMatch(/^::warning file=test\/app\.test\.ts,line=4,col=22,/);
    expect(actions[0]).toContain("-> request(app).get('/accounts').expect(401)");
  });

  it('after a server-only write: the check reads the test files, names each assertion and fails', async () => {
    const cwd = copy();
    await migrate({ cwd, status: 401, mode: 'write', force: true });
    const again = await migrate({ cwd, status: 401, mode: 'check' });
    expect(again.report.summary).toMatchObject({ rewritten: 0, manual: 0 });
    const listed = (again.report.skippedTestsMayFail ?? []).map((a) => `${a.file}:${a.line}`);
    expect(listed).toEqual(['test/app.test.ts:4', 'test/app.test.ts:7']);
    expect(again.report.skippedTestsMayFail?.[0]?.reason).toContain('whose server already answers 401');
    expect(formatHuman(again, 'check')).toContain('Tests that fail (2 assertions in 1 test file)');
    expect(checkFailures(again.report).join('\n')).toContain('2 test assertions check a 403');
    expect(sarifTests(formatMigrateSarif(again.report, TOOL))).toEqual([
      'warning test/app.test.ts:4',
      'warning test/app.test.ts:7',
    ]);
    expect(formatMigrateGithubActions(again.report)).toContain(
      '::warning file=test/app.test.ts,line=4,col=22,title=mtls-fix migrate%3A test::test fails, its server already answers 401:',
    );
  });

  it('a run with no server site names no test whose server is unknown (only those already answering)', async () => {
    const cwd = copy();
    await migrate({ cwd, status: 401, mode: 'write', force: true });
    const again = await migrate({ cwd, status: 401, mode: 'check' });
    // The nock mock of another service is no assertion of this server's answer.
    expect(JSON.stringify(again.report.skippedTestsMayFail ?? [])).not.toContain('nock');
  });
});

// The post-write head "Tests that fail" holds only when every listed assertion's server already answers the agreed
// status: a run that still changes a server (a 403 added after the write) also lists a test whose server it could
// not find, which only may fail, and said "whose server already answers 401" of it. A run that changes no server
// (unguess-core: only a dynamic status site left) lists only the tests that fail already (trial39 #03 and #06).
describe('the head of the post-write listing', () => {
  it('says "may fail" when a listed assertion has no known server', async () => {
    const cwd = copy();
    writeFileSync(
      path.join(cwd, 'src/app.ts'),
      `import express from 'express';
const app = express();
app.get('/accounts', (req, res) => res.status(403).json({ error: 'no consent' }));
app.get('/mirror', (req, res) => res.status(Number(req.query.code)).end());
export default app;
`,
    );
    writeFileSync(
      path.join(cwd, 'test/app.test.ts'),
      `import request from 'supertest';
import app from '../src/app';
it('accounts', () => request(app).get('/accounts').expect(403));
it('partner', () => request('https://partner.example').get('/v1/refusal').expect(403));
`,
    );
    await migrate({ cwd, status: 401, mode: 'write', force: true });
    const again = await migrate({ cwd, status: 401, mode: 'check' });
    expect(again.report.census.rewritten + again.report.census.manual).toBe(0);
    // Nothing this run changes: the partner test's server is none of this run's, so only /accounts' test fails.
    expect((again.report.skippedTestsMayFail ?? []).map((a) => a.line)).toEqual([3]);
    expect(formatHuman(again, 'check')).toContain('Tests that fail (1 assertion in 1 test file)');
    // A 403 added after the write: the run changes a server again, and the partner test may get its answer.
    const app = path.join(cwd, 'src/app.ts');
    writeFileSync(
      app,
      readFileSync(app, 'utf8').replace(
        'export default app;',
        "app.get('/late', (req, res) => res.status(403).end());\nexport default app;",
      ),
    );
    const late = await migrate({ cwd, status: 401, mode: 'check' });
    expect(late.report.census.rewritten).toBe(1);
    expect((late.report.skippedTestsMayFail ?? []).map((a) => a.line)).toEqual([3, 4]);
    const human = formatHuman(late, 'check');
    expect(human).toContain('Tests that may fail (2 assertions in 1 test file)');
    expect(human).not.toContain('Tests that fail');
  });
});

// Session 49 (left49a): the stand-ins in test code that copy a rewritten route, which a plain run lists and which
// keep --check from reading clean (skippedTestStandIns), were absent from --format sarif and github-actions.
describe('stand-ins in skipped test files, in every machine format', () => {
  const stubCopies = path.resolve(import.meta.dirname, '../fixtures/follow/stub-copies48');

  it('SARIF warnings and ::warning commands at each stand-in, with its reason', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-stand-in-formats-'));
    temps.push(cwd);
    cpSync(stubCopies, cwd, { recursive: true });
    const { report } = await migrate({ cwd, status: 401, mode: 'check', force: true });
    const standIns = (report.skippedTestStandIns ?? []).map((s) => `${s.file}:${s.line}`);
    expect(standIns).toHaveLength(3);
    const sarif = sarifTests(formatMigrateSarif(report, TOOL));
    for (const at of standIns) expect(sarif).toContain(`warning ${at}`);
    const actions = formatMigrateGithubActions(report)
      .split('\n')
      .filter((l) => l.includes('title=mtls-fix migrate%3A test'));
    for (const standIn of report.skippedTestStandIns ?? []) {
      const line = actions.find((l) =>
        l.startsWith(`::warning file=${standIn.file},line=${standIn.line},col=${standIn.column},`),
      );
      expect(line).toContain('stand-in in test code copies a route this run rewrites to 401');
      expect(line).toContain('A stand-in in test code (');
    }
  });
});
