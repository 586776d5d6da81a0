import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A project error class that fixes 403 (`super(m, 403)`, `status = 403`, Nest's `super(m, HttpStatus.FORBIDDEN)`)
// is named at its status; a class extending it answers 403 on every throw too, with no 403 written where it is
// declared or thrown. Each is named at its extends, however deep, in every file and import spelling, in a file
// whose text holds no 403 word; a class on the way that fixes another status stops the chain.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-class-subclasses-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const FILES = {
  'package.json': JSON.stringify({ dependencies: { express: '^4', '@nestjs/common': '^10' } }),
  'src/errors.ts': [
    "import { HttpException, HttpStatus } from '@nestjs/common';",
    'export class AppError extends Error {',
    '  constructor(message: string, public status: number) { super(message); }',
    '}',
    "export class NoAccess extends AppError { constructor(m = 'no') { super(m, 403); } }",
    'export class Denied extends Error { status = 403; }',
    "export class NestDenied extends HttpException { constructor() { super('x', HttpStatus.FORBIDDEN); } }",
    'export class DeepNoAccess extends NoAccess {}',
    'export class Missing extends NoAccess { status = 404; }',
    'export class StillMissing extends Missing {}',
    "export class Own extends NoAccess { constructor() { super('y'); this.status = 409; } }",
    '',
  ].join('\n'),
  'src/index.ts': "export * from './errors';\n",
  // No 403 word in these files' text: read because they name classes of the files above (phase 2).
  'src/far/plan.ts': [
    "import { NoAccess as Base, NestDenied } from '../index';",
    "import * as E from '../errors';",
    'export class PlanLimit extends Base {}',
    'export class Seat extends E.Denied {}',
    'export class Tenant extends NestDenied {}',
    '',
  ].join('\n'),
  'src/far/seats.ts': "import { PlanLimit } from './plan';\nexport class SeatCap extends PlanLimit {}\n",
  'src/app.ts': [
    "import express from 'express';",
    "import { SeatCap } from './far/seats';",
    'const app = express();',
    "app.get('/a', () => { throw new SeatCap(); });",
    'app.use((err: any, req: any, res: any, next: any) => { res.status(err.status ?? 500).json({}); });',
    '',
  ].join('\n'),
};

describe('error classes: classes that inherit a fixed 403 from a project class', () => {
  it('names each class of the chain where it is declared, in every file and spelling', async () => {
    const cwd = project(FILES);
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const inherited = report.sites.filter((s) => s.form.startsWith('extends'));
    expect(inherited.map((s) => `${s.action} ${s.framework} ${s.file}:${s.line} ${s.form}`)).toEqual([
      'manual error-classes src/errors.ts:8 extends NoAccess',
      'manual error-classes src/far/plan.ts:3 extends Base',
      'manual error-classes src/far/plan.ts:4 extends E.Denied',
      'manual error-classes src/far/plan.ts:5 extends NestDenied',
      'manual error-classes src/far/seats.ts:2 extends PlanLimit',
    ]);
    expect(inherited.find((s) => s.file === 'src/far/seats.ts')?.reason).toContain(
      'Custom error class SeatCap answers 403 wherever it is thrown: it inherits the status of NoAccess.',
    );
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });

  it('gives a subclass the reason of a registered filter that catches its parent', async () => {
    const cwd = project({
      ...FILES,
      'src/filter.ts': [
        "import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';",
        "import { NoAccess } from './errors';",
        '@Catch(NoAccess)',
        'export class NoAccessFilter implements ExceptionFilter {',
        '  catch(exception: NoAccess, host: ArgumentsHost) {',
        '    host.switchToHttp().getResponse().status(401).json({});',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { NoAccessFilter } from './filter';",
        'async function main() {',
        '  const app = await NestFactory.create({} as never);',
        '  app.useGlobalFilters(new NoAccessFilter());',
        '}',
        'main();',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const reasons = (file: string) =>
      report.sites.find((s) => s.file === file && s.form.startsWith('extends'))?.reason;
    // NoAccess itself (a direct 403 class) and its subclasses, here and two files away, are all caught by it.
    expect(report.sites.find((s) => s.form === 'super(m, 403)')?.reason).toContain(
      'NoAccess is caught by the exception filter NoAccessFilter',
    );
    expect(reasons('src/far/seats.ts')).toContain('SeatCap is caught by the exception filter NoAccessFilter');
    expect(reasons('src/far/seats.ts')).toContain('which answers 401: its throws never answer 403');
    // Denied is no NoAccess: its subclass keeps its reason.
    expect(report.sites.find((s) => s.form === 'extends E.Denied')?.reason).toContain(
      'Custom error class Seat answers 403 wherever it is thrown: it inherits the status of Denied.',
    );
  });

  it('leaves a class alone whose chain fixes no 403', async () => {
    const cwd = project({
      ...FILES,
      'src/errors.ts': [
        'export class AppError extends Error {',
        '  constructor(message: string, public status: number) { super(message); }',
        '}',
        "export class NoAccess extends AppError { constructor(m = 'no') { super(m, 404); } }",
        'export class Denied extends Error { status = 409; }',
        'export class NestDenied extends AppError {}',
        'export class Loop extends Loop2 {}',
        'class Loop2 extends Loop {}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.filter((s) => s.form.startsWith('extends'))).toEqual([]);
  });
});
