import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 29: router classes loaded by a computed `import()` over a folder listing, made through a DI container
// and class properties holding functions (identfy-entity-service's ApiUtils), no --mount.

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: router classes loaded from a folder listing', () => {
  it('follows readdirSync({ withFileTypes }) folders into import(template), new M.default().loadRoutes(app)', async () => {
    const { report } = await runSpecProject('spellings-listed-router-classes');
    // c5b5a354: 0 of 2 mTLS operations handled; every route "mount path this.path is computed at run time", the
    // public GET /api/status's 403 manual. Each step was missing: the listing of folders (Dirents filtered by
    // isDirectory, mapped to names, a folder spelled from fileURLToPath(import.meta.url) through constants of
    // another file), `RouterClass.default` of the computed import, `container.resolve(ApiLoader)`, and class
    // properties holding functions (`init = async (app) => …`) called as methods.
    expect(routesOf(report)).toEqual([
      'GET /api/accounts/{id} <- /api/accounts/:id',
      'POST /api/cards <- /api/cards',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.settingDefaults).toEqual([
      { setting: 'process.env.API_PATH', value: '/api', file: 'src/shared/base.router.ts', line: 3 },
    ]);
  });
});
