import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Issue 9 §2, NestJS: RouterModule paths and setGlobalPrefix({ exclude }) (nest-router), and a project shaped
// as `nest new` generates it (nestcli). Every 403 line carries `// expect: <spec run>` and, keyed,
// `mounted=` (--spec with --mount), `tests=` (--spec --include-tests), `nospec=` (plain migrate --include-tests).
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Kind = 'spec' | 'mounted' | 'tests' | 'nospec';

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage?: {
    handled: { operation: string; routes: { method: string; path: string }[] }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: unknown[];
    ambiguous: unknown[];
    unresolved: { method: string; path: string; mountFile: string; byHand?: boolean; reason: string }[];
  };
}

/** The project's markers for one run kind (`spec`: the unkeyed word), lines expected untouched left out. */
function expectations(dir: string, kind: Kind): Map<string, string> {
  const markers = specMarkers(dir, kind === 'spec' ? 'plain' : kind);
  return new Map([...markers].filter(([, outcome]) => outcome !== 'none'));
}

function run(dir: string, ...args: string[]): Report {
  const result = runCli(['migrate', '--json', '--check', ...args], { cwd: dir });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

function copy(name: string): string {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  return dir;
}

describe('migrate --spec on NestJS RouterModule paths and setGlobalPrefix exclude', () => {
  it('rewrites the sites of mTLS operations only, without --mount', () => {
    const dir = copy('nest-router');
    const report = run(dir, '--spec', 'openapi.yaml');
    expect(siteOutcomes(report.sites)).toEqual(expectations(dir, 'spec'));
    const coverage = report.coverage;
    const routes = coverage?.handled.map(
      (h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`,
    );
    expect(routes?.sort()).toEqual(
      [
        'GET /banking/accounts/{accountId} <- /api/banking/accounts/:accountId',
        'DELETE /banking/cards/{cardId} <- /api/banking/cards/:cardId',
        'GET /shared/info <- /api/shared/info',
        'POST /hooks/{provider} <- /hooks/:provider',
        'POST /status <- /api/status',
      ].sort(),
    );
    expect(coverage?.noHandler.map((n) => n.operation)).toEqual(['GET /legacy/items/{id}']);
    expect(coverage?.unmatchedRoutes).toEqual([]);
    expect(coverage?.ambiguous).toEqual([]);
    // Nothing dropped: the computed module path names the file to --mount, the spread call is for a person.
    expect(
      coverage?.unresolved.map((u) => [`${u.method} ${u.path}`, u.byHand ? 'by hand' : u.mountFile]),
    ).toEqual([
      ['ALL /*', 'by hand'],
      ['GET /items/:id', 'src/legacy/legacy.module.ts'],
    ]);
    const legacy = report.sites.find((s) => s.file === 'src/legacy/legacy.controller.ts');
    expect(legacy?.reason).toContain('pass --mount src/legacy/legacy.module.ts=PREFIX');
  });

  it('takes a computed RouterModule path from --mount <module file>', () => {
    const dir = copy('nest-router');
    const report = run(dir, '--spec', 'openapi.yaml', '--mount', 'src/legacy/legacy.module.ts=/legacy');
    expect(siteOutcomes(report.sites)).toEqual(expectations(dir, 'mounted'));
    expect(report.coverage?.noHandler).toEqual([]);
    expect(report.coverage?.unresolved.map((u) => u.byHand)).toEqual([true]);
  });
});

describe('a NestJS project as `nest new` generates it', () => {
  it('is read under --spec, tests following the rewritten server', () => {
    const dir = copy('nestcli');
    const report = run(dir, '--spec', 'openapi.yaml', '--include-tests');
    const expected = new Map([...expectations(dir, 'spec'), ...expectations(dir, 'tests')]);
    expect(siteOutcomes(report.sites)).toEqual(expected);
    expect(report.coverage?.handled.map((h) => h.operation)).toEqual([
      'GET /accounts/{id}',
      'GET /test/{id}',
    ]);
    expect(report.coverage?.unresolved).toEqual([]);
  });

  it('is migrated without --spec, its e2e test included', () => {
    const dir = copy('nestcli');
    const report = run(dir, '--include-tests');
    expect(siteOutcomes(report.sites)).toEqual(expectations(dir, 'nospec'));
    expect(report.sites.some((s) => s.file === 'test/app.e2e-spec.ts')).toBe(true);
  });
});
