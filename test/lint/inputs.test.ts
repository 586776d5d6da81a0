import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { parseSarif } from '../helpers/sarif.js';

// Structurally broken documents are errors (never "clean"); one bad file does not hide the others.
const HEAD = `openapi: 3.1.0
info: { title: t, version: '1' }
security: [ { clientCert: [] } ]
`;
const TAIL = 'components: { securitySchemes: { clientCert: { type: mutualTLS } } }\n';
const GOOD = `${HEAD}paths:\n  /a: { get: { responses: { '403': { description: no } } } }\n${TAIL}`;

const BROKEN: [string, string, RegExp][] = [
  [
    'paths as a list',
    `${HEAD}paths:\n  - /a: { get: { responses: { '403': { description: no } } } }\n${TAIL}`,
    /spec\.yaml:4:1 \(\/paths\): 'paths' must be a map, not a list\./,
  ],
  [
    'a path item that is a number',
    `${HEAD}paths:\n  /a: 5\n${TAIL}`,
    /spec\.yaml:5:\d+ \(\/paths\/~1a\): '\/a' must be a map, not the number 5\./,
  ],
  [
    'responses as a list',
    `${HEAD}paths:\n  /a: { get: { responses: ['403'] } }\n${TAIL}`,
    /spec\.yaml:5:\d+ \(\/paths\/~1a\/get\/responses\): 'responses' must be a map, not a list\./,
  ],
  [
    'an operation that is not a map',
    `${HEAD}paths:\n  /a: { get: [ { responses: { '403': { description: no } } } ] }\n${TAIL}`,
    /spec\.yaml:5:\d+ \(\/paths\/~1a\/get\): 'get' must be a map, not a list\./,
  ],
  // Session 11: these were read as absent (an operation's own security or servers then fell back to the root's,
  // a scheme written as a string was "not mTLS"), so the document could pass clean.
  [
    "an operation's security requirement that is a name, not a map",
    `${HEAD}paths:\n  /a: { get: { security: [ clientCert ], responses: { '403': { description: no } } } }\n${TAIL}`,
    /spec\.yaml:5:\d+ \(\/paths\/~1a\/get\/security\/0\): '0' must be a map, not the string "clientCert"\./,
  ],
  [
    "an operation's security written as a map",
    `${HEAD}paths:\n  /a: { get: { security: { clientCert: [] }, responses: { '403': { description: no } } } }\n${TAIL}`,
    /spec\.yaml:5:\d+ \(\/paths\/~1a\/get\/security\): 'security' must be a list, not a map\./,
  ],
  [
    "a path item's servers as a string",
    `${HEAD}paths:\n  /a: { servers: 'https://mtls.bank.example', get: { responses: { '403': { description: no } } } }\n${TAIL}`,
    /spec\.yaml:5:\d+ \(\/paths\/~1a\/servers\): 'servers' must be a list, not the string "https:\/\/mtls\.bank\.example"\./,
  ],
  [
    "an operation's servers listing URLs, not Server Objects",
    `${HEAD}paths:\n  /a: { get: { servers: [ 'https://mtls.bank.example' ], responses: { '403': { description: no } } } }\n${TAIL}`,
    /spec\.yaml:5:\d+ \(\/paths\/~1a\/get\/servers\/0\): '0' must be a map, not the string/,
  ],
  [
    'root servers listing URLs',
    `openapi: 3.1.0\ninfo: { title: t, version: '1' }\nservers: [ 'https://mtls.bank.example' ]\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n`,
    /spec\.yaml:3:\d+ \(\/servers\/0\): '0' must be a map, not the string/,
  ],
  [
    'a security scheme written as its type name',
    `${HEAD}paths:\n  /a: { get: { responses: { '403': { description: no } } } }\ncomponents: { securitySchemes: { clientCert: mutualTLS } }\n`,
    /spec\.yaml:6:\d+ \(\/components\/securitySchemes\/clientCert\): 'clientCert' must be a map, not the string "mutualTLS"\./,
  ],
];

describe('structurally broken documents are input errors', () => {
  for (const [name, text, message] of BROKEN) {
    it(`lint and fix: ${name}`, () => {
      const cwd = tempProject({ 'spec.yaml': text });
      const lint = runCli(['lint', 'spec.yaml', '-f', 'json'], { cwd });
      expect(lint.code).toBe(2);
      expect(lint.stderr.trim()).toMatch(new RegExp(`^mtls-fix: ${message.source}`));
      const results = JSON.parse(lint.stdout) as { code: string }[];
      expect(results.map((result) => result.code)).toEqual(['mtls-fix-input']);
      const fix = runCli(['fix', 'spec.yaml'], { cwd });
      expect(fix.code).toBe(2);
      expect(fix.stderr).toMatch(message);
      expect(readFileSync(path.join(cwd, 'spec.yaml'), 'utf8')).toBe(text);
    });
  }

  it('an empty file and a file of prose: one line each, no crash', () => {
    const cwd = tempProject({ 'empty.yaml': '', 'prose.yaml': 'just some text\n', 'list.yaml': '- a\n' });
    const empty = runCli(['lint', 'empty.yaml'], { cwd });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^mtls-fix: empty\.yaml: not an OpenAPI document: the file is empty\./);
    expect(empty.stderr).not.toMatch(/weak map/i);
    const prose = runCli(['lint', 'prose.yaml', 'list.yaml'], { cwd });
    expect(prose.code).toBe(2);
    expect(prose.stderr.trim().split('\n')).toEqual([
      "mtls-fix: prose.yaml: not an OpenAPI document: a string at the top ('just some text'), not a map. Pass an OpenAPI 3.x or Swagger 2.0 document.",
      'mtls-fix: list.yaml: not an OpenAPI document: a list at the top, not a map. Pass an OpenAPI 3.x or Swagger 2.0 document.',
    ]);
  });

  it('a 10,000-deep JSON document: a depth error, not a stack overflow (lint and fix)', () => {
    const deep = `{"openapi":"3.1.0","paths":{},"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const cwd = tempProject({ 'deep.json': deep });
    for (const command of ['lint', 'fix']) {
      const run = runCli([command, 'deep.json'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^mtls-fix: deep\.json: nested more than 1,000 levels deep\./);
      expect(run.stderr).not.toMatch(/call stack/);
    }
  });
});

describe('one bad file does not hide the others', () => {
  it("a broken 403 on an operation that is not mTLS-secured (read only for the hint) is that file's input error; the others are still linted (session 11)", () => {
    const unchecked = `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /b: { get: { responses: { '403': Forbidden } } }\n`;
    const cwd = tempProject({ 'a.yaml': GOOD, 'b.yaml': unchecked, 'c.yaml': GOOD });
    const run = runCli(['lint', 'a.yaml', 'b.yaml', 'c.yaml', '-f', 'json'], { cwd });
    expect(run.code).toBe(2);
    const results = JSON.parse(run.stdout) as { code: string; source: string }[];
    expect(results.map((result) => [result.code, path.basename(result.source)])).toEqual([
      ['mtls-no-403', 'a.yaml'],
      ['mtls-fix-input', 'b.yaml'],
      ['mtls-no-403', 'c.yaml'],
    ]);
    expect(run.stderr).toMatch(
      /^mtls-fix: b\.yaml:4:\d+ \(\/paths\/~1b\/get\/responses\/403\): '403' must be a map/,
    );
    // fix: the same document is its error, not counted as checked.
    const fix = runCli(['fix', 'a.yaml', 'b.yaml', 'c.yaml', '--dry-run'], { cwd });
    expect(fix.code).toBe(2);
    expect(fix.stdout).toContain('mtls-fix: checked 2 documents, 2 operations, 2 mTLS-secured');
    expect(fix.stderr).toMatch(/^mtls-fix: b\.yaml:4:/);
  });

  it('every file is linted; the broken one is an mtls-fix-input result; exit 2; --output always written', () => {
    const cwd = tempProject({ 'a.yaml': GOOD, 'b.yaml': 'openapi: 3.1.0\npaths: [\n' });
    // A report an earlier run wrote (test/cli/output-files.test.ts: a file mtls-fix did not write is refused).
    expect(runCli(['lint', 'a.yaml', '-f', 'sarif', '-o', 'report.sarif'], { cwd }).code).toBe(1);
    const stale = readFileSync(path.join(cwd, 'report.sarif'), 'utf8');
    const run = runCli(['lint', 'a.yaml', 'b.yaml', '-f', 'sarif', '-o', 'report.sarif'], { cwd });
    expect(readFileSync(path.join(cwd, 'report.sarif'), 'utf8')).not.toBe(stale);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mtls-fix: b\.yaml:3:1: invalid YAML/);
    const sarif = parseSarif(readFileSync(path.join(cwd, 'report.sarif'), 'utf8'));
    const [sarifRun] = sarif.runs;
    expect(
      sarifRun.results.map((result) => [
        result.ruleId,
        result.locations[0].physicalLocation.artifactLocation.uri,
      ]),
    ).toEqual([
      ['mtls-no-403', 'a.yaml'],
      ['mtls-fix-input', 'b.yaml'],
    ]);
    expect(sarifRun.invocations[0].executionSuccessful).toBe(false);
    expect(sarifRun.invocations[0].toolExecutionNotifications).toHaveLength(1);
    expect(sarifRun.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/invalid YAML/);
  });

  it('a non-OpenAPI file found by a glob is skipped with a note; --skip-non-openapi drops the note; named, it is an error', () => {
    const cwd = tempProject({ 'specs/a.yaml': GOOD, 'specs/chart.yaml': 'name: chart\nversion: 1.0.0\n' });
    const globbed = runCli(['lint', 'specs/*.yaml'], { cwd });
    expect(globbed.code).toBe(1);
    expect(globbed.stderr.trim()).toBe(
      "mtls-fix: specs/chart.yaml: skipped: not an OpenAPI document: no 'openapi' or 'swagger' key at the top.",
    );
    const hook = runCli(['lint', '--skip-non-openapi', 'specs/a.yaml', 'specs/chart.yaml'], { cwd });
    expect([hook.code, hook.stderr]).toEqual([1, '']);
    const named = runCli(['lint', 'specs/a.yaml', 'specs/chart.yaml'], { cwd });
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/^mtls-fix: specs\/chart\.yaml: not an OpenAPI document/);
    expect(named.stdout).toMatch(/mtls-no-403/);
    expect(existsSync(path.join(cwd, 'specs/chart.yaml'))).toBe(true);
  });
});
