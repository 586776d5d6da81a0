import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  brunoAssertions,
  gherkinAssertions,
  hurlAssertions,
  tavernAssertions,
} from '../../src/migrate/api-suites-lines.js';
import { postmanAssertions } from '../../src/migrate/api-suites-postman.js';
import { readSuiteAssertions, suiteToolOf } from '../../src/migrate/api-suites.js';
import type { MigrateReport, SuiteAssertion } from '../../src/migrate/types.js';
import { runCli, tempProject } from '../helpers/cli.js';

/** The text at an assertion's line and column (1-based), from there to the line's end. */
function at(text: string, a: SuiteAssertion): string {
  return text.split('\n')[a.line - 1].slice(a.column - 1);
}

const COLLECTION = JSON.stringify(
  {
    info: {
      _postman_id: 'x1',
      name: 'orders',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: [
      {
        name: 'Orders',
        item: [
          {
            name: 'Get order as guest',
            request: { method: 'GET', url: { raw: '{{base}}/orders/1', path: ['orders', '1'] } },
            event: [
              {
                listen: 'test',
                script: {
                  exec: [
                    'pm.test("Status code is 403", () => {',
                    '    pm.response.to.have.status(403);',
                    '});',
                    '// was 403 before the login change',
                    'pm.test("is forbidden", () => pm.response.to.be.forbidden);',
                    'pm.test("body", () => pm.expect(pm.response.json().message).to.eql("403 here"));',
                  ],
                },
              },
              { listen: 'prerequest', script: { exec: ['pm.environment.set("code", 403);'] } },
            ],
          },
          { name: 'List orders', request: 'https://api.example.test/orders' },
        ],
        event: [
          { listen: 'test', script: { exec: ['pm.expect(pm.response.code).to.be.oneOf([200, 403]);'] } },
        ],
      },
    ],
  },
  null,
  '\t',
);

describe('Postman collections: the test scripts that assert a 403, with their request', () => {
  const found = postmanAssertions('api.postman_collection.json', COLLECTION);

  it('names the assertions, not a test title, a comment, a string or a pre-request script', () => {
    expect(found.map((a) => a.assertion)).toEqual([
      'pm.response.to.have.status(403);',
      'pm.test("is forbidden", () => pm.response.to.be.forbidden);',
      'pm.expect(pm.response.code).to.be.oneOf([200, 403]);',
    ]);
  });

  it('gives each its request, a folder script every request under it', () => {
    expect(found.map((a) => a.request)).toEqual([
      'GET {{base}}/orders/1',
      'GET {{base}}/orders/1',
      'every request in Orders',
    ]);
  });

  it('points at the assertion in the file', () => {
    expect(at(COLLECTION, found[0])).toMatch(/^403\);",?$/);
    expect(at(COLLECTION, found[1])).toMatch(/^\.forbidden\);",?$/);
    expect(at(COLLECTION, found[2])).toMatch(/^403\]\);"/);
  });

  it('reads v1 collections (requests[].tests)', () => {
    const v1 = JSON.stringify({
      name: 'old',
      requests: [
        { method: 'delete', url: '{{base}}/orders/2', tests: 'tests["denied"] = responseCode.code === 403;' },
      ],
    });
    expect(postmanAssertions('old.json', v1)).toMatchObject([
      { line: 1, request: 'DELETE {{base}}/orders/2', tool: 'Postman' },
    ]);
  });

  it('JSON that is not a collection (a fixture holding 403) gives none; nor does text that is not JSON', () => {
    expect(postmanAssertions('test/fixtures/error.json', '{"item": [], "status": 403}')).toEqual([]);
    expect(postmanAssertions('test/x.json', '{ "status": 403, ')).toEqual([]);
  });
});

describe('line formats', () => {
  it('Hurl: a response line and an [Asserts] status, with the request before them; not comments or bodies', () => {
    const hurl = [
      'GET {{host}}/orders/1',
      'Authorization: Bearer {{guest}}',
      'HTTP 403',
      '',
      'POST https://api.example.test/orders',
      '{ "code": 403 }',
      '# 403 expected for guests',
      'HTTP/1.1 *',
      '[Asserts]',
      'status == 403',
    ].join('\n');
    const found = hurlAssertions('orders.hurl', hurl);
    expect(found.map((a) => [a.line, a.request, a.assertion])).toEqual([
      [3, 'GET {{host}}/orders/1', 'HTTP 403'],
      [10, 'POST https://api.example.test/orders', 'status == 403'],
    ]);
    for (const a of found) expect(at(hurl, a)).toBe('403');
  });

  it('Bruno: assert and tests blocks, not the body or the docs', () => {
    const bru = [
      'meta {',
      '  name: get order',
      '}',
      '',
      'get {',
      '  url: {{base}}/orders/1',
      '}',
      '',
      'body:json {',
      '  { "status": 403 }',
      '}',
      '',
      'assert {',
      '  res.status: eq 403',
      '}',
      '',
      'tests {',
      '  test("denied", () => { expect(res.getStatus()).to.equal(403); });',
      '}',
      '',
      'docs {',
      '  Answers 403 for guests.',
      '}',
    ].join('\n');
    const found = bruno(bru);
    expect(found.map((a) => [a.line, a.request])).toEqual([
      [14, 'GET {{base}}/orders/1'],
      [18, 'GET {{base}}/orders/1'],
    ]);
    for (const a of found) expect(at(bru, a)).toMatch(/^403/);
  });

  it('Gherkin: Karate status steps with their request, Cucumber steps and example rows; not doc strings or comments', () => {
    const feature = [
      'Feature: orders',
      '  # 403 for guests',
      '  Scenario: guest',
      '    Given url baseUrl',
      "    And path 'orders', 1",
      '    When method get',
      '    Then status 403',
      '    And match responseStatus == 403',
      '  Scenario Outline: roles',
      '    When a <role> reads an order',
      '    Then the response status should be <status>',
      '    And the body is',
      '      """',
      '      { "status": 403 }',
      '      """',
      '    Examples:',
      '      | role  | status |',
      '      | guest | 403    |',
      '  Scenario: plain cucumber',
      '    Then the response code is 403',
    ].join('\n');
    const found = gherkinAssertions('orders.feature', feature);
    expect(found.map((a) => [a.line, a.tool, a.request ?? null])).toEqual([
      [7, 'Karate', "GET baseUrl path 'orders', 1"],
      [8, 'Karate', "GET baseUrl path 'orders', 1"],
      [18, 'Gherkin', null],
      [20, 'Gherkin', null],
    ]);
    for (const a of found) expect(at(feature, a)).toMatch(/^403/);
  });

  it('Tavern: status_code in a stage, with its method and url', () => {
    const yaml = [
      'test_name: orders',
      'stages:',
      '  - name: guest reads',
      '    request:',
      '      url: "{host}/orders/1"',
      '      method: GET',
      '    response:',
      '      status_code: 403',
      '  - name: guest writes',
      '    request:',
      '      url: "{host}/orders"',
      '      method: POST',
      '    response:',
      '      status_code:',
      '        - 401',
      '      json: { code: 403 }',
    ].join('\n');
    expect(tavernAssertions('test_orders.tavern.yaml', yaml).map((a) => [a.line, a.request])).toEqual([
      [8, 'GET {host}/orders/1'],
    ]);
  });

  it('names which files are suites by their names', () => {
    expect(
      [
        'a.hurl',
        'x/b.bru',
        'f.feature',
        't.tavern.yml',
        'test/c.json',
        'package.json',
        'package-lock.json',
        'a.ts',
      ].map(suiteToolOf),
    ).toEqual(['Hurl', 'Bruno', 'Gherkin', 'Tavern', 'Postman', undefined, undefined, undefined]);
  });
});

function bruno(text: string): SuiteAssertion[] {
  return brunoAssertions('orders.bru', text);
}

describe('readSuiteAssertions: a suite it cannot read is named, never passed over', () => {
  it('a file named as a collection that is not JSON, and one that cannot be read, are unread with why; data in a test folder is neither', () => {
    const cwd = tempProject({
      'postman/orders.postman_collection.json': '{ "info": { "_postman_id": "x" }, "item": [ 403 ',
      'test/fixtures/error.json': '{ "status": 403 }',
    });
    const file = (relative: string) => ({
      absolute: path.join(cwd, relative),
      relative,
      tool: 'Postman' as const,
    });
    const reading = readSuiteAssertions([
      file('postman/orders.postman_collection.json'),
      file('test/fixtures/error.json'),
      file('postman/missing.postman_collection.json'),
    ]);
    expect(reading.assertions).toEqual([]);
    expect(reading.unread.map((u) => `${u.file}: ${u.reason.split(' (')[0]}`)).toEqual([
      'postman/orders.postman_collection.json: named as a collection but not JSON',
      'postman/missing.postman_collection.json: not readable',
    ]);
  });
});

describe('migrate names them (end to end)', () => {
  const server =
    "import express from 'express';\nconst app = express();\napp.get('/orders/:id', (req, res) => res.status(403).json({ error: 'forbidden' }));\nexport default app;\n";
  const hurl = 'GET http://localhost:3000/orders/1\nHTTP 403\n';
  const files = {
    'package.json': JSON.stringify({ name: 'p', dependencies: { express: '^4.21.0' } }),
    'src/app.ts': server,
    'postman/orders.postman_collection.json': COLLECTION,
    'tests/orders.hurl': hurl,
    // A collection under any name, known by its first bytes; data JSON beside it is no suite.
    'smoke.json': JSON.stringify({
      info: { _postman_id: 's1', name: 'smoke' },
      item: [
        {
          name: 'guest',
          request: { method: 'GET', url: '{{base}}/orders/1' },
          event: [{ listen: 'test', script: { exec: ['pm.response.to.have.status(403);'] } }],
        },
      ],
    }),
    'src/data/codes.json': '{ "denied": 403 }',
    'build/old.hurl': hurl,
    'ignored/x.hurl': hurl,
    '.gitignore': 'ignored/\n',
  };
  const git = (cwd: string) => {
    execFileSync('git', ['init', '-q'], { cwd });
    execFileSync('git', ['add', '-A'], { cwd });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base'], { cwd });
  };

  it('lists every assertion of the suites the walk keeps (not an output folder, not git-ignored), sorted', () => {
    const cwd = tempProject(files);
    git(cwd);
    const report = JSON.parse(
      runCli(['migrate', '.', '--dry-run', '--json'], { cwd }).stdout,
    ) as MigrateReport;
    expect(report.sites.filter((s) => s.action === 'would-rewrite')).toHaveLength(1);
    // The lines of the collection as JSON.stringify wrote it, found by their text.
    const lineOf = (needle: string) => COLLECTION.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(report.suiteAssertions?.map((a) => `${a.file}:${a.line} ${a.tool}`)).toEqual([
      `postman/orders.postman_collection.json:${lineOf('have.status(403)')} Postman`,
      `postman/orders.postman_collection.json:${lineOf('be.forbidden')} Postman`,
      `postman/orders.postman_collection.json:${lineOf('oneOf([200, 403])')} Postman`,
      'smoke.json:1 Postman',
      'tests/orders.hurl:2 Hurl',
    ]);
    const human = runCli(['migrate', '.', '--dry-run'], { cwd }).stdout;
    expect(human).toContain('API tests outside code to review (5 in 3 files: Hurl, Postman)');
    expect(human).toContain('tests/orders.hurl:2:6  Hurl  GET http://localhost:3000/orders/1  HTTP 403');
  });

  it('are not listed when the run changes no site, and never change --check', () => {
    const cwd = tempProject({ ...files, 'src/app.ts': server.replace('403', '404') });
    git(cwd);
    const report = JSON.parse(runCli(['migrate', '.', '--check', '--json'], { cwd }).stdout) as MigrateReport;
    expect(report.suiteAssertions).toBeUndefined();
    const withSite = tempProject(files);
    git(withSite);
    const bare = tempProject({ 'package.json': files['package.json'], 'src/app.ts': server });
    git(bare);
    expect(runCli(['migrate', '.', '--check'], { cwd: withSite }).code).toBe(
      runCli(['migrate', '.', '--check'], { cwd: bare }).code,
    );
  });
});
