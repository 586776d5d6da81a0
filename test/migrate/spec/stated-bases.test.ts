import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

/** `operation <- prefix (contradicts)` for each route a noHandler entry names. */
const servedUnder = (report: SpecReport): string[] =>
  report.coverage.noHandler.flatMap((n) =>
    (n.servedUnder ?? []).map((s) => `${n.operation} <- ${s.route.path} (${s.contradicts ?? 'no base'})`),
  );

describe('migrate --spec: a document that states its base path is never matched under another prefix', () => {
  // breaker34 06 (pagopa/io-backend api_cgn.yaml, api_backend.yaml): the code serves the document's paths under
  // /api/card/v1, another API; before, "the code serves 2 of its operations under /api/card/v1 ... matched with
  // /api/card/v1 in front" and those two handlers were rewritten, while the real ones (under a run-time base)
  // stayed manual.
  it.each([
    ['Swagger 2.0 basePath (YAML)', 'swagger.yaml'],
    ['OAS 3.0 server URL path (JSON)', 'openapi30.json'],
    ['OAS 3.1 server variable default and a second, relative server (YAML)', 'openapi31.yaml'],
  ])('%s: the other API under /api/card/v1 is left alone and named', async (_, spec) => {
    const { report } = await runSpecProject('spellings-stated-base', { spec });
    expect(report.coverage.handled).toEqual([]);
    expect(report.coverage.codePrefixes).toBeUndefined();
    expect(servedUnder(report)).toEqual([
      'GET /status <- /api/card/v1/status (/api/v1)',
      'POST /activation <- /api/card/v1/activation (/api/v1)',
    ]);
    expect(report.coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/card/v1/status',
      'POST /api/card/v1/activation',
    ]);
  });
});

describe('migrate --spec with several documents: each keeps its own routes', () => {
  // Before: legacy.json (no base) took /api/card/v1 as an inferred prefix (4 operations), so card.yaml's routes
  // were shared (manual) and /otp, /delete, under card.yaml's base, were rewritten for legacy.json; /health,
  // which legacy.json spells as the code does and card.yaml only with its base stripped, was shared (manual).
  it('no prefix that another document states as its base, no route another document matched, the closest spelling wins', async () => {
    const { report } = await runSpecProject('spellings-stated-base-documents', {
      spec: ['legacy.json', 'card.yaml'],
    });
    expect(report.coverage.codePrefixes).toBeUndefined();
    expect(
      report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`),
    ).toEqual(['GET /health <- /health']);
    // Each entry names its document when several are given (before: no document field).
    expect(report.coverage.noHandler.map((n) => `${n.document} ${n.operation}`)).toEqual([
      'legacy.json GET /status',
      'legacy.json POST /activation',
      'legacy.json POST /otp',
      'legacy.json POST /delete',
    ]);
    expect(
      report.coverage.noHandler.flatMap((n) =>
        (n.servedUnder ?? []).map((s) => `${n.operation} <- ${s.route.path} (${s.document ?? ''})`),
      ),
    ).toEqual([
      'POST /otp <- /api/card/v1/otp (card.yaml)',
      'POST /delete <- /api/card/v1/delete (card.yaml)',
    ]);
  });
});
