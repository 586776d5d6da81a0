import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// A service whose app is a parameter with a default (`function init(app: Koa = new Koa())`, outline's web
// service): the walk starts at that app, as at any app, instead of calling it a router "not mounted anywhere"
// (which left every route below it unresolved and every test of them "server could not be found").
const project = path.resolve(import.meta.dirname, '../../fixtures/spec-projects/spellings-app-parameters');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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
    const dir = tempProject({}, project);
    temps.push(dir);
    const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    const expected = specMarkers(dir, 'plain');
    const actual = siteOutcomes(report.sites);
    for (const [where, outcome] of expected)
      expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
    for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
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
