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

// breaker37 #07: `migrate --spec DOC --check` passed (exit 0; the GitHub Actions format printed nothing) when DOC
// declares no mTLS at all, so every 403 was left alone and nothing was checked; `fix --check` and `lint --quiet`
// fail the same document (mtls-unchecked).
describe('migrate --spec --check on a document that declares no mTLS', () => {
  const APP =
    "import express from 'express';\nconst app = express();\n" +
    "app.get('/accounts/:id', (req, res) => res.status(403).json({ message: 'no' }));\nexport default app;\n";
  const doc = (root = '', security = ''): string =>
    `openapi: 3.0.3\n${root}info: {title: s, version: '1'}\n${security}paths:\n  /accounts/{id}:\n    get:\n      responses: {'200': {description: ok}, '403': {description: no}}\n`;
  const MTLS_DOC = doc(
    '',
    'components:\n  securitySchemes:\n    cert: {type: mutualTLS}\nsecurity: [{cert: []}]\n',
  ).replace('openapi: 3.0.3', 'openapi: 3.1.0');
  const project = (files: Record<string, string>): string =>
    repo({ 'package.json': PACKAGE, 'src/app.ts': APP, ...files });

  it('fails, says why on stderr, and annotates the document in the GitHub Actions format', () => {
    const cwd = project({ 'openapi.yaml': doc() });
    const run = runCli(['migrate', '--spec', 'openapi.yaml', '--check'], { cwd });
    expect(run.code).toBe(1);
    expect(failLines(run.stderr)).toEqual([
      expect.stringContaining(
        'mtls-fix: --check fails: 1 403 site was left alone, but openapi.yaml declares no mTLS (no operation is mTLS-secured), so nothing was checked',
      ),
    ]);
    const actions = runCli(['migrate', '--spec', 'openapi.yaml', '--check', '--format', 'github-actions'], {
      cwd,
    });
    expect(actions.code).toBe(1);
    expect(actions.stdout).toMatch(
      /^::warning file=openapi\.yaml,line=1,.*::declares no mTLS \(none of its 1 operations/m,
    );
    const json = runCli(['migrate', '--spec', 'openapi.yaml', '--check', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as MigrateReport).coverage?.unchecked).toEqual([
      { document: 'openapi.yaml', operations: 1 },
    ]);
  });

  it('passes where the document says x-mtls: false at its root, or config rules set mtls-unchecked below error', () => {
    const declared = project({ 'openapi.yaml': doc('x-mtls: false\n') });
    expect(runCli(['migrate', '--spec', 'openapi.yaml', '--check'], { cwd: declared }).code).toBe(0);
    const ruled = project({
      'openapi.yaml': doc(),
      'mtls-fix.config.yaml': 'rules:\n  mtls-unchecked: warn\n',
    });
    const run = runCli(['migrate', '--spec', 'openapi.yaml', '--check'], { cwd: ruled });
    expect(run.code).toBe(0);
    expect(failLines(run.stderr)).toEqual([]);
  });

  it('two documents, one without mTLS: that one is named', () => {
    const cwd = project({
      'openapi.yaml': MTLS_DOC.replace('/accounts/{id}', '/other'),
      'public.yaml': doc(),
    });
    const run = runCli(['migrate', '--spec', 'openapi.yaml', '--spec', 'public.yaml', '--check', '--json'], {
      cwd,
    });
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as MigrateReport).coverage?.unchecked).toEqual([
      { document: 'public.yaml', operations: 1 },
    ]);
  });

  it('an mTLS document that leaves a public 403 alone still passes', () => {
    const cwd = project({
      'src/app.ts': APP.replace(
        'export default',
        "app.get('/other', (req, res) => res.send('ok'));\nexport default",
      ),
      'openapi.yaml': MTLS_DOC.replace('/accounts/{id}', '/other').replace(
        'paths:',
        "paths:\n  /accounts/{id}:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n",
      ),
    });
    const run = runCli(['migrate', '--spec', 'openapi.yaml', '--check', '--json'], { cwd });
    const report = JSON.parse(run.stdout) as MigrateReport;
    expect(report.coverage?.notReached).toBe(1);
    expect(report.coverage?.unchecked).toBeUndefined();
    expect(run.code).toBe(0);
  });
});
