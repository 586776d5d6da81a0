import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Breaker50b: a Nest exception filter's code table `{ FORBIDDEN: HttpStatus.FORBIDDEN }[exception.code]`
// (ALLAN-star-glitch/pivota-api) was "'FORBIDDEN' names a 403 in a shape mtls-fix does not know", while the same
// table with the literal 403 was a status map. Every status library constant mtls-fix renames is a map's 403 too.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('status maps whose 403 is a named constant', () => {
  it('HttpStatus.FORBIDDEN, StatusCodes.FORBIDDEN in an object or a Map read at run time are status-map entries', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-smc-'));
    temps.push(cwd);
    const dependencies = { '@nestjs/common': '*', express: '*', 'http-status-codes': '*' };
    writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
    mkdirSync(path.join(cwd, 'src'), { recursive: true });
    writeFileSync(
      path.join(cwd, 'src/codes.ts'),
      [
        "import { HttpStatus } from '@nestjs/common';",
        "import { StatusCodes } from 'http-status-codes';",
        'const byCode: Record<string, number> = {',
        '  OK: HttpStatus.OK,',
        '  FORBIDDEN: HttpStatus.FORBIDDEN,',
        '};',
        "const byName = new Map<string, number>([['DENIED', StatusCodes.FORBIDDEN]]);",
        'export const statusOf = (code: string): number => byCode[code] ?? byName.get(code) ?? 500;',
        '',
      ].join('\n'),
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true, explain: true });
    const rows = report.sites.map((s) => [s.line, s.framework, s.reason?.slice(0, 30)]);
    expect(rows).toEqual([
      [5, 'status-mappings', "Status map: 'FORBIDDEN' maps t"],
      [7, 'status-mappings', "Status map: 'DENIED' maps to 4"],
    ]);
  });
});
