import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

interface CountReport {
  coverage: { codeRoutes: number; unmatchedRoutes: unknown[] };
}

// Session 35 (carried over from session 34: Flowise's code-route total read 418 for 329 routes, its SSO routes
// counted once per chain of IdentityManager's helpers).

describe('migrate --spec: the code-route total', () => {
  it('counts a route reached through several chains of helpers once', async () => {
    const { report } = await runSpecProject('spellings-route-count-chains');
    // 17dd109d: 4 (each of the two routes once per chain, initializeEmpty and initializeProvider).
    expect((report as unknown as CountReport).coverage.codeRoutes).toBe(2);
    expect(report.coverage.handled.map((h) => h.operation)).toEqual(['GET /accounts/{id}']);
    expect(report.coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /status']);
  });
});
