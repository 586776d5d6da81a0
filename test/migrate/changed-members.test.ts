import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 35 (silence35, found on YMFE/yapi server/middleware/mockServer.js): a member of a local object literal
// was read as its literal's value although the code changes it before the read (`let context = { httpCode: 200 }`,
// `handleMockScript(script, context)` sets it from a user's mock, `ctx.status = context.httpCode`). The status slot
// read "200" and was no site, so a mocked 403 was silent; with `{ httpCode: 403 }` the read itself was replaced by
// the target, dropping the value the call sets. analysis/changed-members.ts.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(file: string, text: string): Promise<{ report: MigrateReport; after: string }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-changed-members-'));
  temps.push(cwd);
  const dependencies = { koa: '*', express: '*', hono: '*' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
  writeFileSync(path.join(cwd, file), text);
  const { report } = await migrate({ cwd, status: 401, mode: 'write' });
  return { report, after: readFileSync(path.join(cwd, file), 'utf8') };
}

const KOA = "const Koa = require('koa');\nconst app = new Koa();\n";
const EXPRESS = "const express = require('express');\nconst app = express();\n";
const HONO = "import { Hono } from 'hono';\nconst app = new Hono();\n";

describe('an object the code changes before the status reads it', () => {
  it.each([
    [
      'koa: the object handed to a call that fills it in (yapi)',
      'app.js',
      `${KOA}app.use(async (ctx) => {\n  let context = { httpCode: 200, mockJson: {} };\n  await handleMockScript(ctx.query.script, context);\n  ctx.status = context.httpCode;\n  ctx.body = context.mockJson;\n});\n`,
    ],
    [
      'koa: the member assigned',
      'app.js',
      `${KOA}app.use(async (ctx) => {\n  const context = { httpCode: 200 };\n  context.httpCode = await pick(ctx);\n  ctx.status = context.httpCode;\n});\n`,
    ],
    [
      'koa: Object.assign into the object',
      'app.js',
      `${KOA}app.use(async (ctx) => {\n  const context = { httpCode: 200 };\n  Object.assign(context, await pick(ctx));\n  ctx.status = context.httpCode;\n});\n`,
    ],
    [
      'express: a computed key written',
      'app.js',
      `${EXPRESS}app.get('/', (req, res) => {\n  const result = { status: 200 };\n  result[req.query.key] = Number(req.query.value);\n  res.status(result.status).end();\n});\n`,
    ],
    [
      'express: the object stored elsewhere',
      'app.js',
      `${EXPRESS}app.get('/', async (req, res) => {\n  const result = { status: 200 };\n  req.result = result;\n  await next(req);\n  res.status(result.status).end();\n});\n`,
    ],
    [
      'hono: the object handed to a call',
      'app.ts',
      `${HONO}app.get('/', async (c) => {\n  const state = { code: 200 as 200 | 403 };\n  await check(c, state);\n  return c.json({}, state.code);\n});\nexport default app;\n`,
    ],
  ])('%s: the read is a dynamic status', async (_title, file, text) => {
    const { report } = await run(file, text);
    const sites = report.sites.filter((s) => s.action === 'manual');
    expect(sites).toHaveLength(1);
    expect(sites[0]?.reason).toMatch(/^Dynamic status/);
  });

  it('a 403 the code may change is not written over the read', async () => {
    const text = `${KOA}app.use(async (ctx) => {\n  const context = { httpCode: 403 };\n  await run(context);\n  ctx.status = context.httpCode;\n});\n`;
    const { report, after } = await run('app.js', text);
    expect(after).toContain('ctx.status = context.httpCode;');
    expect(report.sites.filter((s) => s.action === 'manual')).toHaveLength(1);
  });
});

describe('objects that stay constant', () => {
  it.each([
    [
      'a table read, exported, logged, listed and copied',
      `${KOA}const CODES = { OK: 200, DENIED: 401 };\nconsole.log(CODES);\nconst names = Object.keys(CODES);\nconst copy = { ...CODES };\nmodule.exports = { CODES, names, copy };\napp.use(async (ctx) => {\n  ctx.status = CODES.OK;\n});\n`,
    ],
    [
      'another member written',
      `${KOA}app.use(async (ctx) => {\n  const result = { status: 200, body: '' };\n  result.body = await load(ctx);\n  ctx.status = result.status;\n  ctx.body = result.body;\n});\n`,
    ],
    [
      'a frozen table handed to a call',
      `${KOA}const CODES = Object.freeze({ OK: 200 });\nregister(CODES);\napp.use(async (ctx) => {\n  ctx.status = CODES.OK;\n});\n`,
    ],
  ])('%s: no site', async (_title, text) => {
    const { report } = await run('app.js', text);
    expect(report.sites).toHaveLength(0);
  });
});
