import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// Session 41: `migrate --include-tests` on a project whose Vitest suite really runs (offline: the app listens on
// 127.0.0.1) and asserts its statuses through custom matchers (`expect.extend` in its setup file and in a module
// it registers) and assertion helpers of another file. Before, `expect(res).toRespondWith(403)` was "a shape
// mtls-fix does not know" and a matcher's own `res.status === 403` read as a comparison, not an emit: the server
// answered 401 and the suite failed. The suite is run before and after the run: the same tests pass.
const repo = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(repo, 'test/fixtures/follow/matchers-suite');
const bin = path.join(repo, 'bin/run.js');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The project's own Vitest suite, each test's full name -> passed. */
function runSuite(cwd: string): Map<string, boolean> {
  const out = path.join(cwd, '..', `${path.basename(cwd)}-results.json`);
  spawnSync(
    process.execPath,
    [path.join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${out}`],
    { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: '1' } },
  );
  const results = JSON.parse(readFileSync(out, 'utf8')) as {
    testResults: { assertionResults: { fullName: string; status: string }[] }[];
  };
  rmSync(out, { force: true });
  return new Map(
    results.testResults.flatMap((f) => f.assertionResults.map((a) => [a.fullName, a.status === 'passed'])),
  );
}

describe('a Vitest suite asserting through custom matchers and helpers', () => {
  it('passes the same tests after `migrate --include-tests` as before', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-matchers-suite-'));
    temps.push(cwd);
    cpSync(fixture, cwd, { recursive: true });
    symlinkSync(path.join(repo, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
    writeFileSync(path.join(cwd, '.gitignore'), 'node_modules\n');
    const before = runSuite(cwd);
    expect([...before.keys()].sort()).toEqual([
      'a reply the test builds itself',
      'helpers of another file',
      'matchers of the setup file',
      'matchers registered from another file',
      'relays a refusal',
    ]);
    expect([...before.values()].every(Boolean)).toBe(true);

    const run = spawnSync(process.execPath, [bin, 'migrate', '--include-tests', '--force', '--json'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
    const report = JSON.parse(run.stdout) as {
      sites: { file: string; line: number; framework: string; action: string; reason: string | null }[];
    };
    // The server changed, and so did the matchers and calls that check it.
    expect(readFileSync(path.join(cwd, 'src/app.js'), 'utf8')).toContain('res.status(401)');
    const notes = readFileSync(path.join(cwd, 'test/notes.test.js'), 'utf8');
    expect(notes).toContain('expect(res).toRespondWith(401);');
    expect(notes).toContain('expect(res.status).toBeStatus(401);');
    expect(readFileSync(path.join(cwd, 'test/setup.js'), 'utf8')).toContain('if (res.status !== 401)');
    expect(readFileSync(path.join(cwd, 'test/helpers/matchers.js'), 'utf8')).toContain(
      'toHaveCode(res, 401)',
    );
    // A reply the test builds itself is never touched; the relay that still answers 403 keeps its assertions.
    expect(notes).toContain("new Response('no', { status: 403 });\n  expect(upstream).toRespondWith(403);");
    expect(readFileSync(path.join(cwd, 'test/relay.test.js'), 'utf8')).toBe(
      readFileSync(path.join(fixture, 'test/relay.test.js'), 'utf8'),
    );
    const manual = report.sites.filter((s) => s.framework === 'tests' && s.action === 'manual');
    expect(manual.map((s) => `${s.file}:${s.line}`)).toEqual([
      'test/relay.test.js:13',
      'test/relay.test.js:14',
      'test/relay.test.js:15',
    ]);
    expect(report.sites.filter((s) => s.framework === 'unknown')).toEqual([]);

    const after = runSuite(cwd);
    expect(after).toEqual(before);
  }, 600_000);
});
