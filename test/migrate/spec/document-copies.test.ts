import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 44 (eov44): a document path is read as written and as the compiled code in the tsconfig outDir reads it
// (outdir-documents.test.ts); when both files are on disk and differ, the one read is named.

interface Report {
  sites: { file: string; line: number; action: string }[];
  coverage: {
    handled: { operation: string }[];
    documentCopies?: { read: string; other: string; file: string; line: number }[];
  };
}

describe('migrate --spec: a document path two files answer', () => {
  it('names the file read and the other copy when they differ; says nothing of a byte-identical copy', async () => {
    // Before: src/openapi.yaml was read and build/openapi.yaml (a stale copy) not a word of it.
    const { report, human } = await runSpecProject<Report>('spellings-document-copies', {
      spec: ['stale/src/openapi.yaml', 'same/src/openapi.yaml'],
      human: true,
    });
    expect(report.coverage.handled.map((h) => h.operation).sort()).toEqual([
      'GET /same/accounts',
      'GET /stale/accounts',
    ]);
    expect(report.coverage.documentCopies).toEqual([
      {
        read: 'stale/src/openapi.yaml',
        other: 'stale/build/openapi.yaml',
        file: 'stale/src/app.ts',
        line: 9,
      },
    ]);
    const lines = human.split('\n').filter((l) => l.includes('exists too and differs'));
    expect(lines).toEqual([
      '  stale/src/app.ts:9: read the OpenAPI document stale/src/openapi.yaml (the path as written); stale/build/openapi.yaml (as the compiled code in the tsconfig outDir reads it) exists too and differs',
    ]);
  });
});
