import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A status slot that sends the status of the error its handler handles (Elysia `set.status = error.status`,
// Fastify `setErrorHandler`, Hono `onError`, a Koa `catch (e)`): named as relaying the error, in every framework.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-error-relays-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return migrate({ cwd, status: 401, mode: 'dry-run' });
}

describe('status slots relaying a handled error', () => {
  it('names each with the read, never as a shared helper', async () => {
    const result = await run({
      'package.json': JSON.stringify({
        dependencies: { elysia: '^1', hono: '^4', fastify: '^4', koa: '^2' },
      }),
      'src/app.ts': [
        "import { Elysia } from 'elysia';",
        "import { Hono } from 'hono';",
        "import Fastify from 'fastify';",
        "import Koa from 'koa';",
        'new Elysia().onError(({ error, set }) => {',
        "  if ('status' in error) set.status = error.status as number;",
        '  return error.message;',
        '});',
        'new Hono().onError((err, c) => c.json({ m: err.message }, (err as any).status));',
        'Fastify().setErrorHandler((error, req, reply) => { reply.status(error.statusCode ?? 500).send(error); });',
        'new Koa().use(async (ctx, next) => {',
        '  try { await next(); } catch (e: any) { ctx.status = e.status || 500; }',
        '});',
        '',
      ].join('\n'),
    });
    const sites = result.report.sites;
    expect(sites.map((s) => [s.line, s.action])).toEqual([
      [6, 'manual'],
      [9, 'manual'],
      [10, 'manual'],
      [12, 'manual'],
    ]);
    const reads = ['error.status', '(err as any).status', 'error.statusCode', 'e.status'];
    sites.forEach((site, i) =>
      expect(site.reason).toContain(`it sends the status of the error it handles (${reads[i] ?? ''})`),
    );
    expect(sites.some((s) => /Shared helper/.test(s.reason ?? ''))).toBe(false);
  });

  it('names an error handed on from a callback (rxjs catchError in a Nest interceptor), not a shared helper', async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { '@nestjs/common': '^10', rxjs: '^7' } }),
      'src/errors.ts': [
        'export class ApiErrorResponse {',
        '  readonly statusCode: number;',
        '  constructor(body: { statusCode: number; message: string }) {',
        '    this.statusCode = body.statusCode;',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/interceptor.ts': [
        "import { catchError } from 'rxjs';",
        "import { ApiErrorResponse } from './errors';",
        'export const handle = catchError((err: { status: number }) => {',
        "  throw new ApiErrorResponse({ statusCode: err.status, message: 'x' });",
        '});',
        '',
      ].join('\n'),
    });
    const site = result.report.sites.find((s) => s.file === 'src/interceptor.ts');
    expect(site?.line).toBe(4);
    expect(site?.reason).toContain('it sends the status of the error it handles (err.status)');
  });

  it("lists the project's error classes that carry 403, with where they are declared (session 32)", async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/errors.ts': [
        'export class AccessError extends Error {',
        '  status = 403;',
        '}',
        'export class MissingError extends Error {',
        '  status = 404;',
        '}',
        'export class Denied extends Error {',
        '  statusCode = 403;',
        '}',
      ].join('\n'),
      'src/app.ts': [
        "import express from 'express';",
        "import { AccessError } from './errors';",
        'const app = express();',
        "app.get('/a', () => { throw new AccessError(); });",
        'app.use((err: any, req: express.Request, res: express.Response, next: express.NextFunction) => {',
        '  res.status(err.status || 500).json({ message: err.message });',
        '});',
        'export default app;',
      ].join('\n'),
    });
    const relay = result.report.sites.find((s) => s.file === 'src/app.ts' && s.line === 6);
    expect(relay?.reason).toContain('it sends the status of the error it handles (err.status)');
    expect(relay?.reason).toContain(
      "The project's error classes that carry 403: AccessError (src/errors.ts:2), Denied (src/errors.ts:8).",
    );
  });
});

// Session 34 (silence34, alabd8/itutor's handlers/error.js): the status destructured from the caught error
// (`catch ({ status = 500, message })`) is the handled error's too; before, a plain dynamic status that held every
// test reaching it ("still emitted by ctx.status = status").
describe('a status key destructured from a caught error', () => {
  it.each([
    ['catch ({ status = 500, message }) { ctx.status = status; }', 'status of the caught error'],
    ['catch ({ statusCode: code }) { ctx.status = code || 500; }', 'statusCode of the caught error'],
  ])('%s relays it', async (handler, read) => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { koa: '^2' } }),
      'src/app.js': `const Koa = require('koa');\nnew Koa().use(async (ctx, next) => {\n  try { await next(); } ${handler}\n});\n`,
    });
    const [site] = result.report.sites;
    expect(site?.reason).toContain(`it sends the status of the error it handles (${read})`);
  });

  it('another key is no relay', async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { koa: '^2' } }),
      'src/app.js':
        "const Koa = require('koa');\nnew Koa().use(async (ctx, next) => {\n  try { await next(); } catch ({ code }) { ctx.status = code; }\n});\n",
    });
    const [site] = result.report.sites;
    expect(site?.reason).toMatch(/^Dynamic status: it may pass a 403 through/);
  });
});
