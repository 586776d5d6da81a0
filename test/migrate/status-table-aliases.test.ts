import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { expectProjectWritten } from '../helpers/project-fixture.js';

// A status library's table under another name: re-exported by a project module (`export { StatusCodes as Codes }
// from 'http-status-codes'`, `export { default as httpCodes } from 'http-status'`, `export { HttpStatus as
// NestCodes } from '@nestjs/common'`, `export const H2 = constants` of node:http2) or held by a `const` (`const Http = HttpStatus`, `const h2 =
// http2.constants`). Its FORBIDDEN member is 403 and is renamed; before session 44 each was a "Dynamic status".
const fixtures = path.resolve(import.meta.dirname, '../fixtures/projects');
const project = path.join(fixtures, 'status-table-aliases');
const expected = path.join(fixtures, 'status-table-aliases-expected');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('status tables under another name', () => {
  it('renames their FORBIDDEN member in every framework', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-status-aliases-'));
    temps.push(cwd);
    cpSync(project, cwd, { recursive: true });
    const result = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expectProjectWritten(cwd, project, expected);
    expect(result.report.sites.map((s) => `${s.action} ${s.file}:${s.line}`)).toEqual([
      'rewritten src/app.ts:10',
      'rewritten src/app.ts:11',
      'rewritten src/app.ts:12',
      'rewritten src/app.ts:13',
      'rewritten src/app.ts:14',
      'rewritten src/ctl.ts:10',
      'rewritten src/ctl.ts:15',
    ]);
  });
});
