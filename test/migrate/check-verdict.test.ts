import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFailures } from '../../src/migrate/report.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { runCli, tempProject } from '../helpers/cli.js';

// `migrate --check` failed (exit 1) with nothing on stderr saying why when only review items were left: CI logs that
// show stderr alone, or `--json` piped to a file, gave a red step and no reason. Each cause is now one line on
// stderr (`mtls-fix: --check fails: ...`) in the human, SARIF and GitHub Actions formats; `--json` keeps stderr for
// errors and warnings (its reader has the sites); a passing check prints none.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp project committed to a fresh git repository (migrate's clean-tree check). */
function repo(files: Record<string, string>): string {
  const dir = tempProject(files);
  temps.push(dir);
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'x'],
  ])
    spawnSync('git', args, { cwd: dir });
  return dir;
}

const PACKAGE = '{"dependencies":{"express":"^4"}}';
const MANUAL_ONLY =
  "const express = require('express');\nconst app = express();\n" +
  "app.get('/y', (req, res) => res.status(eval('403')).end());\nmodule.exports = app;\n";
const REWRITE = "app.get('/z', (req, res) => res.status(403).end());\n";

const failLines = (stderr: string): string[] =>
  stderr.split('\n').filter((line) => line.startsWith('mtls-fix: --check fails: '));

describe('migrate --check says why it fails on stderr', () => {
  it.each([[[]], [['--format', 'sarif']], [['--format', 'github-actions']]])(
    'only review items left (%j): one line naming them, exit 1',
    (extra) => {
      const cwd = repo({ 'package.json': PACKAGE, 'src/app.js': MANUAL_ONLY });
      const run = runCli(['migrate', '--check', ...extra], { cwd });
      expect(run.code).toBe(1);
      expect(failLines(run.stderr)).toEqual([
        'mtls-fix: --check fails: 1 site needs review (listed in the report): change each by hand, or acknowledge it with a reason (// mtls-fix-ignore: <reason>).',
      ]);
    },
  );

  it('--json: exit 1, stderr quiet', () => {
    const cwd = repo({ 'package.json': PACKAGE, 'src/app.js': MANUAL_ONLY });
    const run = runCli(['migrate', '--check', '--json'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('sites to rewrite and to review: a line for each, rewrites first', () => {
    const cwd = repo({ 'package.json': PACKAGE, 'src/app.js': MANUAL_ONLY + REWRITE });
    const run = runCli(['migrate', '--check'], { cwd });
    expect(run.code).toBe(1);
    expect(failLines(run.stderr)).toEqual([
      'mtls-fix: --check fails: 1 site still answers 403 and would be rewritten to 401 (listed in the report): run mtls-fix migrate.',
      'mtls-fix: --check fails: 1 site needs review (listed in the report): change each by hand, or acknowledge it with a reason (// mtls-fix-ignore: <reason>).',
    ]);
  });

  it('a passing check prints no such line, exit 0', () => {
    const cwd = repo({
      'package.json': PACKAGE,
      'src/app.js':
        "const express = require('express');\nconst app = express();\napp.get('/', (q, r) => r.send('ok'));\n",
    });
    const run = runCli(['migrate', '--check'], { cwd });
    expect(run.code).toBe(0);
    expect(failLines(run.stderr)).toEqual([]);
  });
});

describe('checkFailures', () => {
  const report = (over: Partial<MigrateReport>): MigrateReport =>
    ({
      status: 401,
      summary: {
        rewritten: 0,
        manual: 0,
        ignored: 0,
        errors: 0,
        filesScanned: 1,
        filesParsed: 1,
        filesChanged: 0,
      },
      skipped: {},
      sites: [],
      errors: [],
      warnings: [],
      ...over,
    }) as unknown as MigrateReport;

  it('names each skipped kind of file that fails the check, and nothing for a clean report', () => {
    expect(checkFailures(report({}))).toEqual([]);
    expect(
      checkFailures(report({ skipped: { 'unsupported-language': 2, 'outside-work-tree': 1, test: 4 } })),
    ).toEqual([
      '2 files that hold a 403 form in a language mtls-fix does not parse were not scanned (named in the warnings above): review them by hand, or exclude them (migrate.exclude).',
      '1 file that is reached through a symbolic link out of the git work tree was not scanned (named in the warnings above): review it by hand, or exclude it (migrate.exclude).',
    ]);
  });
});
