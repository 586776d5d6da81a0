import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 34 (silence34): the options of 403-answering middleware that switch the 403 on or off, or set its
// status (middleware-403-table.ts, frameworks/express.ts). Each case failed on main: a silent 403, a site for a
// check that is off, or a 403 option named as an unknown shape instead of rewritten.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-middleware-options-'));
  temps.push(cwd);
  const dependencies = Object.fromEntries(
    [
      'express',
      'koa',
      'csrf-csrf',
      'csrf-sync',
      'lusca',
      'koa-csrf',
      'express-rate-limit',
      'serve-static',
      'csurf',
    ].map((name) => [name, '*']),
  );
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const EXPRESS = "const express = require('express');\nconst app = express();\n";

describe('options that keep or switch off the 403', () => {
  it.each([
    [
      "csrf-csrf's errorConfig without a statusCode keeps the default 403",
      "const { doubleCsrf } = require('csrf-csrf');\nmodule.exports = doubleCsrf({ getSecret: () => 's', errorConfig: { message: 'bad token' } });\n",
      1,
    ],
    [
      "csrf-sync's errorConfig without a statusCode keeps the default 403",
      "const { csrfSync } = require('csrf-sync');\nmodule.exports = csrfSync({ errorConfig: { code: 'BAD' } });\n",
      1,
    ],
    [
      'lusca with csrf: false runs no csrf check',
      `${EXPRESS}const lusca = require('lusca');\napp.use(lusca({ csrf: false, xframe: 'SAMEORIGIN' }));\n`,
      0,
    ],
    [
      'lusca with csrf: true does',
      `${EXPRESS}const lusca = require('lusca');\napp.use(lusca({ csrf: true, xframe: 'SAMEORIGIN' }));\n`,
      1,
    ],
    [
      'express.static with its default fallthrough passes its 403s on with next()',
      `${EXPRESS}app.use(express.static('public'));\napp.use('/d', express.static('docs', { index: false, dotfiles: 'deny' }));\n`,
      0,
    ],
    [
      'serve-static with fallthrough: false answers them',
      `${EXPRESS}const serveStatic = require('serve-static');\napp.use(serveStatic('public', { fallthrough: false }));\n`,
      1,
    ],
    [
      'express.static with options mtls-fix cannot read is kept',
      `${EXPRESS}const opts = require('./static-options');\napp.use(express.static('public', opts));\napp.use(express.static('files', { ...opts, index: false }));\n`,
      2,
    ],
    [
      'koa-csrf with errorHandler (koa-csrf 5) answers with the project code',
      "const Koa = require('koa');\nconst CSRF = require('koa-csrf');\nconst app = new Koa();\napp.use(new CSRF({ errorHandler(ctx) { return ctx.throw(401, 'Invalid CSRF token'); } }));\n",
      0,
    ],
  ])('%s', async (_name, text, manual) => {
    const report = await run({ 'app.js': text });
    expect(report.sites.filter((s) => s.action === 'manual')).toHaveLength(manual);
  });

  it('koa-csrf given only invalidTokenStatusCode is named: koa-csrf 5 ignores it', async () => {
    const report = await run({
      'app.js':
        "const Koa = require('koa');\nconst CSRF = require('koa-csrf');\nconst app = new Koa();\napp.use(new CSRF({ invalidTokenStatusCode: 401 }));\n",
    });
    const [site] = report.sites;
    expect(report.sites).toHaveLength(1);
    expect(site?.reason).toContain('koa-csrf 5 ignores invalidTokenStatusCode');
  });

  it("csurf's literal ignoreMethods is named in its reason", async () => {
    const report = await run({
      'app.js': `${EXPRESS}const csurf = require('csurf');\napp.use(csurf({ ignoreMethods: ['get', 'OPTIONS'] }));\n`,
    });
    expect(report.sites).toHaveLength(1);
    expect(report.sites[0]?.reason).toContain(
      'csurf checks the token on every method but GET, OPTIONS (its ignoreMethods, HEAD included).',
    );
  });
});

describe('a 403 written in a middleware status option is rewritten', () => {
  it.each([
    [
      'express-rate-limit statusCode (default import)',
      "import rateLimit from 'express-rate-limit';\nexport const limiter = rateLimit({ windowMs: 60000, limit: 5, statusCode: 403 });\n",
      'statusCode: 401',
    ],
    [
      'express-rate-limit statusCode (named import)',
      "const { rateLimit } = require('express-rate-limit');\nmodule.exports = rateLimit({ statusCode: 403, message: 'slow down' });\n",
      'statusCode: 401',
    ],
    [
      'csrf-csrf errorConfig.statusCode',
      "const { doubleCsrf } = require('csrf-csrf');\nmodule.exports = doubleCsrf({ getSecret: () => 's', errorConfig: { statusCode: 403 } });\n",
      'statusCode: 401',
    ],
    [
      'csrf-sync errorConfig.statusCode',
      "import { csrfSync } from 'csrf-sync';\nexport const csrf = csrfSync({ errorConfig: { statusCode: 403, message: 'no' } });\n",
      'statusCode: 401',
    ],
  ])('%s', async (_name, text, replacement) => {
    const report = await run({ 'app.js': text });
    expect(report.sites).toHaveLength(1);
    expect(report.sites[0]?.action).toBe('would-rewrite');
    expect(report.sites[0]?.replacement).toBe(replacement);
    expect(report.census.rewritten).toBe(1);
    expect(report.census.manual).toBe(0);
  });

  it("koa-csrf's invalidTokenStatusCode is rewritten, and the package still named for koa-csrf 5", async () => {
    const report = await run({
      'app.js':
        "const Koa = require('koa');\nconst CSRF = require('koa-csrf');\nconst app = new Koa();\napp.use(new CSRF({ invalidTokenStatusCode: 403 }));\n",
    });
    expect(report.sites.find((s) => s.line === 4)?.replacement).toBe('invalidTokenStatusCode: 401');
    expect(report.sites.find((s) => s.line === 2)?.reason).toContain(
      'koa-csrf 5 ignores invalidTokenStatusCode',
    );
    expect(report.census.rewritten).toBe(1);
  });
});
