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

  // breaker47 (pia-system's event history, tsoa on hapi): the handler hands the request to a static method of an
  // imported facade class, which throws an error class that answers 403; `@Response(StatusCodes.FORBIDDEN)` was
  // renamed while the route still answered 403. Member calls (`X.m(…)` of a class or an object literal) and a class
  // the decorator names in its type arguments (`@Response<ForbiddenError>(…)`) are now followed.
  it('tsoa: kept while the handler reaches a reported 403 through a member call or the documented error class', async () => {
    const errors = [
      'export class ClientHasNoAccessError extends Error {',
      '  public readonly statusCode = 403;',
      '}',
      '',
    ].join('\n');
    const controller = (decorator: string, call: string): string =>
      [
        "import { Controller, Get, Response, Route } from 'tsoa';",
        "import { ClientHasNoAccessError } from './errors';",
        "import { EventFacade, events } from './facade';",
        "@Route('events')",
        'export class EventsController extends Controller {',
        '  constructor(private readonly facade: EventFacade) {',
        '    super();',
        '  }',
        `  ${decorator}`,
        '  @Get()',
        '  public async list(): Promise<string[]> {',
        `    return ${call};`,
        '  }',
        '}',
        '',
      ].join('\n');
    const facade = [
      "import { ClientHasNoAccessError } from './errors';",
      'export class EventFacade {',
      '  public static count(): number {',
      '    return 1;',
      '  }',
      '  public static async getEvents(allowed: boolean): Promise<string[]> {',
      '    if (!allowed) throw new ClientHasNoAccessError();',
      '    return [];',
      '  }',
      '  public async all(allowed: boolean): Promise<string[]> {',
      '    if (!allowed) throw new ClientHasNoAccessError();',
      '    return [];',
      '  }',
      '}',
      'export const events = {',
      '  list(allowed: boolean): string[] {',
      '    if (!allowed) throw new ClientHasNoAccessError();',
      '    return [];',
      '  },',
      '};',
      '',
    ].join('\n');
    const run = async (decorator: string, call: string) => {
      const cwd = project({
        'src/errors.ts': errors,
        'src/facade.ts': facade,
        'src/controller.ts': controller(decorator, call),
      });
      const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
      return report.sites.find((s) => s.file === 'src/controller.ts' && s.line === 9);
    };
    const documented = "@Response(403, 'Client has no access')";
    for (const [call, via] of [
      ['EventFacade.getEvents(false)', 'EventFacade.getEvents (src/facade.ts:7)'],
      ['events.list(false)', 'events.list (src/facade.ts:17)'],
      ['this.facade.all(false)', 'EventFacade.all (src/facade.ts:11)'],
      ['new EventFacade().all(false)', 'EventFacade.all (src/facade.ts:11)'],
    ]) {
      const key = await run(documented, call);
      expect(key?.action, call).toBe('manual');
      expect(key?.reason, call).toContain(`Documented 403 kept: the handler still answers 403 via ${via}`);
    }
    // The documented error class itself still answers 403.
    const typed = await run(
      "@Response<ClientHasNoAccessError>(403, 'Client has no access')",
      'Promise.resolve([])',
    );
    expect(typed?.action).toBe('manual');
    expect(typed?.reason).toContain('via ClientHasNoAccessError (src/errors.ts:2)');
    // A member the handler calls that answers no 403 (a sibling method of the same class) holds nothing.
    const clean = await run(documented, 'Promise.resolve([String(EventFacade.count())])');
    expect(clean?.action).toBe('would-rewrite');
  });

  it('NestJS: @ApiForbiddenResponse kept while the handler calls an injected service that throws a 403 class', async () => {
    const cwd = project({
      'src/accounts.service.ts': [
        "import { ForbiddenException, Injectable } from '@nestjs/common';",
        'export class NotOwnerError extends ForbiddenException {}',
        '@Injectable()',
        'export class AccountsService {',
        '  find(owner: boolean) {',
        "    if (!owner) throw new NotOwnerError('not yours');",
        '    return {};',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/accounts.controller.ts': [
        "import { Controller, Get } from '@nestjs/common';",
        "import { ApiForbiddenResponse } from '@nestjs/swagger';",
        "import { AccountsService } from './accounts.service';",
        "@Controller('accounts')",
        'export class AccountsController {',
        '  constructor(private readonly accounts: AccountsService) {}',
        "  @ApiForbiddenResponse({ description: 'Forbidden' })",
        "  @Get(':id')",
        '  one() {',
        '    return this.accounts.find(false);',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const key = report.sites.find((s) => s.file === 'src/accounts.controller.ts' && s.line === 7);
    expect(key?.action).toBe('manual');
    expect(key?.reason).toContain(
      'Documented 403 kept: the handler still answers 403 via AccountsService.find',
    );
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
