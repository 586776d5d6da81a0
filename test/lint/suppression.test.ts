import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

/** A document where every operation is mTLS-secured (x-mtls on the root) and documents 403 or 4XX. */
const DOCUMENT = `openapi: 3.1.0
info: {title: t, version: '1'}
x-mtls: true
paths:
  /on-operation:
    get:
      x-mtls-fix-ignore: served only to the web client
      responses: {'403': {description: no}}
  /on-path-item:
    x-mtls-fix-ignore: internal admin API
    get:
      responses: {'403': {description: no}}
  /on-response:
    get:
      responses:
        '403': {description: no, x-mtls-fix-ignore: 'legacy clients'}
  /on-shared-response:
    get:
      responses: {'403': {$ref: '#/components/responses/Forbidden'}}
  /no-reason:
    get:
      x-mtls-fix-ignore: true
      responses: {'403': {description: no}}
  /by-config:
    post:
      responses: {'403': {description: no}}
  /range:
    get:
      responses: {'4XX': {description: no}}
  /kept:
    get:
      responses: {'403': {description: no}}
components:
  responses:
    Forbidden: {description: no, x-mtls-fix-ignore: shared legacy response}
`;

const CONFIG = `ignore:
  - { rule: mtls-no-403, operation: 'POST /by-config', reason: 'the gateway rewrites it' }
  - { rule: mtls-4xx-range, operation: 'GET /kept', reason: 'names another rule: no effect on mtls-no-403' }
`;

interface JsonResult {
  code: string;
  severity: number;
  message: string;
  operation: { method: string; path: string };
}

function lintJson(
  cwd: string,
  args: string[] = [],
): { results: JsonResult[]; stderr: string; code: number | null } {
  const run = runCli(['lint', 'openapi.yaml', '-f', 'json', ...args], { cwd });
  return { results: JSON.parse(run.stdout) as JsonResult[], stderr: run.stderr, code: run.code };
}

describe('suppression: x-mtls-fix-ignore and config ignore', () => {
  const cwd = tempProject({ 'openapi.yaml': DOCUMENT, 'mtls-fix.config.yaml': CONFIG });
  let shared: ReturnType<typeof lintJson> | undefined;
  /** One CLI run serves every scenario of the table. */
  const once = () => (shared ??= lintJson(cwd));

  it.each([
    ['/on-operation', 'ignored'],
    ['/on-path-item', 'ignored'],
    ['/on-response', 'ignored'],
    ['/on-shared-response', 'ignored'],
    ['/by-config', 'ignored'],
    ['/no-reason', 'reported'],
    ['/range', 'reported'],
    ['/kept', 'reported'],
  ])('%s is %s', (operationPath, expected) => {
    const { results } = once();
    const reported = results.some((result) => result.operation.path === operationPath);
    expect(reported ? 'reported' : 'ignored').toBe(expected);
  });

  it('a marker without a reason suppresses nothing and the message says why', () => {
    const { results } = once();
    const noReason = results.find((result) => result.operation.path === '/no-reason');
    expect(noReason?.message).toContain('x-mtls-fix-ignore on the operation has no reason');
  });

  it('counts ignored findings in the human summary; --explain lists each with its reason', () => {
    const plain = runCli(['lint', 'openapi.yaml'], { cwd });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain(
      '5 findings ignored (x-mtls-fix-ignore or config ignore); --explain lists them',
    );
    const explained = runCli(['lint', 'openapi.yaml', '--explain'], { cwd });
    // Keys inside a flow map are located at the key itself (session 12: as fix names them).
    const lines = explained.stdout.split('\n').filter((line) => line.includes('ignored by'));
    expect(lines).toEqual([
      '  openapi.yaml:8:19  mtls-no-403 GET /on-operation: ignored by x-mtls-fix-ignore on the operation: served only to the web client',
      '  openapi.yaml:12:19  mtls-no-403 GET /on-path-item: ignored by x-mtls-fix-ignore on the path item: internal admin API',
      '  openapi.yaml:16:9  mtls-no-403 GET /on-response: ignored by x-mtls-fix-ignore on the response: legacy clients',
      '  openapi.yaml:19:19  mtls-no-403 GET /on-shared-response: ignored by x-mtls-fix-ignore on the response: shared legacy response',
      '  openapi.yaml:26:19  mtls-no-403 POST /by-config: ignored by config ignore: the gateway rewrites it',
    ]);
  });

  it('machine formats stay valid: the count goes to stderr, SARIF keeps them as suppressed results', () => {
    const { stderr } = once();
    expect(stderr).toContain('5 findings ignored');
    runCli(['lint', 'openapi.yaml', '-f', 'sarif', '-o', 'out.sarif'], { cwd });
    const sarif = JSON.parse(readFileSync(path.join(cwd, 'out.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string }[] }[] }[];
    };
    const suppressed = sarif.runs[0]?.results.filter((result) => result.suppressions) ?? [];
    expect(suppressed.map((result) => result.suppressions?.[0])).toEqual([
      { kind: 'inSource', justification: 'served only to the web client' },
      { kind: 'inSource', justification: 'internal admin API' },
      { kind: 'inSource', justification: 'legacy clients' },
      { kind: 'inSource', justification: 'shared legacy response' },
      { kind: 'external', justification: 'the gateway rewrites it' },
    ]);
    expect(sarif.runs[0]?.results).toHaveLength(8);
  });
});

describe('config rules: off | warn | error', () => {
  it.each([
    ['mtls-4xx-range: off', ['mtls-no-403'], 1],
    ['mtls-4xx-range: error', ['mtls-no-403', 'mtls-4xx-range'], 1],
    ['mtls-no-403: warn', ['mtls-no-403', 'mtls-4xx-range'], 0],
    ['{ mtls-no-403: off, mtls-4xx-range: off }', [], 0],
  ])('rules: { %s }', (rules, codes, exitCode) => {
    const cwd = tempProject({
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses: {'403': {description: no}}\n  /b:\n    get:\n      responses: {'4XX': {description: no}}\n",
      'mtls-fix.config.yaml': `rules: ${rules.startsWith('{') ? rules : `{ ${rules} }`}\n`,
    });
    const { results, code } = lintJson(cwd);
    expect(results.map((result) => result.code)).toEqual(codes);
    const severities = Object.fromEntries(results.map((result) => [result.code, result.severity]));
    if (rules.includes('mtls-4xx-range: error')) expect(severities['mtls-4xx-range']).toBe(0);
    if (rules.includes('mtls-no-403: warn')) expect(severities['mtls-no-403']).toBe(1);
    expect(code).toBe(exitCode);
  });

  /** Session 15: `mtls-unchecked` could not be set in config at all (an unknown key, exit 2). */
  it.each([
    ['off', [], undefined, 0],
    ['info', ['mtls-unchecked'], 2, 0],
    ['warn', ['mtls-unchecked'], 1, 0],
    ['error', ['mtls-unchecked'], 0, 1],
  ] as const)(
    'rules: { mtls-unchecked: %s } on a document with no mTLS-secured operation',
    (setting, codes, severity, exitCode) => {
      const cwd = tempProject({
        'openapi.yaml':
          "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'403': {description: no}}\n",
        'mtls-fix.config.yaml': `rules: { mtls-unchecked: ${setting} }\n`,
      });
      const { results, code } = lintJson(cwd);
      expect(results.map((result) => result.code)).toEqual(codes);
      if (severity !== undefined) expect(results[0]?.severity).toBe(severity);
      expect(code).toBe(exitCode);
      // The human report says what was read either way; `off` leaves out the result and its hint, not the count.
      const human = runCli(['lint', 'openapi.yaml'], { cwd });
      expect(human.stdout).toContain('checked 1 document, 1 operation, 0 mTLS-secured');
      expect(human.stdout.includes('mtls-unchecked')).toBe(setting !== 'off');
      // `fix` prints the same hint, and stays quiet about it under `off`.
      const fixed = runCli(['fix', 'openapi.yaml', '--dry-run'], { cwd });
      expect(fixed.stdout.includes('No operation is mTLS-secured')).toBe(setting !== 'off');
    },
  );

  it.each([
    ["ignore:\n  - { operation: 'GET /a' }\n", "invalid config key 'ignore.0'"],
    ["ignore:\n  - { operation: 'GET /a', reason: '  ' }\n", "invalid config key 'ignore.0.reason'"],
    ["ignore:\n  - { operation: '/a', reason: x }\n", "invalid config key 'ignore.0.operation'"],
    [
      'rules: { mtls-no-403: loud }\n',
      'invalid config key \'rules.mtls-no-403\': must be one of "off", "warn", "error"',
    ],
    [
      'rules: { mtls-unchecked: quiet }\n',
      'invalid config key \'rules.mtls-unchecked\': must be one of "off", "info", "warn", "error"',
    ],
    ['lint: { format: pretty }\n', 'invalid config key \'lint.format\': must be one of "stylish"'],
    ['rules: { other-rule: off }\n', "invalid config key 'rules.other-rule': unknown key"],
  ])('a bad entry is an exit-2 error naming the key: %j', (config, message) => {
    const cwd = tempProject({ 'openapi.yaml': DOCUMENT, 'mtls-fix.config.yaml': config });
    const run = runCli(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('config discovery: upward from each document to the repository root', () => {
  it('a per-service config applies from the root and from the service folder; a config above the repository does not', () => {
    const outer = tempProject({ 'mtls-fix.config.yaml': 'status: 418\n' });
    const repo = path.join(outer, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    const files = {
      'svc-a/openapi.yaml': DOCUMENT,
      'svc-a/mtls-fix.config.yaml': 'status: 404\n',
      'svc-b/openapi.yaml': DOCUMENT,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
      tempWrite(path.join(repo, name), text);
    }
    const fromRoot = runCli(['lint', 'svc-a/openapi.yaml', 'svc-b/openapi.yaml', '-f', 'json'], {
      cwd: repo,
    });
    const results = JSON.parse(fromRoot.stdout) as (JsonResult & { source: string })[];
    const statusOf = (folder: string) =>
      new Set(
        results
          .filter((result) => result.code === 'mtls-no-403' && result.source.includes(`${folder}/`))
          .map((result) => /Answer (\d+)/.exec(result.message)?.[1]),
      );
    expect(statusOf('svc-a')).toEqual(new Set(['404']));
    // svc-b has no config of its own; the one above the repository root is not read.
    expect(statusOf('svc-b')).toEqual(new Set(['401']));
    const fromService = runCli(['lint', 'openapi.yaml', '-f', 'json'], { cwd: path.join(repo, 'svc-a') });
    expect(fromService.stdout).toContain('Answer 404 (the agreed status)');
  });

  it('--config names one file for every document', () => {
    const cwd = tempProject({
      'a/openapi.yaml': DOCUMENT,
      'a/mtls-fix.config.yaml': 'status: 404\n',
      'shared.yaml': 'status: 410\n',
    });
    const run = runCli(['lint', 'a/openapi.yaml', '--config', 'shared.yaml', '-f', 'json'], { cwd });
    expect(run.stdout).toContain('Answer 410');
    expect(run.stdout).not.toContain('Answer 404');
  });
});

function tempWrite(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
