import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker30 #02: a route's documented 403 was renamed to 401 while its handler still answered 403 through a site
// migrate only reports: the generated document said 401 for a 403 (Fastify then serialized every 401 with the
// 403's schema). The declaration now follows only when its handler's 403s were all rewritten.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-held-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { fastify: '*', '@hono/zod-openapi': '*', hono: '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

const fastify = (status: string): string =>
  [
    "import Fastify from 'fastify';",
    'const app = Fastify();',
    "app.delete('/docs/:id', { schema: { response: { 204: { type: 'null' }, 403: { type: 'object' } } } }, async (req, reply) => {",
    `  return reply.code(${status}).send();`,
    '});',
    '',
  ].join('\n');

describe('a documented 403 follows its handler (breaker30 #02)', () => {
  it('Fastify: kept and reported while the handler answers a status it cannot prove', async () => {
    const cwd = project({ 'src/app.ts': fastify('(req.query as { s: number }).s') });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const key = report.sites.find((s) => s.line === 3);
    expect(key?.action).toBe('manual');
    expect(key?.reason).toContain(
      'Documented 403 kept: the handler still answers 403 where migrate could not rewrite it (src/app.ts:4)',
    );
    expect(diff).toBe('');
  });

  it('Fastify: renamed when the handler answers 403 only where it is rewritten', async () => {
    const cwd = project({ 'src/app.ts': fastify('403') });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.sites.every((s) => s.action === 'would-rewrite')).toBe(true);
  });

  it('zod-openapi: kept while the handler throws a project error class whose status is read from a table', async () => {
    const cwd = project({
      'src/errors.ts': [
        'export const errorRegistry = { COMMON_FORBIDDEN: { status: 403 } } as const;',
        'export class AppError extends Error {',
        '  constructor(public code: keyof typeof errorRegistry) { super(code); }',
        '  get status() { return errorRegistry[this.code].status; }',
        '}',
        '',
      ].join('\n'),
      'src/app.ts': [
        "import { createRoute, OpenAPIHono } from '@hono/zod-openapi';",
        "import { AppError } from './errors';",
        "const route = createRoute({ method: 'delete', path: '/p/{id}', responses: { 204: { description: 'gone' }, 403: { description: 'Forbidden' } } });",
        'const app = new OpenAPIHono();',
        "app.openapi(route, (c) => { throw new AppError('COMMON_FORBIDDEN'); });",
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const key = report.sites.find((s) => s.file === 'src/app.ts' && s.line === 3);
    expect(key?.action).toBe('manual');
    // Session 37: code-maps reads the one-row table, so the throw is named by its code (src/app.ts:5).
    expect(key?.reason).toContain('where migrate could not rewrite it (src/app.ts:5)');
    expect(report.sites.find((s) => s.file === 'src/app.ts' && s.line === 5)?.reason).toContain(
      "'COMMON_FORBIDDEN' answers 403 through errorRegistry",
    );
  });

  // Merge of session 30: a route config exported from one file and registered by another's `app.openapi(route, h)`
  // had no handler in sight, so any manual site elsewhere in the run kept it (spellings-route-declarations).
  it("zod-openapi: a route config another file registers follows that file's handler", async () => {
    const files = (handler: string): Record<string, string> => ({
      'src/errors.ts': [
        'export const errorRegistry = { COMMON_FORBIDDEN: { status: 403 } } as const;',
        'export class AppError extends Error {',
        '  constructor(public code: keyof typeof errorRegistry) { super(code); }',
        '  get status() { return errorRegistry[this.code].status; }',
        '}',
        'export const other = (c: { json(b: unknown, s: number): unknown }, s: number) => c.json({}, s);',
        '',
      ].join('\n'),
      'src/defs.ts': [
        "import { createRoute } from '@hono/zod-openapi';",
        "export const route = createRoute({ method: 'delete', path: '/p/{id}', responses: { 403: { description: 'Forbidden' } } });",
        '',
      ].join('\n'),
      'src/app.ts': [
        "import { OpenAPIHono } from '@hono/zod-openapi';",
        "import { AppError } from './errors';",
        "import { route } from './defs';",
        'const app = new OpenAPIHono();',
        `app.openapi(route, ${handler});`,
        "app.get('/q', () => { throw new AppError('COMMON_FORBIDDEN'); });",
        '',
      ].join('\n'),
    });
    // The registered handler answers 403 only where it is rewritten: the key follows, though the run keeps a
    // manual site elsewhere (the /q route).
    const rewritten = await migrate({
      cwd: project(files("(c) => c.json({ error: 'no' }, 403)")),
      status: 401,
      mode: 'dry-run',
    });
    expect(rewritten.report.sites.find((s) => s.file === 'src/defs.ts')?.action).toBe('would-rewrite');
    expect(rewritten.report.sites.some((s) => s.action === 'manual')).toBe(true);
    // The registered handler throws through the table: the key is kept, naming where.
    const held = await migrate({
      cwd: project(files("(c) => { throw new AppError('COMMON_FORBIDDEN'); }")),
      status: 401,
      mode: 'dry-run',
    });
    const key = held.report.sites.find((s) => s.file === 'src/defs.ts');
    expect(key?.action).toBe('manual');
    expect(key?.reason).toContain('where migrate could not rewrite it (src/app.ts:5)');
  });
});

// Session 47: Nest's `@HttpCode(403)` sets the route's answer, it does not document it. It was held as a
// "Documented 403 kept" (left at 403, with a message about a document) when its handler had another 403 site.
describe("Nest's @HttpCode is the answer, not a document of it", () => {
  it('rewritten even when the handler holds a 403 migrate cannot prove', async () => {
    const cwd = project({
      'src/accounts.controller.ts': [
        "import { Controller, Get, HttpCode, HttpException } from '@nestjs/common';",
        "@Controller('accounts')",
        'export class AccountsController {',
        "  @Get(':id')",
        '  @HttpCode(403)',
        '  frozen(code: number) {',
        "    if (code) throw new HttpException('frozen', code);",
        "    return { message: 'frozen' };",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { '@nestjs/common': '*' } }),
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const decorator = report.sites.find((s) => s.line === 5);
    expect(decorator?.action).toBe('would-rewrite');
    expect(report.sites.map((s) => s.reason ?? '').join('\n')).not.toContain('Documented 403 kept');
  });
});
