import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 36 (trials36), carried over from session 34: a route whose path has a head read at run time
// (`${base}/messages/:id/status`, `base + '/health'`) keeps its static tail, so it is a candidate only for the
// operations whose path ends with that tail (pagopa io-backend's legacy routes).

describe('migrate --spec: a route path with a run-time head', () => {
  it('keeps its known tail (Express, a route chain, Koa): a 403 behind a public tail is left alone, one behind an mTLS tail stays manual', async () => {
    const { report } = await runSpecProject('spellings-route-path-tails');
    // 82ec3d4b: all five routes unresolved as `GET /*` (`DELETE /*`, `POST /*`), all five 403s manual (a `/*` may
    // be any operation).
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`).sort()).toEqual(
      [
        'DELETE /refunds/:id src/app.ts:18',
        'GET /health/live src/app.ts:12',
        'GET /messages/:id/status src/app.ts:7',
        'GET /status/ready src/koa.ts:12',
        'POST /payments/:id/capture src/koa.ts:8',
      ],
    );
    expect(report.coverage.unresolved.find((u) => u.line === 7)?.reason).toBe(
      'route path is computed at run time, known to end with /messages/:id/status (src/app.ts:7)',
    );
    expect(report.coverage.leftAlone).toMatchObject([
      { file: 'src/app.ts', line: 13 },
      { file: 'src/koa.ts', line: 13 },
    ]);
  });
});
