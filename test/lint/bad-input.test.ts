import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

const ROOT_WITH_REF = (ref: string): string => `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403':
          $ref: '${ref}'
components:
  securitySchemes:
    clientCert: { type: mutualTLS }
  responses:
    Loop1: { $ref: '#/components/responses/Loop2' }
    Loop2: { $ref: '#/components/responses/Loop1' }
`;

/** Every bad input exits 2 with one line on stderr (what, where, what to do), no stack, in a few seconds. */
function expectOneLineError(run: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mtls-fix: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.ms).toBeLessThan(10_000);
}

describe('mtls-fix lint: bad input', () => {
  it('a missing file', () => {
    const cwd = tempProject();
    expectOneLineError(runCli(['lint', 'nope.yaml'], { cwd }), /nope\.yaml: file not found\. Check the path/);
  });

  it('no file given and no openapi.* here', () => {
    const cwd = tempProject();
    expectOneLineError(runCli(['lint'], { cwd }), /no OpenAPI document given and none found .*Pass FILES/);
  });

  it('a glob that matches nothing', () => {
    const cwd = tempProject();
    expectOneLineError(
      runCli(['lint', 'specs/**/*.yaml'], { cwd }),
      /no file matches 'specs\/\*\*\/\*\.yaml'/,
    );
  });

  it('invalid YAML, with line and column', () => {
    const cwd = tempProject({ 'openapi.yaml': 'openapi: 3.1.0\ninfo:\n  title: [unclosed\npaths: {}\n' });
    expectOneLineError(runCli(['lint'], { cwd }), /openapi\.yaml:\d+:\d+: invalid YAML: .*Fix the syntax\./);
  });

  // Session 17: js-yaml names no place for a stream of several documents, so the error read `1:1 ... Fix the
  // syntax.` whatever line the second document started on. Now: its line, and what to do.
  const STREAMS: { kind: string; text: string; line: number; says: RegExp }[] = [
    {
      kind: 'a second document after ---',
      text: "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths: {}\n---\nkind: ConfigMap\n",
      line: 4,
      says: /a second YAML document starts here \('---'\).*Put each document in a file of its own\./,
    },
    {
      kind: 'a trailing --- (an empty document), CRLF',
      text: "openapi: 3.1.0\r\ninfo: { title: t, version: '1' }\r\npaths: {}\r\n---\r\n# end\r\n",
      line: 4,
      says: /an empty second YAML document starts here .*Remove that '---' line\./,
    },
    {
      kind: 'content after a ... end marker',
      text: "# c\n---\nopenapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths: {}\n...\n\nkind: x\n",
      line: 8,
      says: /a second YAML document starts here \(after the '\.\.\.' that ends the first\)/,
    },
    {
      kind: '--- with a comment, then a document',
      text: "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /a: {}\n--- # next\nx: 1\n",
      line: 5,
      says: /a second YAML document starts here \('---'\)/,
    },
  ];
  for (const { kind, text, line, says } of STREAMS) {
    it(`several YAML documents in one file: ${kind}`, () => {
      const cwd = tempProject({ 'openapi.yaml': text });
      const pattern = new RegExp(`openapi\\.yaml:${line}:1: invalid YAML: ${says.source}`);
      expectOneLineError(runCli(['lint', 'openapi.yaml'], { cwd }), pattern);
      const fixed = runCli(['fix', 'openapi.yaml'], { cwd });
      expect(fixed.code).toBe(2);
      expect(fixed.stderr).toMatch(pattern);
    });
  }

  it('one document between --- and ... is read', () => {
    const text =
      "---\nopenapi: 3.1.0\ninfo: { title: t, version: '1' }\nx-mtls: true\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n...\n";
    const cwd = tempProject({ 'openapi.yaml': text });
    const run = runCli(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/mtls-no-403\s+GET \/a is mTLS-secured/);
  });

  it('invalid JSON, with line and column', () => {
    const cwd = tempProject({ 'openapi.json': '{\n  "openapi": "3.1.0",\n  "paths": {,}\n}\n' });
    expectOneLineError(runCli(['lint', 'openapi.json'], { cwd }), /openapi\.json:3:\d+: invalid JSON/);
  });

  it('a document that is not OpenAPI', () => {
    const cwd = tempProject({ 'openapi.yaml': 'name: my-chart\nversion: 1.0.0\n' });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /openapi\.yaml: not an OpenAPI document: no 'openapi' or 'swagger' key/,
    );
  });

  it('an unsupported OpenAPI version', () => {
    const cwd = tempProject({ 'openapi.yaml': 'openapi: 4.0.0\npaths: {}\n' });
    expectOneLineError(runCli(['lint'], { cwd }), /unsupported version '4\.0\.0'/);
  });

  it('a YAML alias bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const cwd = tempProject({ 'openapi.yaml': `openapi: 3.1.0\npaths: {}\n${levels.join('\n')}\n` });
    expectOneLineError(runCli(['lint'], { cwd }), /YAML aliases expand to more than .* nodes/);
  });

  it('a binary file', () => {
    const cwd = tempProject({
      'openapi.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]),
    });
    expectOneLineError(runCli(['lint'], { cwd }), /openapi\.yaml: binary file, not YAML or JSON/);
  });

  it('an unresolvable local $ref, at the $ref', () => {
    const cwd = tempProject({ 'openapi.yaml': ROOT_WITH_REF('#/components/responses/Missing') });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /openapi\.yaml:10:\d+ \(\/paths\/~1a\/get\/responses\/403\/\$ref\): unresolvable \$ref '#\/components\/responses\/Missing'/,
    );
  });

  it('a $ref to a missing file', () => {
    const cwd = tempProject({ 'openapi.yaml': ROOT_WITH_REF('shared/errors.yaml#/Forbidden') });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /unresolvable \$ref 'shared\/errors\.yaml#\/Forbidden': file not found/,
    );
  });

  it('a circular $ref chain', () => {
    const cwd = tempProject({ 'openapi.yaml': ROOT_WITH_REF('#/components/responses/Loop1') });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /circular \$ref chain: .*Loop1.* -> .*Loop2.* -> .*Loop1.*Break the cycle/,
    );
  });

  it('a remote $ref is an error, never fetched', () => {
    const cwd = tempProject({
      'openapi.yaml': ROOT_WITH_REF('https://example.invalid/errors.yaml#/Forbidden'),
    });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /remote \$ref 'https:\/\/example\.invalid\/errors\.yaml#\/Forbidden' is not fetched\. .*--allow-remote-refs/,
    );
  });

  it('--allow-remote-refs skips the remote part without fetching it', () => {
    const cwd = tempProject({
      'openapi.yaml': ROOT_WITH_REF('https://example.invalid/errors.yaml#/Forbidden'),
    });
    const run = runCli(['lint', '--allow-remote-refs', '-f', 'json'], { cwd });
    expect(run.code).toBe(1); // the 403 key itself is still documented on an mTLS operation
    // What was not read is named (session 9), on stderr so the JSON keeps its shape.
    expect(run.stderr.trim()).toMatch(
      /^mtls-fix: hint: openapi\.yaml:10: 1 remote \$ref was skipped, not fetched \(--allow-remote-refs\).*response 403: its content was not read/,
    );
  });

  it('duplicate keys (the data would keep the last, positions the first)', () => {
    const cwd = tempProject({
      'openapi.yaml': "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {}\n  /a: {}\n",
    });
    // The key is named (session 9), as written.
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /openapi\.yaml:5:3: invalid YAML: duplicated mapping key \/a\. Fix the syntax\.$/,
    );
  });

  it('duplicate keys in JSON too (JSON.parse would keep the last in silence; session 9)', () => {
    const json =
      '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},\n "paths": {\n  "/a": {"get": {"responses": {"403": {"description": "x"}}}},\n' +
      '  "/a": {"post": {"responses": {"200": {"description": "x"}}}}\n }\n}\n';
    const cwd = tempProject({ 'openapi.json': json });
    for (const command of ['lint', 'fix'])
      expectOneLineError(
        runCli([command, 'openapi.json'], { cwd }),
        /^mtls-fix: openapi\.json:4:3 \(\/paths\/~1a\): invalid JSON: duplicated key "\/a" in \/paths .*Remove or rename one of them\.$/,
      );
  });

  it('a malformed percent-encoding in a file $ref', () => {
    const cwd = tempProject({ 'openapi.yaml': ROOT_WITH_REF('a%ZZ.yaml#/x') });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /openapi\.yaml:10:\d+ .*\$ref 'a%ZZ\.yaml#\/x' cannot be decoded: '%ZZ' is not a percent-encoded byte .*Percent-encode the file name correctly\.$/,
    );
  });

  it('a protocol-relative $ref is remote', () => {
    const cwd = tempProject({ 'openapi.yaml': ROOT_WITH_REF('//example.invalid/x.yaml') });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /remote \$ref '\/\/example\.invalid\/x\.yaml' is not fetched/,
    );
  });

  it('an unquoted numeric openapi version', () => {
    const cwd = tempProject({ 'openapi.yaml': 'openapi: 3.0\npaths: {}\n' });
    expectOneLineError(
      runCli(['lint'], { cwd }),
      /'openapi: 3' is a number, not a version string\. Quote it/,
    );
  });

  it('a bad flag value', () => {
    const cwd = tempProject({ 'openapi.yaml': ROOT_WITH_REF('#/components/responses/Loop1') });
    expectOneLineError(
      runCli(['lint', '--status', '403'], { cwd }),
      /--status: status 403 is the status being replaced/,
    );
    expectOneLineError(
      runCli(['lint', '--status', 'abc'], { cwd }),
      /--status: status 'abc' is not a 4xx status code/,
    );
    expectOneLineError(runCli(['lint', '--format', 'xml'], { cwd }), /Expected --format=xml to be one of/);
    expectOneLineError(
      runCli(['lint', '--mtls-server', '(('], { cwd }),
      /--mtls-server: '\(\(' is not a valid regular expression/,
    );
  });

  it('--debug adds the stack trace', () => {
    const cwd = tempProject();
    const run = runCli(['lint', 'nope.yaml', '--debug'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});
