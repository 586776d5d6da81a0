import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../helpers/hook-source.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { lint } from '../../src/lint/run.js';

/**
 * Session 27 (breaker27 #12): the pre-commit hook runs `lint --quiet --skip-non-openapi` on the staged YAML/JSON
 * only. A commit of a split (Redocly-style) document that stages only `paths/accounts.yaml` with a new 403 passed:
 * the fragment was skipped as "not OpenAPI" and the root that `$ref`s it was never linted. Now the documents of
 * the repository that reach a skipped fragment (directly or through other fragments) are linted in its place; a
 * fragment with a 403 that no document uses is named as not checked (exit 2).
 */
const ROOT = `openapi: 3.1.0
info: {title: Accounts, version: '1'}
servers: [{url: 'https://mtls.bank.example'}]
paths:
  /accounts/{id}:
    $ref: paths/accounts.yaml
`;

const HOOK = ['lint', '--quiet', '--skip-non-openapi'];

function repository(files: Record<string, string>): string {
  const folder = tempProject(files);
  git(folder, 'init', '-q');
  return folder;
}

describe('lint --skip-non-openapi on a fragment lints the documents that use it', () => {
  it('a staged path item with a 403: its root is linted, the finding is at the fragment, exit 1', async () => {
    const folder = repository({
      'openapi/openapi.yaml': ROOT,
      'openapi/paths/accounts.yaml':
        "get:\n  operationId: getAccount\n  responses:\n    '200': {description: ok}\n    '403': {description: Forbidden}\n",
    });
    const run = await runCliAsync([...HOOK, 'openapi/paths/accounts.yaml'], { cwd: folder });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('openapi/paths/accounts.yaml');
    expect(run.stdout).toMatch(/5:5 +error +mtls-no-403 +GET \/accounts\/\{id\} is mTLS-secured/);
  });

  it('transitively: a response file reached through a path item, from a subfolder of the repository', async () => {
    const folder = repository({
      'services/accounts/api/root.json': JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        servers: [{ url: 'https://mtls.bank.example' }],
        paths: { '/accounts': { $ref: './paths/accounts.yaml' } },
      }),
      'services/accounts/api/paths/accounts.yaml':
        "get:\n  responses:\n    '200': {description: ok}\n    '403':\n      $ref: ../responses/forbidden.yaml\n",
      'services/accounts/api/responses/forbidden.yaml': 'description: Forbidden\n',
    });
    const cwd = path.join(folder, 'services');
    mkdirSync(cwd, { recursive: true });
    const run = await runCliAsync([...HOOK, 'accounts/api/responses/forbidden.yaml'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('mtls-no-403');
    expect(run.stdout).toContain('accounts/api/paths/accounts.yaml');
  });

  it('the report lists the fragment as skipped, linted through its root, and the root among the files', async () => {
    const folder = repository({
      'openapi/openapi.yaml': ROOT,
      'openapi/paths/accounts.yaml': "get:\n  responses:\n    '200': {description: ok}\n",
    });
    const report = await lint({ files: ['openapi/paths/accounts.yaml'], cwd: folder, skipNonOpenApi: true });
    expect(report.files).toEqual([
      path.join(folder, 'openapi/paths/accounts.yaml'),
      path.join(folder, 'openapi/openapi.yaml'),
    ]);
    expect(report.skipped).toEqual([
      {
        file: path.join(folder, 'openapi/paths/accounts.yaml'),
        reason: expect.stringMatching(/Linted through openapi\/openapi\.yaml\.$/) as unknown,
      },
    ]);
    expect(report.summary.documents).toBe(1);
    expect(report.results.filter((result) => result.severity === 0)).toEqual([]);
  });

  it('a fragment with a 403 that no document uses is named as not checked: exit 2', async () => {
    const folder = repository({
      'openapi/paths/orphan.yaml': "get:\n  responses:\n    '403': {description: Forbidden}\n",
      'docker-compose.yaml': 'services:\n  api: {image: nginx}\n',
    });
    const run = await runCliAsync([...HOOK, 'openapi/paths/orphan.yaml', 'docker-compose.yaml'], {
      cwd: folder,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^mtls-fix: openapi\/paths\/orphan\.yaml: not an OpenAPI document.*no OpenAPI document of the repository \$refs it, yet it documents a 403: not checked\./m,
    );
    expect(run.stderr).not.toContain('docker-compose');
  });

  it('other YAML (no 403, used by no document) is still skipped in silence', async () => {
    const folder = repository({
      'openapi/openapi.yaml': ROOT,
      'openapi/paths/accounts.yaml': "get:\n  responses:\n    '200': {description: ok}\n",
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
    });
    const run = await runCliAsync([...HOOK, '.github/workflows/ci.yml'], { cwd: folder });
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});
