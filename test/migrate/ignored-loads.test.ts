import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { checkFails } from '../../src/migrate/report.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { runCli, tempProject } from '../helpers/cli.js';

// breaker33 #07: a git-ignored, untracked file holding a 403 (a generated router in src/generated/ that app.js
// requires) was skipped `ignored-by-git` with only a count: "no file held a 403 form", --check passed. A git-ignored
// file that a scanned file loads and that holds a 403 form is now named and fails --check; ignored build output
// nothing scanned loads stays a count.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function repo(files: Record<string, string>): string {
  const cwd = tempProject({ 'package.json': JSON.stringify({ dependencies: { express: '^5' } }), ...files });
  temps.push(cwd);
  const git = (...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.email=t@x', '-c', 'user.name=t', 'commit', '-qm', 'base');
  return cwd;
}
/** Files written after the commit: untracked, in folders .gitignore lists. */
function untracked(cwd: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
}
async function check(cwd: string, exclude?: string[]): Promise<MigrateReport> {
  return (await migrate({ cwd, status: 401, mode: 'check', exclude })).report;
}

const ROUTER =
  "exports.register = (app) => {\n  app.get('/accounts', (req, res) => res.status(403).end());\n};\nexports.default = exports.register;\n";
const ESM_ROUTER =
  "export function register(app: any) {\n  app.get('/accounts', (req: any, res: any) => res.status(403).end());\n}\n";

describe('a git-ignored file the scanned source loads', () => {
  it.each([
    [
      'require',
      { 'src/app.js': "const { register } = require('./generated/routes');\n" },
      'src/generated/routes.js',
      ROUTER,
    ],
    [
      'a static import of the .js name of a .ts file',
      { 'src/app.ts': "import { register } from './generated/routes.js';\nregister(null);\n" },
      'src/generated/routes.ts',
      ESM_ROUTER,
    ],
    [
      'import() of the folder (its index)',
      { 'src/app.js': "async function load() { return import('./generated'); }\nload();\n" },
      'src/generated/index.js',
      ROUTER,
    ],
    [
      'a tsconfig paths alias',
      {
        'tsconfig.json': JSON.stringify({
          compilerOptions: { baseUrl: '.', paths: { '@gen/*': ['src/generated/*'] } },
        }),
        'src/app.ts': "import { register } from '@gen/routes';\nregister(null);\n",
      },
      'src/generated/routes.ts',
      ESM_ROUTER,
    ],
  ])('is named and fails --check: %s', async (_name, files, router, text) => {
    const cwd = repo({ '.gitignore': 'src/generated/\n', ...files });
    untracked(cwd, { [router]: text });
    const report = await check(cwd);
    expect(report.skipped['ignored-by-git']).toBe(1);
    expect(report.ignoredLoads).toEqual([
      { file: router, line: 2, column: expect.any(Number) as number, importer: Object.keys(files).at(-1) },
    ]);
    expect(
      report.warnings.find((w) => w.startsWith(`${router}:2: a 403 form in a file git ignores`)),
    ).toContain(`but ${Object.keys(files).at(-1)} loads it: it is generated? regenerate it from its source`);
    expect(report.census.notRead).toEqual({ 'ignored-by-git': 1 });
    expect(checkFails(report)).toBe(true);
  });

  it('through an ignored barrel that holds no 403 itself', async () => {
    const cwd = repo({
      '.gitignore': 'src/generated/\n',
      'src/app.js': "const gen = require('./generated');\ngen.register();\n",
    });
    untracked(cwd, {
      'src/generated/index.js': "module.exports = require('./routes');\n",
      'src/generated/routes.js': ROUTER,
    });
    const report = await check(cwd);
    expect(report.ignoredLoads?.map((l) => [l.file, l.importer])).toEqual([
      ['src/generated/routes.js', 'src/app.js'],
    ]);
  });

  it('stays a count when nothing scanned loads it, only a test does, or migrate.exclude lists it', async () => {
    const cwd = repo({
      '.gitignore': 'dist/\nsrc/generated/\nlib/out/\n',
      'src/app.js': "const express = require('express');\nmodule.exports = express();\n",
      'test/app.test.js': "const { register } = require('../src/generated/routes');\n",
      'src/uses-out.js': "require('../lib/out/routes');\n",
    });
    untracked(cwd, {
      // Build output of the app: nothing scanned loads it.
      'dist/app.js': ROUTER,
      // Loaded by a test only (tests are not scanned without --include-tests).
      'src/generated/routes.js': ROUTER,
      // Loaded by a scanned file, but migrate.exclude lists it.
      'lib/out/routes.js': ROUTER,
    });
    const report = await check(cwd, ['lib/out/**']);
    expect(report.ignoredLoads).toBeUndefined();
    expect(report.warnings.filter((w) => w.includes('git ignores'))).toEqual([]);
    expect(report.census.notRead).toEqual({});
    expect(checkFails(report)).toBe(false);
  });

  it('end to end on the sources thread and in place: breaker33 #07', () => {
    const cwd = repo({
      '.gitignore': 'src/generated/\n',
      'src/app.js':
        "const express = require('express');\nconst { register } = require('./generated/routes');\nconst app = express();\nregister(app);\nmodule.exports = app;\n",
    });
    untracked(cwd, { 'src/generated/routes.js': ROUTER });
    const envs: Record<string, string>[] = [{}, { MTLS_FIX_SOURCES_WORKER: 'never' }];
    for (const env of envs) {
      const run = runCli(['migrate', '.', '--check'], { cwd, env });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'mtls-fix: warning: src/generated/routes.js:2: a 403 form in a file git ignores, not scanned, but src/app.js loads it',
      );
      expect(run.stdout).toContain('1 not read (ignored-by-git 1)');
      expect(run.stdout).toContain('--check fails: 1 file git ignores holds a 403 form');
    }
  });
});
