import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 33 (jellyseerr's server/types/error.ts): a parameter whose declared type cannot hold 403 (an enum of
// strings imported from another module, a string literal union, boolean) was named a "Shared helper"
// (analysis/status-param-types.ts).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-param-types-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const helperParams = (report: MigrateReport): string[] =>
  report.sites
    .map(
      (s) =>
        /^Shared helper: the status comes from its caller \(parameter '(\w+)'\)/.exec(s.reason ?? '')?.[1],
    )
    .filter((p): p is string => p !== undefined)
    .sort();

const errorClass = (type: string): string =>
  `export class ApiError extends Error {\n  constructor(public statusCode: number, public errorCode: ${type}) {\n    super();\n  }\n}\n`;
const route =
  "import { ApiError } from './error';\nexport const f = (ok: boolean) => {\n  if (!ok) throw new ApiError(403, 'NOT_ADMIN' as never);\n};\n";

describe('a parameter whose type cannot hold 403 is no status parameter', () => {
  it.each([
    [
      'an enum of strings in another module (jellyseerr)',
      {
        'server/constants/error.ts':
          "export enum ApiErrorCode {\n  NotAdmin = 'NOT_ADMIN',\n  Unknown = 'UNKNOWN',\n}\n",
        'server/error.ts': `import type { ApiErrorCode } from './constants/error';\n${errorClass('ApiErrorCode')}`,
      },
      ['statusCode'],
    ],
    [
      'a string literal union alias in another module',
      {
        'server/codes.ts': "export type Code = 'NOT_ADMIN' | 'UNKNOWN';\n",
        'server/error.ts': `import type { Code } from './codes';\n${errorClass('Code')}`,
      },
      ['statusCode'],
    ],
    [
      'a string literal union',
      { 'server/error.ts': errorClass("'NOT_ADMIN' | 'UNKNOWN' | undefined") },
      ['statusCode'],
    ],
    ['boolean', { 'server/error.ts': errorClass('boolean') }, ['statusCode']],
    [
      'an enum with a number still may hold a status',
      {
        'server/constants/error.ts': 'export enum ApiErrorCode {\n  NotAdmin = 403,\n}\n',
        'server/error.ts': `import { ApiErrorCode } from './constants/error';\n${errorClass('ApiErrorCode')}`,
      },
      ['errorCode', 'statusCode'],
    ],
    ['number still does', { 'server/error.ts': errorClass('number') }, ['errorCode', 'statusCode']],
  ])('%s', async (_name, files, expected) => {
    const report = await run({ ...files, 'server/route.ts': route });
    expect(helperParams(report)).toEqual(expected);
  });
});
