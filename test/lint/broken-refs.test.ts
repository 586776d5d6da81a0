import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { lint } from '../../src/lint/run.js';
import { tempProject } from '../helpers/cli.js';

// Session 32 (adorsys/xs2a, psd2-confirmation-of-funds-consent): a schema `$ref` leading nowhere passed mtls-fix lint
// unnamed, while stock `spectral lint` with the same ruleset reported it (invalid-ref, error): one result more.
const DOCUMENT = `openapi: 3.0.3
info: { title: t, version: '1' }
x-mtls: false
paths:
  /funds:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: "#/components/schemas/tppMessageGeneric"
components:
  schemas:
    a/b: { type: string }
    ok:
      $ref: '#/components/schemas/a~1b'
    percent:
      $ref: '#/components/schemas/a~1b%20'
`;

describe('local $refs that lead nowhere', () => {
  it('are invalid-ref errors at the $ref value, as stock Spectral reports them, under both engines', async () => {
    const folder = tempProject({ 'openapi.yaml': DOCUMENT });
    const files = [path.join(folder, 'openapi.yaml')];
    const config = resolveConfig({}, {});
    for (const engine of ['direct', 'spectral'] as const) {
      const report = await lint({ files, config, cwd: folder, ...(engine === 'spectral' ? { engine } : {}) });
      const broken = report.results.filter((result) => result.code === 'invalid-ref');
      expect(broken.map((result) => [result.message, result.severity, result.range.start])).toEqual([
        ["'#/components/schemas/tppMessageGeneric' does not exist", 0, { line: 14, character: 24 }],
        ["'#/components/schemas/a~1b%20' does not exist", 0, { line: 21, character: 12 }],
      ]);
    }
  });
});

// Session 33: `$ref`s into other files were not checked (a missing file, a missing pointer in an existing file), and
// a remote `$ref` outside what the readers follow was not named at all. Expected: what stock Spectral 6.16.3 printed
// for these files (`spectral lint -r .spectral.yaml -f json api.yaml`, ruleset `extends: [[spectral:oas, off]]`),
// code, path, message, range start and source; its FetchError for the https `$ref` (offline) is instead a hint that
// names the `$ref` as not followed.
const FILES = {
  'api.yaml': `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: './schemas.yaml#/Missing'
  /b:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: './nofile.yaml#/Foo'
  /c:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'sub/other.yaml'
  /d:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'https://example.invalid/schemas.yaml#/Foo'
  /e:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: './schemas.yaml#/Foo'
`,
  'schemas.yaml': `Foo:
  type: object
  properties:
    bar:
      $ref: '#/Nope'
`,
  'api2.yaml': `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'schemas2.yaml#/components/schemas/Missing'
  /b:
    get:
      responses:
        '200':
          $ref: './schemas2.yaml#/components/responses/Ok'
`,
  'schemas2.yaml': `components:
  schemas:
    Foo:
      type: object
  responses:
    Ok:
      description: ok
      content:
        application/json:
          schema:
            $ref: './gone.yaml#/X'
    Bad:
      $ref: 'schemas.yaml#/Nope2'
`,
};

describe('$refs into other files', () => {
  const run = async (name: string) => {
    const folder = tempProject(FILES);
    const files = [path.join(folder, name)];
    const report = await lint({ files, config: resolveConfig({}, {}), cwd: folder });
    const rows = report.results
      .filter((result) => result.code === 'invalid-ref')
      .map((result) => [
        result.path.join('.'),
        result.message.split(folder).join('<dir>'),
        `${result.range.start.line}:${result.range.start.character}`,
        path.relative(folder, result.source),
      ]);
    return { rows, hints: report.hints.map((hint) => hint.message) };
  };

  it('reports a missing file or pointer as stock Spectral does, and names a remote $ref as not followed', async () => {
    const { rows, hints } = await run('api.yaml');
    expect(rows).toEqual([
      ['Missing.$ref', "'#/Missing' does not exist @ '<dir>/schemas.yaml'", '0:0', 'api.yaml'],
      ['Foo.properties.bar.$ref', "'#/Nope' does not exist", '0:0', 'api.yaml'],
      [
        'paths./b.get.responses.200.content.application/json.schema.$ref',
        "ENOENT: no such file or directory, open '<dir>/nofile.yaml'",
        '20:22',
        'api.yaml',
      ],
      [
        'paths./c.get.responses.200.content.application/json.schema.$ref',
        "ENOENT: no such file or directory, open '<dir>/sub/other.yaml'",
        '29:22',
        'api.yaml',
      ],
    ]);
    expect(hints).toContainEqual(
      expect.stringMatching(
        /^api\.yaml:39: 1 remote \$ref was not followed .*'https:\/\/example\.invalid\/schemas\.yaml#\/Foo' at api\.yaml:39/,
      ),
    );
  });

  it('checks only the parts of other files that a $ref reaches, as Spectral crawls them', async () => {
    const { rows } = await run('api2.yaml');
    expect(rows).toEqual([
      [
        'components.schemas.Missing.$ref',
        "'#/components/schemas/Missing' does not exist @ '<dir>/schemas2.yaml'",
        '0:0',
        'api2.yaml',
      ],
      [
        'components.responses.Ok.content.application/json.schema.$ref',
        "ENOENT: no such file or directory, open '<dir>/gone.yaml'",
        '0:0',
        'schemas2.yaml',
      ],
    ]);
  });
});
