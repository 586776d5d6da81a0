import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 50 (d-beezee/recipe-api@4d21d0c): an openapi-backend handed to a helper that hands it on to another
// helper in another module (`register(api)` calls `registerRecipes(api)`, which calls `api.register({ … })`)
// had none of those handlers read: each operation was "no handler registered", its 403s left alone. Every 403
// line of the fixture carries an `// expect:` marker; no --mount.
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
    const { report } = await runSpecProject<Report>('spellings-openapi-backend-handed-on');
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
