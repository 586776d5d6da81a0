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
    /** `mountFile`: the file whose `--mount FILE=PREFIX` the entry's advice names. */
    unresolved: (SpecRoute & { reason: string; mountFile?: string })[];
    /** 403 sites no mTLS operation reaches (absent from older reports). */
    leftAlone?: { file: string; line: number; form: string }[];
    /** Run-time settings whose written default was taken (absent when none was). */
    settingDefaults?: { setting: string; value: string; file: string; line: number; from?: string }[];
  };
}

/** test/fixtures/spec-projects, absolute. */
export const SPEC_PROJECTS = path.resolve(import.meta.dirname, '../fixtures/spec-projects');

/** The part of a `migrate --json` report {@link runSpecProject} checks: each site's `file:line` and action. */
export interface SpecSites {
  sites: readonly { file: string; line: number; action: string }[];
}

/** How {@link runSpecProject} runs `migrate`. */
export interface SpecRunOptions {
  /**
   * The document(s), each given as `--spec <file>` (relative to the project), in order; `[]` gives none (the
   * project's config file names it). Default `openapi.yaml`.
   */
  spec?: string | readonly string[];
  /** More arguments, after the `--spec` ones (`--mount FILE=PREFIX`, `--mtls-everywhere`, …), for both runs. */
  args?: readonly string[];
  /** Also run `migrate --dry-run` (human output) with the same `--spec` and arguments on the same copy. */
  human?: boolean;
}

/**
 * `migrate --json --check --spec <spec> <args>` on a copy of the spec fixture project `name` (a folder of
 * {@link SPEC_PROJECTS}; the copy is removed when the test ends): the run writes nothing to stderr, and every site
 * has the outcome its `// expect:` marker gives (specMarkers `plain`), no site more. Returns the report (parsed, not
 * validated: `R` is the shape the test reads) and, with `human`, the stdout of the `--dry-run` run that follows.
 */
export async function runSpecProject<R extends SpecSites = SpecReport>(
  name: string,
  options: SpecRunOptions & { human: true },
): Promise<{ report: R; human: string }>;
export async function runSpecProject<R extends SpecSites = SpecReport>(
  name: string,
  options?: SpecRunOptions,
): Promise<{ report: R }>;
export async function runSpecProject<R extends SpecSites = SpecReport>(
  name: string,
  options: SpecRunOptions = {},
): Promise<{ report: R; human?: string }> {
  const dir = tempProject({}, path.join(SPEC_PROJECTS, name));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const specs = typeof options.spec === 'string' ? [options.spec] : (options.spec ?? ['openapi.yaml']);
  const args = [...specs.flatMap((spec) => ['--spec', spec]), ...(options.args ?? [])];
  const result = await runCliAsync(['migrate', '--json', '--check', ...args], { cwd: dir });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as R;
  const expected = specMarkers(dir, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  if (!options.human) return { report };
  const human = await runCliAsync(['migrate', '--dry-run', ...args], { cwd: dir });
  return { report, human: human.stdout };
}

/**
 * `migrate --spec openapi.yaml --mtls-everywhere --check --force --json` on a temporary project made of `files`
 * (removed when the test ends): the parsed report (`R` is the shape the test reads) and the project's folder.
 */
export async function runSpecFiles<R = SpecReport>(
  files: Record<string, string>,
): Promise<{ report: R; dir: string; args: string[] }> {
  const dir = tempProject(files);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['migrate', '--spec', 'openapi.yaml', '--mtls-everywhere', '--check', '--force'];
  const run = await runCliAsync([...args, '--json'], { cwd: dir });
  return { report: JSON.parse(run.stdout) as R, dir, args };
}
