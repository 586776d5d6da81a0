import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 29: router classes loaded by a computed `import()` over a folder listing, made through a DI container
// and class properties holding functions (identfy-entity-service's ApiUtils), no --mount.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Route {
  method: string;
  path: string;
  file: string;
  line: number;
}

interface Report {
  sites: { file: string; line: number; action: string; reason?: string }[];
  coverage: {
    handled: { operation: string; routes: Route[] }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: Route[];
    unresolved: (Route & { reason: string; mountFile?: string; byHand?: boolean })[];
    settingDefaults?: { setting: string; value: string; file: string; line: number; from?: string }[];
  };
}

/** Runs `migrate --spec openapi.yaml` on a copy of the project; every `// expect:` line must match. */
async function run(name: string, extra: string[] = []): Promise<{ report: Report; human: string }> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml', ...extra], {
    cwd: dir,
  });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  const human = await runCliAsync(['migrate', '--dry-run', '--spec', 'openapi.yaml', ...extra], { cwd: dir });
  return { report, human: human.stdout };
}

const routesOf = (report: Report): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: router classes loaded from a folder listing', () => {
  it('follows readdirSync({ withFileTypes }) folders into import(template), new M.default().loadRoutes(app)', async () => {
    const { report } = await run('spellings-listed-router-classes');
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
