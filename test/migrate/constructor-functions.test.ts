import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Pre-ES2015 error classes: a constructor function that sets `this.code = 403` (telefonicaid/fiware-pep-steelskin's
// lib/errors.js, session 52) is reported as a class's own status is, by its name, in every spelling of the function
// and of the status; other functions that set a 403 on `this` are not taken for one.
const { temp } = tempDirs('constructor-functions');

async function sites(files: Record<string, string>) {
  const result = await migrate({ cwd: temp(files), status: 401, mode: 'dry-run' });
  return result.report.sites.map((s) => ({
    file: s.file,
    line: s.line,
    action: s.action,
    reason: s.reason ?? '',
  }));
}

describe('error classes written as constructor functions', () => {
  it('names each by its name, whatever spells the function or the 403', async () => {
    const found = await sites({
      'package.json': JSON.stringify({ dependencies: { express: '^4', 'http-status-codes': '^2' } }),
      'lib/errors.js': [
        "var util = require('util');",
        'var errors = {',
        '  AccessDenied: function () {',
        "    this.name = 'ACCESS_DENIED';",
        '    this.code = 403;',
        '  },',
        '  MissingHeaders: function () {',
        '    this.code = 400;',
        '  },',
        '};',
        'for (var k in errors) util.inherits(errors[k], Error);',
        'function Quota(msg) {',
        '  this.message = msg;',
        "    this['statusCode'] = 403;",
        '}',
        'util.inherits(Quota, Error);',
        'module.exports = { errors: errors, Quota: Quota };',
        '',
      ].join('\n'),
      'src/denied.ts': [
        "import { StatusCodes } from 'http-status-codes';",
        'export const TenantRefused = function (this: { status: number }) {',
        '  this.status = StatusCodes.FORBIDDEN;',
        '};',
        '',
      ].join('\n'),
      'src/partner.ts': [
        'export class Partner extends Error {',
        '  constructor() {',
        '    super();',
        "    this['statusCode'] = 403;",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    // A class's field set by a string key is its status too.
    expect(found.find((s) => s.file === 'src/partner.ts')?.reason).toMatch(
      /^Custom error class Partner answers 403 wherever it is thrown/,
    );
    const named = found.filter((s) => /\(a constructor function\)/.test(s.reason));
    expect(named.map((s) => [s.file, s.line, s.action])).toEqual([
      ['lib/errors.js', 5, 'manual'],
      ['lib/errors.js', 14, 'manual'],
      ['src/denied.ts', 3, 'manual'],
    ]);
    expect(named.map((s) => /^Custom error class (\w+) /.exec(s.reason)?.[1])).toEqual([
      'AccessDenied',
      'Quota',
      'TenantRefused',
    ]);
    expect(found.some((s) => /shape mtls-fix does not know/.test(s.reason))).toBe(false);
  });

  it('leaves middleware, methods and plain functions that set a 403 on this to the modules that read them', async () => {
    const found = await sites({
      'package.json': JSON.stringify({ dependencies: { koa: '^1' } }),
      'src/app.js': [
        "var koa = require('koa');",
        'var app = koa();',
        'app.use(function* Guard(next) {',
        '  this.status = 403;',
        '});',
        'function Session() {}',
        'Session.prototype.deny = function () {',
        '  this.status = 403;',
        '};',
        'module.exports = { app: app, Session: Session };',
        '',
      ].join('\n'),
    });
    expect(found.some((s) => /constructor function/.test(s.reason))).toBe(false);
    expect(found.find((s) => s.line === 4)?.action).toBe('would-rewrite');
  });
});
