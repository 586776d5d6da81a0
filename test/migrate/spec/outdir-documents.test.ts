import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 44 (outdir44, trial: openapistack/openapi-backend@0bbe594 examples/express-ts-mock): a compiled
// TypeScript service runs from its tsconfig `outDir`, so a document path written from `__dirname`,
// `import.meta.url` / `import.meta.dirname` or `process.cwd()` is read as the compiled code reads it too.

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unresolved: { method: string; path: string; file: string; line: number; reason: string }[];
  };
}

describe('migrate --spec: a document path from the module folder of a compiled TypeScript service', () => {
  it('reads it from the tsconfig outDir (rootDir ".", extends + include, process.cwd() of the package)', async () => {
    // Before (b88dde0): each library's registration was "a definition / document computed at run time", 0 of 4
    // mTLS operations handled and their four 403s left alone.
    const { report } = await runSpecProject<Report>('spellings-outdir-documents', {
      spec: ['backend/openapi.yml', 'glue/openapi.yaml', 'eov/api/openapi.yaml'],
    });
    const handled = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.file}:${r.line}`))
      .sort();
    expect(handled).toEqual([
      // `path.resolve(__dirname, 'handlers')` is read as written (src/handlers): the compiled build/ is absent.
      'GET /accounts <- eov/src/handlers/accounts.ts:3', // apiSpec: join(process.cwd(), 'api', 'openapi.yaml')
      'GET /pets <- backend/index.ts:10', // join(__dirname, '..', 'openapi.yml'), rootDir '.', outDir dist
      'POST /orders <- glue/src/plugins/service.ts:4', // new URL('../../../openapi.yaml', import.meta.url)
      // No handler of its own: openapi-backend's notImplemented answers it. Before (406a5f5): "openapi-backend
      // has no handler registered for createPet", and the notImplemented handler's 403 left alone.
      'POST /pets <- backend/index.ts:12',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });

  it('names a document no reading finds, with every path tried', async () => {
    // Before (b88dde0): "openapi-backend routes the operations of a definition computed at run time".
    const { report } = await runSpecProject<Report>('spellings-outdir-documents', {
      spec: ['backend/openapi.yml', 'glue/openapi.yaml', 'eov/api/openapi.yaml'],
    });
    const missing = report.coverage.unresolved.filter((u) => u.file.startsWith('missing/'));
    expect(missing.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`)).toEqual([
      'ALL /* missing/src/index.ts:13',
    ]);
    expect(missing[0]?.reason).toContain(
      'the OpenAPI document the code names is not on disk (tried missing/spec/openapi.yaml, missing/build/spec/openapi.yaml',
    );
    expect(missing[0]?.reason).not.toContain('computed at run time');
  });
});
