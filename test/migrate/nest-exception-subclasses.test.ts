import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A project class that extends Nest's ForbiddenException answers 403 on every throw; so does a class that extends
// such a class, in the same file or another, imported under an alias, through a barrel or a namespace. Each such
// class is named where it is declared, and its throws are references to it (not unknown shapes, not unnamed).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nest-subclasses-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const FILES = {
  'package.json': JSON.stringify({
    dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/core': '^10.0.0' },
  }),
  'src/errors.ts': [
    "import { ForbiddenException as Denied } from '@nestjs/common';",
    'export class TenantForbidden extends Denied {}',
    'export class DeepForbidden extends TenantForbidden {}',
    '',
  ].join('\n'),
  'src/more-errors.ts': [
    "import { TenantForbidden as Base } from './index';",
    'export class PlanLimit extends Base {}',
    'class Inner extends PlanLimit {}',
    'export class Grand extends Inner {}',
    '',
  ].join('\n'),
  'src/index.ts': "export * from './errors';\n",
  // No 403 word in this file's text: read because it names a class of the files above (phase 2).
  'src/far/quota.ts':
    "import { Grand as Limit } from '../more-errors';\nexport class Quota extends Limit {}\n",
  'src/ctl.ts': [
    "import { Controller, Get } from '@nestjs/common';",
    "import { DeepForbidden } from './errors';",
    "import * as E from './errors';",
    "import { PlanLimit, Grand } from './more-errors';",
    '',
    "@Controller('a')",
    'export class Ctl {',
    "  @Get('1') one() { throw new DeepForbidden(); }",
    "  @Get('2') two() { throw new E.DeepForbidden(); }",
    "  @Get('3') three() { throw new PlanLimit(); }",
    "  @Get('4') four() { throw new Grand(); }",
    '}',
    '',
  ].join('\n'),
};

describe('NestJS: classes that extend a project subclass of ForbiddenException', () => {
  it('names each class of the chain where it is declared, in every file and spelling', async () => {
    const cwd = project(FILES);
    const { report } = await migrate({ cwd, status: 401, mode: 'check', explain: true });
    expect(report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`)).toEqual([
      'manual src/errors.ts:2 extends Denied',
      'manual src/errors.ts:3 extends TenantForbidden',
      'manual src/far/quota.ts:2 extends Limit',
      'manual src/more-errors.ts:2 extends Base',
      'manual src/more-errors.ts:3 extends PlanLimit',
      'manual src/more-errors.ts:4 extends Inner',
    ]);
    const chained = report.sites.find((s) => s.form === 'extends Base');
    expect(chained?.reason).toContain('extending ForbiddenException through TenantForbidden');
    expect(chained?.reason).toContain('every throw answers 403');
    // The throws of DeepForbidden (as named, through a namespace) are references to its class, not unknown shapes.
    const references = (report.notAnEmit ?? []).filter(
      (e) => e.file === 'src/ctl.ts' && e.kind === 'reference',
    );
    expect(references.map((e) => `${e.line} ${e.text} ${e.via}`)).toEqual([
      '8 DeepForbidden src/errors.ts:3 (extends TenantForbidden)',
      '9 DeepForbidden src/errors.ts:3 (extends TenantForbidden)',
    ]);
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });

  it('gives the class and its subclasses the reason of a registered filter that catches it', async () => {
    const cwd = project({
      ...FILES,
      'src/filter.ts': [
        "import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';",
        "import { TenantForbidden } from './errors';",
        '@Catch(TenantForbidden)',
        'export class TenantFilter implements ExceptionFilter {',
        '  catch(exception: TenantForbidden, host: ArgumentsHost) {',
        '    host.switchToHttp().getResponse().status(401).json({});',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { TenantFilter } from './filter';",
        'async function main() {',
        '  const app = await NestFactory.create({} as never);',
        '  app.useGlobalFilters(new TenantFilter());',
        '}',
        'main();',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const reason = (form: string) => report.sites.find((s) => s.form === form)?.reason ?? '';
    expect(reason('extends Denied')).toContain(
      'TenantForbidden is caught by the exception filter TenantFilter',
    );
    expect(reason('extends TenantForbidden')).toContain(
      'DeepForbidden is caught by the exception filter TenantFilter',
    );
    expect(reason('extends Inner')).toContain('Grand is caught by the exception filter TenantFilter');
    expect(reason('extends Limit')).toContain('which answers 401: its throws never answer 403');
  });

  it('names the subclass where its parent lies outside the scanned files', async () => {
    const cwd = project(FILES);
    const { report } = await migrate({ cwd, status: 401, mode: 'check', paths: ['src/more-errors.ts'] });
    expect(report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`)).toEqual([
      // The import of a class that holds a 403 outside the run (outside-holds.ts), as before.
      'manual src/more-errors.ts:1 TenantForbidden as Base',
      'manual src/more-errors.ts:2 extends Base',
      'manual src/more-errors.ts:3 extends PlanLimit',
      'manual src/more-errors.ts:4 extends Inner',
    ]);
  });

  it('leaves a class alone whose chain does not reach ForbiddenException', async () => {
    const cwd = project({
      ...FILES,
      'src/errors.ts': [
        "import { NotFoundException } from '@nestjs/common';",
        'export class TenantForbidden extends NotFoundException {}',
        'export class DeepForbidden extends TenantForbidden {}',
        'export class Loop extends Loop2 {}',
        'class Loop2 extends Loop {}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({
      cwd,
      status: 401,
      mode: 'check',
      paths: ['src/errors.ts', 'src/more-errors.ts'],
    });
    expect(report.sites.filter((s) => s.form.startsWith('extends'))).toEqual([]);
  });
});
