import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { runCliAsync, tempProject } from './cli.js';
import { siteOutcomes, specMarkers } from './spec-markers.js';

/** A route as `migrate --json`'s coverage lists it. */
export interface SpecRoute {
  method: string;
  path: string;
  file: string;
  line: number;
}

/** What the `--spec` tests read of a `migrate --json` report. */
export interface SpecReport {
  sites: { file: string; line: number; action: string }[];
  coverage: {
    handled: { operation: string; routes: SpecRoute[] }[];
    codePrefixes?: { document: string; prefix: string; operations: number }[];
    ambiguous: { operation: string }[];
    noHandler: {
      operation: string;
      document?: string;
      servedUnder?: { prefix: string; route: SpecRoute; contradicts?: string; document?: string }[];
    }[];
    unmatchedRoutes: SpecRoute[];
    unresolved: (SpecRoute & { reason: string })[];
  };
}

/** test/fixtures/spec-projects, absolute. */
export const SPEC_PROJECTS = path.resolve(import.meta.dirname, '../fixtures/spec-projects');

/**
 * `migrate --json --check --spec <spec>` (each of several documents) on a copy of a spec fixture project (removed when the test ends): the run
 * writes nothing to stderr, and every site has the outcome its `// expect:` marker gives (specMarkers `plain`),
 * no site more. Returns the report.
 */
export async function runSpecProject(
  name: string,
  spec: string | readonly string[] = 'openapi.yaml',
): Promise<SpecReport> {
  const dir = tempProject({}, path.join(SPEC_PROJECTS, name));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const specs = (typeof spec === 'string' ? [spec] : spec).flatMap((s) => ['--spec', s]);
  const result = await runCliAsync(['migrate', '--json', '--check', ...specs], { cwd: dir });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as SpecReport;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}
