import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// http-errors handed on by a project module (`export { default as createError } from 'http-errors'`, a default
// export of the import, `module.exports = require('http-errors')`) is http-errors in the files that import it:
// `createError(403)` and `createError.Forbidden` follow. Session 35: each was an unknown shape.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'http-errors-reexports');
const expected = path.join(fixtures, 'http-errors-reexports-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('http-errors through a re-exporting module', () => {
  it('rewrites its calls and members in the importing files', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-http-errors-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(result.report.summary.rewritten).toBe(4);
    expect(result.report.summary.manual).toBe(0);
  });
});
