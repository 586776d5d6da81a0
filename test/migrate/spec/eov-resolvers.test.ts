import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 44 (eov44): express-openapi-validator `operationHandlers: { basePath, resolver }`. The library's own
// resolvers are read (defaultResolver as a path alone; modulePathResolver by `operationId: module.export`); a
// resolver of the project's own is named, with every operation it routes, for review by hand.

interface Report {
  sites: { file: string; line: number; action: string }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unresolved: { method: string; path: string; file: string; line: number; reason: string }[];
  };
}

const SPEC = ['custom.yaml', 'module.yaml', 'default.yaml'];

describe('migrate --spec: express-openapi-validator operationHandlers resolvers', () => {
  it("reads the library's resolvers: defaultResolver spelled out, modulePathResolver by operationId", async () => {
    // Before: modulePathResolver was read as the default resolver: GET /payments/{paymentId} "no handler found".
    const { report } = await runSpecProject<Report>('spellings-eov-resolvers', { spec: SPEC });
    const handled = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.file}:${r.line}`))
      .sort();
    expect(handled).toEqual([
      'GET /orders/{orderId} <- src/handlers/orders.ts:3',
      'GET /payments/{paymentId} <- src/routes/payments.ts:3',
    ]);
  });

  it("names the project's own resolver, and where it is written, for each operation it routes", async () => {
    // Before: GET /accounts/{accountId} was "no handler found" with 0 code routes and no word of the resolver.
    const { report } = await runSpecProject<Report>('spellings-eov-resolvers', { spec: SPEC });
    const unresolved = report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`);
    expect(unresolved).toEqual(['GET /v1/accounts/{accountId} src/app.ts:9']);
    expect(report.coverage.unresolved[0]?.reason).toContain(
      'custom operationHandlers resolver customResolver (src/resolver.ts:5), which mtls-fix does not read',
    );
  });
});
