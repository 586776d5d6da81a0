import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Trials51: jembi/openhim-core-js registers its API with koa-route, `app.use(route.get('/apps', apps.getApps))`;
// mtls-fix read no route there ("registered on route, which mtls-fix could not trace to an app or router"), so its
// 85 integration tests asserting 403 through `request(BASE_URL)` stayed manual while the 403s they check were
// rewritten. Each koa-route call handed to `use` (default, namespace, CommonJS or named import; `del`, `all`) is now
// a route of the receiver; a route whose handler reaches no 403 still leaves its test's 403 named.
const { temp } = tempDirs('koa-route');

const FILES: Record<string, string> = {
  'src/handlers.js': [
    'export async function getApps(ctx) {',
    '  if (!ctx.state.user) {',
    '    ctx.status = 403',
    '    return',
    '  }',
    '  ctx.body = []',
    '}',
    'export async function deleteApp(ctx, id) {',
    '  ctx.status = 403',
    '}',
    'export async function addApp(ctx) {',
    '  ctx.status = 403',
    '}',
    'export async function listLogs(ctx) {',
    '  ctx.status = 403',
    '}',
    'export async function open(ctx) {',
    "  ctx.body = 'ok'",
    '}',
  ].join('\n'),
  'src/app.js': [
    "import Koa from 'koa'",
    "import route from 'koa-route'",
    "import * as handlers from './handlers'",
    '',
    'export function setupApp() {',
    '  const app = new Koa()',
    "  app.use(route.get('/apps', handlers.getApps))",
    "  app.use(route.del('/apps/:id', handlers.deleteApp))",
    "  app.use(route.get('/open', handlers.open))",
    '  return app',
    '}',
  ].join('\n'),
  'src/more.js': [
    "const Koa = require('koa')",
    "const { post } = require('koa-route')",
    "const routes = require('koa-route')",
    "const handlers = require('./handlers')",
    '',
    'const app = new Koa()',
    "app.use(post('/apps', handlers.addApp))",
    "app.use(routes.all('/logs', handlers.listLogs))",
    'module.exports = app',
  ].join('\n'),
  'test/apps.test.js': [
    "import request from 'supertest'",
    "import '../src/more'",
    "import { setupApp } from '../src/app'",
    "const BASE_URL = 'http://localhost:8080'",
    '',
    "describe('apps', () => {",
    "  it('lists', async () => {",
    "    await request(BASE_URL).get('/apps').expect(403)",
    '  })',
    "  it('deletes', async () => {",
    "    await request(BASE_URL).delete('/apps/1').expect(403)",
    '  })',
    "  it('adds', async () => {",
    "    await request(BASE_URL).post('/apps').expect(403)",
    '  })',
    "  it('logs', async () => {",
    "    await request(BASE_URL).get('/logs').expect(403)",
    '  })',
    '})',
    "describe('open', () => {",
    "  it('is open', async () => {",
    "    await request(BASE_URL).get('/open').expect(403)",
    '  })',
    '})',
  ].join('\n'),
};

describe('koa-route routes', () => {
  it('routes registered with koa-route link the tests asserting their 403s', async () => {
    const cwd = temp();
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({
        name: 'p',
        dependencies: { koa: '*', 'koa-route': '*' },
        devDependencies: { supertest: '*', mocha: '*' },
      }),
    );
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
      writeFileSync(path.join(cwd, file), `${text}\n`);
    }
    const { report } = await migrate({
      cwd,
      status: 401,
      mode: 'dry-run',
      force: true,
      explain: true,
      includeTests: true,
    });
    const tests = report.sites
      .filter((s) => s.file.startsWith('test/'))
      .map((s) => [s.line, s.action, s.action === 'manual' ? (s.reason ?? '').slice(0, 61) : null]);
    expect(tests).toEqual([
      [8, 'would-rewrite', null],
      [11, 'would-rewrite', null],
      [14, 'would-rewrite', null],
      [17, 'would-rewrite', null],
      [22, 'manual', 'Asserts a 403 whose server could not be found (no 403 site is'],
    ]);
  });
});
