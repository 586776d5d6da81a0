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
