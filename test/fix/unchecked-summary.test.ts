import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// breaker36 #04: `fix --check` printed "No 403 response on an mTLS-secured operation: nothing to do." on stdout
// while it failed (exit 1; stderr: no operation is mTLS-secured, so no 403 was checked). The summary line (plain,
// --check, --dry-run, --json `summary`) must never read "nothing to do" when a documented 403 was not checked.

const NO_MTLS =
  "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents:\n  securitySchemes:\n    basic: {type: http, scheme: basic}\n" +
  "security: [{basic: []}]\npaths:\n  /typing:\n    post:\n      responses:\n        '200': {description: ok}\n" +
  "        '403': {description: The account is not authorized}\n";
const MTLS_403 =
  "openapi: 3.1.0\ninfo: {title: m, version: '1'}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n" +
  "        '403': {description: no}\n";
const MTLS_NO_403 =
  "openapi: 3.1.0\ninfo: {title: m, version: '1'}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n" +
  "        '200': {description: ok}\n";
const DECLARED_NONE = NO_MTLS.replace('paths:\n', 'x-mtls: false\npaths:\n');
const NO_403 = NO_MTLS.replace("        '403': {description: The account is not authorized}\n", '');

const UNCHECKED_1 =
  '1 document has no mTLS-secured operation: the 403 of 1 operation was not checked (see the hint: declare mTLS, or write x-mtls: false).';

interface Case {
  name: string;
  files: Record<string, string>;
  args: string[];
  /** The summary line (the line before `mtls-fix: checked ...`), exactly; or a pattern. */
  summary: string | RegExp;
  code: number;
}

const CASES: Case[] = [
  {
    name: '--check, no operation is mTLS-secured, one documents a 403',
    files: { 'openapi.yaml': NO_MTLS },
    args: ['fix', '--check', 'openapi.yaml'],
    summary: `Nothing checked: ${UNCHECKED_1}`,
    code: 1,
  },
  {
    name: 'plain fix, the same document (exit 0 by design, but not "nothing to do")',
    files: { 'openapi.yaml': NO_MTLS },
    args: ['fix', '--force', 'openapi.yaml'],
    summary: `Nothing checked: ${UNCHECKED_1}`,
    code: 0,
  },
  {
    name: '--dry-run, the same document',
    files: { 'openapi.yaml': NO_MTLS },
    args: ['fix', '--dry-run', 'openapi.yaml'],
    summary: `Nothing checked: ${UNCHECKED_1}`,
    code: 0,
  },
  {
    name: 'two documents, one fixed and one not checked: the fix line names the unchecked one too',
    files: { 'a.yaml': MTLS_403, 'b.yaml': NO_MTLS },
    args: ['fix', '--dry-run', 'a.yaml', 'b.yaml'],
    summary:
      '1 403 key: 1 renamed, 0 removed, 0 merged, 0 conflicts, 0 skipped; 1 file would change; nothing written. ' +
      `1 new 401 carries no WWW-Authenticate header (RFC 9110 §15.5.2: a 401 MUST carry one; --www-authenticate Bearer adds it). ${UNCHECKED_1}`,
    code: 0,
  },
  {
    name: 'two documents, nothing to rename in the mTLS one, a 403 unchecked in the other',
    files: { 'a.yaml': MTLS_NO_403, 'b.yaml': NO_MTLS },
    args: ['fix', '--check', 'a.yaml', 'b.yaml'],
    summary: `No 403 response on an mTLS-secured operation to rename. ${UNCHECKED_1}`,
    code: 1,
  },
  {
    name: 'x-mtls: false says there is nothing to check: "nothing to do" stays',
    files: { 'openapi.yaml': DECLARED_NONE },
    args: ['fix', '--check', 'openapi.yaml'],
    summary: 'No 403 response on an mTLS-secured operation: nothing to do.',
    code: 0,
  },
  {
    name: 'no mTLS and no 403 at all: "nothing to do" stays',
    files: { 'openapi.yaml': NO_403 },
    args: ['fix', '--check', 'openapi.yaml'],
    summary: 'No 403 response on an mTLS-secured operation: nothing to do.',
    code: 0,
  },
];

describe('fix: the summary line does not say "nothing to do" over an unchecked 403 (breaker36 #04)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const cwd = tempProject(c.files);
      const run = await runCliAsync(c.args, { cwd });
      expect(run.code, run.stderr).toBe(c.code);
      const lines = run.stdout.split('\n');
      const summary = lines[lines.findIndex((line) => line.startsWith('mtls-fix: checked')) - 1];
      if (typeof c.summary === 'string') expect(summary).toBe(c.summary);
      else expect(summary).toMatch(c.summary);
    });
  }

  it('--json carries the same summary and the unchecked counts', async () => {
    const cwd = tempProject({ 'openapi.yaml': NO_MTLS });
    const run = await runCliAsync(['fix', '--json', '--check', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { summary: string; unchecked?: unknown };
    expect(report.summary).toBe(`Nothing checked: ${UNCHECKED_1}`);
    expect(report.unchecked).toEqual({ documents: 1, operations: 1 });
    const clean = JSON.parse(
      (
        await runCliAsync(['fix', '--json', '--check', 'openapi.yaml'], {
          cwd: tempProject({ 'openapi.yaml': NO_403 }),
        })
      ).stdout,
    ) as { summary: string; unchecked?: unknown };
    expect(clean.summary).toBe('No 403 response on an mTLS-secured operation: nothing to do.');
    expect(clean.unchecked).toBeUndefined();
  });

  it('--quiet --check prints no summary, and the failure on stderr', async () => {
    const cwd = tempProject({ 'openapi.yaml': NO_MTLS });
    const run = await runCliAsync(['fix', '--quiet', '--check', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/nothing to do/);
    expect(run.stderr).toMatch(/--check fails: openapi\.yaml:\d+: No operation is mTLS-secured/);
  });
});
