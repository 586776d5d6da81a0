import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// The cross-file phase on a project fixture: constants, enum members, default-exported objects, helpers and
// error classes reached through a barrel (`export *`), a named re-export, a default-exported object of classes,
// tsconfig `paths` (`@app/*`) and package `imports` (`#src/*`). Files under cross-file-expected/ are what the run must write; every other
// file must stay as it is (the shared declarations above all).
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'cross-file');
const expected = path.join(fixtures, 'cross-file-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrate across files', () => {
  it('rewrites at the use sites and reports the shared helpers, once', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-cross-file-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const first = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(first.report.summary.rewritten).toBe(10);
    expect(
      first.report.sites
        .filter((s) => s.action === 'manual')
        .map((s) => `${s.file}:${s.line}`)
        .sort(),
    ).toEqual([
      // `export const FORBIDDEN = 403`, read only by b.ts's `res.status(FORBIDDEN)`, which the run writes
      // `res.status(401)`: the definition keeps 403 and nothing reads it, so it is named (session 28).
      'src/constants.ts:2',
      'src/errors/app-error.ts:7',
      'src/errors/bad-input.ts:5',
      'src/errors/base-error.ts:5',
      'src/errors/no-permission.ts:2',
      'src/g.ts:4',
      'src/lib/deny.ts:4',
      'src/lib/send-error.ts:3',
    ]);
    // A second run finds nothing left to change.
    const second = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(second.report.summary.filesChanged).toBe(0);
    expect(second.report.summary.rewritten).toBe(0);
  });

  it('parses a file with no 403 form only when it names a 403 another file exports', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-cross-file-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'check', paths: ['src/codes.ts', 'src/a.ts'] });
    expect(result.report.summary.filesParsed).toBe(2);
    expect(result.report.sites.map((s) => s.replacement)).toEqual(['res.status(UNAUTHORIZED)']);
  });
});
