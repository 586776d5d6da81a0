import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 44 (classes44). `err instanceof X` with X a project class that answers 403 by its chain (a subclass of
// Nest's ForbiddenException, of a library's 403 class, or a class that fixes 403 or inherits it) decides a 403
// answer by class, as a check on the library's own 403 class does: once the throws on mTLS routes become the
// sibling class for the agreed status the check stops matching them. It was counted a comparison by the census
// (or not seen at all when X's name holds no 403 word); now it is named for review, saying which class.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-instanceof-chained-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const FILES = {
  'package.json': JSON.stringify({
    dependencies: {
      express: '^4',
      '@nestjs/common': '^10',
      'routing-controllers': '^0.10',
      'http-errors': '^2',
    },
  }),
  'src/errors.ts': [
    "import { ForbiddenException } from '@nestjs/common';",
    "import { ForbiddenError } from 'routing-controllers';",
    'export class AppError extends Error {',
    '  constructor(message: string, public status: number) { super(message); }',
    '}',
    "export class NoAccess extends AppError { constructor(m = 'no') { super(m, 403); } }",
    'export class Locked extends Error { status = 403; }',
    'export class TenantDenied extends ForbiddenException {}',
    'export class PlanLimit extends ForbiddenError {}',
    'export class Missing extends AppError { constructor() { super("m", 404); } }',
    '',
  ].join('\n'),
  'src/more.ts': [
    "import { NoAccess, TenantDenied } from './errors';",
    'export class SeatCap extends NoAccess {}',
    'export class DeepTenant extends TenantDenied {}',
    '',
  ].join('\n'),
  // No 403 word in this file's text: read because it names classes of the files above.
  'src/filter.ts': [
    "import { Locked, PlanLimit, Missing } from './errors';",
    "import * as E from './errors';",
    "import { SeatCap, DeepTenant as Deep } from './more';",
    'export function handler(err: any, req: any, res: any, next: any) {',
    '  if (err instanceof SeatCap) return res.status(err.status).json({});',
    '  if (err instanceof Deep) return res.status(err.getStatus()).json({});',
    '  if (err instanceof E.NoAccess || err instanceof Locked) return res.status(err.status).json({});',
    '  if (err instanceof PlanLimit) return res.status(err.httpCode).json({});',
    '  if (err instanceof Missing) return res.status(404).json({});',
    '  if (err instanceof Error) return res.status(500).json({});',
    '  next(err);',
    '}',
    '',
  ].join('\n'),
};

describe('instanceof checks on project classes that answer 403 by their chain', () => {
  it('names each check, with the class and its sibling class to check too', async () => {
    const cwd = project(FILES);
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const checks = report.sites.filter((s) => s.form.includes('instanceof'));
    expect(checks.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`)).toEqual([
      'manual src/filter.ts:5 err instanceof SeatCap',
      'manual src/filter.ts:6 err instanceof Deep',
      'manual src/filter.ts:7 err instanceof E.NoAccess',
      'manual src/filter.ts:7 err instanceof Locked',
      'manual src/filter.ts:8 err instanceof PlanLimit',
    ]);
    expect(checks.map((s) => /\(it [^)]*\)/.exec(s.reason ?? '')?.[0])).toEqual([
      '(it inherits the status of NoAccess)',
      '(it extends ForbiddenException through TenantDenied)',
      '(it fixes 403)',
      '(it fixes 403)',
      '(it extends ForbiddenError)',
    ]);
    expect(checks[0]?.reason).toContain('An instanceof check on SeatCap, a class that answers 403');
    expect(checks[0]?.reason).toContain('check that sibling class too (`|| err instanceof <the 401 class>`)');
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });

  // A parent whose 403 comes from a constant of its file starts a chain as a literal 403 does (fixedStatus read only
  // literals and status tables: its subclasses and their checks went unnamed).
  it('reads a parent class whose 403 is a constant of its file', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/errors.ts': [
        'const DENIED = 403;',
        'export const LOCKED = DENIED;',
        'export class AppError extends Error {',
        '  constructor(message: string, public status: number) { super(message); }',
        '}',
        'export class NoAccess extends AppError { status = DENIED; }',
        "export class Blocked extends AppError { constructor() { super('b', LOCKED); } }",
        "export class Chosen extends AppError { constructor(DENIED = 500) { super('c', DENIED); } }",
        '',
      ].join('\n'),
      'src/far.ts': [
        "import { NoAccess, Blocked, Chosen } from './errors';",
        'export class SeatCap extends NoAccess {}',
        'export class Frozen extends Blocked {}',
        'export class Free extends Chosen {}',
        'export function handler(err: any, req: any, res: any) {',
        '  if (err instanceof Frozen) return res.status(err.status).json({});',
        '  res.status(500).json({});',
        '}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const named = report.sites.filter((s) => s.form.startsWith('extends') || s.form.includes('instanceof'));
    expect(named.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`)).toEqual([
      'manual src/far.ts:2 extends NoAccess',
      'manual src/far.ts:3 extends Blocked',
      'manual src/far.ts:6 err instanceof Frozen',
    ]);
    expect(named[0]?.reason).toContain(
      'Custom error class SeatCap answers 403 wherever it is thrown: it inherits the status of NoAccess.',
    );
  });

  // A class whose name says Forbidden was counted a comparison by the census: its check is now a manual item, and
  // every 403 word stays accounted for.
  it('accounts for a check on a chained class whose name says Forbidden', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { express: '^4', 'routing-controllers': '^0.10' } }),
      'src/errors.ts': [
        "import { ForbiddenError } from 'routing-controllers';",
        'export class TenantForbidden extends ForbiddenError {}',
        '',
      ].join('\n'),
      'src/handler.ts': [
        "import { TenantForbidden } from './errors';",
        'export function handler(err: any, req: any, res: any) {',
        '  if (err instanceof TenantForbidden) return res.status(err.httpCode).json({});',
        '  res.status(500).json({});',
        '}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const check = report.sites.find((s) => s.form.includes('instanceof'));
    expect(`${check?.action} ${check?.file}:${check?.line}`).toBe('manual src/handler.ts:3');
    expect(report.census.notAnEmit.comparison ?? 0).toBe(0);
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });
  // Session 45 (classes45): a check whose `||` or if/else-if chain already checks a class of the agreed status (the
  // library's class for it, Nest's HttpException, a project class fixing it or extending one) matches the sibling
  // thrown on mTLS routes too: it is no manual item. A chain that checks no such class stays named.
  it('does not name a check whose chain already checks a class of the agreed status', async () => {
    const cwd = project({
      ...FILES,
      'src/errors401.ts': [
        "import { UnauthorizedException } from '@nestjs/common';",
        "import { UnauthorizedError } from 'routing-controllers';",
        'export class NoLogin extends Error { status = 401; }',
        'export class TenantUnauth extends UnauthorizedException {}',
        'export class DeepUnauth extends TenantUnauth {}',
        'export class RcUnauth extends UnauthorizedError {}',
        'export class Gone extends Error { status = 410; }',
        '',
      ].join('\n'),
      'src/covered.ts': [
        "import { HttpException, UnauthorizedException as U } from '@nestjs/common';",
        "import { SeatCap, DeepTenant } from './more';",
        "import { Locked, PlanLimit, NoAccess } from './errors';",
        "import { NoLogin, DeepUnauth, RcUnauth, Gone } from './errors401';",
        'export function a(err: any, res: any) {',
        '  if (err instanceof SeatCap || err instanceof NoLogin) return res.status(err.status).json({});',
        '  if (err instanceof DeepTenant || (err instanceof U)) return res.status(err.getStatus()).json({});',
        '  if (err instanceof Locked) return res.status(err.status).json({});',
        '  else if (err instanceof DeepUnauth) return res.status(err.getStatus()).json({});',
        '  if (err instanceof PlanLimit || err instanceof RcUnauth) return res.status(err.httpCode).json({});',
        '  if (err instanceof DeepTenant || err instanceof HttpException) return res.status(418).json({});',
        '  if (err instanceof NoAccess || err instanceof Gone) return res.status(err.status).json({});',
        '  if (err instanceof NoAccess && err instanceof NoLogin) return res.status(err.status).json({});',
        '  res.status(500).json({});',
        '}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const checks = report.sites.filter((s) => s.file === 'src/covered.ts' && s.form.includes('instanceof'));
    expect(checks.map((s) => `${s.action} ${s.line} ${s.form}`)).toEqual([
      'manual 12 err instanceof NoAccess',
      'manual 13 err instanceof NoAccess',
    ]);
  });
  // The same for a check on a library's own 403 class, in every error library and Nest's if / else-if ladder.
  it('does not name a check on a library 403 class whose chain checks the agreed-status class', async () => {
    const cwd = project({
      'package.json': JSON.stringify({
        dependencies: {
          express: '^4',
          'routing-controllers': '^0.10',
          'http-errors': '^2',
          '@feathersjs/errors': '^5',
          '@nestjs/common': '^10',
        },
      }),
      'src/h.ts': [
        "import { ForbiddenError, UnauthorizedError } from 'routing-controllers';",
        "import createError from 'http-errors';",
        "import { Forbidden, NotAuthenticated } from '@feathersjs/errors';",
        "import { ForbiddenException, UnauthorizedException } from '@nestjs/common';",
        'export function h(err: any, req: any, res: any, next: any) {',
        '  if (err instanceof ForbiddenError || err instanceof UnauthorizedError) return res.json({});',
        '  if (err instanceof createError.Forbidden || err instanceof createError.Unauthorized) return res.json({});',
        '  if (err instanceof Forbidden || err instanceof NotAuthenticated) return res.json({});',
        '  if (err instanceof ForbiddenException) return res.json({});',
        '  else if (err instanceof UnauthorizedException) return res.json({});',
        '  if (err instanceof ForbiddenError && err instanceof UnauthorizedError) return res.json({});',
        '  next(err);',
        '}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const checks = report.sites.filter((s) => s.form.includes('instanceof'));
    expect(checks.map((s) => `${s.action} ${s.line} ${s.form}`)).toEqual([
      'manual 11 err instanceof ForbiddenError',
    ]);
  });
});
