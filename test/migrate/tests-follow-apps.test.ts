import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `migrate --include-tests` (end to end, bin/run.js: run `npm run build` first): a test's request links to the
// routes of the app it loads, never a same-path route of another app; an implicit 403 middleware (middleware-403
// table) reported at its import is linked through its app's `app.use`; under --spec a request whose rows reach
// a rewritten route and a route left alone is manual, never "outside --spec".
const bin = path.resolve(import.meta.dirname, '../../bin/run.js');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface JsonSite {
  file: string;
  line: number;
  framework: string;
  action: string;
  reason: string | null;
}

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-follow-apps-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

function run(cwd: string, ...args: string[]): { sites: JsonSite[]; census: { outOfScope: number } } {
  const out = spawnSync(
    process.execPath,
    [bin, 'migrate', '.', '--include-tests', '--dry-run', '--json', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.stdout) as { sites: JsonSite[]; census: { outOfScope: number } };
}

const testSite = (sites: JsonSite[], file: string): JsonSite | undefined =>
  sites.find((s) => s.framework === 'tests' && s.file === file);

const deny = {
  express: `const express = require('express');\nconst app = module.exports = express();\napp.post('/post', (req, res) => { res.status(403).send('no'); });\n`,
  koa: `const Koa = require('koa');\nconst router = require('@koa/router')();\nconst app = module.exports = new Koa();\nrouter.post('/post', async (ctx) => { ctx.status = 403; });\napp.use(router.routes());\n`,
};
const allow = {
  express: `const express = require('express');\nconst app = module.exports = express();\napp.post('/post', (req, res) => { res.send('ok'); });\n`,
  koa: `const Koa = require('koa');\nconst router = require('@koa/router')();\nconst app = module.exports = new Koa();\nrouter.post('/post', async (ctx) => { ctx.body = 'ok'; });\napp.use(router.routes());\n`,
};
const pkg = JSON.stringify({
  name: 'p',
  version: '1.0.0',
  dependencies: { express: '^4.18.0', koa: '^2.2.0', '@koa/router': '^12.0.0', 'koa-csrf': '^3.0.6' },
  devDependencies: { supertest: '^6.0.0', jest: '^29.0.0' },
});

describe('a test request links through the app it loads', () => {
  it.each([
    ['express', 'request(app)'],
    ['express', 'request.agent(app)'],
    ['express', 'supertest(app.listen())'],
    ['koa', 'request(app.callback())'],
    ['koa', 'supertest(app.listen())'],
  ] as const)('%s %s: another app of the same path is never followed', (kind, spelling) => {
    const cwd = project({
      'package.json': pkg,
      'a/app.js': deny[kind],
      'b/app.js': allow[kind],
      'b/app.test.js': `const app = require('./app');\nconst request = require('supertest');\nconst supertest = request;\nit('x', async () => { await ${spelling}.post('/post').expect(403); });\n`,
    });
    const { sites } = run(cwd);
    expect(sites.find((s) => s.file === 'a/app.js')?.action).toBe('would-rewrite');
    const site = testSite(sites, 'b/app.test.js');
    expect(site?.action).toBe('manual');
    expect(site?.reason).toContain('could not be found');
    expect(site?.reason).not.toContain('a/app.js');
  });

  it('follows the app it loads when that app was rewritten', () => {
    const cwd = project({
      'package.json': pkg,
      'a/app.js': deny.express,
      'a/app.test.js': `const app = require('./app');\nconst request = require('supertest');\nit('x', async () => { await request(app).post('/post').expect(403); });\n`,
      'b/app.js': allow.express,
    });
    const { sites } = run(cwd);
    expect(testSite(sites, 'a/app.test.js')?.action).toBe('would-rewrite');
  });

  it('a request whose app is unresolved and matching routes of several apps is manual', () => {
    const cwd = project({
      'package.json': pkg,
      'a/app.js': deny.express,
      'b/app.js': deny.express.replace("res.status(403).send('no')", "res.status(403).send('b')"),
      'e2e/post.test.js': `const request = require('supertest');\nit('x', async () => { await request('http://localhost:3000').post('/post').expect(403); });\n`,
    });
    const site = testSite(run(cwd).sites, 'e2e/post.test.js');
    expect(site?.action).toBe('manual');
    expect(site?.reason).toContain('several apps');
  });
});

describe('a test of an implicit 403 middleware links to that middleware of its app', () => {
  it('koa-csrf used by app.use(new CSRF())', () => {
    const cwd = project({
      'package.json': pkg,
      'blog/app.js': allow.koa,
      'csrf/app.js': `const Koa = require('koa');\nconst CSRF = require('koa-csrf');\nconst router = require('@koa/router')();\nconst app = module.exports = new Koa();\napp.use(new CSRF());\nrouter.post('/post', async (ctx) => { ctx.body = 'ok'; });\napp.use(router.routes());\n`,
      'csrf/test.js': `const app = require('./app');\nconst request = require('supertest');\nit('x', (done) => { request(app.callback()).post('/post').expect(403, done); });\n`,
    });
    const site = testSite(run(cwd).sites, 'csrf/test.js');
    expect(site?.action).toBe('manual');
    expect(site?.reason).toContain('koa-csrf (its implicit 403, csrf/app.js:2)');
    expect(site?.reason).not.toContain('blog/app.js');
  });
});

describe('--spec: a request reaching a rewritten route and a route left alone is manual', () => {
  const spec = `openapi: 3.1.0\ninfo: { title: t, version: '1' }\ncomponents: { securitySchemes: { mtls: { type: mutualTLS } } }\npaths:\n  /items:\n    get: { security: [{ mtls: [] }], responses: { '200': { description: ok } } }\n    post: { responses: { '200': { description: ok } } }\n`;
  const app = `import express from 'express';\nconst app = express();\napp.get('/items', (req, res) => { res.status(403).send('no'); });\napp.post('/items', (req, res) => { res.status(403).send('no'); });\nexport default app;\n`;
  it.each([
    [
      'a loop over methods',
      `for (const m of ['get', 'post'] as const) await request(app)[m]('/items').expect(403);`,
    ],
    [
      'a forEach over methods',
      `await Promise.all((['get', 'post'] as const).map((m) => request(app)[m]('/items').expect(403)));`,
    ],
  ])('%s', (_name, body) => {
    const cwd = project({
      'package.json': pkg,
      'openapi.yaml': spec,
      'src/app.ts': app,
      'test/app.test.ts': `import request from 'supertest';\nimport app from '../src/app';\nit('both', async () => {\n  ${body}\n});\n`,
    });
    const { sites } = run(cwd, '--spec', 'openapi.yaml');
    const site = testSite(sites, 'test/app.test.ts');
    expect(site?.action).toBe('manual');
    expect(site?.reason).toContain('src/app.ts:4');
  });

  it('it.each over methods', () => {
    const cwd = project({
      'package.json': pkg,
      'openapi.yaml': spec,
      'src/app.ts': app,
      'test/app.test.ts': `import request from 'supertest';\nimport app from '../src/app';\nit.each([['get'], ['post']] as const)('%s', async (m) => {\n  await request(app)[m]('/items').expect(403);\n});\n`,
    });
    const site = testSite(run(cwd, '--spec', 'openapi.yaml').sites, 'test/app.test.ts');
    expect(site?.action).toBe('manual');
  });
});
