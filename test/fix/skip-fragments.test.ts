import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

const ROOT = `openapi: 3.1.0
info: { title: t, version: '1' }
security: [ { cert: [] } ]
paths:
  /a:
    $ref: 'paths/a.yaml'
  /b:
    $ref: 'paths/b.json#/b'
  /c:
    get:
      responses:
        '200': { $ref: 'responses/ok.yaml' }
components:
  securitySchemes:
    cert: { type: mutualTLS }
`;

const FILES = {
  'specs/openapi.yaml': ROOT,
  // a path item, split out Redocly-style; its operation's 403 in a file of its own
  'specs/paths/a.yaml': `get:\n  responses:\n    '403': { $ref: '../responses/forbidden.yaml' }\n`,
  'specs/responses/forbidden.yaml': 'description: no\n',
  // JSON, reached by a pointer
  'specs/paths/b.json': '{ "b": { "post": { "responses": { "403": { "description": "no" } } } } }\n',
  'specs/responses/ok.yaml': 'description: ok\n',
  // no document uses it
  'specs/orphans/x.yaml': `get:\n  responses:\n    '403': { description: no }\n`,
  'specs/orphans/y.yaml': `get:\n  responses:\n    '200': { description: ok }\n`,
};

// Session 28: on af2ddfa3 `fix --skip-non-openapi <fragment>` (a pre-commit hook passing the staged files) said
// "No 403 response on an mTLS-secured operation: nothing to do." and `--check` exited 0 while the fragment's 403
// sat on an mTLS-secured operation of the document that $refs it (lint had found them since session 27).
describe('mtls-fix fix --skip-non-openapi: fragments are fixed through the documents that use them', () => {
  it.each([
    ['a path item fragment', ['specs/paths/a.yaml'], ['specs/paths/a.yaml:3']],
    ['a response fragment the 403 key $refs', ['specs/responses/forbidden.yaml'], ['specs/paths/a.yaml:3']],
    ['a JSON fragment reached by a pointer', ['specs/paths/b.json'], ['specs/paths/b.json:1']],
    [
      'a fragment with no 403 of its own',
      ['specs/responses/ok.yaml'],
      ['specs/paths/a.yaml:3', 'specs/paths/b.json:1'],
    ],
    [
      'several fragments of one document (the document fixed once)',
      ['specs/paths/a.yaml', 'specs/paths/b.json'],
      ['specs/paths/a.yaml:3', 'specs/paths/b.json:1'],
    ],
  ])('--check, %s: the document that uses it is checked, exit 1', async (_name, args, sites) => {
    const cwd = tempProject(FILES);
    const run = await runCliAsync(['fix', '--check', '--json', '--skip-non-openapi', ...args], { cwd });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      documents: { document: string; changes: { file: string; line: number }[] }[];
      skipped: { file: string; reason: string }[];
    };
    expect(report.documents.map((document) => document.document)).toEqual(['specs/openapi.yaml']);
    expect(report.documents[0].changes.map((change) => `${change.file}:${change.line}`).sort()).toEqual(
      expect.arrayContaining(sites),
    );
    for (const skip of report.skipped) expect(skip.reason).toMatch(/Fixed through specs\/openapi\.yaml\.$/);
  });

  it('write: the fragment is fixed in place, nothing else changes', async () => {
    const cwd = tempProject(FILES);
    const run = await runCliAsync(['fix', '--skip-non-openapi', 'specs/paths/a.yaml'], { cwd });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'specs/paths/a.yaml'), 'utf8')).toBe(
      FILES['specs/paths/a.yaml'].replace("'403'", "'401'"),
    );
    expect(readFileSync(path.join(cwd, 'specs/paths/b.json'), 'utf8')).toBe(
      FILES['specs/paths/b.json'].replace('"403"', '"401"'),
    );
    expect(readFileSync(path.join(cwd, 'specs/openapi.yaml'), 'utf8')).toBe(ROOT);
  });

  it('a fragment no document uses that documents a 403: one line, exit 2; one without a 403: skipped', async () => {
    const cwd = tempProject(FILES);
    const run = await runCliAsync(
      ['fix', '--check', '--skip-non-openapi', 'specs/orphans/x.yaml', 'specs/orphans/y.yaml'],
      { cwd },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toMatch(
      /^mtls-fix: specs\/orphans\/x\.yaml: not an OpenAPI document: .*no OpenAPI document of the repository \$refs it, yet it documents a 403: not checked\./,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a glob over fragments: the same, without the flag', async () => {
    const cwd = tempProject(FILES);
    const run = await runCliAsync(['fix', '--check', 'specs/paths/*'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/2 403 keys: 2 renamed/);
  });
});
