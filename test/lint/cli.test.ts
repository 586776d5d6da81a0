import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { parseSarif } from '../helpers/sarif.js';

const EXAMPLE = readFileSync(path.join(REPO_ROOT, 'examples/openapi.yaml'), 'utf8');

const CLEAN = `openapi: 3.1.0
info: { title: clean, version: '1' }
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
`;

const SERVER_ONLY = `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://api.example.com
paths:
  /a:
    get:
      security:
        - tpp: []
      responses:
        '403': { description: forbidden }
components:
  securitySchemes:
    tpp: { type: http, scheme: bearer }
`;

interface JsonResult {
  code: string;
  message: string;
  path: string[];
  severity: number;
  source: string;
  range: { start: { line: number; character: number } };
  operation?: { method: string; path: string };
  mtls?: { via: string; detail: string };
}

describe('mtls-fix lint: formats', () => {
  const cwd = tempProject({ 'openapi.yaml': EXAMPLE });

  it('stylish (default) lists file:line:col, rule and message; exit 1 on an error', () => {
    const run = runCli(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('openapi.yaml');
    expect(run.stdout).toMatch(/18:9\s+error\s+mtls-no-403\s+GET \/accounts\/\{id\} is mTLS-secured/);
    expect(run.stdout).toMatch(/28:9\s+warning\s+mtls-4xx-range/);
  });

  it('json: Spectral shape plus operation and mtls', () => {
    const run = runCli(['lint', 'openapi.yaml', '--format', 'json'], { cwd });
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as JsonResult[];
    expect(results).toHaveLength(2);
    expect(results[0]).toEqual({
      code: 'mtls-no-403',
      message: expect.stringContaining("GET /accounts/{id} is mTLS-secured (scheme 'clientCert')") as string,
      path: ['paths', '/accounts/{id}', 'get', 'responses', '403'],
      severity: 0,
      source: path.join(cwd, 'openapi.yaml'),
      range: { start: { line: 17, character: 8 }, end: { line: 17, character: 14 } },
      operation: { method: 'GET', path: '/accounts/{id}' },
      mtls: { via: 'scheme', detail: 'clientCert' },
    });
    expect(results[1]).toMatchObject({ code: 'mtls-4xx-range', severity: 1 });
  });

  it('sarif: our tool, rules with help, stable fingerprints', () => {
    const run = runCli(['lint', 'openapi.yaml', '-f', 'sarif'], { cwd });
    const sarif = parseSarif(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    const [run0] = sarif.runs;
    expect(run0.tool.driver.name).toBe('mtls-fix');
    expect(run0.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'mtls-no-403',
      'mtls-4xx-range',
      'mtls-unchecked',
      'mtls-fix-input',
    ]);
    expect(run0.tool.driver.rules[0].help.text).toContain('NSURLErrorDomain -1206');
    const [first] = run0.results;
    expect(first).toMatchObject({ ruleId: 'mtls-no-403', level: 'error' });
    expect(first.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'openapi.yaml' },
      region: { startLine: 18 },
    });
    // The fingerprint names the finding, not its line: moving the key does not change it.
    const moved = tempProject({ 'openapi.yaml': `# a comment that shifts every line\n${EXAMPLE}` });
    const again = parseSarif(runCli(['lint', 'openapi.yaml', '-f', 'sarif'], { cwd: moved }).stdout);
    expect(again.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(19);
    expect(again.runs[0].results[0].partialFingerprints).toEqual(first.partialFingerprints);
  });

  it('github-actions: one workflow annotation per finding', () => {
    const run = runCli(['lint', 'openapi.yaml', '-f', 'github-actions'], { cwd });
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^::error file=openapi\.yaml,line=18,col=9,endLine=18,endColumn=15,title=mtls-no-403::GET/,
    );
    expect(lines[1]).toMatch(/^::warning file=openapi\.yaml,line=28,/);
    // What was checked, as a plain log line (session 9: a clean run printed nothing at all).
    expect(lines[2]).toMatch(/^mtls-fix: checked 1 document, \d+ operations?, \d+ mTLS-secured/);
  });

  it('junit: a testsuite with failures for CI dashboards', () => {
    const run = runCli(['lint', 'openapi.yaml', '-f', 'junit'], { cwd });
    expect(run.stdout).toContain('<testsuites');
    expect(run.stdout).toContain('mtls-no-403');
  });

  it('text: one line per finding', () => {
    const run = runCli(['lint', 'openapi.yaml', '-f', 'text'], { cwd });
    expect(run.stdout).toMatch(/openapi\.yaml:18:9 error mtls-no-403/);
  });

  it('--output writes the report to a file and nothing to stdout', () => {
    const run = runCli(['lint', 'openapi.yaml', '-f', 'json', '--output', 'report.json'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(cwd, 'report.json'), 'utf8'))).toHaveLength(2);
  });
});

describe('mtls-fix lint: exit codes and severities', () => {
  it('0 when clean', () => {
    const cwd = tempProject({ 'openapi.yaml': CLEAN });
    const run = runCli(['lint'], { cwd });
    expect(run.code).toBe(0);
  });

  it('--quiet prints nothing when clean, but machine formats stay valid documents', () => {
    // Clean: its operations are mTLS-secured and document no 403 (one that declares no mTLS fails --quiet).
    const cwd = tempProject({ 'openapi.yaml': CLEAN.replace('paths:', 'x-mtls: true\npaths:') });
    expect(runCli(['lint', '--quiet'], { cwd })).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(runCli(['lint', '--quiet', '-f', 'json'], { cwd }).stdout)).toEqual([]);
    const sarif = JSON.parse(runCli(['lint', '--quiet', '-f', 'sarif'], { cwd }).stdout) as {
      runs: { results: [] }[];
    };
    expect(sarif.runs[0].results).toEqual([]);
  });

  it('SARIF URIs are percent-encoded', () => {
    const cwd = tempProject({ 'My API #1.yaml': EXAMPLE });
    const sarif = runCli(['lint', 'My API #1.yaml', '-f', 'sarif'], { cwd }).stdout;
    expect(sarif).toContain('"uri": "My%20API%20%231.yaml"');
  });

  it('a warning alone exits 0 by default and 1 with --fail-severity warn', () => {
    const onlyWarning = EXAMPLE.replace(
      "        '403':\n          $ref: '#/components/responses/Forbidden'\n",
      '',
    );
    const cwd = tempProject({ 'openapi.yaml': onlyWarning });
    expect(runCli(['lint'], { cwd }).code).toBe(0);
    expect(runCli(['lint', '--fail-severity', 'warn'], { cwd }).code).toBe(1);
  });

  it('several files and globs in one run', () => {
    const cwd = tempProject({ 'specs/a.yaml': EXAMPLE, 'specs/b.yaml': EXAMPLE, 'specs/clean.yaml': CLEAN });
    const run = runCli(['lint', 'specs/*.yaml', '-f', 'json'], { cwd });
    const results = JSON.parse(run.stdout) as JsonResult[];
    expect(new Set(results.map((result) => path.basename(result.source)))).toEqual(
      new Set(['a.yaml', 'b.yaml', 'clean.yaml']),
    );
    // clean.yaml has no mTLS-secured operation: one info result says nothing in it was checked.
    expect(
      results.filter((result) => path.basename(result.source) === 'clean.yaml').map((r) => r.code),
    ).toEqual(['mtls-unchecked']);
    expect(results).toHaveLength(5);
  });

  it('--status changes the agreed status in messages', () => {
    const cwd = tempProject({ 'openapi.yaml': EXAMPLE });
    const run = runCli(['lint', '--status', '404', '-f', 'json'], { cwd });
    expect((JSON.parse(run.stdout) as JsonResult[])[0].message).toContain('Answer 404 (the agreed status)');
  });

  it('--mtls-scheme, --mtls-server and --mtls-everywhere decide what is mTLS', () => {
    const cwd = tempProject({ 'openapi.yaml': SERVER_ONLY });
    expect(runCli(['lint'], { cwd }).code).toBe(0);
    expect(runCli(['lint', '--mtls-scheme', 'tpp'], { cwd }).code).toBe(1);
    expect(runCli(['lint', '--mtls-server', '^https://api\\.example'], { cwd }).code).toBe(1);
    expect(runCli(['lint', '--mtls-everywhere'], { cwd }).code).toBe(1);
  });
});

describe('mtls-fix lint: config file', () => {
  it('finds mtls-fix.config.yaml in the working folder and uses its spec, mtls and status', () => {
    const cwd = tempProject({
      'api/spec.yaml': SERVER_ONLY,
      'mtls-fix.config.yaml': 'status: 404\nmtls:\n  schemes: [tpp]\nspec: [api/spec.yaml]\n',
    });
    const run = runCli(['lint', '-f', 'json'], { cwd });
    expect(run.code).toBe(1);
    const [result] = JSON.parse(run.stdout) as JsonResult[];
    expect(result.message).toContain("scheme 'tpp'");
    expect(result.message).toContain('Answer 404');
  });

  it('config spec paths are relative to the config file, also from a sub-folder', () => {
    const cwd = tempProject({
      'api/spec.yaml': SERVER_ONLY,
      'mtls-fix.config.yaml': 'mtls:\n  schemes: [tpp]\nspec: [api/spec.yaml]\n',
      'sub/dir/.keep': '',
    });
    expect(runCli(['lint'], { cwd: path.join(cwd, 'sub/dir') }).code).toBe(1);
  });

  it('reads the "mtls-fix" key of package.json', () => {
    const cwd = tempProject({
      'openapi.yaml': SERVER_ONLY,
      'package.json': JSON.stringify({ name: 'x', 'mtls-fix': { mtls: { everywhere: true } } }),
    });
    expect(runCli(['lint'], { cwd }).code).toBe(1);
  });

  it('flags override the config file', () => {
    const cwd = tempProject({ 'openapi.yaml': EXAMPLE, '.mtls-fixrc.json': '{"status": 404}' });
    const run = runCli(['lint', '--status', '410', '-f', 'json'], { cwd });
    expect((JSON.parse(run.stdout) as JsonResult[])[0].message).toContain('Answer 410');
  });

  it('--config points at a config file elsewhere', () => {
    const cwd = tempProject({ 'openapi.yaml': SERVER_ONLY, 'conf/mtls.yaml': 'mtls:\n  schemes: [tpp]\n' });
    expect(runCli(['lint', '--config', 'conf/mtls.yaml'], { cwd }).code).toBe(1);
  });

  it('an unknown key is an exit-2 error naming the file, line and key', () => {
    const cwd = tempProject({
      'openapi.yaml': CLEAN,
      'mtls-fix.config.yaml': 'status: 401\nmtls:\n  scheme: [x]\n',
    });
    const run = runCli(['lint'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /mtls-fix\.config\.yaml:3: invalid config key 'mtls\.scheme': unknown key\. Known keys here: schemes, servers, everywhere\./,
    );
  });

  it('a bad value is an exit-2 error naming the key', () => {
    const cwd = tempProject({ 'openapi.yaml': CLEAN, 'mtls-fix.config.yaml': 'status: 403\n' });
    const run = runCli(['lint'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /mtls-fix\.config\.yaml:1: invalid config key 'status': must be a 4xx status code other than 403/,
    );
  });

  it('a bad regex in mtls.servers is an exit-2 error', () => {
    const cwd = tempProject({
      'openapi.yaml': CLEAN,
      'mtls-fix.config.json': '{"mtls": {"servers": ["(unclosed"]}}',
    });
    const run = runCli(['lint'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("invalid config key 'mtls.servers.0': not a valid regular expression");
  });
});
