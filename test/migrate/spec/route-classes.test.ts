import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 27: wiring of typescript-express-starter (ljlm0402) and the many projects made from it, no --mount.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string }[] }[];
    noHandler: { operation: string }[];
    unresolved: { method: string; path: string; file: string; line: number; reason: string }[];
  };
}

/** Runs `migrate --spec openapi.yaml` on a copy of the project; every `// expect:` line must match. */
async function run(name: string, ...args: string[]): Promise<Report> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml', ...args], {
    cwd: dir,
  });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}

const routesOf = (report: Report): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: route classes handed to the app in a list', () => {
  it('new App([new UserRoute(), …]) mounting route.router in a loop, paths from this.path', async () => {
    const report = await run('spellings-route-classes');
    // 87e166c: every router "not mounted anywhere", paths `/*` ("computed at run time"), 0 of 4 mTLS handled.
    expect(routesOf(report)).toEqual([
      'DELETE /accounts/{id} <- /accounts/:id(\\d+)',
      'GET /accounts <- /accounts',
      'GET /accounts/{id} <- /accounts/:id(\\d+)',
      'GET /cards/{id} <- /cards/:id',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('Koa: controllers kept as a parameter property, mounted under their own path field in a for … of', async () => {
    const report = await run('spellings-route-classes-koa');
    // 87e166c: the routers "not mounted anywhere", 0 of 2 mTLS handled, every 403 manual.
    expect(routesOf(report)).toEqual([
      'GET /api/payments/{id} <- /api/payments/:id',
      'POST /api/payments <- /api/payments',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('Hono: route classes whose app is mounted under `/api${r.path}` from a field table', async () => {
    const report = await run('spellings-route-classes-hono');
    // 87e166c: no operation handled and nothing listed (the sub-apps read as apps of their own at the root).
    expect(routesOf(report)).toEqual(['GET /api/users/{id} <- /api/users/:id']);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
