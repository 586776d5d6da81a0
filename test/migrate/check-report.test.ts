import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { parseSarif } from '../helpers/sarif.js';
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

// Session 26 (a new user's trial): files the run could not scan failed `--check` but reached neither format, so CI
// showed a failing check with nothing to fix (SARIF had no result at all; github-actions named parse errors only).
describe('migrate --check names every file it could not scan, in every format', () => {
  const utf16 = Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    Buffer.from(
      "const express = require('express');\nconst app = express();\napp.get('/u', (q, r) => r.status(403).end());\n",
      'utf16le',
    ),
  ]);
  const cwd = tempProject({
    'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
    'src/app.js':
      "const express = require('express');\nconst app = express();\napp.get('/a', (q, r) => r.status(403).end());\n",
    'src/broken.ts': 'export const = ;\nres.status(403);\n',
    'public/js/main.3f2a9c1e.js': `!function(){${'var a=1;'.repeat(300)}e.status(403).send("no")}();\n`,
    'src/Admin.java':
      'class A { Object f() { return ResponseEntity.status(HttpStatus.FORBIDDEN).build(); } }\n',
  });
  writeFileSync(path.join(cwd, 'src/u16.js'), utf16);
  const unscanned = ['src/broken.ts', 'src/u16.js', 'public/js/main.3f2a9c1e.js', 'src/Admin.java'];

  it('github-actions: an annotation for each, beside the site to rewrite, which says no mTLS path without --spec', () => {
    const run = runCli(['migrate', '.', '--check', '--format', 'github-actions'], { cwd, env: CI });
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^::error file=src\/app\.js,line=3,.*::403 in server code: r\.status\(403\) -> r\.status\(401\)/,
      ),
    );
    for (const file of unscanned)
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^::(error|warning) file=${escape(file)}[,:].*not scanned`)),
      );
    expect(lines.find((line) => line.includes('src/u16.js'))).toMatch(
      /^::error .*UTF-16LE text.*a 403 form \(line 3\)/,
    );
    expect(lines.find((line) => line.includes('main.3f2a9c1e.js'))).toMatch(
      /^::warning file=[^,]+,line=1,col=2422,/,
    );
  });

  it('sarif: a mtls-migrate-not-scanned result for each', () => {
    const run = runCli(['migrate', '.', '--check', '--format', 'sarif'], { cwd, env: CI });
    expect(run.code).toBe(2);
    const sarif = parseSarif(run.stdout);
    const results = sarif.runs[0]?.results ?? [];
    const notScanned = results.filter((r) => r.ruleId === 'mtls-migrate-not-scanned');
    expect(notScanned.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri).sort()).toEqual(
      [...unscanned].sort(),
    );
    expect(results.filter((r) => r.ruleId === 'mtls-migrate-rewrite')).toHaveLength(1);
  });
});
