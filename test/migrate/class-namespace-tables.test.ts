import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// A class's static fields (`export class Http { static Forbidden = 403 }`) and a namespace's constants
// (`export namespace Codes { export const FORBIDDEN = 403 }`) imported from another file, directly or through a
// barrel, are tables in every status slot (Express, Fastify, Koa, Hono), as they are in their own file; a
// `const enum` too. Session 35: the class and the namespace were a "Dynamic status".
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'class-namespace-tables');
const expected = path.join(fixtures, 'class-namespace-tables-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('imported class fields and namespace constants as status tables', () => {
  it('rewrites their reads in every slot and names the entries left holding 403', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-class-namespace-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(result.report.summary.rewritten).toBe(9);
    const manual = result.report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => `${s.file}:${s.line}`)).toEqual([
      'src/codes.ts:2',
      'src/codes.ts:6',
      'src/codes.ts:10',
    ]);
    expect(manual.map((s) => s.reason?.split(' still holds')[0])).toEqual([
      "'Http.Forbidden'",
      "'Codes.FORBIDDEN'",
      "'Kinds.Denied'",
    ]);
    expect(result.report.sites.some((s) => s.reason?.startsWith('Dynamic status'))).toBe(false);
  });
});
