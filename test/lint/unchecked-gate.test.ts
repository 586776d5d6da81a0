import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { spawnAsync } from '../helpers/spawn.js';

/**
 * Session 20: the pre-commit hook (`lint --quiet --skip-non-openapi`) passed a document that declares no mTLS
 * with exit 0 and no output, so a team read "clean" for a document none of whose 403s was checked; `fix --check`
 * and the CI examples did the same. Every gate now fails on it unless the document says it has no mTLS
 * endpoints (`x-mtls: false` at its root) or config `rules` sets mtls-unchecked.
 */
const VERSIONS = [
  ['2.0', 'yaml'],
  ['3.0.3', 'yaml'],
  ['3.1.0', 'yaml'],
  ['3.2.0', 'yaml'],
  ['2.0', 'json'],
  ['3.0.3', 'json'],
  ['3.1.0', 'json'],
  ['3.2.0', 'json'],
] as const;

/** A document with one operation documenting a 403 and nothing that declares mTLS (or says it has none). */
function document(version: string, format: 'yaml' | 'json', rootMarker?: boolean): string {
  const head = version === '2.0' ? { swagger: '2.0' } : { openapi: version };
  const data = {
    ...head,
    ...(rootMarker === undefined ? {} : { 'x-mtls': rootMarker }),
    info: { title: 't', version: '1' },
    paths: {
      '/accounts': { get: { responses: { '200': { description: 'ok' }, '403': { description: 'no' } } } },
    },
  };
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  const marker = rootMarker === undefined ? '' : `x-mtls: ${rootMarker}\n`;
  const first = version === '2.0' ? "swagger: '2.0'" : `openapi: ${version}`;
  return `${first}\n${marker}info: { title: t, version: '1' }
paths:
  /accounts:
    get:
      responses:
        '200': { description: ok }
        '403': { description: no }
`;
}

describe.each(VERSIONS)('OAS %s, %s: a document that declares no mTLS', (version, format) => {
  const file = `specs/accounts.${format}`;

  it('fails the hook entry (lint --quiet --skip-non-openapi) and fix --check, with the mtls-unchecked error', async () => {
    const cwd = tempProject({ [file]: document(version, format) });
    const run = await runCliAsync(['lint', '--quiet', '--skip-non-openapi', file], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/1:1 {2}error {2}mtls-unchecked {2}No operation is mTLS-secured/);
    expect(run.stdout).toContain('say so with x-mtls: false at its root');
    const check = await runCliAsync(['fix', '--check', file], { cwd });
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      /^mtls-fix: --check fails: specs\/accounts\.\w+:\d+: No operation is mTLS-secured/m,
    );
  });

  it('passes both when the document says x-mtls: false at its root, with no result at all', async () => {
    const cwd = tempProject({ [file]: document(version, format, false) });
    expect(await runCliAsync(['lint', '--quiet', '--skip-non-openapi', file], { cwd })).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const check = await runCliAsync(['fix', '--check', file], { cwd });
    expect(check.code).toBe(0);
    expect(check.stderr).toBe('');
    expect(check.stdout).not.toContain('hint:');
  });
});

describe('the other gates and formats', () => {
  const file = 'openapi.yaml';

  it('lint --fail-unchecked fails in json and github-actions; plain lint still reports info, exit 0', async () => {
    const cwd = tempProject({ [file]: document('3.0.3', 'yaml') });
    const json = await runCliAsync(['lint', '--fail-unchecked', '-f', 'json', file], { cwd });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject([{ code: 'mtls-unchecked', severity: 0 }]);
    const actions = await runCliAsync(['lint', '--fail-unchecked', '-f', 'github-actions', file], { cwd });
    expect(actions.code).toBe(1);
    expect(actions.stdout).toMatch(/^::error file=openapi\.yaml,line=1,/m);
    const plain = await runCliAsync(['lint', '-f', 'json', file], { cwd });
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject([{ code: 'mtls-unchecked', severity: 2 }]);
  });

  it('fix --check --quiet and --json still say why they fail, on stderr', async () => {
    const cwd = tempProject({ [file]: document('3.1.0', 'yaml') });
    for (const extra of [['--quiet'], ['--json']]) {
      const run = await runCliAsync(['fix', '--check', ...extra, file], { cwd });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^mtls-fix: --check fails: openapi\.yaml:8: No operation is mTLS-secured/m);
    }
  });
});

describe('a document that declares no mTLS and documents no 403', () => {
  // Nothing a declaration would report (Brazil Open Finance phase-1 public APIs): "clean" is true either way.
  it('passes the gates; plain lint still says it as info', async () => {
    const text = document('3.0.3', 'yaml').replace("        '403': { description: no }\n", '');
    const cwd = tempProject({ 'openapi.yaml': text });
    expect(await runCliAsync(['lint', '--quiet', 'openapi.yaml'], { cwd })).toMatchObject({
      code: 0,
      stdout: '',
    });
    expect((await runCliAsync(['fix', '--check', 'openapi.yaml'], { cwd })).code).toBe(0);
    const json = await runCliAsync(['lint', '--fail-unchecked', '-f', 'json', 'openapi.yaml'], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject([{ code: 'mtls-unchecked', severity: 2 }]);
  });
});

describe('the gate follows config rules: { mtls-unchecked: ... }', () => {
  it.each([
    ['info', 0],
    ['warn', 0],
    ['off', 0],
    ['error', 1],
  ] as const)('%s: lint --quiet and fix --check exit %d', async (setting, code) => {
    const cwd = tempProject({
      'openapi.yaml': document('3.0.3', 'yaml'),
      'mtls-fix.config.yaml': `rules: { mtls-unchecked: ${setting} }\n`,
    });
    expect((await runCliAsync(['lint', '--quiet', 'openapi.yaml'], { cwd })).code).toBe(code);
    expect((await runCliAsync(['fix', '--check', 'openapi.yaml'], { cwd })).code).toBe(code);
  });

  it('a folder config quiets only the documents under it', async () => {
    const cwd = tempProject({
      'public/openapi.yaml': document('3.0.3', 'yaml'),
      'public/mtls-fix.config.yaml': 'rules: { mtls-unchecked: info }\n',
      'accounts/openapi.yaml': document('3.1.0', 'yaml'),
    });
    const run = await runCliAsync(['lint', '--quiet', 'public/openapi.yaml', 'accounts/openapi.yaml'], {
      cwd,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('accounts/openapi.yaml');
    expect(run.stdout).not.toContain('public/openapi.yaml');
  });
});

describe('many undeclared documents under --quiet', () => {
  it('print the digest that stands for their results (never exit 1 with nothing said)', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`specs/api${i}.yaml`, document('3.0.3', 'yaml')]),
    );
    const cwd = tempProject({ ...files, 'specs/public.yaml': document('3.0.3', 'yaml', false) });
    const run = await runCliAsync(['lint', '--quiet', 'specs/*.yaml'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('5 documents have no mTLS-secured operation');
    for (let i = 0; i < 5; i++) expect(run.stdout).toContain(`specs/api${i}.yaml:8`);
    expect(run.stdout).not.toContain('public.yaml');
    expect(run.stdout).toContain('write x-mtls: false at its root');
  });
});

describe('stock Spectral with the .spectral.yaml init writes', () => {
  const SPECTRAL_CLI = path.join(REPO_ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');

  it('fails spectral lint on an undeclared document and passes one with x-mtls: false at its root', async () => {
    const cwd = tempProject({
      'package.json': '{"devDependencies":{"@stoplight/spectral-cli":"^6"}}\n',
      'undeclared.yaml': document('3.1.0', 'yaml'),
      'public.yaml': document('3.1.0', 'yaml', false),
    });
    expect((await runCliAsync(['init', '--yes', '--no-detect'], { cwd })).code).toBe(0);
    mkdirSync(path.join(cwd, 'node_modules'));
    symlinkSync(REPO_ROOT, path.join(cwd, 'node_modules', 'mtls-fix'), 'dir');
    const spectral = (file: string) =>
      spawnAsync(process.execPath, [SPECTRAL_CLI, 'lint', file, '-f', 'json', '--quiet'], {
        cwd,
        timeout: 120_000,
      });
    const undeclared = await spectral('undeclared.yaml');
    expect(undeclared.code).toBe(1);
    const results = JSON.parse(undeclared.stdout) as { code: string; severity: number }[];
    expect(results.filter((result) => result.code === 'mtls-unchecked')).toEqual([
      expect.objectContaining({ severity: 0 }),
    ]);
    const declared = await spectral('public.yaml');
    const none = JSON.parse(declared.stdout) as { code: string }[];
    expect(none.filter((result) => result.code.startsWith('mtls-'))).toEqual([]);
  }, 120_000);
});
