import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// Helpers a file installs as globals (`global.sendError = (res, code, m) => res.status(code)…`,
// `globalThis.reply = function …`) are linked to their calls in other files (`sendError(res, 403, m)`,
// `global.sendError(…)`), as helpers installed on the response are (analysis/installed-helpers.ts). Session 36:
// each call was an unknown shape and the helper's note said none was linked.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'global-helpers');
const expected = path.join(fixtures, 'global-helpers-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('helpers installed as globals', () => {
  it('rewrites the 403 their calls pass, and a local function of the same name is its own', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-globals-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(result.report.summary.rewritten).toBe(4);
    const manual = result.report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => `${s.file}:${s.line}`).sort()).toEqual([
      'lib/globals.js:2',
      'lib/globals.js:5',
      'routes/local.js:7',
    ]);
    expect(manual[0].reason).toContain(
      'that this run links to it are rewritten (routes/users.js:6, routes/users.js:11)',
    );
  });
});
