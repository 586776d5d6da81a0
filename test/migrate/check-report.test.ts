import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import type { MigrateReport } from '../../src/migrate/types.js';

/** `migrate --check` names every remaining site; --format gives CI annotations and SARIF. */
function project(): string {
  const cwd = tempProject();
  cpSync(path.join(REPO_ROOT, 'test/fixtures/projects/multi'), cwd, { recursive: true });
  rmSync(path.join(cwd, 'src/broken.ts'));
  return cwd;
}

const CI = { CI: '1' };

describe('migrate --check lists the sites, not only counts', () => {
  const cwd = project();
  const report = JSON.parse(
    runCli(['migrate', 'src', '--check', '--json'], { cwd, env: CI }).stdout,
  ) as MigrateReport;
  const rewrites = report.sites.filter((site) => site.action === 'would-rewrite');
  const manual = report.sites.filter((site) => site.action === 'manual');

  it('the project has both kinds of site (else this test proves nothing)', () => {
    expect(rewrites.length).toBeGreaterThan(0);
    expect(manual.length).toBeGreaterThan(0);
  });

  it('prints `file:line:col  form -> replacement` for each site to rewrite and each manual site with its reason', () => {
    const run = runCli(['migrate', 'src', '--check'], { cwd, env: CI });
    expect(run.code).toBe(1);
    for (const site of rewrites) {
      expect(run.stdout).toContain(
        `${site.file}:${site.line}:${site.column}  ${site.form} -> ${site.replacement}`,
      );
    }
    for (const site of manual) {
      expect(run.stdout).toContain(`${site.file}:${site.line}:${site.column}`);
      expect(run.stdout).toContain(site.reason ?? '');
    }
  });

  it('--format github-actions: one annotation per site (error to rewrite, warning to review)', () => {
    const run = runCli(['migrate', 'src', '--check', '--format', 'github-actions'], { cwd, env: CI });
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(rewrites.length + manual.length);
    for (const site of rewrites) {
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^::error file=${escape(site.file)},line=${site.line},col=${site.column},title=mtls-fix migrate%3A rewrite::`,
          ),
        ),
      );
    }
    expect(lines.filter((line) => line.startsWith('::warning '))).toHaveLength(manual.length);
  });

  it('--format sarif: one result per site, rules with a human name', () => {
    const run = runCli(['migrate', 'src', '--check', '--format', 'sarif'], { cwd, env: CI });
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; name: string }[] } };
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const [runResult] = sarif.runs;
    expect(runResult?.tool.driver.rules.every((rule) => rule.name !== rule.id)).toBe(true);
    expect(runResult?.results.map((result) => result.ruleId).sort()).toEqual(
      [...rewrites.map(() => 'mtls-migrate-rewrite'), ...manual.map(() => 'mtls-migrate-manual')].sort(),
    );
    const located = runResult?.results.map(
      (r) =>
        `${r.locations[0]?.physicalLocation.artifactLocation.uri}:${r.locations[0]?.physicalLocation.region.startLine}`,
    );
    for (const site of [...rewrites, ...manual]) expect(located).toContain(`${site.file}:${site.line}`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
