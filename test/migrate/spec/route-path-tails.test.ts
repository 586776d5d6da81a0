import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 36 (trials36), carried over from session 34: a route whose path has a head read at run time
// (`${base}/messages/:id/status`, `base + '/health'`) keeps its static tail, so it is a candidate only for the
// operations whose path ends with that tail (pagopa io-backend's legacy routes).

describe('migrate --spec: a route path with a run-time head', () => {
  it('keeps its known tail: the 403 behind /health (public) is left alone, the one behind an mTLS tail stays manual', async () => {
    const { report } = await runSpecProject('spellings-route-path-tails');
    // 82ec3d4b: both routes unresolved as `GET /*`, both 403s manual (a `/*` may be any operation).
    expect(report.coverage.unresolved).toMatchObject([
      {
        method: 'GET',
        path: '/messages/:id/status',
        line: 7,
        reason: 'route path is computed at run time, known to end with /messages/:id/status (src/app.ts:7)',
      },
      { method: 'GET', path: '/health', line: 12 },
    ]);
    expect(report.coverage.leftAlone).toMatchObject([{ file: 'src/app.ts', line: 13 }]);
  });
});
