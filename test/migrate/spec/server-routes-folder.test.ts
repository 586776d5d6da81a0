import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 34 (heroku-examples/heroku-applink-pattern-org-job-nodejs: a Fastify plugin in `server/routes/api.js`):
// `server/routes/**` and `server/api/**` are Nitro routes only in a Nuxt or Nitro app.

describe('migrate --spec: a server/routes folder outside Nuxt', () => {
  it('reads no Nitro route from an Express app whose routers live in server/routes', async () => {
    const { report } = await runSpecProject('spellings-server-routes-folder');
    // b2c1e7aa: `server/routes/status.ts`'s default export (an Express router served at /internal/status) was a
    // Nitro `ALL /status` route that "handled" the mTLS GET /status; `accounts.ts` gave a second, `ALL /accounts`.
    expect(
      report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`),
    ).toEqual(['GET /accounts/{id} <- /accounts/:id']);
    expect(report.coverage.noHandler.map((o) => o.operation)).toEqual(['GET /status']);
    expect(report.coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /internal/status',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
