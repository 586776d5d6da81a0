import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// A service whose app is a parameter with a default (`function init(app: Koa = new Koa())`, outline's web
// service): the walk starts at that app, as at any app, instead of calling it a router "not mounted anywhere"
// (which left every route below it unresolved and every test of them "server could not be found").

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unresolved: { reason: string }[];
  };
}

describe('migrate --spec: an app given as a parameter default', () => {
  it('walks Koa (koa-mount), Express and Hono apps made by a parameter default as roots', async () => {
    const { report } = await runSpecProject<Report>('spellings-app-parameters');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'GET /cards/:id src/cards.ts:4',
      'GET /v2/loans/:id src/loans.ts:4',
      'POST /api/documents.info src/api.ts:7',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
