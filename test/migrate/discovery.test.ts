import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MtlsFixError } from '../../src/errors.js';
import { discoverFiles, discoverFilesWith } from '../../src/migrate/discover.js';
import { startGitIndex } from '../../src/migrate/git-index.js';
import { migrate } from '../../src/migrate/index.js';
import { checkFails } from '../../src/migrate/report.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { classifyExtraFile } from '../../src/migrate/unscanned.js';
import { tempProject } from '../helpers/cli.js';

// Per-file module selection (DESIGN §6) and discovery (what is scanned, what is skipped and why), through the
// library entry point on temp projects.
const temps: string[] = [];
function project(files: Record<string, string>): string {
  const dir = tempProject(files);
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function check(cwd: string, paths?: string[]): Promise<MigrateReport> {
  const { report } = await migrate({ cwd, paths, status: 401, mode: 'check' });
  const c = report.census;
  const notAnEmit = Object.values(c.notAnEmit).reduce((a, b) => a + b, 0);
  // The census adds up, always.
  const notRead = Object.values(c.notRead).reduce((a, b) => a + b, 0);
  expect(c.rewritten + c.manual + c.ignored + c.outOfScope + notAnEmit + notRead).toBe(c.occurrences);
  return report;
}

const NEST_PACKAGE = JSON.stringify({
  dependencies: { '@nestjs/common': '^12', '@nestjs/core': '^12', '@nestjs/platform-express': '^12' },
  devDependencies: { '@types/express': '^5', '@nestjs/testing': '^12' },
});

describe('modules per file', () => {
  it('a Nest project as the Nest CLI generates it: Express typings in a middleware are rewritten', async () => {
    const cwd = project({
      'package.json': NEST_PACKAGE,
      'src/cert.middleware.ts': [
        "import { Injectable, NestMiddleware } from '@nestjs/common';",
        "import type { NextFunction, Request, Response } from 'express';",
        '@Injectable() export class CertMiddleware implements NestMiddleware {',
        "  use(req: Request, res: Response, next: NextFunction) { return res.status(403).json({ message: 'no' }); } }",
        '',
      ].join('\n'),
      'src/accounts.controller.ts': [
        "import { Controller, Get, Res, HttpStatus } from '@nestjs/common';",
        "import type { Response } from 'express';",
        "@Controller('accounts') export class AccountsController {",
        '  @Get() list(@Res() res: Response) { return res.status(HttpStatus.FORBIDDEN).send(); } }',
        '',
      ].join('\n'),
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => [s.file, s.action, s.replacement])).toEqual([
      ['src/accounts.controller.ts', 'would-rewrite', 'res.status(HttpStatus.UNAUTHORIZED)'],
      ['src/cert.middleware.ts', 'would-rewrite', 'res.status(401)'],
    ]);
    expect(report.frameworks).toEqual(expect.arrayContaining(['express', 'nestjs']));
  });

  it('a workspace package with its own package.json: Fastify under a root that lists Koa', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ workspaces: ['apps/*'], dependencies: { koa: '^2' } }),
      'apps/api/package.json': JSON.stringify({ dependencies: { fastify: '^5' } }),
      'apps/api/src/routes.js': [
        'export default async function routes(app) {',
        "  app.get('/x', async (request, reply) => reply.code(403).send({ message: 'no' }));",
        '}',
        '',
      ].join('\n'),
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => [s.file, s.framework, s.action])).toEqual([
      ['apps/api/src/routes.js', 'fastify', 'would-rewrite'],
    ]);
  });
});

describe('discovery', () => {
  const handler = (name: string) =>
    `import type { Response } from 'express';\nexport const ${name} = (res: Response) => res.status(403).end();\n`;

  it('skips output folders only at the root of a scanned path, and says so', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/build/handler.ts': handler('a'),
      'dist/handler.js': handler('b'),
      'coverage/x.js': handler('c'),
      'types/x.d.ts': 'export declare const FORBIDDEN: 403;\n',
      'vendor/lib.min.js': 'res.status(403)',
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => s.file)).toEqual(['src/build/handler.ts']);
    expect(report.skipped).toEqual({ declaration: 1, generated: 2, minified: 1 });
  });

  // breaker27 #02: Remix / React Router's documented server-only folder `app/.server/` was never walked nor
  // counted, so its 403 passed --check unnamed.
  it("walks the project's dot folders (`app/.server/`), never tools' ones nor dot files", async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'app/.server/perm.ts': handler('a'),
      '.functions/deny.ts': handler('b'),
      '.github/actions/notify/index.js': handler('c'),
      '.yarn/releases/yarn-4.0.0.cjs': handler('d'),
      '.husky/check.js': handler('e'),
      'src/.eslintrc.js': handler('f'),
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => s.file).sort()).toEqual(['.functions/deny.ts', 'app/.server/perm.ts']);
    expect(report.summary.filesScanned).toBe(2);
  });

  it("respects git's ignore list and follows a directory symlink once", async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      '.gitignore': 'legacy/\n*.generated.ts\n',
      'src/a.ts': handler('a'),
      'src/api.generated.ts': handler('g'),
      'legacy/old.ts': handler('o'),
    });
    expect(spawnSync('git', ['init', '-q'], { cwd }).status).toBe(0);
    mkdirSync(path.join(cwd, 'linked'));
    symlinkSync(path.join(cwd, 'src'), path.join(cwd, 'linked/src'), 'dir');
    const report = await check(cwd);
    expect(report.sites.map((s) => s.file)).toEqual(['src/a.ts']);
    // legacy/old.ts, and src/api.generated.ts under both of its spellings.
    expect(report.skipped).toEqual({ 'ignored-by-git': 3, 'symlink-duplicate': 1 });
  });

  it("gives the same files with git's answers asked ahead (the sources thread's way) as asked in place", async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      '.gitignore': 'legacy/\n*.generated.ts\n',
      'app/src/a.ts': handler('a'),
      'app/src/tracked.generated.ts': handler('t'),
      'app/src/api.generated.ts': handler('g'),
      'app/lib/untracked.ts': handler('u'),
      'legacy/old.ts': handler('o'),
    });
    const git = (...args: string[]) => expect(spawnSync('git', args, { cwd }).status).toBe(0);
    git('init', '-q');
    // A tracked file is never ignored, even when a pattern names it.
    git('add', '-f', 'app/src/tracked.generated.ts', 'app/src/a.ts');
    for (const [folder, paths] of [
      [cwd, ['.']],
      [path.join(cwd, 'app'), ['.', '../legacy']],
    ] as const) {
      const here = discoverFiles(folder, paths, []);
      const ahead = await discoverFilesWith(folder, paths, [], startGitIndex(folder));
      expect(ahead).toEqual(here);
      expect(here.files.some((f) => f.relative.endsWith('tracked.generated.ts'))).toBe(true);
      expect(here.skipped['ignored-by-git']).toBe(2); // api.generated.ts, legacy/old.ts
    }
    // Outside a work tree: nothing is ignored, both ways.
    const outside = project({ '.gitignore': '*.ts\n', 'a.ts': handler('a') });
    expect(await discoverFilesWith(outside, ['.'], [], startGitIndex(outside))).toEqual(
      discoverFiles(outside, ['.'], []),
    );
  });

  it('names source git tracks under a node_modules folder (a Node-RED layout), never skipping it in silence', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'packages/node_modules/@acme/api/lib/admin.js': [
        'module.exports = (req, res) => res.status(403).send("no")',
        '',
      ].join('\n'),
      'packages/node_modules/@acme/api/lib/plain.js': 'module.exports = 1\n',
      'packages/node_modules/tool/index.ts': 'export const code = 403\n',
      'packages/node_modules/vendored/index.js': 'module.exports = (req, res) => res.sendStatus(403)\n',
      // Installed, not tracked: a dependency as npm puts it there.
      'node_modules/express/lib/send.js': 'module.exports = (res) => res.status(403)\n',
      'test/admin.test.js': 'it("x", () => {})\n',
    });
    const git = (...args: string[]) => expect(spawnSync('git', args, { cwd }).status).toBe(0);
    git('init', '-q');
    git('add', '-f', 'packages', 'test', 'package.json');
    const paths = ['packages', 'test'];
    const here = discoverFiles(cwd, paths, ['packages/node_modules/vendored/**']);
    expect(
      await discoverFilesWith(cwd, paths, ['packages/node_modules/vendored/**'], startGitIndex(cwd)),
    ).toEqual(here);
    expect(here.skipped).toEqual({ 'node-modules': 2 });
    expect(here.warnings).toEqual([
      'packages/node_modules/@acme/api/lib/admin.js:1: a 403 form in a file git tracks under a node_modules folder, not scanned (mtls-fix reads node_modules as installed dependencies). If it is your code, name its folder (mtls-fix migrate packages/node_modules/@acme/api); if it is a vendored dependency, list it in migrate.exclude.',
      'packages/node_modules/tool/index.ts:1: a 403 form in a file git tracks under a node_modules folder, not scanned (mtls-fix reads node_modules as installed dependencies). If it is your code, name its folder (mtls-fix migrate packages/node_modules/tool); if it is a vendored dependency, list it in migrate.exclude.',
    ]);
    // Through the command: --check fails on them; with nothing else to scan, the error says what to do.
    const report = await check(cwd, ['packages', 'test']);
    expect(report.skipped['node-modules']).toBe(3);
    expect(checkFails(report)).toBe(true);
    await expect(check(cwd, ['packages'])).rejects.toThrow(/skipped: 3 node-modules/);
    // Named, the folder is scanned (and the installed dependency at the root is never named).
    const named = await check(cwd, ['packages/node_modules/@acme/api']);
    expect(named.sites.map((s) => [s.file, s.action])).toEqual([
      ['packages/node_modules/@acme/api/lib/admin.js', 'would-rewrite'],
    ]);
    expect(named.skipped).toEqual({});
    expect((await check(cwd, ['.'])).skipped['node-modules']).toBe(3);
  });

  // breaker29 #01: a committed build/ or out/ folder holding the only 403 read "0 occurrences", --check exit 0.
  it('names output-folder files git keeps that hold a 403 form; ignored or excluded ones stay quiet', async () => {
    const server =
      'const http = require("http");\nhttp.createServer((q, s) => { s.writeHead(403); s.end(); });\n';
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      '.gitignore': 'dist/\n',
      'src/index.ts': 'export const ok = 1;\n',
      'build/server.js': server,
      'out/lib/deny.mjs': 'export default (req, res) => res.sendStatus(403);\n',
      'build/plain.js': 'module.exports = 1;\n',
      // A bundle of sources and dependencies (a GitHub Action's ncc output): like installed dependencies, not named.
      'out/bundle.js': 'var __nccwpck_require__ = {};\nvar HttpCodes = { Forbidden: 403 };\n',
      // Ignored by git: build output as most projects keep it, never named.
      'dist/server.js': server,
      // Listed in migrate.exclude: the user said it is not served.
      'coverage/lcov-report/sorter.js': 'var HTTP_FORBIDDEN = 403;\n',
      'services/api/build/app.js': server,
    });
    const git = (...args: string[]) => expect(spawnSync('git', args, { cwd }).status).toBe(0);
    git('init', '-q');
    git('add', '.');
    const found = await discoverFilesWith(cwd, ['.', 'services/api'], ['coverage/**'], startGitIndex(cwd));
    expect(found).toEqual(discoverFiles(cwd, ['.', 'services/api'], ['coverage/**']));
    expect(found.generated).toEqual([
      { file: 'build/server.js', line: 2, column: 43 },
      { file: 'out/lib/deny.mjs', line: 1, column: 45 },
      { file: 'services/api/build/app.js', line: 2, column: 43 },
    ]);
    expect(found.warnings).toContain(
      'services/api/build/app.js:2: a 403 form in an output folder (services/api/build), not scanned: rewrite the source it is built from and rebuild it; if services/api/build is your source, name it (mtls-fix migrate services/api/build); if it is never served, list it in migrate.exclude.',
    );
    // Through the command (nothing excluded): counted as not read, and --check fails on them.
    const report = await check(cwd);
    expect(report.generated?.map((g) => g.file)).toEqual([
      'build/server.js',
      'coverage/lcov-report/sorter.js',
      'out/lib/deny.mjs',
    ]);
    expect(report.census.notRead).toEqual({ generated: 4 });
    expect(checkFails(report)).toBe(true);
    // Excluded, or named as the source: nothing left unscanned.
    const excluded = await migrate({
      cwd,
      status: 401,
      mode: 'check',
      exclude: ['build/**', 'out/**', 'coverage/**'],
    });
    expect(excluded.report.generated).toBeUndefined();
    expect(excluded.report.census.notRead).toEqual({});
    const named = await check(cwd, ['build']);
    expect(named.sites.map((s) => s.file)).toEqual(['build/server.js']);
    expect(named.generated).toBeUndefined();
    // Only output folders: the error says which file holds the 403 and what to name.
    rmSync(path.join(cwd, 'src'), { recursive: true });
    rmSync(path.join(cwd, 'services'), { recursive: true });
    const error: unknown = await check(cwd, ['.']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MtlsFixError);
    expect((error as MtlsFixError).message).toMatch(/no source files .*skipped: .*generated/);
    expect((error as MtlsFixError).hint).toMatch(
      /build\/server\.js:2, .*name the folder if it is your source \(mtls-fix migrate build\)/,
    );
  });

  // breaker27 #03: both names of a hard-linked file were read; the second write failed "changed while mtls-fix ran".
  it('reads a hard-linked file once, under its first name, and writes it once', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/a.ts': handler('a'),
    });
    linkSync(path.join(cwd, 'src/a.ts'), path.join(cwd, 'src/b.ts'));
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(report.sites.map((s) => `${s.file} ${s.action}`)).toEqual(['src/a.ts rewritten']);
    expect(report.errors).toEqual([]);
    expect(report.skipped).toEqual({ 'hard-link-duplicate': 1 });
    expect(readFileSync(path.join(cwd, 'src/b.ts'), 'utf8')).toContain('res.status(401)');
  });

  // breaker32 #05: `src/server.JS` (Node runs it with its CommonJS loader) was left out of the walk and a dangling
  // `src/gone.js` link passed without a word: "1 scanned, 1 would change", exit 0, the route in server.JS untouched.
  it('walks source extensions in any case, and names a tracked symbolic link it cannot follow', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/ok.js': "const app = require('express')();\napp.get('/b', (req, res) => res.status(403).end());\n",
      'src/server.JS':
        "const app = require('express')();\napp.get('/a', (req, res) => res.status(403).end());\n",
      'src/Routes.Mts':
        "import { Router } from 'express';\nexport const r = Router().get('/c', (req, res) => res.sendStatus(403));\n",
    });
    symlinkSync('../nowhere.js', path.join(cwd, 'src/gone.js'));
    symlinkSync('loop.ts', path.join(cwd, 'src/loop.ts'));
    const git = (...args: string[]) => expect(spawnSync('git', args, { cwd }).status).toBe(0);
    git('init', '-q');
    git('add', '-A');
    const here = discoverFiles(cwd, ['.'], []);
    expect(await discoverFilesWith(cwd, ['.'], [], startGitIndex(cwd))).toEqual(here);
    expect(here.files.map((f) => f.relative)).toEqual(['src/Routes.Mts', 'src/ok.js', 'src/server.JS']);
    expect(here.skipped).toEqual({ 'broken-link': 2 });
    expect(here.warnings).toEqual([
      'src/gone.js: a symbolic link to a missing file (or a loop of links), so it was not read: fix or remove the link, or list it in migrate.exclude.',
      'src/loop.ts: a symbolic link to a missing file (or a loop of links), so it was not read: fix or remove the link, or list it in migrate.exclude.',
    ]);
    const report = await check(cwd);
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
      'src/Routes.Mts:2 would-rewrite',
      'src/ok.js:2 would-rewrite',
      'src/server.JS:2 would-rewrite',
    ]);
  });

  it('reads a file symlink as its target: a second spelling of a scanned file is a duplicate', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/a.ts': handler('a'),
      'vendor/v.ts': handler('v'),
    });
    symlinkSync(path.join(cwd, 'src/a.ts'), path.join(cwd, 'src/alias.ts'), 'file');
    symlinkSync(path.join(cwd, 'vendor/v.ts'), path.join(cwd, 'src/v.ts'), 'file');
    const report = await check(cwd, ['src']);
    // src/alias.ts is src/a.ts again; src/v.ts is the only spelling of vendor/v.ts scanned.
    expect(report.sites.map((s) => s.file)).toEqual(['src/a.ts', 'src/v.ts']);
    expect(report.skipped).toEqual({ 'symlink-duplicate': 1 });
  });

  // Session 26 (a new user's trial): `src/linkdir` linked to a folder outside the repository, and migrate rewrote the
  // file there: "9 changed" while git showed 8, beyond the clean-tree check and any undo.
  it('skips and names a file a symbolic link leads out of the git work tree, and fails --check on it', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/a.ts': handler('a'),
    });
    const elsewhere = project({ 'out.ts': handler('out') });
    expect(spawnSync('git', ['init', '-q'], { cwd }).status).toBe(0);
    symlinkSync(elsewhere, path.join(cwd, 'src/linkdir'), 'dir');
    const report = await check(cwd, ['src']);
    expect(report.sites.map((s) => s.file)).toEqual(['src/a.ts']);
    expect(report.skipped).toEqual({ 'outside-work-tree': 1 });
    expect(report.warnings).toEqual([
      expect.stringMatching(
        /^src\/linkdir\/out\.ts: a symbolic link leads it out of the git work tree \(to .*out\.ts\), so it was not scanned/,
      ),
    ]);
    expect(checkFails(report)).toBe(true);
    // Named itself, the folder is scanned: the user asked for it.
    expect((await check(elsewhere, ['.'])).sites.map((s) => s.file)).toEqual(['out.ts']);
  });

  // Session 26 (house26): a Jest setup file at the root (package.json `jest.setupFilesAfterEnv`) stubbing a route
  // with `res.status(403)` was read as a server and rewritten, and the suite then failed.
  it('reads the files a test runner loads before every test as tests', async () => {
    const cwd = project({
      'package.json': JSON.stringify({
        dependencies: { express: '^5' },
        jest: { setupFilesAfterEnv: ['<rootDir>/jest.setup.js'] },
      }),
      'jest.setup.js': "jest.mock('./src/auth', () => ({ guard: (req, res) => res.status(403).end() }));\n",
      '.mocharc.yml': 'require:\n  - test-helpers/stubs.js\n',
      'test-helpers/stubs.js': 'module.exports = (req, res) => res.status(403).end();\n',
      'src/a.ts': handler('a'),
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => s.file)).toEqual(['src/a.ts']);
    expect(report.skipped).toEqual({ test: 2 });
  });

  it('applies the default excludes to explicitly named files, with a warning', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/a.ts': handler('a'),
      'dist/b.js': handler('b'),
    });
    const report = await check(cwd, ['src/a.ts', 'dist/b.js']);
    expect(report.sites.map((s) => s.file)).toEqual(['src/a.ts']);
    expect(report.warnings).toEqual(['dist/b.js: skipped (generated); it is not scanned even when named.']);
    const minified = project({ 'x.min.js': 'res.status(403)' });
    await expect(migrate({ cwd: minified, paths: ['x.min.js'], status: 401, mode: 'check' })).rejects.toThrow(
      /no source files .* \(skipped: 1 minified\)/,
    );
  });

  // breaker27 #04: a hook hands over what is staged; a commit of a declaration file, a committed build or a minified
  // file without a 403 form alone was refused with "no source files" (exit 2).
  it('passes files named alone that are skipped for what they are and hold no 403 form, with their warnings', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/env.d.ts': 'declare module "*.svg" { const s: string; export default s; }\n',
      'dist/index.js': 'module.exports = 1;\n',
      'dist/deny.js': handler('b'),
      'vendor/x.min.js': 'module.exports=1;',
    });
    const report = await check(cwd, ['src/env.d.ts', 'dist/index.js', 'vendor/x.min.js']);
    expect(report.sites).toEqual([]);
    expect(report.skipped).toEqual({ declaration: 1, generated: 1, minified: 1 });
    expect(report.warnings).toHaveLength(3);
    expect(checkFails(report)).toBe(false);
    // Build output that holds a 403 form is not harmless (breaker29 #01): named, and --check fails.
    const deny = await check(cwd, ['src/env.d.ts', 'dist/deny.js']);
    expect(deny.generated).toMatchObject([{ file: 'dist/deny.js', line: 2 }]);
    expect(checkFails(deny)).toBe(true);
    // A folder with nothing to scan is still an error: the path is probably wrong.
    await expect(migrate({ cwd, paths: ['src'], status: 401, mode: 'check' })).rejects.toThrow(
      /no source files/,
    );
    // Run in the folder itself (no paths): the message names it in words, never as "under .."
    await expect(migrate({ cwd: path.join(cwd, 'src'), status: 401, mode: 'check' })).rejects.toThrow(
      /no source files \(.*\) under the current folder \(skipped: 1 declaration\)\./,
    );
  });

  it('skips a minified bundle by its text, whatever its name, and names it when it holds a 403 form', async () => {
    // A bundler's output: one line of thousands of characters, with a hashed name and no `.min.`.
    const bundle = `!function(){${'var a=1;'.repeat(300)}e.status(403).send("no")}();\n//# sourceMappingURL=main.js.map\n`;
    const cleanBundle = `!function(){${'var b=2;'.repeat(300)}}();\n`;
    // Hand-written code with one long line (a data URL) among ordinary ones is source, and is scanned.
    const longLine = `const logo = "data:image/png;base64,${'A'.repeat(1200)}";\n${'const x = 1;\n'.repeat(20)}app.get('/l', (req, res) => res.status(403).end());\n`;
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/a.ts': handler('a'),
      'public/static/js/main.3f2a9c1e.js': bundle,
      'public/static/js/vendor.77aa01.js': cleanBundle,
      'src/long.js': longLine,
      // Minified by name: the one holding a 403 form is named too, the other only counted.
      'public/vendor/client.min.js': 'var m={403:"Forbidden"};',
      'public/vendor/plain.min.js': 'var x=1;',
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => s.file)).toEqual(['src/a.ts', 'src/long.js']);
    // Only a file with a 403 form is read past the prefilter: the clean bundle is never looked at.
    expect(report.skipped).toEqual({ minified: 3 });
    // Four source files: the skipped bundle is not counted as scanned.
    expect(report.summary.filesScanned).toBe(3);
    expect(report.warnings).toEqual([
      'public/vendor/client.min.js: minified (by its name), not scanned although it holds a 403 form at line 1, ' +
        'column 8. Rewrite the source it is built from and rebuild it, or list it in migrate.exclude if it is a ' +
        'vendored bundle.',
      'public/static/js/main.3f2a9c1e.js: minified (lines of 1,237 characters on average, the longest 2,440), ' +
        'not scanned although it holds a 403 form at line 1, column 2,422. Rewrite the source it is built from ' +
        'and rebuild it, or list it in migrate.exclude if it is a vendored bundle.',
    ]);
    // The two scanned sites, and the bundles' three 403 forms, not read (breaker28 #04).
    expect(report.census.occurrences).toBe(5);
    expect(report.census.notRead).toEqual({ minified: 3 });
  });

  // Session 19 (postalsys/emailengine's vendored ace worker): a minified file holding a 403 form was only named in a
  // warning, so `--check` read clean although the file was never scanned.
  it('fails --check on a minified file holding a 403 form, by its text or its name, and lists it', async () => {
    const bundle = `!function(){${'var a=1;'.repeat(300)}e.status(403).send("no")}();\n`;
    const cleanBundle = `!function(){${'var b=2;'.repeat(300)}}();\n`;
    const clean = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/ok.ts': "import express from 'express';\nexport const app = express();\n",
      'public/js/vendor.77aa01.js': cleanBundle,
      'public/js/plain.min.js': 'var x=1;',
    });
    const cleanReport = await check(clean);
    expect(cleanReport.minified).toBeUndefined();
    expect(checkFails(cleanReport)).toBe(false);
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/ok.ts': "import express from 'express';\nexport const app = express();\n",
      'public/js/main.3f2a9c1e.js': bundle,
      'public/vendor/client.min.js': 'var m={403:"Forbidden"};',
    });
    const report = await check(cwd);
    expect(report.summary.manual + report.summary.rewritten).toBe(0);
    expect(report.minified).toEqual([
      { file: 'public/js/main.3f2a9c1e.js', line: 1, column: 2422 },
      { file: 'public/vendor/client.min.js', line: 1, column: 8 },
    ]);
    expect(checkFails(report)).toBe(true);
  });

  // Session 26 (a new user's trial): 43 ordinary lines and one ~99 KB base64 logo made the average line long, so a
  // hand-written app was skipped as a bundle and its 403 never rewritten. A bundle's long lines are code; this is data.
  it('scans a hand-written file whose average line is long only because of an embedded asset', async () => {
    const logo = `const LOGO = 'data:image/png;base64,${'QUJD'.repeat(25000)}';\n`;
    const app = `const express = require('express');\nconst app = express();\n${'// a comment\n'.repeat(40)}${logo}app.get('/x', (req, res) => res.status(403).end());\nmodule.exports = app;\n`;
    const json = `const TABLE = ${JSON.stringify(Array.from({ length: 2000 }, (_, id) => ({ id: id + 5000, name: `n${id}` })))};\n`;
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/app.js': app,
      'src/table.js': `${json}module.exports = (req, res) => res.sendStatus(403);\n`,
      'public/js/main.3f2a9c1e.js': `!function(){${'var a=f(1);'.repeat(300)}e.status(403).send("no")}();\n`,
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => [s.file, s.replacement])).toEqual([
      ['src/app.js', 'res.status(401)'],
      ['src/table.js', 'res.sendStatus(401)'],
    ]);
    expect(report.minified).toEqual([{ file: 'public/js/main.3f2a9c1e.js', line: 1, column: 3322 }]);
  });

  // Session 26: a UTF-16 or UTF-32 source read as UTF-8 hides its 403 behind zero bytes (`4\0 0\0 3\0`), so
  // `--check` passed on files it never read. TypeScript reads UTF-16 files with a BOM; migrate names them.
  it('names a UTF-16 or UTF-32 source that holds a 403 form as an error, and skips one that holds none', async () => {
    const code =
      "const express = require('express');\nconst app = express();\napp.get('/u', (q, r) => r.status(403).end());\n";
    const utf32 = (text: string, little: boolean): Buffer => {
      const out = Buffer.alloc(text.length * 4);
      [...text].forEach((ch, i) =>
        little
          ? out.writeUInt32LE(ch.codePointAt(0) ?? 0, i * 4)
          : out.writeUInt32BE(ch.codePointAt(0) ?? 0, i * 4),
      );
      return out;
    };
    const cwd = project({ 'package.json': JSON.stringify({ dependencies: { express: '^5' } }) });
    writeFileSync(
      path.join(cwd, 'u16bom.js'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(code, 'utf16le')]),
    );
    writeFileSync(path.join(cwd, 'u16be.ts'), Buffer.from(code, 'utf16le').swap16());
    writeFileSync(path.join(cwd, 'u32.js'), utf32(code, true));
    writeFileSync(path.join(cwd, 'clean16.js'), Buffer.from('export const ok = 1;\n', 'utf16le'));
    const report = await check(cwd);
    expect(report.errors.map((e) => e.file).sort()).toEqual(['u16be.ts', 'u16bom.js', 'u32.js']);
    expect(report.errors.find((e) => e.file === 'u16bom.js')?.message).toBe(
      'is UTF-16LE text, byte order mark, and holds a 403 form (line 3); migrate reads and writes UTF-8 only, so it ' +
        'was not scanned. Convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8) and run again.',
    );
    expect(report.errors.find((e) => e.file === 'u32.js')?.message).toMatch(
      /^is UTF-32LE text, no byte order mark/,
    );
    expect(report.skipped).toEqual({ 'not-utf8': 1 });
    expect(report.summary.filesFailed).toBe(3);
  });

  it('scans Node scripts without an extension and names 403s in languages it does not parse', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      // express-generator's entry point: JavaScript by its #! line, no extension.
      'bin/www':
        '#!/usr/bin/env node\nrequire("http").createServer((req, res) => { res.writeHead(403); res.end(); });\n',
      'bin/notes': 'not a script: 403\n',
      server: '#!/usr/bin/env -S node --enable-source-maps\nconst h = (req, res) => res.writeHead(403);\n',
      'src/app.coffee':
        'express = require "express"\napp = express()\napp.get "/a", (req, res) -> res.status(403).end()\n',
      'src/page.vue':
        '<template><p/></template>\n<script>\nthrow createError({ statusCode: 403 })\n</script>\n',
      'src/clean.vue': '<template><p>ok</p></template>\n',
      'README.md': 'We answer 403 here.\n',
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => [s.file, s.replacement])).toEqual([
      ['bin/www', 'res.writeHead(401)'],
      ['server', 'res.writeHead(401)'],
    ]);
    expect(report.skipped).toEqual({ 'unsupported-language': 2 });
    expect(report.warnings).toEqual([
      'src/app.coffee:3: a 403 form in CoffeeScript, which mtls-fix does not parse: review it by hand, or exclude the file (migrate.exclude).',
      'src/page.vue:3: a 403 form in a Vue single-file component, which mtls-fix does not parse: review it by hand, or exclude the file (migrate.exclude).',
    ]);
    // Named, they fail the gate on their own: a clean --check means nothing is left anywhere.
    const only = project({ 'src/a.ts': 'export const x = 1;\n', 'src/app.coffee': 'res.status 403\n' });
    const { report: alone } = await migrate({ cwd: only, status: 401, mode: 'check' });
    expect(alone.summary.manual + alone.summary.rewritten).toBe(0);
    expect(checkFails(alone)).toBe(true);
  });

  // breaker50 (sinnwerkstatt/landmatrix): a Font Awesome icon component's path data holds 403.2; the icon was "a 403
  // form in a Svelte component" and failed --check. The geometry of an <svg> element draws, it answers nothing;
  // a 403 outside it (the component's script, text, another attribute) is still named at its line.
  it.each([
    [
      'src/Icon.svelte',
      '<svg viewBox="0 0 403 512">\n  <path\n    d="M96 64C96 28.65 403.2 0 160 0z" />\n</svg>\n',
      undefined,
    ],
    [
      'src/Icon.vue',
      "<template>\n  <svg><polygon points='1,403 2,3' transform='scale(403)'/></svg>\n</template>\n",
      undefined,
    ],
    [
      'src/Deny.svelte',
      '<script>\n  export let status = 403;\n</script>\n<svg><path d="M403 0" /></svg>\n',
      2,
    ],
    ['src/Page.svelte', '<svg><path d="M1 0" /></svg>\n<p data-code="403">Error 403</p>\n', 2],
    ['src/Script.svelte', "<script>\n  const d = '403';\n</script>\n", 2],
  ])('in %s, a 403 in SVG geometry is no 403 form', (file, text, line) => {
    const absolute = path.join(project({ [file]: text }), file);
    const found = classifyExtraFile(absolute);
    if (line === undefined) expect(found).toEqual({ kind: 'none' });
    else expect(found).toMatchObject({ kind: 'unparsed', line });
  });

  // A 403 form that answers nothing: comments and comparisons (a generated API client's retry on 401/403), while
  // the first form that may answer is named at its own line.
  it.each([
    [
      'client/ApiClient.java',
      '/**\n * Retry on 401/403.\n */\nclass ApiClient {\n  // 403: refresh the token\n  boolean retry(Response r) { return r.code() == HttpURLConnection.HTTP_FORBIDDEN || 403 != r.code(); }\n}\n',
      undefined,
    ],
    [
      'client/api.py',
      '# 403 means an expired token\nif resp.status_code == 403:\n    refresh()\n',
      undefined,
    ],
    [
      'client/api.go',
      'package c\n\n// 403: retry\nif res.StatusCode == http.StatusForbidden {\n}\n',
      undefined,
    ],
    ['client/api.rb', 'url = "https://x/#a" # 403\n# 403\nhead :forbidden\n', 3],
    ['api/deny.php', '<?php\n// 403 below\nhttp_response_code(403);\n', 3],
    ['api/Deny.cs', '/* 403 */ var s = "a // b"; return StatusCode(403);\n', 1],
  ])('names %s only for a 403 form outside comments and comparisons', (file, text, line) => {
    const absolute = path.join(project({ [file]: text }), file);
    const found = classifyExtraFile(absolute);
    if (line === undefined) expect(found).toEqual({ kind: 'none' });
    else expect(found).toMatchObject({ kind: 'unparsed', line });
  });

  it('names 403s in the other server languages of a polyglot repository, not their tests or dependencies', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'web/app.js': "require('express')().get('/a', (req, res) => res.sendStatus(403));\n",
      'accounts/src/main/java/bank/Accounts.java':
        'class Accounts {\n  Object get() { return ResponseEntity.status(HttpStatus.FORBIDDEN).build(); }\n}\n',
      'accounts/src/test/java/bank/AccountsTest.java': 'class AccountsTest { int s = 403; }\n',
      'accounts/target/generated-sources/Gen.java': 'class Gen { int s = 403; }\n',
      'payments/handler.go':
        'package p\n\nfunc h(w http.ResponseWriter) { w.WriteHeader(http.StatusForbidden) }\n',
      'payments/handler_test.go': 'package p\nconst want = 403\n',
      'payments/vendor/lib/x.go': 'package lib\nconst s = 403\n',
      'consents/views.py': 'def deny():\n    return {}, 403\n',
      'consents/test_views.py': 'assert 403\n',
      'consents/venv/lib/site.py': 'x = 403\n',
      'consents/ok.py': 'def ok():\n    return 200\n',
      'Gemfile.rb': 'gem "rails"\n',
      'ios/Client.swift': 'if status == 403 { retry() }\n',
    });
    const report = await check(cwd);
    expect(report.sites.map((s) => s.file)).toEqual(['web/app.js']);
    expect(report.skipped).toEqual({ 'unsupported-language': 3 });
    const also =
      'mtls-fix migrate rewrites JavaScript and TypeScript only: review it by hand, or exclude the file (migrate.exclude).';
    expect(report.warnings).toEqual([
      `accounts/src/main/java/bank/Accounts.java:2: a 403 form in Java; ${also}`,
      `consents/views.py:2: a 403 form in Python; ${also}`,
      `payments/handler.go:3: a 403 form in Go; ${also}`,
    ]);
    expect(checkFails(report)).toBe(true);
    // Acknowledged by excluding them, the gate reads the JavaScript alone.
    const { report: excluded } = await migrate({
      cwd,
      status: 401,
      mode: 'check',
      exclude: ['accounts/**', 'payments/**', 'consents/**'],
    });
    expect(excluded.skipped['unsupported-language']).toBeUndefined();
  });

  it('lists every file of another language in --json past the ten named per language, and names them when nothing else is left', async () => {
    const files: Record<string, string> = {
      'web/app.js': "require('express')().get('/a', (req, res) => res.sendStatus(403));\n",
    };
    for (let i = 0; i < 12; i++)
      files[`api/h${String(i).padStart(2, '0')}.go`] =
        'package api\n\nfunc h(w http.ResponseWriter) { w.WriteHeader(http.StatusForbidden) }\n';
    files['api/ok.go'] = 'package api\nconst ok = 200\n';
    const cwd = project(files);
    const report = await check(cwd);
    expect(report.warnings).toHaveLength(11);
    expect(report.warnings[10]).toBe(
      '... and 2 more files holding a 403 form or a check that answers 403 in Go, not parsed (--json lists every one under unparsed).',
    );
    expect(report.unparsed?.map((u) => `${u.file}:${u.line ?? ''} ${u.language}`)).toEqual(
      Array.from({ length: 12 }, (_, i) => `api/h${String(i).padStart(2, '0')}.go:3 Go`),
    );
    // A folder of Go alone: the error names the files that hold a 403 instead of only counting them.
    await expect(migrate({ cwd, paths: ['api'], status: 401, mode: 'check' })).rejects.toThrow(
      /no source files .* under api \(skipped: 12 unsupported-language\)\. These 12 files hold a 403 form or a check that answers 403 in a language migrate does not rewrite: api\/h00\.go:3 \(Go\), api\/h01\.go:3 \(Go\), api\/h02\.go:3 \(Go\), api\/h03\.go:3 \(Go\), api\/h04\.go:3 \(Go\) and 7 more\./,
    );
    // A named Go file is named as Go, not parsed as TypeScript ("does not parse"); one without a 403 says so.
    const named = await check(cwd, ['api/h00.go', 'api/ok.go', 'web/app.js']);
    expect(named.errors).toEqual([]);
    expect(named.unparsed).toEqual([{ file: 'api/h00.go', line: 3, language: 'Go' }]);
    expect(named.warnings).toEqual([
      'api/ok.go: Go, which mtls-fix migrate does not rewrite; it holds no 403 form.',
      `api/h00.go:3: a 403 form in Go; mtls-fix migrate rewrites JavaScript and TypeScript only: review it by hand, or exclude the file (migrate.exclude).`,
    ]);
  });

  it('names a JSON, YAML or other data file named on the command line as not source, never parsing it as TypeScript (breaker30 #09)', async () => {
    const cwd = project({
      'src/app.js': "require('express')().get('/a', (req, res) => res.sendStatus(403));\n",
      'errors.json': '{ "errors": { "denied": { "status": 403 } } }\n',
      'policy.yaml': 'rules:\n  deny: 403\n',
      'notes.md': '# Notes\nNothing to see.\n',
      'ok.toml': 'port = 8080\n',
    });
    const named = await check(cwd, ['errors.json', 'policy.yaml', 'notes.md', 'ok.toml', 'src/app.js']);
    expect(named.errors).toEqual([]);
    expect(named.sites.filter((s) => s.file !== 'src/app.js')).toEqual([]);
    expect(named.unparsed).toEqual([
      { file: 'errors.json', line: 1, language: 'JSON, not a source file' },
      { file: 'policy.yaml', line: 2, language: 'YAML, not a source file' },
    ]);
    const reads = 'migrate reads source files (.ts .mts .cts .tsx .js .mjs .cjs .jsx .astro)';
    const where =
      'for an OpenAPI document run mtls-fix fix, for proxy or infrastructure configuration mtls-fix detect';
    expect(named.warnings).toEqual([
      `notes.md: Markdown, not a source file; ${reads}, and it holds no 403 form: ${where}.`,
      `ok.toml: TOML, not a source file; ${reads}, and it holds no 403 form: ${where}.`,
      `errors.json:1: a 403 form in JSON, not a source file, not read (${reads}): ${where}; review anything else by hand.`,
      `policy.yaml:2: a 403 form in YAML, not a source file, not read (${reads}): ${where}; review anything else by hand.`,
    ]);
    expect(named.census.notRead).toEqual({ 'not-source': 2 });
    expect(named.skipped).toEqual({ 'not-source': 2 });
    expect(checkFails(named)).toBe(true);
    // Named alone, the error calls them data files, not a language migrate lacks, and says which command reads them.
    const alone = migrate({ cwd, paths: ['errors.json', 'policy.yaml'], status: 401, mode: 'check' });
    await expect(alone).rejects.toThrow(
      /no source files .* under errors\.json, policy\.yaml \(skipped: 2 not-source\)\. These 2 files hold a 403 form and are not source code: errors\.json:1 \(JSON, not a source file\), policy\.yaml:2 \(YAML, not a source file\)\.$/,
    );
    await expect(alone).rejects.toMatchObject({
      hint: `Name the JavaScript or TypeScript server (mtls-fix migrate src/); ${where}.`,
    });
  });

  // Other server languages whose framework answers 403 with no 403 form in the text: named with what the check is.
  const IMPLICIT: [file: string, text: string, line: number | undefined, source: RegExp | undefined][] = [
    [
      'auth/handler.py',
      "def h(event, c):\n    return policy(None, 'Deny', event['methodArn'])\n",
      2,
      /authorizer Deny/,
    ],
    [
      'auth/simple.go',
      'return Response{IsAuthorized: false}\n// "isAuthorized": false\n',
      2,
      /isAuthorized false/,
    ],
    [
      'api/AccountController.java',
      '@RestController\nclass A {\n  @PreAuthorize("hasRole(\'ADMIN\')")\n  void x() {}\n}\n',
      3,
      /Spring Security/,
    ],
    [
      'api/SecurityConfig.kt',
      'http.authorizeHttpRequests { it.requestMatchers("/admin").hasRole("ADMIN") }\n',
      1,
      /Spring Security/,
    ],
    [
      'Api/AccountsController.cs',
      'public IActionResult Get() {\n  if (!ok) return Forbid();\n  return Ok();\n}\n',
      2,
      /ASP\.NET Core/,
    ],
    ['Api/Admin.cs', '[Authorize(Roles = "Admin")]\npublic class Admin {}\n', 1, /ASP\.NET Core/],
    [
      'app/views.py',
      'class V(APIView):\n    permission_classes = [IsAdminUser]\n',
      2,
      /Django REST framework/,
    ],
    ['app/Http/Controllers/C.php', "<?php\n$this->authorize('update', $post);\n", 2, /Laravel/],
    [
      'app/controllers/posts_controller.rb',
      'class P\n  rescue_from Pundit::NotAuthorizedError, with: :deny\nend\n',
      2,
      /Pundit/,
    ],
    // Not a check: a Deny outside an authorizer (an S3 policy in Python), a role name in a string.
    ['infra/bucket.py', "statement = {'Effect': 'Deny', 'Action': 's3:*'}\n", undefined, undefined],
    ['api/Roles.java', 'String ADMIN = "hasRole";\n', undefined, undefined],
  ];
  it.each(IMPLICIT)(
    'names %s when its framework answers 403 without a 403 in the text',
    (file, text, line, source) => {
      const absolute = path.join(project({ [file]: text }), file);
      const found = classifyExtraFile(absolute);
      if (line === undefined) expect(found).toEqual({ kind: 'none' });
      else {
        expect(found).toMatchObject({ kind: 'unparsed', line });
        expect((found as { source?: string }).source).toMatch(source as RegExp);
      }
    },
  );

  it('names a file in an unparsed language it could not read, instead of passing it over', () => {
    // As a user without read permission (or a file gone between listing and reading) meets it.
    const gone = path.join(project({ 'src/a.ts': 'export const x = 1;\n' }), 'src/gone.svelte');
    expect(classifyExtraFile(gone)).toEqual({
      kind: 'unparsed',
      language: 'a Svelte component',
      line: undefined,
    });
  });

  it('counts test files left out without --include-tests', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
      'src/a.ts': handler('a'),
      'src/a.test.ts': 'expect(res.status).toBe(403);\n',
    });
    const report = await check(cwd);
    expect(report.skipped).toEqual({ test: 1 });
  });
});
