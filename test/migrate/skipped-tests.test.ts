import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { checkFailures, formatHuman } from '../../src/migrate/report.js';

// breaker31 #05: a run without --include-tests skipped test files that assert the very 403s it rewrites, saying
// only "skipped 1 test" and "0 manual"; after the write the suite failed, and a later --include-tests run could no
// longer pair the assertions with their (already rewritten) server. The report now names each such assertion with
// what --include-tests would write, before the write (check, dry-run) and after it.
const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/skipped-tests');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-skipped-tests-'));
  temps.push(cwd);
  cpSync(fixture, cwd, { recursive: true });
  return cwd;
}

const NAMED = [
  {
    file: 'test/app.test.ts',
    line: 4,
    column: 22,
    form: "request(app).get('/accounts').expect(403)",
    replacement: "request(app).get('/accounts').expect(401)",
  },
  {
    file: 'test/app.test.ts',
    line: 7,
    column: 3,
    form: 'expect(r.status).toBe(403)',
    replacement: 'expect(r.status).toBe(401)',
  },
];

describe('skipped tests that assert a 403 the run rewrites', () => {
  it('are named by --check before anything is written', async () => {
    const cwd = copy();
    const result = await migrate({ cwd, status: 401, mode: 'check' });
    expect(result.report.skipped.test).toBe(2);
    expect(result.report.skippedTestAssertions).toEqual(NAMED);
    // The mock of another service and the 200 test are not named; the run's own counts are unchanged.
    expect(result.report.summary).toMatchObject({ rewritten: 2, manual: 0, filesParsed: 1 });
    const human = formatHuman(result, 'check');
    expect(human).toContain('Tests to change with the server (2 assertions in 1 test file)');
    expect(human).toContain('Run again with --include-tests before writing');
    expect(human).toContain(
      "    test/app.test.ts:4:22  request(app).get('/accounts').expect(403) -> request(app).get('/accounts').expect(401)",
    );
    // Nothing was written, tests included.
    expect(readFileSync(path.join(cwd, 'test/app.test.ts'), 'utf8')).toBe(
      readFileSync(path.join(fixture, 'test/app.test.ts'), 'utf8'),
    );
  });

  it('are named by the write, with how to get the automatic fix back', async () => {
    const cwd = copy();
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(result.report.skippedTestAssertions).toEqual(NAMED);
    expect(readFileSync(path.join(cwd, 'test/app.test.ts'), 'utf8')).toContain('.expect(403)');
    const human = formatHuman(result, 'write');
    expect(human).toContain('Tests now failing (2 assertions in 1 test file)');
    expect(human).toContain('git checkout -- <files>) and run again with --include-tests');
    // Once written, no 403 is rewritten any more: nothing to name on the next run.
    const again = await migrate({ cwd, status: 401, mode: 'check' });
    expect(again.report.skippedTestAssertions).toBeUndefined();
  });

  it('are not listed with --include-tests, which rewrites them', async () => {
    const cwd = copy();
    const result = await migrate({ cwd, status: 401, mode: 'dry-run', includeTests: true });
    expect(result.report.skippedTestAssertions).toBeUndefined();
    expect(result.diff).toContain("+it('accounts', () => request(app).get('/accounts').expect(401));");
  });
});

// lead35 #3: without --include-tests, an assertion on a 403 whose server could not be found (named manual with
// --include-tests) was silent: the summary said only "skipped 2 test". When the run rewrites a server site (since
// session 39 not when it only names one: trial39 #03), such assertions are listed apart ("Tests that may fail",
// skippedTestsMayFail in --json), with no replacement; one whose server still answers 403 (the ignored /public
// route) and a negated one are not.
describe('skipped tests that may fail, through bin/run.js', () => {
  const mayFail = path.resolve(import.meta.dirname, '../fixtures/projects/skipped-tests-may-fail');
  const bin = path.resolve(import.meta.dirname, '../../bin/run.js');

  function run(cwd: string, ...args: string[]): string {
    const result = spawnSync(process.execPath, [bin, 'migrate', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  }

  it('are listed by a plain run, in text and in --json', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-may-fail-'));
    temps.push(cwd);
    cpSync(mayFail, cwd, { recursive: true });
    const human = run(cwd, '--dry-run');
    expect(human).toContain('Tests that may fail (2 assertions in 2 test files)');
    expect(human).toContain(
      "    test/app.test.ts:6:25  request('https://partner.example').get('/v1/refusal').expect(403)",
    );
    expect(human).toContain('Asserts a 403 on GET /v1/refusal whose server could not be found');
    expect(human).toContain('    postman/forbidden.test.js:2:30  pm.response.to.have.status(403)');
    expect(human).toContain('A Postman / Newman test script asserts a 403');
    // The still-403 route's assertion and the negated one are not listed; the rewritten one is, as before.
    expect(human).not.toContain("get('/public')");
    expect(human).not.toContain('not.toBe(403)');
    expect(human).toContain('Tests to change with the server (1 assertion in 1 test file)');
    const json = JSON.parse(run(cwd, '--dry-run', '--json')) as {
      skippedTestsMayFail?: { file: string; line: number; column: number; form: string; reason: string }[];
    };
    expect(json.skippedTestsMayFail?.map((a) => `${a.file}:${a.line}:${a.column}`)).toEqual([
      'postman/forbidden.test.js:2:30',
      'test/app.test.ts:6:25',
    ]);
    expect(json.skippedTestsMayFail?.every((a) => a.reason.length > 0 && !('replacement' in a))).toBe(true);
    // With --include-tests, the same assertions are the manual ones (and nothing is listed apart).
    const included = JSON.parse(run(cwd, '--dry-run', '--json', '--include-tests')) as {
      skippedTestsMayFail?: unknown[];
      sites: { file: string; line: number; action: string; framework: string }[];
    };
    expect(included.skippedTestsMayFail).toBeUndefined();
    const manual = included.sites
      .filter((s) => s.framework === 'tests' && s.action === 'manual')
      .map((s) => `${s.file}:${s.line}`);
    expect(manual).toEqual(expect.arrayContaining(['postman/forbidden.test.js:2', 'test/app.test.ts:6']));
  });

  // trial39 #03 (AppQuality/unguess-core): a --spec run whose document has no mTLS operation rewrote nothing, yet
  // listed the assertions whose server could not be found as "may now get 401 from a server this run changes".
  it('are not listed when the run rewrites no server site (--spec, no mTLS operation), and are when it does', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-may-fail-spec-'));
    temps.push(cwd);
    cpSync(mayFail, cwd, { recursive: true });
    const document = (scheme: string) =>
      [
        'openapi: 3.0.3',
        'info: { title: t, version: "1" }',
        'paths:',
        '  /accounts:',
        `    get: { security: [{ ${scheme}: [] }], responses: { "200": { description: ok } } }`,
        'components:',
        '  securitySchemes:',
        '    cert: { type: mutualTLS }',
        '    key: { type: apiKey, in: header, name: x-key }',
        '',
      ].join('\n');
    writeFileSync(path.join(cwd, 'openapi.yaml'), document('key'));
    const untouched = JSON.parse(run(cwd, '--dry-run', '--json', '--spec', 'openapi.yaml')) as {
      summary: { rewritten: number };
      skippedTestsMayFail?: unknown[];
    };
    expect(untouched.summary.rewritten).toBe(0);
    expect(untouched.skippedTestsMayFail).toBeUndefined();
    expect(run(cwd, '--dry-run', '--spec', 'openapi.yaml')).not.toContain('Tests that may fail');
    writeFileSync(path.join(cwd, 'openapi.yaml'), document('cert'));
    const changed = JSON.parse(run(cwd, '--dry-run', '--json', '--spec', 'openapi.yaml')) as {
      summary: { rewritten: number };
      skippedTestsMayFail?: { file: string; line: number }[];
    };
    expect(changed.summary.rewritten).toBe(1);
    expect(changed.skippedTestsMayFail?.map((a) => `${a.file}:${a.line}`)).toEqual([
      'postman/forbidden.test.js:2',
      'test/app.test.ts:6',
    ]);
  });
});

// house36 (carried over from session 35): a plain run's "Tests that may fail" left out a snapshot-only test (its
// 403 only in __snapshots__/<file>.snap, so the test file's own text holds none) and a 403 of a skipped test file
// in a shape mtls-fix does not know; --include-tests names both. Both are listed now.
describe('skipped tests that may fail, beyond status assertions', () => {
  const unlisted = path.resolve(import.meta.dirname, '../fixtures/projects/skipped-tests-unlisted');

  it('lists a snapshot-only test and a 403 of unknown shape', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-unlisted-'));
    temps.push(cwd);
    cpSync(unlisted, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'check' });
    expect(result.report.summary).toMatchObject({ rewritten: 1, manual: 0 });
    const listed = (result.report.skippedTestsMayFail ?? []).map((a) => `${a.file}:${a.line}`);
    expect(listed).toEqual(['test/snap.test.ts:6', 'test/unknown.test.ts:4']);
    const [snapshot, unknown] = result.report.skippedTestsMayFail ?? [];
    expect(snapshot?.reason).toContain('through its stored snapshot (`denies a visitor 1`');
    // The reason --include-tests gives for the same site (breakfix36b: the plain listing takes the same steps).
    expect(unknown?.reason).toContain("'admin' holds 403 and no status slot using it was rewritten here");
    expect(formatHuman(result, 'check')).toContain('Tests that may fail (2 assertions in 2 test files)');
    // --include-tests names the same two, as manual sites.
    const included = await migrate({ cwd, status: 401, mode: 'check', includeTests: true });
    const manual = included.report.sites
      .filter((s) => s.action === 'manual' && s.file.startsWith('test/'))
      .map((s) => `${s.file}:${s.line}`);
    expect(manual).toEqual(['test/snap.test.ts:6', 'test/unknown.test.ts:4']);
  });
});

// Session 49: a plain run named the assertions it left but not the stand-ins in test code that copy a route it
// rewrites (a stub app in a helper, a fake handler, an inline `all()`), which --include-tests lists for a person.
describe('stand-ins in skipped test files that copy a rewritten route', () => {
  const stubCopies = path.resolve(import.meta.dirname, '../fixtures/follow/stub-copies48');

  it('are named by a plain run, with their reasons, and keep --check from reading clean', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-stand-ins-'));
    temps.push(cwd);
    cpSync(stubCopies, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'check', force: true });
    const { report } = result;
    expect((report.skippedTestStandIns ?? []).map((s) => `${s.file}:${s.line}`)).toEqual([
      'test/admin.test.js:17',
      'test/helpers/stub-server.js:6',
      'test/helpers/stub-server.js:16',
    ]);
    for (const standIn of report.skippedTestStandIns ?? [])
      expect(standIn.reason).toMatch(
        /^A stand-in in test code \(.+\) answers 403 as res\.status\(403\) \(src\/app\.js:4\)/,
      );
    expect(checkFailures(report).some((r) => r.startsWith('3 stand-ins in test code copy a route'))).toBe(
      true,
    );
    const text = formatHuman(result, 'check');
    expect(text).toContain(
      'Stand-ins in test code that copy a rewritten route (3 stand-ins in 2 test files)',
    );
    expect(text).toContain('  test/helpers/stub-server.js:6:35  res.status(403)');
  });
});
