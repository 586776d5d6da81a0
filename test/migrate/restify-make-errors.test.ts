import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 44 (classes44). restify-errors `makeConstructor('X', { statusCode: 403 })` makes a class that answers 403
// wherever it is thrown, on routes with and without mTLS: it is named as a project class fixing 403 is, never
// rewritten in place. A literal was 'a shape mtls-fix does not know'; a constant (of the file or imported) was not
// named at all. `makeErrFromCode(403, m)` builds one error where it is thrown: its literal (or the constant's use)
// is rewritten, as before.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(
  files: Record<string, string>,
): Promise<{ reasons: string[]; sites: string[]; text: string }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-restify-make-'));
  temps.push(cwd);
  const all = {
    'package.json': JSON.stringify({ dependencies: { restify: '^11', 'restify-errors': '^8' } }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const { report } = await migrate({ cwd, status: 401, mode: 'write' });
  return {
    reasons: report.sites.map((s) => s.reason ?? ''),
    sites: report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`),
    text: readFileSync(path.join(cwd, 'src/server.ts'), 'utf8'),
  };
}

describe('restify-errors makeConstructor and makeErrFromCode', () => {
  it('names a class made with a 403 status, however the 403 is written, and rewrites makeErrFromCode', async () => {
    const { reasons, sites, text } = await run({
      'src/codes.ts': 'export const LOCKED = 403;\n',
      'src/server.ts': [
        "import * as errors from 'restify-errors';",
        "import { makeErrFromCode, makeConstructor as make } from 'restify-errors';",
        "import { LOCKED } from './codes';",
        'const DENIED = 403;',
        "export const TenantLocked = errors.makeConstructor('TenantLockedError', { statusCode: 403 });",
        "export const Seat = make('SeatError', { statusCode: DENIED, message: 'x' });",
        "export const Frozen = make('FrozenError', { statusCode: LOCKED });",
        "export const Busy = make('BusyError', { statusCode: 409 });",
        "export const Plain = make('PlainError');",
        'export function a(req: any, res: any, next: any) {',
        "  if (!req.user) return next(errors.makeErrFromCode(403, 'no'));",
        "  if (!req.tenant) return next(makeErrFromCode(DENIED, 'no'));",
        '  return next();',
        '}',
        '',
      ].join('\n'),
    });
    expect(sites).toEqual([
      "manual src/server.ts:5 errors.makeConstructor('TenantLockedError', { statusCode: 403 })",
      "manual src/server.ts:6 make('SeatError', { statusCode: DENIED, message: 'x' })",
      "manual src/server.ts:7 make('FrozenError', { statusCode: LOCKED })",
      "rewritten src/server.ts:11 errors.makeErrFromCode(403, 'no')",
      "rewritten src/server.ts:12 makeErrFromCode(DENIED, 'no')",
    ]);
    expect(text).toContain("next(errors.makeErrFromCode(401, 'no'))");
    expect(text).toContain("next(makeErrFromCode(401, 'no'))");
    expect(text).toContain('{ statusCode: 403 });');
    expect(reasons[1]).toBe(
      "The restify-errors class SeatError (Seat) is made with statusCode DENIED: every throw of it answers 403. Make a sibling with makeConstructor('…', { statusCode: 401 }) and throw it on mTLS routes, or map SeatError to 401 in the error handler.",
    );
  });
  // Session 45 (classes45): each use of such a class answers 403 too, where it is made or imported (ESM, CommonJS
  // exports, a renamed import), and the class restify-errors adds to its module (`new errors.TenantLockedError()`).
  it('names every new of a class made with a 403 status, in this file and in files importing it', async () => {
    const { sites } = await run({
      'src/codes.ts': 'export const LOCKED = 403;\n',
      'src/made.ts': [
        "import { makeConstructor as mk } from 'restify-errors';",
        "import { LOCKED } from './codes';",
        "export const Frozen = mk('FrozenError', { statusCode: LOCKED });",
        "export const Busy = mk('BusyError', { statusCode: 409 });",
        '',
      ].join('\n'),
      'src/made-cjs.js': [
        "const errors = require('restify-errors');",
        "const Gone = errors.makeConstructor('GoneAwayError', { statusCode: 403 });",
        'module.exports = { Gone };',
        '',
      ].join('\n'),
      'src/server.ts': [
        "import * as errors from 'restify-errors';",
        "import { Frozen as Cold, Busy } from './made';",
        "import { Gone } from './made-cjs';",
        "const TenantLocked = errors.makeConstructor('TenantLockedError', { statusCode: 403 });",
        'export function a(req: any, res: any, next: any) {',
        "  if (!req.user) return next(new TenantLocked('no'));",
        '  if (!req.seat) return next(new errors.TenantLockedError());',
        '  if (!req.cold) return next(new Cold());',
        '  if (!req.gone) return next(new Gone());',
        '  if (!req.busy) return next(new Busy());',
        '  return next();',
        '}',
        '',
      ].join('\n'),
    });
    expect(sites.filter((s) => s.includes('src/server.ts'))).toEqual([
      "manual src/server.ts:4 errors.makeConstructor('TenantLockedError', { statusCode: 403 })",
      "manual src/server.ts:6 new TenantLocked('no')",
      'manual src/server.ts:7 new errors.TenantLockedError()',
      'manual src/server.ts:8 new Cold()',
      'manual src/server.ts:9 new Gone()',
    ]);
  });
});
