import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// breaker31 #07: in a monorepo of several apps, a prefix one app sets (Nest setGlobalPrefix / enableVersioning,
// Next.js basePath) was applied to every app's routes, so another app's real mTLS handler was read under that
// prefix: its 403 filed as "no mTLS operation reaches (left alone)" and the run read "0 to rewrite". Each fixture
// project marks every 403 line with `// expect:`.

function routesOf(report: SpecReport): string[] {
  return report.coverage.handled
    .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}`))
    .sort();
}

describe('migrate --spec: the settings of a NestJS app apply to the modules its root module reaches', () => {
  it('setGlobalPrefix, enableVersioning, useGlobalFilters and APP_GUARD of one app of a Nest CLI monorepo stay in it', async () => {
    const { report } = await runSpecProject('spellings-nest-monorepo-apps');
    // The mTLS operations' routes: the bank's own at no prefix (was /admin/v1/accounts), a library module both
    // apps import at the bank's (and the admin app's /admin/v1/status, public: its 403 is for review), the prefix a
    // helper of the partner app's folder sets.
    expect(routesOf(report)).toEqual([
      'GET /accounts apps/bank/src/accounts/accounts.controller.ts',
      'GET /status libs/shared/src/status.controller.ts',
      'POST /partner/payments apps/partner/src/payments.controller.ts',
    ]);
    // Every other route answers a public operation: /admin/v1/accounts and /admin/v1/status (the admin app's prefix
    // and version) and /orphans (a module no app imports: no app's prefix).

    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});

describe('migrate --spec: a prefix set on one app of a monorepo stays on that app', () => {
  it('Express app.use(prefix), Fastify register prefix, Hono basePath, Koa router prefix, Next.js basePath of each app', async () => {
    const { report } = await runSpecProject('spellings-monorepo-app-prefixes');
    const next = routesOf(report).filter((r) => r.includes('/api/n/'));
    // apps/site (no next.config) answers the public /api/n/accounts, not the root app's /portal/api/n/accounts.
    expect(next).toEqual([
      'GET /portal/api/n/profile src/app/api/n/profile/route.ts',
      'GET /web/api/n/accounts apps/web/app/api/n/accounts/route.ts', // its own next.config basePath
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});
