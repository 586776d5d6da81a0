import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 32 (boxyhq/jackson): a handler calls a method on a receiver whose value no declaration shows
// (`const { oauthController } = await jackson()`, a field set from options): the reach stopped there, so the
// 403s of the controllers behind 32 matched mTLS operations were "left alone" under --spec --mtls-everywhere.

interface Report {
  sites: { file: string; line: number; action: string; reason?: string }[];
  coverage: { handled: { operation: string }[]; noHandler: { operation: string }[] };
}

describe('migrate --spec: a receiver named after its class', () => {
  it('reaches the method of the class the receiver is named after, and only on its own routes', async () => {
    const { report } = await runSpecProject<Report>('spellings-namesake-receivers');
    expect(report.coverage.handled.map((h) => h.operation).sort()).toEqual([
      'GET /accounts/{id}',
      'POST /payments',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });
});
