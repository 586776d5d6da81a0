import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

describe('lint: several --format/--output pairs in one run', () => {
  it('writes each format to its own output, in order; `-` is stdout', () => {
    const cwd = tempProject();
    copyFileSync(path.join(REPO_ROOT, 'examples/openapi.yaml'), path.join(cwd, 'openapi.yaml'));
    const run = runCli(
      [
        'lint',
        'openapi.yaml',
        '-f',
        'json',
        '-o',
        'out/a.json',
        '-f',
        'sarif',
        '-o',
        'b.sarif',
        '-f',
        'github-actions',
      ],
      { cwd },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=openapi\.yaml,/m);
    const json = JSON.parse(readFileSync(path.join(cwd, 'out/a.json'), 'utf8')) as { code: string }[];
    expect(json.map((result) => result.code)).toEqual(['mtls-no-403', 'mtls-4xx-range']);
    const sarif = JSON.parse(readFileSync(path.join(cwd, 'b.sarif'), 'utf8')) as {
      runs: { tool: { driver: { rules: { id: string; name: string }[] } }; results: unknown[] }[];
    };
    expect(sarif.runs[0]?.results).toHaveLength(2);
    // SARIF rules carry a human name distinct from the id.
    expect(sarif.runs[0]?.tool.driver.rules.map((rule) => [rule.id, rule.name])).toEqual([
      ['mtls-no-403', 'ForbiddenOnMutualTlsOperation'],
      ['mtls-4xx-range', 'ClientErrorRangeOnMutualTlsOperation'],
      ['mtls-unchecked', 'NoMutualTlsOperation'],
      ['mtls-fix-input', 'InputNotLinted'],
    ]);
  });

  it('two formats to stdout, or more outputs than formats, is a usage error', () => {
    const cwd = tempProject();
    copyFileSync(path.join(REPO_ROOT, 'examples/openapi.yaml'), path.join(cwd, 'openapi.yaml'));
    const two = runCli(['lint', 'openapi.yaml', '-f', 'json', '-f', 'sarif'], { cwd });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('more than one --format would be written to stdout');
    const extra = runCli(['lint', 'openapi.yaml', '-o', 'a', '-o', 'b'], { cwd });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('2 --output values for 1 --format value(s)');
  });
});

describe('lint: a run with no results (session 9)', () => {
  // An mTLS-secured operation without a 403: really clean (a document with none is mtls-unchecked, below).
  it('stylish, text and github-actions print what was checked on the first line, not below blank lines', () => {
    const cwd = tempProject({
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n",
    });
    for (const format of ['stylish', 'text']) {
      const run = runCli(['lint', 'openapi.yaml', '-f', format], { cwd });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('mtls-fix: checked 1 document, 1 operation, 1 mTLS-secured (extension: 1)\n');
    }
    // github-actions too, as a plain log line: no annotation for a clean run, but not silence either.
    const actions = runCli(['lint', 'openapi.yaml', '-f', 'github-actions'], { cwd });
    expect(actions.stdout).toBe('mtls-fix: checked 1 document, 1 operation, 1 mTLS-secured (extension: 1)\n');
    // --quiet: nothing when clean, in every human format.
    for (const format of ['stylish', 'text', 'github-actions'])
      expect(runCli(['lint', 'openapi.yaml', '-q', '-f', format], { cwd }).stdout).toBe('');
  });

  // Session 13: `-f json` printed `[]` and nothing else, so a document nothing was checked in read as clean.
  it('json, junit and sarif on stdout, or every report in a file: what was checked is the last line on stderr', () => {
    const cwd = tempProject({
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n",
    });
    const checked = 'mtls-fix: checked 1 document, 1 operation, 1 mTLS-secured (extension: 1)\n';
    const runs: [string[], string][] = [
      [['-f', 'json'], '[]'],
      [['-f', 'junit'], '<testsuites'],
      [['-f', 'sarif'], '"version": "2.1.0"'],
      [['-f', 'stylish', '-o', 'report.txt'], ''],
      [['-f', 'json', '-o', 'report.json'], ''],
    ];
    for (const [flags, stdout] of runs) {
      const run = runCli(['lint', 'openapi.yaml', ...flags], { cwd });
      expect(run.code).toBe(0);
      if (stdout) expect(run.stdout).toContain(stdout);
      else expect(run.stdout).toBe('');
      expect(run.stderr).toBe(checked);
    }
    // A human report on stdout already says it; --quiet says nothing.
    expect(runCli(['lint', 'openapi.yaml', '-f', 'stylish'], { cwd }).stderr).toBe('');
    expect(runCli(['lint', 'openapi.yaml', '-f', 'json', '-q'], { cwd }).stderr).toBe('');
  });
});
