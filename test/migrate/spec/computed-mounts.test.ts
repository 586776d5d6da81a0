import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 32 (issue 9 part 2): route modules called through a table by a key computed at run time, no --mount.
// NodeBB's `_mounts[original](router, …)` over `const _mounts = { user: require('./user') }` plus `_mounts.main =
// …`, a module's exports called as `api[name](app)`; a table the code does not spell out is named at the call.
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
    noHandler: { operation: string }[];
    unmatchedRoutes: Route[];
    unresolved: (Route & { reason: string })[];
  };
}

async function run(name: string): Promise<Report> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml'], { cwd: dir });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}

describe('migrate --spec: route modules called by a computed key', () => {
  it('reads every function of a table the code spells out, and names the hand-off to one it cannot read', async () => {
    // 96c826f1: every route "router is not mounted anywhere" (users, admin, cards, health) or "registered on r,
    // which mtls-fix could not trace" (main), 0 of 4 mTLS operations handled, every 403 manual.
    const report = await run('spellings-computed-mounts');
    expect(
      report.coverage.handled
        .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.method} ${r.path} ${r.file}:${r.line}`))
        .sort(),
    ).toEqual([
      'GET /api/main/status <- GET /api/main/status src/app.js:12',
      'GET /api/users/{id} <- GET /api/users/:id src/routes/user.js:2',
      'POST /api/admin/keys <- POST /api/admin/keys src/api/admin.js:2',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /api/cards/{id}']);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.reason}`),
    ).toEqual([
      'ALL /* src/app.js:26 app is handed to extra[name](…) at src/app.js:26, a function read by a key computed at run time from extra, whose members mtls-fix could not read: the routes it registers there are unknown',
      'GET /api/cards/:id src/routes/cards.js:2 router is not mounted anywhere in the scanned code (src/routes/cards.js:1)',
    ]);
  });
});
