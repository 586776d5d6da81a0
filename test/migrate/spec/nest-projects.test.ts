import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';

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

function expectations(dir: string, kind: Kind): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts'))
        readFileSync(full, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            const words = /\/\/ expect: (.*)$/.exec(line)?.[1]?.trim().split(/\s+/) ?? [];
            const keyed = new Map(
              words.filter((w) => w.includes('=')).map((w) => w.split('=') as [string, string]),
            );
            const unkeyed = words.find((w) => !w.includes('='));
            const outcome =
              kind === 'spec' ? unkeyed : (keyed.get(kind) ?? (kind === 'mounted' ? unkeyed : undefined));
            const where = `${path.relative(dir, full).split(path.sep).join('/')}:${index + 1}`;
            if (outcome && outcome !== 'none') out.set(where, outcome);
          });
    }
  };
  walk(dir);
  return out;
}

function run(dir: string, ...args: string[]): Report {
  const result = runCli(['migrate', '--json', '--check', ...args], { cwd: dir });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

function outcomes(report: Report): Map<string, string> {
  return new Map(
    report.sites.map((s) => [`${s.file}:${s.line}`, s.action === 'manual' ? 'manual' : 'rewrite']),
  );
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
    expect(outcomes(report)).toEqual(expectations(dir, 'spec'));
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
    expect(outcomes(report)).toEqual(expectations(dir, 'mounted'));
    expect(report.coverage?.noHandler).toEqual([]);
    expect(report.coverage?.unresolved.map((u) => u.byHand)).toEqual([true]);
  });
});

describe('a NestJS project as `nest new` generates it', () => {
  it('is read under --spec, tests following the rewritten server', () => {
    const dir = copy('nestcli');
    const report = run(dir, '--spec', 'openapi.yaml', '--include-tests');
    const expected = new Map([...expectations(dir, 'spec'), ...expectations(dir, 'tests')]);
    expect(outcomes(report)).toEqual(expected);
    expect(report.coverage?.handled.map((h) => h.operation)).toEqual([
      'GET /accounts/{id}',
      'GET /test/{id}',
    ]);
    expect(report.coverage?.unresolved).toEqual([]);
  });

  it('is migrated without --spec, its e2e test included', () => {
    const dir = copy('nestcli');
    const report = run(dir, '--include-tests');
    expect(outcomes(report)).toEqual(expectations(dir, 'nospec'));
    expect(report.sites.some((s) => s.file === 'test/app.e2e-spec.ts')).toBe(true);
  });
});
