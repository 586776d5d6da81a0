import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 28, silence28 (fault e). NestJS and h3/Nitro projects whose server reads its own status after a
// handler set it: every 403 they emit is rewritten, and every check of the status those 403s become is a
// `reader` review item. Before, a response held in a local constant (`const res =
// context.switchToHttp().getResponse()`, `const res = event.node.res`), a Nest exception filter's
// `exception.getStatus() === 403` and a Nitro `error` hook's `error.statusCode === 403` were counted
// `comparison` and never shown. own-status-nest is laid out as `nest new` makes it (src/main.ts,
// app.module.ts, test/app.e2e-spec.ts, nest-cli.json, tsconfig.build.json).
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(name: string): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-own-status-'));
  temps.push(cwd);
  cpSync(path.join(fixtures, name), cwd, { recursive: true });
  return (await migrate({ cwd, status: 401, mode: 'check' })).report;
}

const rows = (report: MigrateReport): string[] =>
  report.sites.map((s) => `${s.file}:${s.line} ${s.action} ${s.framework} ${s.form}`);

describe('own status readers, NestJS and h3', () => {
  it('NestJS (nest new layout): emits rewritten, readers named', async () => {
    const report = await run('own-status-nest');
    expect(rows(report)).toEqual([
      'src/app.controller.ts:15 would-rewrite nestjs new ForbiddenException()',
      "src/app.controller.ts:20 would-rewrite nestjs new HttpException('x', HttpStatus.FORBIDDEN)",
      'src/app.controller.ts:24 would-rewrite nestjs @HttpCode(403)',
      'src/audit.interceptor.ts:10 manual reader res.statusCode === 403',
      'src/audit.interceptor.ts:11 manual reader context.switchToHttp().getResponse().statusCode === 403',
      'src/forbidden.filter.ts:8 manual reader exception.getStatus() === 403',
      'src/forbidden.filter.ts:9 would-rewrite nestjs response.status(403)',
      'src/forbidden.filter.ts:12 manual nestjs response.status(exception.getStatus())',
    ]);
    expect(report.sites.find((s) => s.line === 8)?.reason).toMatch(
      /^Reads the status of the exception its filter answers \(exception\.getStatus\(\)\) and compares it with 403, which this run changes to 401/,
    );
    // Every 403 is accounted for: no comparison left uncounted as a plain read.
    expect(report.census.notAnEmit.comparison ?? 0).toBe(0);
    expect(report.skipped).toEqual({ test: 1 });
  });

  it('h3 / Nitro: createError, setResponseStatus, sendError rewritten; readers named', async () => {
    const report = await run('own-status-h3');
    expect(rows(report)).toEqual([
      "server/api/secret.get.ts:4 would-rewrite h3 createError({ statusCode: 403, statusMessage: 'Forbidden' })",
      'server/api/secret.get.ts:6 would-rewrite h3 setResponseStatus(event, 403)',
      'server/api/secret.get.ts:9 would-rewrite h3 createError({ statusCode: 403 })',
      'server/middleware/audit.ts:5 manual reader getResponseStatus(event) === 403',
      'server/middleware/audit.ts:6 manual reader event.node.res.statusCode === 403',
      'server/middleware/audit.ts:8 manual reader res.statusCode === 403',
      'server/plugins/errors.ts:3 manual reader error.statusCode === 403',
    ]);
    expect(report.census.notAnEmit).toEqual({});
  });
});
