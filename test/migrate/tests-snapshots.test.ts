import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `migrate --include-tests` on a project whose Vitest suite really runs (offline: the app listens on 127.0.0.1):
// inline snapshots follow their server, a stored snapshot (`__snapshots__/*.snap`) whose server the run rewrote is
// listed by name and key, never left stale in silence (session 28). The suite is run before and after the run.
const repo = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(repo, 'test/fixtures/follow/vitest-suite');
const bin = path.join(repo, 'bin/run.js');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The project's own Vitest suite, each test's full name -> passed (CI: no snapshot is written). */
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

describe('a Vitest suite with snapshots', () => {
  it('passes after the run but for the stored snapshots it lists by file and key', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-vitest-suite-'));
    temps.push(cwd);
    cpSync(fixture, cwd, { recursive: true });
    symlinkSync(path.join(repo, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
    writeFileSync(path.join(cwd, '.gitignore'), 'node_modules\n');
    const before = runSuite(cwd);
    expect([...before.keys()].sort()).toEqual([
      'denies inline',
      'relays inline',
      'stored denies',
      'stored relays',
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
    const inline = readFileSync(path.join(cwd, 'test/inline.test.js'), 'utf8');
    expect(inline).toContain('expect(res.status).toMatchInlineSnapshot(`401`);');
    expect(inline).toContain('"error": "Unauthorized",\n      "status": 401,');
    // The relayed status still answers 403: its inline snapshot stays.
    expect(inline).toContain('{\n      "status": 403,\n    }');
    // mtls-fix writes no snapshot file: the stale entry is named with its key.
    expect(readFileSync(path.join(cwd, 'test/__snapshots__/stored.test.js.snap'), 'utf8')).toBe(
      readFileSync(path.join(fixture, 'test/__snapshots__/stored.test.js.snap'), 'utf8'),
    );
    const manual = report.sites.filter((s) => s.framework === 'tests' && s.action === 'manual');
    expect(manual.map((s) => `${s.file}:${s.line}`)).toEqual([
      'test/inline.test.js:23',
      'test/stored.test.js:13',
      'test/stored.test.js:18',
    ]);
    expect(manual[1]?.reason).toContain(
      '`stored > denies 1` in test/__snapshots__/stored.test.js.snap:6), whose server this run rewrote',
    );

    const after = runSuite(cwd);
    // Every test passes as before, but the one whose stored snapshot the report lists as stale.
    expect(after).toEqual(new Map([...before].map(([name, ok]) => [name, name !== 'stored denies' && ok])));
  }, 600_000);
});
