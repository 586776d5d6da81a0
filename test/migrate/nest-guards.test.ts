import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// NestJS guards as implicit 403 sources: a guard is one only when its canActivate can return a falsy value;
// each such guard is reported once, at its canActivate, with the routes that use it; passport's AuthGuard and
// guards that return true or throw are not sources; a guard mtls-fix cannot read is reported where used.
const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

describe('NestJS guards in one file', () => {
  it('reports each guard that can return false once, at the member that returns it', () => {
    const file = path.join(fixtures, 'nestjs/guards-that-deny.unchanged.ts');
    const text = readFileSync(file, 'utf8');
    const { sites } = migrateSource('guards.ts', text, {
      target: 401,
      frameworks: FRAMEWORKS,
      testFile: false,
    });
    const found = sites.map((s) => `${lineOf(text, s.start)} ${s.form}`);
    expect(found).toEqual([
      '14 canActivate', // RolesGuard: returns roles.some(…); AdminGuard inherits it
      '29 canActivate', // MaintenanceGuard: return false, global through APP_GUARD
      '36 canActivate', // TenantGuard: can end without returning
      '46 handleRequest', // ThrottlerGuard subclass whose handleRequest returns false
      '53 canActivate', // arrow-valued property
      '58 canActivate', // mixin factory's inner class
      '80 canActivate', // OpaqueGuard: returns what a guard typed CanActivate answers
      '95 KeycloakRoleGuard', // a package guard: cannot be read, reported where used (once in the file)
      '114 new ApiKeyGuard()', // an import the single-file run cannot follow
    ]);
    const roles = sites[0].reason ?? '';
    expect(roles).toContain('RolesGuard.canActivate returns `roles.some(');
    // Three handlers (the controller's @UseGuards, AdminGuard and RolesGuard on methods), and the APP_GUARD factory.
    expect(roles).toContain('Applied to 3 routes in 1 file');
    expect(roles).toContain('every route (APP_GUARD in guards.ts)');
    // TenantFirstGuard hands the request to the TenantGuard it holds: its route is TenantGuard's.
    expect(sites[2].reason).toContain(
      'TenantGuard.canActivate can end without returning (undefined) (line 41). Applied to 2 routes',
    );
    expect(sites[6].reason).toContain(
      'OpaqueGuard.canActivate returns `this.other.canActivate(context)`, which may be false',
    );
    expect(sites[7].reason).toContain("KeycloakRoleGuard comes from 'nest-keycloak-connect'");
    expect(sites[7].reason).toContain('on 2 routes in 1 file');
    for (const site of sites) expect(site.kind).toBe('manual');
  });

  it('reports no guard that never returns false, nor one that guards only GraphQL resolvers', () => {
    for (const name of ['guards-that-allow.unchanged.ts', 'angular-guard.unchanged.ts']) {
      const text = readFileSync(path.join(fixtures, 'nestjs', name), 'utf8');
      const { sites } = migrateSource(name, text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
      // The one site left is the never-returning helper's own status parameter (its callers pass 404, 409).
      const helper = name.startsWith('guards') ? ['new HttpException(error.message, error.statusCode)'] : [];
      expect(
        sites.map((s) => s.form),
        name,
      ).toEqual(helper);
    }
  });
});

describe('NestJS guards across files', () => {
  it('resolves guards through barrels, path aliases and namespaces, and counts the routes they guard', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nest-guards-'));
    temps.push(cwd);
    cpSync(path.join(fixtures, 'projects/nest-guards'), cwd, { recursive: true });
    // lib/ is not scanned: its guard is reported where it is used.
    const { report } = await migrate({ cwd, status: 401, mode: 'check', paths: ['src'] });
    const sites = report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`);
    expect(sites).toEqual([
      "would-rewrite src/guards/has-permission.guard.ts:8 new ForbiddenException('missing permission')",
      'manual src/guards/maintenance.guard.ts:7 canActivate',
      'manual src/guards/roles.guard.ts:8 canActivate',
      'manual src/main.ts:7 new KeycloakGuard()',
      'manual src/payments/payments.controller.ts:15 OutsideGuard',
    ]);
    const reason = (file: string) => report.sites.find((s) => s.file === file)?.reason ?? '';
    expect(reason('src/guards/roles.guard.ts')).toContain(
      'Applied to 3 routes in 2 files (src/accounts/accounts.controller.ts, src/payments/payments.controller.ts)',
    );
    expect(reason('src/guards/maintenance.guard.ts')).toContain('returns `this.open`, which may be false');
    expect(reason('src/guards/maintenance.guard.ts')).toContain(
      'every route (APP_GUARD in src/app.module.ts)',
    );
    expect(reason('src/payments/payments.controller.ts')).toContain(
      'its file is not among the scanned files',
    );
    expect(reason('src/payments/payments.controller.ts')).toContain('outside.guard.ts:5');
  });

  it('reports the guard once, at its class, when its file is scanned too', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nest-guards-'));
    temps.push(cwd);
    cpSync(path.join(fixtures, 'projects/nest-guards'), cwd, { recursive: true });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    const outside = report.sites.filter((s) => /OutsideGuard/.test(s.reason ?? ''));
    expect(outside.map((s) => `${s.file}:${s.line} ${s.form}`)).toEqual([
      'lib/outside.guard.ts:5 canActivate',
    ]);
    expect(outside[0].reason).toContain('Applied to 1 route in 1 file (src/payments/payments.controller.ts)');
  });
});
