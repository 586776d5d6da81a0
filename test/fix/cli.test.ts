import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openapiOverlay } from 'openapi-format';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/openapi/index.js';
import { BIN, REPO_ROOT } from '../helpers/paths.js';
import { readTree, tempCopy } from './helpers.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/fix');
/** The built CLI, as a user runs it (`npm test` builds first). */
const ENTRY = [BIN, 'fix'];

function run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...ENTRY, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const input = (name: string): string => tempCopy(path.join(FIXTURES, name, 'input'));
const output = (name: string): Map<string, Buffer> => readTree(path.join(FIXTURES, name, 'output'));

describe('mtls-fix fix (end to end)', () => {
  it('fixes in place, says what changed where, exits 0; a second run has nothing to do', () => {
    const folder = input('yaml-comments-anchors');
    const first = run(['openapi.yaml'], folder);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('openapi.yaml\n  GET /accounts  403 -> 401  (openapi.yaml:21)');
    expect(first.stdout).toContain('GET /accounts/{id}  403 -> 401  (openapi.yaml:36)');
    // The 4XX beside the renamed 403 is left as it is, and said (lint warns mtls-4xx-range on it now).
    const range =
      '  GET /accounts  4XX left as it is: a range is not one status to rename, and a 403 may be sent under ' +
      'it; make sure the code answers 401 instead of 403 (`mtls-fix migrate`)  (openapi.yaml:29)';
    expect(first.stdout).toContain(range);
    expect(first.stdout).toMatch(
      /2 403 keys: 2 renamed, .*; 1 file written\. 2 new 401s carry no WWW-Authenticate header \(RFC 9110 §15\.5\.2: a 401 MUST carry one; --www-authenticate Bearer adds it\)\. 1 4XX\/default response left as it is \(listed above\)\.$/m,
    );
    expect(readTree(folder)).toEqual(output('yaml-comments-anchors'));
    const second = run(['openapi.yaml'], folder);
    expect([second.code, second.stdout.trim()]).toEqual([
      0,
      `openapi.yaml\n${range}\n\n` +
        'No 403 response on an mTLS-secured operation to rename. 1 4XX/default response left as it is (listed above).\n' +
        // Never silent (issue 10): what was checked.
        'mtls-fix: checked 1 document, 2 operations, 2 mTLS-secured (scheme: 2)',
    ]);
  });

  it('lists what a removed 403 held that the kept 401 lacks', () => {
    const folder = input('json-indent-2');
    const result = run(['openapi.json'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'GET /payments  403 removed: 401 is already documented  (openapi.json:49)',
    );
    expect(result.stdout).toContain(
      'the 403 held what the 401 lacks: description "Forbidden"; content application/problem+json',
    );
    expect(readTree(folder)).toEqual(output('json-indent-2'));
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const folder = input('crlf-bom-integer-keys');
    const before = readTree(folder);
    const result = run(['openapi.yaml', '--dry-run'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- a/openapi.yaml');
    expect(result.stdout).toContain('+++ b/openapi.yaml');
    expect(result.stdout).toMatch(/^-\s+403:\r?$/m);
    expect(result.stdout).toMatch(/^\+\s+401:\r?$/m);
    expect(result.stdout).toContain('1 file would change; nothing written.');
    expect(readTree(folder)).toEqual(before);
  });

  it('--check exits 1 while something would change, 0 after the fix', () => {
    const folder = input('flow-style');
    expect(run(['openapi.yaml', '--check'], folder).code).toBe(1);
    expect(run(['openapi.yaml'], folder).code).toBe(0);
    expect(run(['openapi.yaml', '--check'], folder).code).toBe(0);
  });

  it('--on-conflict report leaves both entries and exits 1', () => {
    const folder = input('merge');
    const before = readTree(folder);
    const result = run(['openapi.yaml', '--on-conflict', 'report'], folder);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'POST /transfers  403 left beside the documented 401 (--on-conflict report)',
    );
    expect(result.stdout).toContain('header RateLimit-Limit');
    expect(readTree(folder)).toEqual(before);
  });

  it('--on-conflict merge folds the 403 into the 401', () => {
    const folder = input('merge');
    const result = run(['openapi.yaml', '--on-conflict', 'merge'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('POST /transfers  403 merged into the documented 401');
    expect(readTree(folder)).toEqual(output('merge'));
  });

  it('--rename-components and --www-authenticate', () => {
    const folder = input('rename-components');
    const result = run(
      ['openapi.yaml', '--mtls-scheme', 'clientCert', '--rename-components', '--www-authenticate', 'Bearer'],
      folder,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('component Forbidden -> Unauthorized (2 $refs rewritten)');
    expect(readTree(folder)).toEqual(output('rename-components'));
  });

  it('--rename-components NAME names the component', () => {
    const folder = input('rename-components');
    const result = run(
      ['openapi.yaml', '--mtls-scheme', 'clientCert', '--rename-components', 'NotAllowed'],
      folder,
    );
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(folder, 'openapi.yaml'), 'utf8')).toContain(
      "$ref: '#/components/responses/NotAllowed'",
    );
  });

  it('--overlay writes an Overlay 1.0 that openapi-format applies to the in-place result; the spec is untouched', async () => {
    const folder = input('yaml-comments-anchors');
    const before = readTree(folder);
    const result = run(['openapi.yaml', '--overlay', 'mtls.overlay.yaml'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /overlay with 4 actions written to mtls\.overlay\.yaml; the document is unchanged\. 2 new 401s carry no WWW-Authenticate header .*\. 1 4XX\/default response left as it is \(listed above\)\.$/m,
    );
    const written = readTree(folder);
    const overlay = parseYaml(written.get('mtls.overlay.yaml')!.toString('utf8')) as Record<string, unknown>;
    written.delete('mtls.overlay.yaml');
    expect(written).toEqual(before);
    expect(overlay).toMatchObject({ overlay: '1.0.0', extends: 'openapi.yaml' });
    const original = parseSource(before.get('openapi.yaml')!, 'openapi.yaml').data as Record<string, unknown>;
    const applied = await openapiOverlay(original, { overlaySet: overlay as never });
    const fixed = parseSource(output('yaml-comments-anchors').get('openapi.yaml')!, 'openapi.yaml').data;
    expect(applied.data).toEqual(fixed);
  });

  it('--json prints the report', () => {
    const folder = input('swagger2-status-404');
    const result = run(['openapi.json', '--status', '404', '--json'], folder);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      status: number;
      documents: { changes: { action: string }[] }[];
    };
    expect(report.status).toBe(404);
    expect(report.documents[0].changes.map((change) => change.action)).toEqual(['renamed', 'removed']);
  });

  it('fixes several documents from a glob, with the status from the config file', () => {
    const folder = input('www-authenticate');
    writeFileSync(path.join(folder, 'second.yaml'), readFileSync(path.join(folder, 'openapi.yaml')));
    writeFileSync(path.join(folder, 'mtls-fix.config.json'), '{ "status": 404 }\n');
    const result = run(['*.yaml'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('GET /a  403 -> 404  (openapi.yaml:10)');
    expect(result.stdout).toContain('GET /a  403 -> 404  (second.yaml:10)');
    expect(result.stdout).toMatch(/6 403 keys: 6 renamed, .*; 2 files written\.$/m);
  });

  it('a shared key is skipped with the reason, and exit 1 says mtls-no-403 remains', () => {
    const folder = input('shared-path-item');
    const result = run(['openapi.yaml'], folder);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('the key is shared with GET /orders, which is not migrated');
  });
});

describe('mtls-fix fix: bad input is one line on stderr and exit 2', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['missing file', ['nope.yaml'], {}, /^mtls-fix: nope\.yaml: file not found\./],
    [
      'invalid YAML',
      ['bad.yaml'],
      { 'bad.yaml': 'openapi: 3.0.0\npaths: [\n' },
      /^mtls-fix: bad\.yaml:\d+:\d+: invalid YAML/,
    ],
    [
      'not OpenAPI',
      ['x.yaml'],
      { 'x.yaml': 'hello: world\n' },
      /^mtls-fix: x\.yaml: not an OpenAPI document/,
    ],
    ['bad --status', ['o.yaml', '--status', '403'], { 'o.yaml': 'openapi: 3.0.0\n' }, /--status: status 403/],
    [
      '--www-authenticate with another status',
      ['o.yaml', '--status', '404', '--www-authenticate', 'Bearer'],
      { 'o.yaml': 'openapi: 3.0.0\n' },
      /--www-authenticate adds the 401 challenge/,
    ],
    [
      '--overlay with two documents',
      ['a.yaml', 'b.yaml', '--overlay', 'o.yaml'],
      { 'a.yaml': 'openapi: 3.0.0\n', 'b.yaml': 'openapi: 3.0.0\n' },
      /--overlay describes one document, but 2 were given/,
    ],
    [
      '--overlay naming the document',
      ['o.yaml', '--overlay', 'o.yaml'],
      { 'o.yaml': 'openapi: 3.0.0\n' },
      /--overlay o\.yaml is the document itself/,
    ],
    [
      'unknown --on-conflict',
      ['o.yaml', '--on-conflict', 'x'],
      { 'o.yaml': 'openapi: 3.0.0\n' },
      /--on-conflict/,
    ],
  ];
  for (const [name, args, files, message] of cases) {
    it(name, () => {
      const folder = tempCopy(path.join(FIXTURES, 'flow-style', 'input'));
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(folder, file), text);
      const result = run(args, folder);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
