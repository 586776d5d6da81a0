import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 46 (classes46). restify-errors `makeConstructor('GoneError', { statusCode: 403 })` adds the class it makes
// to the restify-errors module (lib/makeConstructor.js), so `new errors.GoneError()` answers 403 in every file,
// not only the one that makes it: through restify-errors itself (ESM, CommonJS, a destructured or renamed import),
// and through a project module that hands the `errors` object on (`module.exports = errors`, `export default
// errors`). Before, a use in another file than the makeConstructor call was not named (the run read clean there).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sitesOf(files: Record<string, string>): Promise<string[]> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-restify-elsewhere-'));
  temps.push(cwd);
  const all = {
    'package.json': JSON.stringify({ dependencies: { restify: '^11', 'restify-errors': '^8' } }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
  return report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`);
}

const MAKERS = {
  'src/codes.ts': 'export const LOCKED = 403;\n',
  'src/errors.js': [
    "const errors = require('restify-errors');",
    "errors.makeConstructor('GoneAwayError', { statusCode: 403 });",
    "errors.makeConstructor('BusyError', { statusCode: 409 });",
    'module.exports = errors;',
    '',
  ].join('\n'),
  'src/errors-esm.ts': [
    "import * as errs from 'restify-errors';",
    "import { makeConstructor as mk } from 'restify-errors';",
    "import { LOCKED } from './codes';",
    "mk('LockedOutError', { statusCode: LOCKED });",
    'export default errs;',
    '',
  ].join('\n'),
};

describe('restify-errors classes made with a 403 status, used in another file', () => {
  it('names each new through restify-errors itself, ESM and CommonJS, renamed or destructured', async () => {
    const sites = await sitesOf({
      ...MAKERS,
      'src/server.ts': [
        "import * as errors from 'restify-errors';",
        "import { LockedOutError as Out } from 'restify-errors';",
        'export function a(req: any, res: any, next: any) {',
        '  if (!req.user) return next(new errors.GoneAwayError());',
        '  if (!req.out) return next(new Out());',
        '  if (!req.busy) return next(new errors.BusyError());',
        '  return next();',
        '}',
        '',
      ].join('\n'),
      'src/server-cjs.js': [
        "const { GoneAwayError } = require('restify-errors');",
        "const restifyErrors = require('restify-errors');",
        'exports.a = function (req, res, next) {',
        '  if (!req.user) return next(new GoneAwayError());',
        '  return next(new restifyErrors.LockedOutError());',
        '};',
        '',
      ].join('\n'),
    });
    expect(sites.filter((s) => s.includes('server'))).toEqual([
      'manual src/server-cjs.js:4 new GoneAwayError()',
      'manual src/server-cjs.js:5 new restifyErrors.LockedOutError()',
      'manual src/server.ts:4 new errors.GoneAwayError()',
      'manual src/server.ts:5 new Out()',
    ]);
  });
  it('names each new through a project module that hands the errors object on', async () => {
    const sites = await sitesOf({
      ...MAKERS,
      'src/server.ts': [
        "import errs from './errors-esm';",
        "const shared = require('./errors');",
        "const { GoneAwayError: Gone } = require('./errors');",
        'export function a(req: any, res: any, next: any) {',
        '  if (!req.user) return next(new shared.GoneAwayError());',
        '  if (!req.out) return next(new errs.LockedOutError());',
        '  if (!req.gone) return next(new Gone());',
        '  if (!req.busy) return next(new shared.BusyError());',
        '  return next();',
        '}',
        '',
      ].join('\n'),
    });
    expect(sites.filter((s) => s.includes('server'))).toEqual([
      'manual src/server.ts:5 new shared.GoneAwayError()',
      'manual src/server.ts:6 new errs.LockedOutError()',
      'manual src/server.ts:7 new Gone()',
    ]);
  });
});
