import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 45 (classes45). An error object returned from a route handler method (Nest's `@Get()`, routing-controllers'
// `@Post()`), or set as the body (`ctx.body = createError(403)`, `res.json(new Forbidden())`), is sent as a 2xx JSON
// body: no 403 is answered there and renaming its class changes only the body. It was rewritten like a throw; it
// is named (manual) with that reason. A throw, `next(err)`, a rejected promise and a helper returning the error
// to be thrown are unchanged.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-returned-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const { report } = await migrate({ cwd, status: 401, mode: 'write' });
  return {
    sites: report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`),
    reasons: report.sites.map((s) => s.reason ?? ''),
    read: (name: string) => readFileSync(path.join(cwd, name), 'utf8'),
  };
}

describe('an exception returned from a handler instead of thrown', () => {
  it('is named, not rewritten, for Nest, routing-controllers and http-errors bodies', async () => {
    const { sites, reasons, read } = await run({
      'package.json': JSON.stringify({
        dependencies: {
          '@nestjs/common': '^10',
          'routing-controllers': '^0.10',
          'http-errors': '^2',
          koa: '^2',
          express: '^4',
          fastify: '^4',
        },
      }),
      'src/nest.ts': [
        "import { Controller, Get, Post, ForbiddenException as Denied } from '@nestjs/common';",
        "import * as common from '@nestjs/common';",
        "@Controller('a')",
        'export class A {',
        "  @Get() one() { return new Denied('no'); }",
        "  @Post() async two() { if (Math.random()) return (new common.ForbiddenException()); throw new Denied('x'); }",
        "  helper() { return new Denied('made'); }",
        '}',
        '',
      ].join('\n'),
      'src/rc.ts': [
        "import { JsonController, Get, ForbiddenError } from 'routing-controllers';",
        "@JsonController('/b')",
        'export class B {',
        '  @Get() one() { return new ForbiddenError(); }',
        '}',
        '',
      ].join('\n'),
      // Fastify answers an Error handed to reply.send by its status: rewritten.
      'src/fastify.ts': [
        "import createError from 'http-errors';",
        'export async function f(req: any, reply: any) { return reply.send(createError(403)); }',
        '',
      ].join('\n'),
      'src/koa.ts': [
        "import createError from 'http-errors';",
        'export async function k(ctx: any) { ctx.body = createError(403); }',
        'export function e(req: any, res: any, next: any) {',
        '  if (req.a) return res.json(new createError.Forbidden());',
        '  next(createError(403));',
        '}',
        '',
      ].join('\n'),
    });
    expect(sites).toEqual([
      'rewritten src/fastify.ts:2 createError(403)',
      'manual src/koa.ts:2 createError(403)',
      'manual src/koa.ts:4 new createError.Forbidden()',
      'rewritten src/koa.ts:5 createError(403)',
      "manual src/nest.ts:5 new Denied('no')",
      'manual src/nest.ts:6 new common.ForbiddenException()',
      "rewritten src/nest.ts:6 new Denied('x')",
      "rewritten src/nest.ts:7 new Denied('made')",
      'manual src/rc.ts:4 new ForbiddenError()',
    ]);
    expect(reasons[4]).toContain('returned from the route handler one');
    expect(reasons[4]).toContain('sent as the response body with a 2xx status');
    expect(read('src/nest.ts')).toContain("return new Denied('no')");
    expect(read('src/rc.ts')).toContain('return new ForbiddenError()');
    expect(read('src/koa.ts')).toContain('ctx.body = createError(403)');
  });
});
