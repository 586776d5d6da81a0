import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 33 (trials on davesag/api-server-boilerplate): swagger-routes-express's `connector(api, definition)` then
// `connect(app)` registers each operation of the definition, handled by `api[operationId]`. Before, nothing of it
// was read or named: every operation "no handler", no unresolved entry, the handlers' 403s not reported.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Route {
  method: string;
  path: string;
  file: string;
  line: number;
}

interface Report {
  sites: { file: string; line: number; action: string }[];
  coverage: {
    handled: { operation: string; routes: Route[] }[];
    ambiguous: { operation: string }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: Route[];
    unresolved: (Route & { reason: string })[];
  };
}

async function run(name: string): Promise<Report> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'api.yml'], { cwd: dir });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}

describe('migrate --spec: swagger-routes-express', () => {
  it('reads each operation as a route to api[operationId], and names one whose member it cannot read', async () => {
    // main 6784a697: 0 of 3 mTLS operations handled, nothing unresolved, no 403 site reported.
    const report = await run('spellings-swagger-routes-express');
    expect(
      report.coverage.handled
        .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([
      'DELETE /keys/{id} <- DELETE /api/v1/keys/{id} src/api/index.js:5',
      'GET /cards/{id} <- GET /api/v1/cards/{id} src/api/cards.js:1',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /reports']);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.reason}`),
    ).toEqual([
      "GET /api/v1/* src/app.js:10 GET /reports: swagger-routes-express hands it to api['listReports'], which mtls-fix could not read (src/app.js:10)",
    ]);
  });
});
