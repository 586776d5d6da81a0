import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 44 (eov44): in a repository of several services (each a package.json with its own document), a
// registration one service does not read is offered as perhaps answering its own operations only.

interface Report {
  sites: { file: string; line: number; action: string }[];
  coverage: {
    noHandler: {
      operation: string;
      document?: string;
      mayAnswer?: { method: string; path: string; file: string; line: number }[];
    }[];
  };
}

describe("migrate --spec: another service's unread registration", () => {
  it('is not offered as perhaps answering the operations of a document of another package', async () => {
    // Before: GET /refunds (billing) was "perhaps answered by ALL /* accounts/src/app.js:6".
    const { report } = await runSpecProject<Report>('spellings-service-unread', {
      spec: ['accounts/openapi.yaml', 'billing/openapi.yaml'],
    });
    const offered = report.coverage.noHandler.map(
      (n) =>
        `${n.document ?? ''} ${n.operation}: ${(n.mayAnswer ?? []).map((m) => `${m.method} ${m.path} ${m.file}:${m.line}`).join('; ')}`,
    );
    expect(offered).toEqual([
      'accounts/openapi.yaml GET /accounts/{id}: ALL /* accounts/src/app.js:6',
      'billing/openapi.yaml GET /refunds: ',
    ]);
  });
});
