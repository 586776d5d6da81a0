import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { countOccurrences } from '../../src/migrate/not-read.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { runCli, tempProject } from '../helpers/cli.js';

// breaker28 #04: the census and the modules line counted only files that parsed, so a run whose only 403s sat
// in files it could not read said "census 0 occurrences of 403" and "modules none (no file held a 403 form)".
// Every kind of unread file the run names now counts in the census's `notRead`, by reason.
const temps: string[] = [];
function project(files: Record<string, string | Buffer>): string {
  const dir = tempProject(files);
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const EXPRESS = JSON.stringify({ dependencies: { express: '^5' } });

async function census(cwd: string, paths?: string[]): Promise<MigrateReport['census']> {
  const { report } = await migrate({ cwd, paths, status: 401, mode: 'check' });
  const c = report.census;
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  // The classes still add up to the occurrences.
  expect(c.rewritten + c.manual + c.ignored + c.outOfScope + sum(c.notAnEmit) + sum(c.notRead)).toBe(
    c.occurrences,
  );
  return c;
}

describe('census of files not read', () => {
  it.each([
    [
      'a file that does not parse',
      'src/broken.ts',
      "app.get('/b', (req, res) => { res.status(403).send('no');\n",
      'parse-error',
    ],
    [
      'a Svelte component',
      'src/Deny.svelte',
      '<script>\n  export let status = 403;\n</script>\n',
      'unsupported-language',
    ],
    [
      'a Vue component',
      'src/Deny.vue',
      '<template><p/></template>\n<script>\nthrow createError({ statusCode: 403 })\n</script>\n',
      'unsupported-language',
    ],
    [
      'CoffeeScript',
      'src/app.coffee',
      'app.get "/a", (req, res) -> res.status(403).end()\n',
      'unsupported-language',
    ],
    [
      'a Go service',
      'svc/main.go',
      'func h(w http.ResponseWriter) { w.WriteHeader(403) }\n',
      'unsupported-language',
    ],
    [
      'a minified bundle named .min.js',
      'public/app.min.js',
      'a.get("/x",function(q,r){r.status(403)});\n',
      'minified',
    ],
  ])('%s', async (_what, file, text, reason) => {
    const cwd = project({ 'package.json': EXPRESS, 'src/ok.ts': 'export const ok = 1;\n', [file]: text });
    const c = await census(cwd);
    expect(c.notRead).toEqual({ [reason]: 1 });
    expect(c.occurrences).toBe(1);
  });

  it('a UTF-16 file holding a 403 form', async () => {
    const code = "const app = require('express')();\napp.get('/u', (q, r) => r.status(403).end());\n";
    const cwd = project({
      'package.json': EXPRESS,
      'u16.js': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(code, 'utf16le')]),
      'clean16.js': Buffer.from('export const ok = 1;\n', 'utf16le'),
    });
    expect((await census(cwd)).notRead).toEqual({ 'not-utf8': 1 });
  });

  it('a bundle recognised by its text, and a file git tracks under node_modules', async () => {
    // A bundler's output: one line of thousands of characters, a hashed name, no `.min.` (two 403 forms).
    const line = `!function(){${'var a=1;'.repeat(300)}e.status(403).send("Forbidden")}();\n`;
    const cwd = project({
      'package.json': EXPRESS,
      'src/ok.ts': 'export const ok = 1;\n',
      'public/main.3f2a9c1e.js': line,
      'packages/node_modules/tool/index.ts': 'export const code = 403\n',
    });
    const git = (...args: string[]) => expect(spawnSync('git', args, { cwd }).status).toBe(0);
    git('init', '-q');
    git('add', '-f', '.');
    const c = await census(cwd);
    expect(c.notRead).toEqual({ minified: 2, 'node-modules': 1 });
  });

  it('counts every form by text, beside the parsed files', async () => {
    const cwd = project({
      'package.json': EXPRESS,
      'src/app.ts':
        "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => res.status(403).end());\n",
      'src/broken.ts': "// Forbidden\napp.get('/b', (req, res) => { res.status(403).send('Forbidden');\n",
    });
    const c = await census(cwd);
    expect(c.rewritten).toBe(1);
    expect(c.notRead).toEqual({ 'parse-error': 3 });
    expect(c.occurrences).toBe(4);
  });

  it('countOccurrences counts the census spellings', () => {
    expect(countOccurrences('res.status(403); HTTP_403; 0x193; "Forbidden"; PERMISSION_DENIED; 4031')).toBe(
      5,
    );
  });

  it('the summary says what was not read, in text and --json (the repro)', () => {
    const cwd = project({
      'package.json': EXPRESS,
      'src/broken.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.get('/broken', (req, res) => { res.status(403).send('no'); ",
        'export default app;',
        '',
      ].join('\n'),
      'src/Deny.svelte': '<script>\n  export let status = 403;\n</script>\n',
    });
    const run = runCli(['migrate', '.', '--dry-run'], { cwd });
    expect(run.stdout).toContain(
      'census 2 occurrences of 403: 0 to rewrite, 0 manual, 0 ignored, 0 not an emit, 2 not read (parse-error 1, unsupported-language 1)',
    );
    expect(run.stdout).not.toContain('no file held a 403 form');
    expect(run.stdout).toContain(
      'modules none (no file read held a 403 form; 2 occurrences of 403 in files not read',
    );
    const json = runCli(['migrate', '.', '--dry-run', '--json'], { cwd });
    const report = JSON.parse(json.stdout) as MigrateReport;
    expect(report.census.occurrences).toBe(2);
    expect(report.census.notRead).toEqual({ 'parse-error': 1, 'unsupported-language': 1 });
  });

  it('a clean folder still says no file held a 403 form', () => {
    const cwd = project({ 'package.json': EXPRESS, 'src/ok.ts': 'export const ok = 1;\n' });
    writeFileSync(path.join(cwd, 'README.md'), 'nothing\n');
    const run = runCli(['migrate', '.', '--dry-run'], { cwd });
    expect(run.stdout).toContain(
      'census 0 occurrences of 403: 0 to rewrite, 0 manual, 0 ignored, 0 not an emit\n',
    );
    expect(run.stdout).toContain('modules none (no file held a 403 form)');
  });
});
