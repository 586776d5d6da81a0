import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 50 (d-beezee/recipe-api@4d21d0c): an openapi-backend handed to a helper that hands it on to another
// helper in another module (`register(api)` calls `registerRecipes(api)`, which calls `api.register({ … })`)
// had none of those handlers read: each operation was "no handler registered", its 403s left alone. Every 403
// line of the fixture carries an `// expect:` marker; no --mount.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unresolved: { method: string; path: string; reason: string }[];
  };
}

describe('migrate --spec follows an openapi-backend handed on through helpers', () => {
  it('handlers registered two and three calls away are reached from their own operations only', async () => {
    const dir = tempProject({}, path.join(root, 'spellings-openapi-backend-handed-on'));
    temps.push(dir);
    const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    const expected = specMarkers(dir, 'plain');
    const actual = siteOutcomes(report.sites);
    for (const [where, outcome] of expected)
      expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
    for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
    expect(report.coverage.handled.map((h) => h.operation).sort()).toEqual([
      'GET /accounts/{id}', // registerAll(api) -> registerAccounts(api) -> api.register({ getAccount })
      'POST /payments', // registerAll(api) -> registerPayments(backend) -> backend.register('createPayment', fn)
    ]);
    // getStatus is public (not listed under handled, its 403 kept); getReports' helper is never called.
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /reports']);
    expect(report.coverage.unresolved.map((u) => u.reason)).toEqual([
      'GET /reports: openapi-backend has no handler registered for getReports',
    ]);
  });
});
