import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Error classes whose constructor takes the status, defined in another file (found in real code bases:
// `module.exports = ApiError` + `require()`, `export default HttpException` + a default import).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mtls-fix-helpers-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('helpers exported from another file', () => {
  it('rewrites `new Class(403)` for CommonJS, default and named exports', async () => {
    const cwd = project({
      'src/errors/api-error.js': [
        'class ApiError extends Error {',
        '  constructor(statusCode, message) {',
        '    super(message);',
        '    this.statusCode = statusCode;',
        '  }',
        '}',
        'module.exports = ApiError;',
        '',
      ].join('\n'),
      'src/auth.js': [
        "const ApiError = require('./errors/api-error');",
        "module.exports = (req, res, next) => next(new ApiError(403, 'Forbidden'));",
        '',
      ].join('\n'),
      'src/models/http-exception.ts': [
        'class HttpException extends Error {',
        '  constructor(public errorCode: number, message: string) {',
        '    super(message);',
        '  }',
        '}',
        'export default HttpException;',
        '',
      ].join('\n'),
      'src/fail.ts': [
        'export function fail(res: { status(n: number): unknown }, status: number) {',
        '  return res.status(status);',
        '}',
        '',
      ].join('\n'),
      'src/index.ts': [
        "import HttpException from './models/http-exception';",
        "import { fail as failWith } from './fail';",
        "export const a = () => { throw new HttpException(403, 'not yours'); };",
        'export const b = (res: never) => failWith(res, 403);',
        '',
      ].join('\n'),
    });
    const result = await migrate({
      cwd,
      status: 401,
      mode: 'dry-run',
      frameworks: ['express', 'error-classes'],
    });
    expect(result.diff).toContain(
      "+module.exports = (req, res, next) => next(new ApiError(401, 'Unauthorized'));",
    );
    expect(result.diff).toContain("+export const a = () => { throw new HttpException(401, 'not yours'); };");
    // `fail` is exported under its own name: the aliased import resolves through the binding's name.
    expect(result.diff).toContain('+export const b = (res: never) => failWith(res, 401);');
    expect(result.report.summary.rewritten).toBe(3);
    // Each class is reported once as a helper whose status comes from its callers.
    expect(result.report.sites.filter((s) => s.action === 'manual').map((s) => s.file)).toEqual([
      'src/errors/api-error.js',
      'src/fail.ts',
      'src/models/http-exception.ts',
    ]);
  });
});

// NodeBB (session 30): `const helpers = module.exports; helpers.noScriptErrors = async function (req, res, error,
// httpStatus) {…}` called as `helpers.noScriptErrors(req, res, msg, 403)` in 40 places. Helpers held as members (of
// CommonJS's exports object, an alias of it, or an object literal) were reported as shared helpers while every
// call passing them a 403 was "a shape mtls-fix does not know".
describe('helpers held as members of an object', () => {
  it('rewrites calls of exports-object members, aliases of it and object-literal methods, here and across files', async () => {
    const cwd = project({
      'src/helpers.js': [
        "'use strict';",
        'const helpers = module.exports;',
        'helpers.deny = function (req, res, message, httpStatus) {',
        '  return res.status(httpStatus).json({ message });',
        '};',
        'helpers.formatApiResponse = async (statusCode, res, payload) => {',
        '  res.status(statusCode).json(payload);',
        '};',
        'exports.reject = function (res, code) {',
        '  res.status(code).end();',
        '};',
        'module.exports.refuse = (res, code) => res.status(code).end();',
        'helpers.inside = function (req, res) {',
        "  return helpers.deny(req, res, 'no', 403);",
        '};',
        '',
      ].join('\n'),
      'src/table.js': [
        'module.exports = {',
        '  block(res, code) {',
        '    res.status(code).end();',
        '  },',
        '  stop: function (res, code) {',
        '    res.sendStatus(code);',
        '  },',
        '};',
        '',
      ].join('\n'),
      'src/local.ts': [
        "import type { Response } from 'express';",
        'const replies = {',
        '  deny(res: Response, code: number) {',
        '    res.status(code).end();',
        '  },',
        '};',
        'export function handler(res: Response) {',
        '  replies.deny(res, 403);',
        '}',
        '',
      ].join('\n'),
      'src/routes.js': [
        "const helpers = require('./helpers');",
        "const table = require('./table');",
        "const express = require('express');",
        'const router = express.Router();',
        "router.get('/a', (req, res) => helpers.deny(req, res, 'no', 403));",
        "router.get('/b', (req, res) => helpers.formatApiResponse(403, res, {}));",
        "router.get('/c', (req, res) => helpers.reject(res, 403));",
        "router.get('/d', (req, res) => helpers.refuse(res, 403));",
        "router.get('/e', (req, res) => table.block(res, 403));",
        "router.get('/f', (req, res) => table.stop(res, 403));",
        'module.exports = router;',
        '',
      ].join('\n'),
    });
    const result = await migrate({ cwd, status: 401, mode: 'dry-run' });
    for (const line of [
      "+  return helpers.deny(req, res, 'no', 401);",
      '+  replies.deny(res, 401);',
      "+router.get('/a', (req, res) => helpers.deny(req, res, 'no', 401));",
      "+router.get('/b', (req, res) => helpers.formatApiResponse(401, res, {}));",
      "+router.get('/c', (req, res) => helpers.reject(res, 401));",
      "+router.get('/d', (req, res) => helpers.refuse(res, 401));",
      "+router.get('/e', (req, res) => table.block(res, 401));",
      "+router.get('/f', (req, res) => table.stop(res, 401));",
    ])
      expect(result.diff).toContain(line);
    expect(result.report.census.manual).toBe(0);
    expect(result.report.census.rewritten).toBe(8);
    // No call is left as an unknown shape; each helper is still named once as taking its status from callers.
    expect(result.report.sites.filter((s) => s.framework === 'unknown')).toEqual([]);
  });

  it('leaves a member of an object made inside a function to the unknown-shape report', async () => {
    const cwd = project({
      'src/make.js': [
        'function make() {',
        '  return { deny(res, code) { res.status(code).end(); } };',
        '}',
        'module.exports = (req, res) => make().deny(res, 403);',
        '',
      ].join('\n'),
    });
    const result = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(result.report.summary.rewritten).toBe(0);
    expect(result.report.census.manual).toBe(1);
  });

  // wekan: a Meteor app imports its helper from the app's root (`/server/apiMiddleware`); its callers were each
  // "a shape mtls-fix does not know" although the helper itself was found.
  it('matches calls of a helper imported from a Meteor application root', async () => {
    const cwd = project({
      '.meteor/release': 'METEOR@3.0\n',
      'server/apiMiddleware.js': [
        'function sendJsonResult(res, options) {',
        '  options = options || {};',
        '  res.statusCode = options.code || 200;',
        '  res.end(JSON.stringify(options.data));',
        '}',
        'module.exports = { sendJsonResult };',
        '',
      ].join('\n'),
      'server/models/boards.js': [
        "import { sendJsonResult } from '/server/apiMiddleware';",
        "WebApp.connectHandlers.use('/api/boards', (req, res) => {",
        "  sendJsonResult(res, { code: 403, data: { error: 'Only a board admin' } });",
        '});',
        '',
      ].join('\n'),
      'models/export.js': [
        "const { sendJsonResult } = require('/server/apiMiddleware');",
        "WebApp.connectHandlers.use('/api/export', (req, res) => sendJsonResult(res, { code: 403 }));",
        '',
      ].join('\n'),
    });
    const result = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(result.diff).toContain(
      "+  sendJsonResult(res, { code: 401, data: { error: 'Only a board admin' } });",
    );
    expect(result.diff).toContain(
      "+WebApp.connectHandlers.use('/api/export', (req, res) => sendJsonResult(res, { code: 401 }));",
    );
    expect(result.report.sites.filter((s) => s.framework === 'unknown')).toEqual([]);
  });
});
