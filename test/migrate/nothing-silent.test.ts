import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateOptions, MigrateReport } from '../../src/migrate/types.js';

// "A result that reads clean must mean clean" (nt): scenarios on small projects written to a temp folder, each
// checking what the report says about a shape that used to be reported wrongly or not at all.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path -> text) with a package.json naming `dependencies`, runs a dry run. */
async function run(
  files: Record<string, string>,
  dependencies: string[] = ['express'],
  options: Partial<MigrateOptions> = {},
): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nt-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', ...options })).report;
}

describe('JSON replacement shows what changes', () => {
  it.each([
    [
      'a local constant rewritten where it is declared',
      "import type { Response } from 'express';\nexport function deny(res: Response, ok: boolean) {\n  const code = ok ? 200 : 403;\n  res.status(code).end();\n}\n",
      'line 3: const code = ok ? 200 : 401;',
    ],
    [
      'a variable assigned 403 on one branch',
      "import type { Response } from 'express';\nexport function deny(res: Response, ok: boolean) {\n  let code = 200;\n  if (!ok) code = 403;\n  res.sendStatus(code);\n}\n",
      'line 4: if (!ok) code = 401;',
    ],
  ])('%s', async (_name, text, replacement) => {
    const report = await run({ 'src/a.ts': text });
    expect(report.sites.map((s) => [s.action, s.replacement])).toEqual([['would-rewrite', replacement]]);
  });

  it('a form that changes itself keeps its replacement as before', async () => {
    const report = await run({
      'src/a.ts':
        "import type { Response } from 'express';\nexport const f = (res: Response) => res.status(403).end();\n",
    });
    expect(report.sites.map((s) => s.replacement)).toEqual(['res.status(401)']);
  });
});

describe('statuses known from the text are resolved, not "dynamic"', () => {
  const head =
    "import type { Response } from 'express';\nimport http2 from 'node:http2';\nimport { StatusCodes } from 'http-status-codes';\n";
  it.each([
    [
      'element access, local object',
      "const S = { OK: 200, UNAUTHORIZED: 401, FORBIDDEN: 403 };\nexport const f = (res: Response) => res.status(S['FORBIDDEN']).end();\n",
      "res.status(S['UNAUTHORIZED'])",
    ],
    [
      'element access, template key',
      'const S = { FORBIDDEN: 403 };\nexport const f = (res: Response) => res.status(S[`FORBIDDEN`]).end();\n',
      'res.status(401)',
    ],
    [
      'element access, library table',
      "export const f = (res: Response) => res.status(StatusCodes['FORBIDDEN']).end();\n",
      "res.status(StatusCodes['UNAUTHORIZED'])",
    ],
    [
      'Object.freeze map',
      'const S = Object.freeze({ OK: 200, FORBIDDEN: 403 });\nexport const f = (res: Response) => res.status(S.FORBIDDEN).end();\n',
      'res.status(401)',
    ],
    [
      'Object.freeze map as const, element access',
      "const S = Object.freeze({ UNAUTHORIZED: 401, FORBIDDEN: 403 } as const);\nexport const f = (res: Response) => res.status(S['FORBIDDEN']).end();\n",
      "res.status(S['UNAUTHORIZED'])",
    ],
    [
      'destructured http2.constants',
      'const { HTTP_STATUS_FORBIDDEN } = http2.constants;\nexport const f = (res: Response) => res.status(HTTP_STATUS_FORBIDDEN).end();\n',
      'res.status(401)',
    ],
    [
      "destructured require('http2').constants, renamed",
      "const { HTTP_STATUS_FORBIDDEN: DENIED } = require('http2').constants;\nexport const f = (res: Response) => res.status(DENIED).end();\n",
      'res.status(401)',
    ],
    [
      'destructured library enum, renamed',
      'const { FORBIDDEN: DENIED } = StatusCodes;\nexport const f = (res: Response) => res.status(DENIED).end();\n',
      'res.status(401)',
    ],
    [
      'destructured frozen project map, in the function',
      'const S = Object.freeze({ FORBIDDEN: 403 });\nexport function f(res: Response) {\n  const { FORBIDDEN } = S;\n  res.status(FORBIDDEN).end();\n}\n',
      'res.status(401)',
    ],
  ])('%s', async (_name, body, replacement) => {
    const report = await run({ 'src/a.ts': head + body });
    expect(report.sites.map((s) => [s.action, s.replacement])).toEqual([['would-rewrite', replacement]]);
    expect(report.census.manual).toBe(0);
  });

  it('an imported frozen map, read by element access', async () => {
    const report = await run({
      'src/codes.ts': 'export const STATUS = Object.freeze({ UNAUTHORIZED: 401, FORBIDDEN: 403 });\n',
      'src/a.ts':
        "import type { Response } from 'express';\nimport { STATUS } from './codes';\nexport const f = (res: Response) => res.status(STATUS['FORBIDDEN']).end();\n",
    });
    expect(report.sites.map((s) => [s.file, s.replacement])).toEqual([
      ['src/a.ts', "res.status(STATUS['UNAUTHORIZED'])"],
    ]);
  });

  it('a known other status stays untouched and unreported', async () => {
    const report = await run({
      'src/a.ts':
        head +
        "const S = Object.freeze({ OK: 200, FORBIDDEN: 403 });\nconst { HTTP_STATUS_OK } = http2.constants;\nexport const f = (res: Response) => res.status(S['OK']).end();\nexport const g = (res: Response) => res.status(HTTP_STATUS_OK).end();\n",
    });
    expect(report.sites.filter((s) => s.framework === 'express')).toEqual([]);
  });

  it('a table read by a computed key names the table and its 403 entry', async () => {
    const report = await run({
      'src/a.ts':
        head +
        "const S = Object.freeze({ OK: 200, FORBIDDEN: 403 });\nexport const f = (res: Response, key: 'OK' | 'FORBIDDEN') => res.status(S[key]).end();\n",
    });
    // The table's own 403 entry stays a manual item of its own (no site reads it by name).
    expect(report.sites.map((s) => s.reason)).toContainEqual(
      expect.stringContaining(
        "Computed status: read from S by a key known only at run time (key); S answers 403 for 'FORBIDDEN'",
      ) as string,
    );
  });
});
