import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// Helpers installed on framework objects and taking the status from their caller are linked to their calls in
// every spelling (analysis/installations.ts, installed-helpers.ts): Elysia `decorate` / `derive` / `resolve`
// called destructured or on the context, hapi `decorate('toolkit' | 'request' | 'server')`, AdonisJS
// `HttpContext.macro`, Fastify `decorate` / `decorateRequest`, Koa `Object.assign(app.context, …)` and
// `app.response.x =`, Hono `c.set` read by `c.get(…)` / `c.var`, Express `(app.response as any).x =`,
// `Object.assign(express.response, …)`, `http.ServerResponse.prototype.x =`, and a sloppy-mode global
// `sendDenied = function …`. Session 36: each call was an unknown shape and each helper's note said no call was
// linked (some helpers were not read at all: `this` of an untyped hapi toolkit decoration, of an object method).
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'installed-decorations');
const expected = path.join(fixtures, 'installed-decorations-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('helpers installed on framework objects', () => {
  it('rewrites the 403 each call passes, keeps the helpers, and names a look-alike call', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-decorations-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    // 17 calls and, since session 39, the Elysia helper's `code: 403 | 404` type widened to take 401 (its rewritten
    // caller did not compile), and the Hono variable's signature in `new Hono<{ Variables: … }>` its untyped
    // helper takes (code: 403 | 404) likewise.
    expect(result.report.summary.rewritten).toBe(19);
    const manual = result.report.sites.filter((s) => s.action === 'manual');
    const helpers = manual.filter((s) => s.reason?.startsWith('Shared helper'));
    expect(helpers).toHaveLength(16);
    for (const helper of helpers) expect(helper.reason, helper.file).toContain('that this run links to it');
    const others = manual.filter((s) => !helpers.includes(s));
    expect(others.map((s) => `${s.file}:${s.line}`)).toEqual(['src/express-routes.ts:10']);
  });
});
