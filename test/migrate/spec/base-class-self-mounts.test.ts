import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 36 (trials36): a base class whose constructor mounts its own field's router on the app it is handed
// (ProjectLibertyLabs/social-app-template's `BaseController`: `app.use(baseRoute, this.router)` after
// `this.initializeRoutes()`), one router per subclass, at the path the subclass hands `super(…)`. No --mount.

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: routers a base class constructor mounts', () => {
  it("Express: each subclass's router at what it hands super (the default when none), on the app its new hands", async () => {
    const { report } = await runSpecProject('spellings-base-class-self-mount', { spec: 'openapi.json' });
    // 82ec3d4b: 1 of 4 mTLS operations "handled", wrongly (GET /content/{msaId} by the SSE route
    // `/content/events`); the controller routes "router is not mounted anywhere", their 403s left alone.
    expect(routesOf(report)).toEqual([
      'GET /content/{msaId} <- /content/:msaId',
      'GET /profiles/{msaId} <- /profiles/:msaId',
      'POST /assets <- /assets',
      'PUT /content/{type}/{hash} <- /content/:type/:hash',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    // The webhook controller is handed the private app's router: its route is there only, and no public
    // controller's route is under /private.
    expect(report.coverage.unmatchedRoutes).toMatchObject([
      { method: 'POST', path: '/private/webhooks/account', file: 'src/controllers/WebhookController.ts' },
    ]);
  });

  it("Koa: the base's new Router({ prefix }) per subclass, and router.use(`/api${base}`, this.router.routes())", async () => {
    const { report } = await runSpecProject('spellings-base-class-self-mount-koa');
    // 82ec3d4b: GET /orders/{id} no handler (its route at `/:id`, unmatched), its 403 left alone.
    expect(routesOf(report)).toEqual([
      'GET /orders/{id} <- /orders/:id',
      'POST /api/invoices <- /api/invoices',
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('Hono: parent.route(`/v1${path}`, this.app) through a class between that hands its parameter on', async () => {
    const { report } = await runSpecProject('spellings-base-class-self-mount-hono');
    // the public GET /v1/health is matched too (no unmatched route), not listed among the mTLS operations
    expect(routesOf(report)).toEqual(['GET /v1/accounts/{id} <- /v1/accounts/:id']);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
