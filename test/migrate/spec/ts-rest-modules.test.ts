import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 32 (issue 9 part 2): ts-rest implementations spread over modules, no --mount. The server made in one
// file (`export const s = initServer()`) and used by routers that never import ts-rest; handlers imported, spread
// from another module's table, a nested router as a plain object (a default export) or as its own
// `s.router(adminContract, …)` in another module (served under the outer contract's prefix); an implementation
// held in a `const`; one member built at run time, named.

describe('migrate --spec: ts-rest implementations in other modules', () => {
  it('reads handlers, tables and nested routers from other files, and names a member built at run time', async () => {
    // 96c826f1: no route at all (router.ts and admin.router.ts import the server from ./tsr, not ts-rest; an
    // implementation held in a `const` was skipped), every mTLS operation "no handler", nothing unresolved, and
    // no 403 site reported.
    const { report } = await runSpecProject('spellings-ts-rest-modules');
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
