import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// Status constants in JSON modules and helpers exported in a CommonJS object (nightscout's lib/api3, trials
// session 16): `res.status(apiConst.HTTP.FORBIDDEN)` of `require('./const.json')`, `consts.HTTP_FORBIDDEN` of
// `require('./constants')` (only constants.json is there), `opTools.sendJSONStatus(res, 403)` of
// `module.exports = { sendJSONStatus }`. Files under json-constants-expected/ are what the run must write.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'json-constants');
const expected = path.join(fixtures, 'json-constants-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('status constants in JSON modules, helpers in a module object', () => {
  it('rewrites at the use sites, reads the other statuses as known, never edits the JSON', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-json-constants-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const first = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(first.report.summary.rewritten).toBe(6);
    // `apiConst.HTTP.OK`, `consts.HTTP_OK`, `apiConst.HTTP.NOT_FOUND` are known statuses now, not "Dynamic".
    expect(
      first.report.sites.filter((s) => s.action === 'manual').map((s) => `${s.file}:${s.line} ${s.form}`),
    ).toEqual([
      'lib/app.js:16 apiConst.MSG.HTTP_403_MISSING_PERMISSION',
      // breaker31 #06: its only read became the literal 401 (no 401 beside it to rename to), so the JSON's 403
      // is named there, as an enum member's is; const.json and constants.json hold a 401 their reads now name.
      'lib/denials.json:1 "DENIED": 403',
      'lib/tools.js:5 res.status(status)',
      'lib/tools.js:10 res.sendStatus(status)',
    ]);
    const second = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(second.report.summary.filesChanged).toBe(0);
    expect(second.report.summary.rewritten).toBe(0);
  });
});
