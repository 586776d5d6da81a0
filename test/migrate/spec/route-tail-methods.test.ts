import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 37 (trials37), carried over from session 36: a route whose path head is read at run time keeps its
// known tail, and a one-segment tail (`/health`) fits every operation ending in a parameter (`/refunds/{id}`: the
// head may be `/refunds`). It may be an mTLS operation only when it also answers that operation's method.

describe('migrate --spec: a run-time head with a one-segment tail', () => {
  it('is no candidate of an mTLS operation of another method; the same method and ALL stay manual', async () => {
    const { report } = await runSpecProject('spellings-route-tail-methods');
    // 55949e84: the GET /health 403 (line 10) was manual for the mTLS `DELETE /refunds/{id}`.
    expect(report.coverage.leftAlone).toMatchObject([{ file: 'src/app.ts', line: 10 }]);
    expect(report.sites.map((s) => `${s.line} ${s.action}`)).toEqual(['16 manual', '22 manual']);
  });
});
