import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// `--include-tests`: an assertion on a text that holds the status (`expect(line).toMatch(/^403 /)`,
// `assert.match(out, /403/)`, `expect(msg).toContain('403')`) checks the 403 as surely as `.toBe(403)` does: it
// follows its server as that assertion does (test-status-texts.ts). A text that is only a reply's status
// (`expect(String(res.status)).toBe('403')`) is rewritten with a server this run rewrote; any other text is a
// manual item naming its server, never "not an emit" (growthbook's permission tests).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>, explain = false): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-ta-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', includeTests: true, explain })).report;
}

const SERVER =
  "import express from 'express';\nexport const app = express();\napp.get('/a', (req, res) => res.sendStatus(200));\n";

describe('assertions on a text holding 403 are listed', () => {
  it.each([
    ['jest toMatch with a regular expression', 'expect(`${res.status} ${res.text}`).toMatch(/^403 /);'],
    // Not the bare phrase '403 Forbidden': that one is a phrase site following its server (phrase-texts.ts).
    ['jest toContain with a string', "expect(line).toContain('HTTP 403 Forbidden');"],
    ['vitest expect.soft with a template', 'expect.soft(summary).toEqual(`403 for ${user}`);'],
    ['node:assert match', 'assert.match(output, /status 403/);'],
    ['chai expect to.match', 'chai.expect(text).to.match(/403/);'],
    ['chai assert.include', "assert.include(message, '403');"],
  ])('%s', async (_name, line) => {
    const report = await run({
      'src/app.ts': SERVER,
      'test/app.test.ts': `import assert from 'node:assert';\nit('denies', async () => {\n  ${line}\n});\n`,
    });
    const manual = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(manual.map((s) => [s.action, s.line])).toEqual([['manual', 3]]);
    expect(manual[0].reason).toMatch(/^Asserts a text holding 403 \(.+\) whose server could not be found/);
  });

  it("the bare phrase '403 Forbidden' is listed too, as a phrase whose server is not found", async () => {
    const report = await run({
      'src/app.ts': SERVER,
      'test/app.test.ts': "it('denies', async () => {\n  expect(line).toContain('403 Forbidden');\n});\n",
    });
    const manual = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(manual.map((s) => [s.action, s.line])).toEqual([['manual', 2]]);
    expect(manual[0].reason).toMatch(/server could not be found/);
  });

  it('a 403 text outside an assertion stays "not an emit"', async () => {
    const report = await run({
      'src/app.ts': SERVER,
      'test/app.test.ts':
        "it('labels', () => {\n  const label = 'error 403 page';\n  expect(label).toBeDefined();\n});\n",
    });
    expect(report.sites.filter((s) => s.file === 'test/app.test.ts')).toEqual([]);
  });
});

// The phrase key of a parsed body (`expect(res.body.message).to.equal('Forbidden')`) follows its server as
// `expect(res.text).toBe('Forbidden')` does: rewritten with a server whose text changed, else listed.
describe('assertions on the reason phrase of a parsed body', () => {
  const server = [
    "import express from 'express';",
    'export const app = express();',
    "app.get('/a', (req, res) => res.status(403).json({ message: 'Forbidden' }));",
    '',
  ].join('\n');
  const test = (line: string): string =>
    [
      "import request from 'supertest';",
      "import { app } from '../src/app';",
      "it('denies', async () => {",
      "  const res = await request(app).get('/a').expect(403);",
      `  ${line}`,
      '});',
      '',
    ].join('\n');

  it.each([
    ['chai', "expect(res.body.message).to.equal('Forbidden');"],
    ['jest', "expect(res.body.error).toBe('Forbidden');"],
    ['fetch-style json()', "expect((await res.json()).title).toEqual('Forbidden');"],
  ])('%s: rewritten with its server', async (_name, line) => {
    const report = await run({ 'src/app.ts': server, 'test/app.test.ts': test(line) });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.action, s.line])).toEqual([
      ['would-rewrite', 4],
      ['would-rewrite', 5],
    ]);
    expect(tests[1].replacement).toContain("'Unauthorized'");
  });

  it('listed when its server cannot be found', async () => {
    const report = await run({
      'src/app.ts': server,
      'test/app.test.ts': test("expect(res.body.message).to.equal('Forbidden');").replace(
        "get('/a')",
        "get('/b')",
      ),
    });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.action, s.line])).toEqual([
      ['manual', 4],
      ['manual', 5],
    ]);
  });
});

// Session 48: a text holding 403 is decided by the server its request reaches, as the number beside it is.
describe('texts holding 403 follow the server', () => {
  const server = [
    "import express from 'express';",
    'export const app = express();',
    "app.get('/a', (req, res) => res.status(403).json({ message: 'no' }));",
    "app.get('/d', (req, res) => res.status(Number(req.query.s)).end());",
    '',
  ].join('\n');
  const test = (route: string, lines: readonly string[]): string =>
    [
      "import assert from 'node:assert';",
      "import request from 'supertest';",
      "import { app } from '../src/app';",
      "it('denies', async () => {",
      `  const res = await request(app).get('${route}');`,
      ...lines.map((line) => `  ${line}`),
      '});',
      '',
    ].join('\n');
  const spellings = [
    "expect(String(res.status)).toBe('403');",
    'expect(`${res.status}`).toMatch(/403/);',
    "expect(res.statusCode.toString()).toEqual('403');",
    "assert.equal(res.status + '', '403');",
    "res.status.toString().should.equal('403');",
    "should(String(res.status)).equal('403');",
  ];

  it('a text that is only the status is rewritten with a server this run rewrote', async () => {
    const report = await run({ 'src/app.ts': server, 'test/app.test.ts': test('/a', spellings) });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.action, s.line, s.replacement])).toEqual([
      ['would-rewrite', 6, "'401'"],
      ['would-rewrite', 7, '/401/'],
      ['would-rewrite', 8, "'401'"],
      ['would-rewrite', 9, "'401'"],
      ['would-rewrite', 10, "'401'"],
      ['would-rewrite', 11, "'401'"],
    ]);
  });

  it('a negated assertion on the status text is never rewritten', async () => {
    const lines = [
      "expect(String(res.status)).not.toBe('403');",
      "assert.notEqual(String(res.status), '403');",
      'expect(`${res.status}`).to.not.match(/403/);',
    ];
    const report = await run({ 'src/app.ts': server, 'test/app.test.ts': test('/a', lines) });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.action, s.line])).toEqual([
      ['manual', 6],
      ['manual', 7],
      ['manual', 8],
    ]);
    for (const site of tests) expect(site.reason).toMatch(/^A negated assertion\b/);
  });

  it('the same texts stay, named, where the server still answers 403', async () => {
    const report = await run({ 'src/app.ts': server, 'test/app.test.ts': test('/d', spellings) });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => s.action)).toEqual(Array(6).fill('manual'));
    for (const site of tests)
      expect(site.reason).toMatch(
        /^Asserts a text holding 403 \(.+\) that is still emitted by res\.status\(Number/,
      );
  });

  it('any other text is named with the server this run rewrote, an asymmetric matcher included', async () => {
    const lines = [
      'expect(res.body).toMatchObject({ message: expect.stringMatching(/403/) });',
      "expect(res.text).toEqual(expect.stringContaining('HTTP 403'));",
      "await expect(Promise.reject(new Error('x'))).rejects.toThrow('status code 403');",
      "expect(res.headers['x-status']).toBe('403');",
    ];
    const report = await run({ 'src/app.ts': server, 'test/app.test.ts': test('/a', lines) });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.action, s.line])).toEqual([
      ['manual', 6],
      ['manual', 7],
      ['manual', 8],
      ['manual', 9],
    ]);
    for (const site of tests)
      expect(site.reason).toMatch(
        /on a reply whose server this run rewrote to answer 401: .* change the expected text by hand/,
      );
    expect(report.census.notAnEmit.string ?? 0).toBe(0);
  });
});

// Session 49: an error code that spells the status (`'E403'`, `'HTTP_403'`, `'ERR_403'`) asserted on a reply was a
// `string` in the census whatever the server did; it follows the request it checks as a text holding 403 does.
describe('error codes spelling the status follow the server', () => {
  const server = [
    "import express from 'express';",
    'export const app = express();',
    "app.get('/a', (req, res) => res.status(403).json({ code: 'E403' }));",
    "app.get('/d', (req, res) => res.status(Number(req.query.s)).json({ code: 'E403' }));",
    '',
  ].join('\n');
  const test = (route: string, lines: readonly string[]): string =>
    [
      "import assert from 'node:assert';",
      "import request from 'supertest';",
      "import { app } from '../src/app';",
      "it('denies', async () => {",
      `  const res = await request(app).get('${route}');`,
      ...lines.map((line) => `  ${line}`),
      '});',
      '',
    ].join('\n');
  const spellings = [
    "expect(res.body.code).toBe('E403');",
    "assert.strictEqual(res.body.code, 'ERR_403');",
    "t.equal(res.body.code, 'HTTP_403');",
    "res.body.code.should.equal('E403');",
    "chai.expect(res.body.code).to.equal('FORBIDDEN_403');",
  ];

  it('is manual, naming the code, where this run rewrote its server; a string with no server to check', async () => {
    const report = await run({
      'src/app.ts': server,
      'test/app.test.ts': test('/a', spellings),
      // A client's error the test makes itself: no request, no server.
      'test/client.test.ts': [
        "import t from 'tap';",
        "t.test('code', (t) => {",
        "  const er = Object.assign(new Error('denied'), { code: 'E403' });",
        "  t.equal(er.code, 'E403');",
        '  t.end();',
        '});',
        '',
      ].join('\n'),
    });
    expect(report.sites.filter((s) => s.file === 'test/client.test.ts')).toEqual([]);
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.action, s.line])).toEqual([6, 7, 8, 9, 10].map((l) => ['manual', l]));
    for (const site of tests)
      expect(site.reason).toMatch(
        /^Asserts the error code '[A-Z_]+403', which spells the status, on a reply whose server this run rewrote \(res\.status\(403\) \(src\/app\.ts:3\), reached by route GET \/a \(src\/app\.ts:3\)\) to answer 401: .*change this one with it/,
      );
  });

  it('is manual naming the site where the server still answers 403', async () => {
    const report = await run({ 'src/app.ts': server, 'test/app.test.ts': test('/d', spellings) });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => s.action)).toEqual(Array(5).fill('manual'));
    for (const site of tests)
      expect(site.reason).toMatch(
        /^Asserts a text holding 403 \('.+'\) that is still emitted by res\.status\(Number/,
      );
  });
});

// Session 49 (left49a): a code spelling the status with the name first or a separator (`'403_FORBIDDEN'`,
// `'HTTP-403'`, `'E_403'`) was read as a text holding 403 ("mtls-fix cannot tell what that text becomes"), or,
// in a test that makes no request, as a 403 of the test; and the code's reason named no server site.
describe('error codes spelling the status in any order and with any separator', () => {
  const server = [
    "import express from 'express';",
    'export const app = express();',
    "app.get('/a', (req, res) => res.status(403).json({ code: 'E403' }));",
    '',
  ].join('\n');
  const spellings = [
    "expect(res.body.code).toBe('403_FORBIDDEN');",
    "assert.strictEqual(res.body.code, 'FORBIDDEN_403');",
    "t.equal(res.body.code, 'E_403');",
    "res.body.code.should.equal('HTTP-403');",
    "chai.expect(res.body.code).to.equal('403-Forbidden');",
    "vi.expect(res.body.code).toBe('HTTP.403');",
  ];

  it('is manual as an error code naming the rewritten site; a string with no request', async () => {
    const report = await run({
      'src/app.ts': server,
      'test/app.test.ts': [
        "import assert from 'node:assert';",
        "import request from 'supertest';",
        "import { app } from '../src/app';",
        "it('denies', async () => {",
        "  const res = await request(app).get('/a');",
        ...spellings.map((line) => `  ${line}`),
        '});',
        '',
      ].join('\n'),
      'test/client.test.ts': [
        "import t from 'tap';",
        "t.test('code', (t) => {",
        "  const er = Object.assign(new Error('denied'), { code: '403_FORBIDDEN' });",
        "  t.equal(er.code, '403_FORBIDDEN');",
        "  t.equal(er.code, 'HTTP-403');",
        '  t.end();',
        '});',
        '',
      ].join('\n'),
    });
    expect(report.sites.filter((s) => s.file === 'test/client.test.ts')).toEqual([]);
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.action, s.line])).toEqual([6, 7, 8, 9, 10, 11].map((l) => ['manual', l]));
    for (const site of tests)
      expect(site.reason).toMatch(
        /^Asserts the error code '[A-Za-z0-9_.-]+', which spells the status, on a reply whose server this run rewrote \(res\.status\(403\) \(src\/app\.ts:3\), reached by route GET \/a \(src\/app\.ts:3\)\) to answer 401: .*change this one with it/,
      );
  });
});

// Session 49: a text beside a status assertion this run rewrites (`.expect(403, 'HTTP 403')`, a code read after
// `.expect(403)`) was named with the words for server code ("says Forbidden (403) ... reword it to match (e.g.
// 'Unauthorized')"); it is the body the test expects, and its reason says so and names the assertion.
describe('an expected text beside a rewritten status assertion', () => {
  const server = [
    "import express from 'express';",
    'export const app = express();',
    "app.get('/a', (req, res) => res.status(403).send('HTTP 403'));",
    '',
  ].join('\n');

  it('names the expected text and the assertion it goes with', async () => {
    const report = await run({
      'src/app.ts': server,
      'test/app.test.ts': [
        "import request from 'supertest';",
        "import { app } from '../src/app';",
        "it('denies', () => request(app).get('/a').expect(403, 'HTTP 403'));",
        "it('denies with a code', async () => {",
        "  const res = await request(app).get('/a').expect(403);",
        "  expect(res.body.code).toBe('E403');",
        '});',
        '',
      ].join('\n'),
    });
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts' && s.action === 'manual');
    expect(tests.map((s) => s.line)).toEqual([3, 6]);
    expect(tests[0].reason).toMatch(
      /^The expected text 'HTTP 403' spells Forbidden \(403\) beside the assertion this run rewrites to expect 401 \(request\(app\)\.get\('\/a'\)\.expect\(403, 'HTTP 403'\)\): it is what the test expects the server to send/,
    );
    // The code after the status assertion is read as an error code spelling the status (above).
    expect(tests[1].reason).toMatch(/^Asserts the error code 'E403', which spells the status, on a reply/);
  });
});

// Session 50: a code whose name ends in a digit (`'HTTP2-403'`, `'E2-403'`) and an IIS sub-status (`'403.1'`) were
// texts holding 403 ("mtls-fix cannot tell what that text becomes"; with no request, a 403 whose server could not be
// found); a version (`'v1.403'`, `'1.2.403'`) was one too. The codes follow the server as 'E403' does; a version is
// no status, counted as `version`.
describe('codes with a digit in the name, IIS sub-statuses and versions', () => {
  const server = [
    "import express from 'express';",
    'export const app = express();',
    "app.get('/a', (req, res) => res.status(403).json({ code: 'E403' }));",
    '',
  ].join('\n');
  const codes = ["'HTTP2-403'", "'E2-403'", "'403.1'", "'IIS 403.14'"];
  const versions = ["'v1.403'", "'1.2.403'"];

  it('reads the codes as codes and the versions as no status', async () => {
    const report = await run(
      {
        'src/app.ts': server,
        'test/app.test.ts': [
          "import request from 'supertest';",
          "import { app } from '../src/app';",
          "it('denies', async () => {",
          "  const res = await request(app).get('/a');",
          ...[...codes, ...versions].map((t) => `  expect(res.body.code).toBe(${t});`),
          '});',
          '',
        ].join('\n'),
        'test/unit.test.ts': [
          "import { codeOf } from '../src/app';",
          "it('names', () => {",
          ...[...codes, ...versions].map((t) => `  expect(codeOf()).toBe(${t});`),
          '});',
          '',
        ].join('\n'),
      },
      true,
    );
    const tests = report.sites.filter((s) => s.file === 'test/app.test.ts');
    expect(tests.map((s) => [s.line, s.action, s.reason?.split(', which')[0]])).toEqual(
      codes.map((t, i) => [5 + i, 'manual', `Asserts the error code ${t}`]),
    );
    expect(report.sites.filter((s) => s.file === 'test/unit.test.ts')).toEqual([]);
    const kinds = (file: string): string[] =>
      (report.notAnEmit ?? []).filter((n) => n.file === file).map((n) => `${n.text} ${n.kind}`);
    expect(kinds('test/app.test.ts')).toEqual(versions.map((t) => `${t} version`));
    expect(kinds('test/unit.test.ts')).toEqual([
      ...codes.map((t) => `${t} string`),
      ...versions.map((t) => `${t} version`),
    ]);
  });
});
