import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { formatHuman } from '../../src/migrate/report.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// A comparison of a response status with 403 that no request proves to read a rewritten route (a Remix error
// boundary reading its loaders' thrown responses, a retry wrapper) stops matching once the server answers 401.
// It is not a response (census kind `comparison`), but the report lists it under "Status checks to review"
// instead of leaving it to a count (documenso/documenso's embed boundary: 5 such checks beside 8 rewritten
// `status: 403` loaders).
const { temp: project } = tempDirs('status-checks');

const SERVER = `import express from 'express';
export const router = express.Router();
router.get('/x', (req, res) => res.sendStatus(403));
`;

const CHECKS = `import { StatusCodes } from 'http-status-codes';
import { HttpStatus } from '@nestjs/common';
export function ErrorBoundary({ error }: { error: { status: number; data: unknown } }) {
  if (error.status === 403) return 'paywall';
  if (403 !== error.status) return 'other';
  return null;
}
export function retry(response: Response, err: { response?: { statusCode: number } }, status: number) {
  switch (response.status) {
    case 403:
      return true;
    case StatusCodes.FORBIDDEN:
      return true;
  }
  if ([401, 403].includes(err.response?.statusCode ?? 0)) return true;
  if (status == HttpStatus.FORBIDDEN) return true;
  return false;
}
export const notAStatus = (count: number) => count === 403;
`;

const TEST = `import { it, expect } from 'vitest';
it('x', async () => {
  const res = await fetch('/x');
  if (res.status === 403) expect(true).toBe(true);
});
`;

describe('status checks to review', () => {
  it('lists each comparison of a response status with 403 in server code, none of tests or other numbers', async () => {
    const cwd = project({ 'src/server.ts': SERVER, 'src/client.ts': CHECKS, 'src/client.test.ts': TEST });
    const result = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(result.report.statusChecks).toEqual([
      { file: 'src/client.ts', line: 4, column: 24, check: 'error.status === 403' },
      { file: 'src/client.ts', line: 5, column: 7, check: '403 !== error.status' },
      { file: 'src/client.ts', line: 10, column: 10, check: 'switch (response.status) case 403:' },
      {
        file: 'src/client.ts',
        line: 12,
        column: 22,
        check: 'switch (response.status) case StatusCodes.FORBIDDEN:',
      },
      {
        file: 'src/client.ts',
        line: 15,
        column: 13,
        check: '[401, 403].includes(err.response?.statusCode ?? 0)',
      },
      { file: 'src/client.ts', line: 16, column: 28, check: 'status == HttpStatus.FORBIDDEN' },
    ]);
    // Still counted as comparisons: the census is unchanged; `count === 403` is one too, but not a status check.
    expect(result.report.census.notAnEmit.comparison).toBe(7);
    const human = formatHuman(result, 'dry-run');
    expect(human).toContain('Status checks to review (6):');
    expect(human).toContain('    src/client.ts:4:24  error.status === 403');
  });

  it('lists nothing when the run changes no status: the checks still match', async () => {
    const cwd = project({ 'src/client.ts': CHECKS });
    const result = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(result.report.census.notAnEmit.comparison).toBe(7);
    expect(result.report.statusChecks).toBeUndefined();
    expect(formatHuman(result, 'dry-run')).not.toContain('Status checks');
  });
  // spellings38 (trial37, DEFRA/forms-designer: `err.output.statusCode === StatusCodes.FORBIDDEN.valueOf()` was
  // "a 403 in a shape mtls-fix does not know"): a 403 wrapped in a call or operator that gives back the same
  // number is the same status check as its plain spelling, for every spelling of the 403.
  it('lists a check whose 403 is wrapped (.valueOf(), Number(x), +x, parseInt(x, 10), casts), never as unknown', async () => {
    const wrapped = `import { StatusCodes } from 'http-status-codes';
import { HttpStatus } from '@nestjs/common';
import http2 from 'node:http2';
export function check(err: { status: number; output: { statusCode: number } }) {
  if (err.output.statusCode === StatusCodes.FORBIDDEN.valueOf()) return 1;
  if (err.status === Number(HttpStatus.FORBIDDEN)) return 2;
  if (+http2.constants.HTTP_STATUS_FORBIDDEN === err.status) return 3;
  if (err.status === (403).valueOf()) return 4;
  if (err.status === parseInt('403', 10)) return 5;
  if (err.status === Number.parseInt('403', 10)) return 6;
  if (err.status === <number>StatusCodes.FORBIDDEN!) return 7;
  if (err.status === (403 satisfies number)) return 8;
  if (err.status === Number(String(403))) return 9;
  return 0;
}
`;
    const cwd = project({ 'src/server.ts': SERVER, 'src/check.ts': wrapped });
    const result = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(result.report.sites.filter((s) => s.file === 'src/check.ts' && s.action === 'manual')).toEqual([]);
    expect(result.report.statusChecks?.map((c) => c.check)).toEqual([
      'err.output.statusCode === StatusCodes.FORBIDDEN.valueOf()',
      'err.status === Number(HttpStatus.FORBIDDEN)',
      '+http2.constants.HTTP_STATUS_FORBIDDEN === err.status',
      'err.status === (403).valueOf()',
      "err.status === parseInt('403', 10)",
      "err.status === Number.parseInt('403', 10)",
      'err.status === <number>StatusCodes.FORBIDDEN!',
      'err.status === (403 satisfies number)',
      'err.status === Number(String(403))',
    ]);
  });

  // breaker46 (windbelike/Wind-IM@2378eae: `const loginErrorCode = 403` read as
  // `err.output.payload.statusCode == loginErrorCode` in an error handler whose Boom.forbidden throws the run
  // rewrote): a check whose 403 is a name holding no 403 text was no occurrence, so it stopped matching unseen.
  // Every place a name's 403 can come from (a const of the file, an imported constant, an enum member, a table
  // entry), in every check shape; and a run whose only rewrite reads such a name (census "0 to rewrite") lists too.
  it('lists a check whose 403 is a name holding no 403 text, from the file or another module', async () => {
    const codes = `export const DENIED = 403;
export enum Codes { Ok = 200, Denied = 403 }
export const TABLE = { denied: 403, ok: 200 } as const;
`;
    const handler = `import express from 'express';
import { DENIED, Codes, TABLE } from './codes';
const loginErrorCode = 403;
const notFound = 404;
export const app = express();
app.get('/a', (req, res) => { res.status(loginErrorCode).end(); });
app.use((err: any, req: any, res: any, next: any) => {
  if (err.output.payload.statusCode == loginErrorCode) return res.status(500).end();
  if (DENIED !== err.statusCode) return res.status(500).end();
  if (err.status === (Codes.Denied as number)) return res.status(500).end();
  if (err.status === TABLE['denied']) return res.status(500).end();
  switch (err.status) { case loginErrorCode: return res.end(); }
  if ([401, TABLE.denied].includes(err.status)) return res.end();
  if (err.status === notFound || err.status === TABLE.ok || err.status === Codes.Ok) return res.end();
  if (err.count === loginErrorCode) return res.end();
  next(err);
});
`;
    const other = `import { DENIED } from './codes';
export const denied = (response: Response) => response.status === DENIED;
`;
    const test = `import { DENIED } from '../src/codes';
it('x', () => { expect(res.status === DENIED).toBe(true); });
`;
    const cwd = project({
      'src/codes.ts': codes,
      'src/handler.ts': handler,
      'src/other.ts': other,
      'test/other.test.ts': test,
    });
    const result = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    // The only rewrite reads the name: no occurrence of its own is rewritten.
    expect(result.report.census.rewritten).toBe(0);
    expect(result.report.statusChecks?.map((c) => [c.file, c.line, c.column, c.check])).toEqual([
      ['src/handler.ts', 8, 40, 'err.output.payload.statusCode == loginErrorCode'],
      ['src/handler.ts', 9, 7, 'DENIED !== err.statusCode'],
      ['src/handler.ts', 10, 23, 'err.status === (Codes.Denied as number)'],
      ['src/handler.ts', 11, 22, "err.status === TABLE['denied']"],
      ['src/handler.ts', 12, 30, 'switch (err.status) case loginErrorCode:'],
      ['src/handler.ts', 13, 13, '[401, TABLE.denied].includes(err.status)'],
      ['src/other.ts', 2, 67, 'response.status === DENIED'],
    ]);
    const human = formatHuman(result, 'dry-run');
    expect(human).toContain('    src/handler.ts:8:40  err.output.payload.statusCode == loginErrorCode');
  });
});
