import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 47, server47. A check of a handled error's or a server's own status against a name that holds 403 but does
// not spell it (`exception.getStatus() === DENIED` in a Nest filter, `ctx.status === NO_ACCESS` after `await next()`,
// the name imported, or `export const DENIED = HttpStatus.FORBIDDEN`) was silent: no census occurrence, so no
// reader site, while the literal `=== 403` is "Reads … and compares it with 403 … this check no longer fires".
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-own-named-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({ name: 'p', dependencies: { koa: '^2', '@nestjs/common': '^10' } });

const CODES: [string, string][] = [
  ['an imported literal', 'export const DENIED = 403;\n'],
  [
    'an imported HttpStatus.FORBIDDEN',
    "import { HttpStatus } from '@nestjs/common';\nexport const DENIED = HttpStatus.FORBIDDEN;\n",
  ],
];

const CHECKS: [string, string, RegExp][] = [
  [
    'a Nest exception filter',
    "import { ArgumentsHost, Catch, ExceptionFilter, HttpException, ForbiddenException } from '@nestjs/common';\n" +
      "import { DENIED } from './codes';\n" +
      "export const deny = () => { throw new ForbiddenException('no'); };\n" +
      '@Catch(HttpException)\nexport class F implements ExceptionFilter {\n' +
      '  catch(exception: HttpException, host: ArgumentsHost) {\n' +
      '    const res = host.switchToHttp().getResponse();\n' +
      "    if (exception.getStatus() === DENIED) console.warn('denied');\n" +
      '    res.status(500).json({});\n  }\n}\n',
    /^Reads the status of the exception its filter answers \(exception\.getStatus\(\)\) and compares it with 403/,
  ],
  [
    'a Koa middleware after next',
    "import Koa from 'koa';\nimport { DENIED } from './codes';\nconst app = new Koa();\n" +
      "app.use(async (ctx, next) => { await next(); if (ctx.status === DENIED) console.warn('denied'); });\n" +
      'app.use(async (ctx) => { ctx.status = 403; });\nexport default app;\n',
    /compares it with 403, which this run changes to 401/,
  ],
];

describe('a check of an own or handled status against a name holding 403', () => {
  const cases = CODES.flatMap(([codes, text]) =>
    CHECKS.map(([check, server, reason]) => [`${codes} / ${check}`, text, server, reason] as const),
  );
  it.each(cases)('%s: named as a check that stops firing', async (_name, codes, server, reason) => {
    const cwd = project({ 'package.json': PACKAGE, 'src/codes.ts': codes, 'src/server.ts': server });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const checks = report.sites.filter((s) => s.file === 'src/server.ts' && /=== DENIED/.test(s.form));
    expect(checks.map((s) => [s.action, s.reason])).toEqual([['manual', expect.stringMatching(reason)]]);
  });

  it('a name holding another status is no such check', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.ts': 'export const DENIED = 404;\n',
      'src/server.ts': CHECKS[1][1],
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.filter((s) => /=== DENIED/.test(s.form))).toEqual([]);
  });
});
