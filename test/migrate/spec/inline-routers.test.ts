import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Session 29: routers made in the call that hands them to a helper, the helper exported with no name and its
// prefix a parameter default (renpass-projeto-final: `car(server, new Router())`), no --mount.
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
  sites: { file: string; line: number; action: string; reason?: string }[];
  coverage: {
    handled: { operation: string; routes: Route[] }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: Route[];
    unresolved: (Route & { reason: string; mountFile?: string; byHand?: boolean })[];
    settingDefaults?: { setting: string; value: string; file: string; line: number; from?: string }[];
  };
}

/** Runs `migrate --spec openapi.yaml` on a copy of the project; every `// expect:` line must match. */
async function run(name: string, extra: string[] = []): Promise<{ report: Report; human: string }> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml', ...extra], {
    cwd: dir,
  });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  const human = await runCliAsync(['migrate', '--dry-run', '--spec', 'openapi.yaml', ...extra], { cwd: dir });
  return { report, human: human.stdout };
}

const routesOf = (report: Report): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: a router made in the call that hands it to a helper', () => {
  it("links new Router() / Router() arguments, reads the default of an exported helper's prefix", async () => {
    const { report } = await run('spellings-inline-routers');
    // c5b5a354: both routes "registered on routes, which mtls-fix could not trace to an app or router", the
    // public GET /status's 403 manual; renpass-projeto-final 0 of 27 operations handled.
    expect(routesOf(report)).toEqual(['GET /accounts/{id} <- /api/v1/accounts/:id']);
    expect(report.coverage.noHandler).toEqual([]);
    // The router made for the helper is no unmounted root of its own (it is the helper's parameter, mounted).
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});
