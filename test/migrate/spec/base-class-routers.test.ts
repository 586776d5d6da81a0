import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 28: routers held in a base class's field (identfy-entity-service's `BaseRouter`, the express-typescript
// boilerplates' `abstract class Controller { router = Router() }`) and `route(path).METHOD` chains, no --mount.

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: a router held in a base class field', () => {
  it('Express: one router per subclass, its path from what it hands super(…), through a class between or a getter', async () => {
    const { report } = await runSpecProject('spellings-base-class-router');
    // af2ddfa3: 0 of 4 mTLS operations handled; the route(path).get(…) chains and the boilerplate controller's
    // route were in no list (their 403s unlisted), the rest "registered on this.router, which mtls-fix could not
    // trace". A router shared by the subclasses would put /accounts/:id under /api/public and /api/secure/cards.
    expect(routesOf(report)).toEqual([
      'GET /api/accounts <- /api/accounts',
      'GET /api/accounts/{id} <- /api/accounts/:id',
      'GET /api/secure/cards/{id} <- /api/secure/cards/:id',
      'GET /users/{id} <- /users/:id',
      // private fields read back through getters, mounted as `payments.path` / `payments.router` of an instance
      'POST /api/payments <- /api/payments',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    // requireCert, put on this.router by SecureRouter's constructor, runs for CardsRouter's route only
    expect(report.sites.find((s) => s.file === 'src/routes/base.router.ts')?.action).toBe('would-rewrite');
  });

  it('Koa: the base field a new Router(), the prefix set per subclass, mounted from a loop of instances', async () => {
    const { report } = await runSpecProject('spellings-base-class-router-koa');
    // af2ddfa3: both routes "registered on this.router, which mtls-fix could not trace"; the 403s manual.
    expect(routesOf(report)).toEqual(['GET /orders/{id} <- /orders/:id']);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});

describe("migrate --spec: a base class's method handing on its router", () => {
  it('Koa routes() { return this.router.routes() } and Express getRouter() over a getter: one router per subclass', async () => {
    const { report } = await runSpecProject('spellings-base-class-routes-method');
    // ea611885: all four routes "router is not mounted anywhere" (the method's `this.router` read as one router of
    // the base class, which no subclass registers on); 0 of 2 mTLS operations handled, the public 403s manual.
    expect(routesOf(report)).toEqual([
      'GET /api/accounts/{id} <- /api/accounts/:id',
      'GET /orders/{id} <- /orders/:id',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});

describe("migrate --spec: an app a package's base class holds", () => {
  it("this.app of a class extending a package class is that class's app; this.router a router to --mount", async () => {
    const { report } = await runSpecProject('spellings-package-base-app');
    // af2ddfa3: all three "registered on this.…, which mtls-fix could not trace"; 0 of 2 mTLS operations handled,
    // the certificate check of GET /accounts/{id} manual (Ayushya100/accounts-svc: 0 of 25 matched).
    expect(routesOf(report)).toEqual(['GET /accounts/{id} <- /accounts-svc/api/v1/accounts/:id']);
    expect(report.coverage.noHandler).toEqual([{ operation: 'GET /admin/ping', why: "scheme 'clientCert'" }]);
    expect(report.coverage.unresolved).toMatchObject([
      {
        method: 'GET',
        path: '/ping',
        file: 'src/index.js',
        line: 19,
        reason: 'router is not mounted anywhere in the scanned code (src/index.js:17)',
        mountFile: 'src/index.js',
      },
    ]);
  });
});

describe('migrate --spec: route(path).METHOD chains', () => {
  it('reads a constant path, and lists a chain on a receiver it cannot trace instead of dropping it', async () => {
    const { report } = await runSpecProject('spellings-route-chains');
    // af2ddfa3: `route(PATHS.status)` vanished (its 403 left alone as public), `kit.route('/token').post(…)`
    // was in no list and its 403 left alone.
    expect(routesOf(report)).toEqual([
      'GET /v1/status/{id} <- /v1/status/:id',
      'POST /v1/orders <- /v1/orders',
    ]);
    // Since session 39 the operation names the registration not read that may answer it (mayAnswer).
    expect(report.coverage.noHandler).toMatchObject([
      {
        operation: 'POST /token',
        why: "scheme 'clientCert'",
        mayAnswer: [{ method: 'POST', path: '/token', file: 'src/kit.ts', line: 6 }],
      },
    ]);
    expect(report.coverage.unresolved).toMatchObject([
      {
        method: 'POST',
        path: '/token',
        file: 'src/kit.ts',
        line: 6,
        reason: 'registered on kit, which mtls-fix could not trace to an app or router (src/kit.ts:6)',
        byHand: true,
      },
      { method: 'GET', path: '/', file: 'src/kit.ts', line: 11, byHand: true },
    ]);
    expect(report.coverage.leftAlone).toEqual([
      { file: 'src/app.ts', line: 17, form: 'res.status(403)', kind: 'rewrite' },
    ]);
  });
});
