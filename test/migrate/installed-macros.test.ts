import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// A helper AdonisJS installs on every response (`Response.macro('deny', function (this: Response, m, code) {
// this.status(code) })`) is a shared helper, linked to its calls in controllers (`response.deny('no', 403)`), as
// Express/Koa/Fastify installed helpers are (analysis/installed-helpers.ts, receivers.ts). Session 35: the call
// was an unknown shape and the macro no helper.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'adonis-macro-helpers');
const expected = path.join(fixtures, 'adonis-macro-helpers-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('AdonisJS response macros', () => {
  it('rewrites the 403 its calls pass and names the macro as the helper', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-macros-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(result.report.summary.rewritten).toBe(1);
    const manual = result.report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => `${s.file}:${s.line}`)).toEqual(['src/macros.ts:3']);
    expect(manual[0].reason).toContain('The 1 call passing 403 that this run links to it is rewritten');
  });
});
