import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// A helper hapi installs on every response toolkit (`server.decorate('toolkit', 'deny', fn)`) is linked to its
// calls in other files (`h.deny('no', 403)`), as Express/Koa/Fastify installed helpers are
// (analysis/installed-helpers.ts). Session 35: each call was an unknown shape.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'hapi-toolkit-helpers');
const expected = path.join(fixtures, 'hapi-toolkit-helpers-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('hapi toolkit decorations', () => {
  it('rewrites the 403 its calls pass and keeps the helper', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-toolkit-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(result.report.summary.rewritten).toBe(2);
    const manual = result.report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => `${s.file}:${s.line}`)).toEqual(['src/plugin.ts:4']);
    expect(manual[0].reason).toContain('The 2 calls passing 403 that this run links to it are rewritten');
  });
});
