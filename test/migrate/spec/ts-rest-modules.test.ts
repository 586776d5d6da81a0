import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 32 (issue 9 part 2): ts-rest implementations spread over modules, no --mount. The server made in one
// file (`export const s = initServer()`) and used by routers that never import ts-rest; handlers imported, spread
// from another module's table, a nested router as a plain object (a default export) or as its own
// `s.router(adminContract, …)` in another module (served under the outer contract's prefix); an implementation
// held in a `const`; one member built at run time, named.
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
  sites: { file: string; line: number; action: string }[];
  coverage: {
    handled: { operation: string; routes: Route[] }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: Route[];
    unresolved: (Route & { reason: string })[];
  };
}

async function run(name: string): Promise<Report> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml'], { cwd: dir });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}

describe('migrate --spec: ts-rest implementations in other modules', () => {
  it('reads handlers, tables and nested routers from other files, and names a member built at run time', async () => {
    // 96c826f1: no route at all (router.ts and admin.router.ts import the server from ./tsr, not ts-rest; an
    // implementation held in a `const` was skipped), every mTLS operation "no handler", nothing unresolved, and
    // no 403 site reported.
    const report = await run('spellings-ts-rest-modules');
    expect(
      report.coverage.handled
        .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([
      'DELETE /api/keys/{keyId} <- DELETE /api/keys/:keyId src/router.ts:18',
      'GET /api/accounts/{id} <- GET /api/accounts/:id src/router.ts:18',
      'GET /api/cards/{cardId} <- GET /api/cards/:cardId src/router.ts:18',
      'POST /api/admin/audit <- POST /api/admin/audit src/admin.router.ts:5',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /api/billing/invoices']);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved.map((u) => `${u.file}:${u.line} ${u.reason}`)).toEqual([
      "src/router.ts:14 ts-rest implementation of contract.billing held in makeBilling(process.env.BILLING ?? 'stripe'), which mtls-fix could not read as an object of route handlers (src/router.ts:14)",
    ]);
  });
});
