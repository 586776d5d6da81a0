import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 35 (spacebarchat/server's reporting routes: `for (const type of Object.values(ReportMenuTypeNames))
// router.get(`/menu/${type}`, h)`, 20 operations "route path is computed at run time"): a route path built from a
// loop variable over a list the code writes out is one path per element, for every router framework.

describe('migrate --spec: route paths built in a loop over a written list', () => {
  it('reads for…of over Object.values, forEach over an array, for…in over an object, Hono too', async () => {
    const { report } = await runSpecProject('spellings-loop-paths');
    // 17dd109d: 0 of 7 mTLS operations handled; four routes "route path is computed at run time", `/reports/*`.
    expect(
      report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`),
    ).toEqual([
      'GET /reports/menu/guild <- /reports/menu/guild',
      'GET /reports/menu/user <- /reports/menu/user',
      'POST /reports/cards <- /reports/cards',
      'POST /reports/loans <- /reports/loans',
      'GET /limits/daily <- /limits/daily',
      'GET /hono/accounts <- /hono/accounts',
      'GET /hono/payments <- /hono/payments',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // A list known only at run time stays named.
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.reason}`)).toEqual([
      'GET /reports/* route path is computed at run time (src/reports.ts:32)',
    ]);
  });
});
