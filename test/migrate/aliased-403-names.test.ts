import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 33, breaker33 #03 (SILENT): a 403 error class of a library mtls-fix does not know, taken under a name
// that does not say so, was thrown with no manual site and `--check` passed; the import was written off as
// "counted where used" and no use was counted (census-aliases.ts).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>, dependencies: string[]): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-alias-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

function manualAt(report: MigrateReport): string[] {
  return report.sites.filter((s) => s.action === 'manual').map((s) => `${s.file}:${s.line}`);
}

function addsUp(report: MigrateReport): void {
  const c = report.census;
  const notAnEmit = Object.values(c.notAnEmit).reduce((a, b) => a + b, 0);
  const notRead = Object.values(c.notRead).reduce((a, b) => a + b, 0);
  expect(c.rewritten + c.manual + c.ignored + c.outOfScope + notAnEmit + notRead).toBe(c.occurrences);
}

const use = (local: string): string =>
  `export function a(ok: boolean) {\n  if (!ok) throw new ${local}('no client certificate');\n}\n`;

describe('a 403 name of an unknown library under another name is named at its use', () => {
  it.each([
    [
      'an ES import alias',
      { 'src/a.ts': `import { Forbidden as Denied } from '@curveball/http-errors';\n${use('Denied')}` },
      ['src/a.ts:3'],
    ],
    [
      'an ES import alias of ForbiddenError',
      { 'src/a.ts': `import { ForbiddenError as FE } from 'http-errors-enhanced';\n${use('FE')}` },
      ['src/a.ts:3'],
    ],
    [
      'a re-export alias in a local module (the importer holds no 403 form)',
      {
        'src/errors.ts': "export { Forbidden as NoAccess } from '@curveball/http-errors';\n",
        'src/a.ts': `import { NoAccess } from './errors';\n${use('NoAccess')}`,
      },
      ['src/a.ts:3'],
    ],
    [
      'an import handed on under another name',
      {
        'src/errors.ts':
          "import { Forbidden } from '@curveball/http-errors';\nexport { Forbidden as NoAccess };\n",
        'src/a.ts': `import { NoAccess } from './errors';\n${use('NoAccess')}`,
      },
      ['src/a.ts:3'],
    ],
    [
      'an aliased import re-exported as is',
      {
        'src/errors.ts':
          "import { Forbidden as Denied } from '@curveball/http-errors';\nexport { Denied };\n",
        'src/a.ts': `import { Denied } from './errors';\n${use('Denied')}`,
      },
      ['src/a.ts:3'],
    ],
    [
      'a re-export alias imported under yet another name',
      {
        'src/errors.ts': "export { Forbidden as NoAccess } from '@curveball/http-errors';\n",
        'src/a.ts': `import { NoAccess as Nope } from './errors';\n${use('Nope')}`,
      },
      ['src/a.ts:3'],
    ],
    [
      'the default of a module that re-exports it so',
      {
        'src/errors.ts': "export { Forbidden as default } from '@curveball/http-errors';\n",
        'src/a.ts': `import Nope from './errors';\n${use('Nope')}`,
      },
      // Named at the export: importers take a default under any name (as `export default Forbidden` is).
      ['src/errors.ts:1'],
    ],
    [
      'a namespace import',
      { 'src/a.ts': `import * as E from '@curveball/http-errors';\n${use('E.Forbidden')}` },
      ['src/a.ts:3'],
    ],
    [
      'a namespace re-export',
      {
        'src/errors.ts': "export * as Errs from '@curveball/http-errors';\n",
        'src/a.ts': `import { Errs } from './errors';\n${use('Errs.Forbidden')}`,
      },
      ['src/a.ts:3'],
    ],
    [
      'CommonJS destructuring (named where it is destructured)',
      {
        'src/a.js':
          "const { Forbidden: D } = require('@curveball/http-errors');\nexports.a = (ok) => {\n  if (!ok) throw new D('no');\n};\n",
      },
      ['src/a.js:1'],
    ],
    [
      'a TypeScript import-equals alias',
      {
        'src/a.ts': `import errs = require('@curveball/http-errors');\nimport Q = errs.Forbidden;\n${use('Q')}`,
      },
      ['src/a.ts:2'],
    ],
    [
      'a throw of the class itself and a factory call',
      {
        'src/a.ts':
          "import { Forbidden as Denied } from '@curveball/http-errors';\nexport function a(ok: boolean) {\n  if (!ok) throw Denied;\n  if (!ok) throw Denied.create('no');\n}\n",
      },
      ['src/a.ts:3', 'src/a.ts:4'],
    ],
  ])('%s', async (_name, files, expected) => {
    const report = await run(files, ['express', '@curveball/http-errors', 'http-errors-enhanced']);
    expect(manualAt(report).sort()).toEqual(expected);
    addsUp(report);
  });

  it('says what the alias stands for', async () => {
    const report = await run(
      { 'src/a.ts': `import { Forbidden as Denied } from '@curveball/http-errors';\n${use('Denied')}` },
      ['@curveball/http-errors'],
    );
    expect(report.sites.find((s) => s.action === 'manual')?.reason).toMatch(
      /^'Denied' is 'Forbidden' of '@curveball\/http-errors' under another name: a 403 in a shape mtls-fix does not know \(new Denied\('no client certificate'\)\)/,
    );
  });

  it('names a re-export alias no file of the run uses at the export', async () => {
    const report = await run(
      { 'src/errors.ts': "export { Forbidden as NoAccess } from '@curveball/http-errors';\n" },
      ['@curveball/http-errors'],
    );
    expect(manualAt(report)).toEqual(['src/errors.ts:1']);
    expect(report.sites[0]?.reason).toMatch(/exported as 'NoAccess' and no file of this run uses 'NoAccess'/);
  });
});

describe('uses that send nothing, or that a module already counts, stay as they were', () => {
  it.each([
    [
      'a check and a type',
      "import { Forbidden as Denied } from '@curveball/http-errors';\nexport function a(e: unknown): e is Denied {\n  return e instanceof Denied;\n}\n",
      [],
    ],
    [
      'a known library under an alias is rewritten',
      "import { ForbiddenException as FE } from '@nestjs/common';\nexport function a(ok: boolean) {\n  if (!ok) throw new FE('no');\n}\n",
      [],
    ],
    [
      'a known status constant under an alias is rewritten',
      "import { FORBIDDEN as DENIED } from 'http-status-codes';\nexport function a(res: { status(n: number): void }, ok: boolean) {\n  if (!ok) res.status(DENIED);\n}\n",
      [],
    ],
    [
      'a name of forbidden data',
      "import { forbiddenPaths as blocked } from './paths';\nexport const a = (p: string) => blocked.includes(p);\n",
      [],
    ],
  ])('%s', async (_name, text, expected) => {
    const report = await run({ 'src/a.ts': text }, ['express', '@nestjs/common', 'http-status-codes']);
    expect(manualAt(report)).toEqual(expected);
    addsUp(report);
  });
});
