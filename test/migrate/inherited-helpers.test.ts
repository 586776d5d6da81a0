import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// `this.deny(res, 403)` in a subclass whose base class another file declares (through a barrel, a default export,
// a class of the caller's file between, a mixin `extends Deny(Plain)`): the call reaches the base class's helper
// and is rewritten there (test/fixtures/projects/inherited-helpers). Before session 22 each call was an unknown shape (manual). Also a
// body written on the response a helper of another file returns (`deny(res).json({ error: 'Forbidden' })`): its
// phrase follows the helper's rewritten status (before, 'Forbidden' was left beside a 401).
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'inherited-helpers');
const expected = path.join(fixtures, 'inherited-helpers-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('helpers of another file: inherited methods, returned responses', () => {
  it('rewrites this.m(…, 403) through the imported base class', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-inherited-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(report.sites.map((s) => `${s.action} ${s.file}:${s.line}`).sort()).toEqual([
      'manual src/base/base-controller.ts:5',
      'manual src/base/deny-mixin.ts:8',
      'rewritten src/controllers/admin.ts:6',
      'rewritten src/controllers/files.ts:9',
      'rewritten src/controllers/reports.ts:9',
      'rewritten src/controllers/users.ts:6',
      'rewritten src/lib/deny.ts:4',
    ]);
  });
});
