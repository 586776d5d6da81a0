import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 29, silence29 (feathersjs-ecosystem/feathers-chat-ts): `app.use('/', express.static(app.get('public')))`
// with `express` from @feathersjs/express, in a project depending on Feathers alone, read clean: the express module
// was off and @feathersjs/express no known producer of 403. Now its static serving is an Implicit 403 site.
// Session 35 (silence35): @feathersjs/express's static is express.static (serve-static), which answers send's 403
// only with fallthrough: false (by default it calls next()): those cases pass it; the default is no site (below).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it.each([
  [
    '@feathersjs/express',
    "import express from '@feathersjs/express';\nexport const web = express.static('public', { fallthrough: false });\n",
  ],
  [
    '@feathersjs/express',
    "import { serveStatic } from '@feathersjs/express';\nexport const web = serveStatic('public', { fallthrough: false });\n",
  ],
  [
    '@feathersjs/koa',
    "import { serveStatic } from '@feathersjs/koa';\nexport const web = serveStatic('public');\n",
  ],
])('%s static serving in a Feathers-only project is reported', async (dependency, app) => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-feathers-static-'));
  temps.push(cwd);
  const dependencies = { '@feathersjs/feathers': '^5', [dependency]: '^5' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/app.ts'), app);
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  expect(report.sites.map((s) => [s.file, s.action, s.reason?.slice(0, 14)])).toEqual([
    ['src/app.ts', 'manual', 'Implicit 403: '],
  ]);
});

it.each([
  ["import express from '@feathersjs/express';\nexport const web = express.static('public');\n"],
  [
    "import { serveStatic } from '@feathersjs/express';\nexport const web = serveStatic('public', { index: false });\n",
  ],
])('@feathersjs/express static serving that falls through answers no 403: %s', async (app) => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-feathers-static-'));
  temps.push(cwd);
  const dependencies = { '@feathersjs/feathers': '^5', '@feathersjs/express': '^5' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/app.ts'), app);
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  expect(report.sites).toEqual([]);
});
