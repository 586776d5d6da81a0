import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 34 (Flowise's SSO classes): an app handed to a class's constructor, kept in a base class's field and
// registered on by the subclasses' methods, with paths held in static class properties, by a manager reached
// through its singleton accessor (`await IdentityManager.getInstance()`). No --mount.

const handled = (report: SpecReport): string[] =>
  report.coverage.handled
    .map((h) => `${h.operation} <- ${h.routes.map((r) => `${r.file}:${r.line}`).join(', ')}`)
    .sort();

describe('migrate --spec: an app handed to a constructor', () => {
  it('reads the base constructor a subclass runs (implicitly or through super), singletons and static path properties', async () => {
    const { report } = await runSpecProject('spellings-constructor-apps');
    // b2c1e7aa: 1 of 6 mTLS operations handled (the parameter property's webhook); the SSO routes were "router
    // is not mounted anywhere (src/sso/base.ts:8)", `PartnerSso.LOGIN_URI` read as `/*`, their 403s manual.
    expect(handled(report)).toEqual([
      'GET /sso/partner/callback <- src/sso/partner.ts:13',
      'GET /sso/partner/login <- src/sso/partner.ts:9',
      'GET /sso/staff/callback <- src/sso/staff.ts:15',
      'POST /webhooks/payments <- src/webhooks.ts:11',
    ]);
    // A static property assigned again at start-up is not the path served: named, never read as written.
    expect(report.coverage.noHandler.map((o) => o.operation)).toEqual(['POST /webhooks/refunds']);
    expect(report.coverage.unresolved.map((u) => `${u.file}:${u.line} ${u.reason}`)).toEqual([
      'src/webhooks.ts:15 route path is computed at run time (src/webhooks.ts:15)',
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });

  it('names the routes at the helper no traced call hands an app, with their paths', async () => {
    const { report } = await runSpecProject('spellings-constructor-apps-untraced');
    // b2c1e7aa: `GET /*` (the static paths unread), "not mounted anywhere (src/sso/base.ts:8)"; with the
    // constructor read but `initializeProvider(app, …)` called twice, "mounted only inside itself, through a cycle".
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.reason}`)).toEqual(
      ['/sso/partner/login', '/sso/partner/callback', '/sso/staff/login', '/sso/staff/callback'].map(
        (p) => `GET ${p} router is not mounted anywhere in the scanned code (src/sso/manager.ts:11)`,
      ),
    );
    expect(report.coverage.handled).toEqual([]);
  });
});
