import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// An app or router held in a module-level `let` filled in later (`let app; export function init() { app = new
// Koa(); }`) and imported by the route files: its handlers' parameters are that framework's receivers whatever
// their names (analysis/registrars.ts). Session 36: `c.status = 403` there was an unknown shape (the route file
// imports no framework, and `c` is Hono's conventional name), Fastify's `answer.code(403)` too.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'koa-singleton');
const expected = path.join(fixtures, 'koa-singleton-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('registrars held in singletons', () => {
  it('reads the handlers of an imported let singleton as its framework', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-singleton-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(result.report.summary.rewritten).toBe(3);
    expect(result.report.sites.filter((s) => s.action === 'manual')).toEqual([]);
  });
});
