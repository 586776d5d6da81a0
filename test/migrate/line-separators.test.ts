import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

// Session 39 (breaker39 #01): TypeScript counts U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR) as line
// breaks, editors, git, GitHub and SARIF 2.1.0 (§3.30.2) do not: every line migrate reported below one was one too
// far (text, --check, --json, SARIF, github-actions), and a column after one on the same line counted from it.
// A lone CR does end a line, in every tool; both are counted by src/util/lines.ts.

/** Line 3 holds U+2028 in a string, line 4 U+2029 in a comment; line 8 a separator before the site on it. */
const SEPARATORS = [
  'const express = require("express");',
  'const app = express();',
  'const HELP = "one\u2028two";',
  '// para\u2029graph',
  'app.get("/b", async (req, res) => {',
  '  res.status(req.query.s).send(HELP);',
  '});',
  'const T = "a\u2028b"; app.get("/c", (req, res) => res.status(403).send(T));',
  'module.exports = app;',
  '',
].join('\n');

/** Classic Mac OS line ends: one lone CR after each line. */
const LONE_CR = [
  'const express = require("express");',
  'const app = express();',
  'app.get("/d", (req, res) => res.status(403).end());',
  'module.exports = app;',
  '',
].join('\r');

/** Where the sites are, as `grep -n` and an editor show them: file:line:column (1-based, UTF-16 columns). */
const EXPECTED = ['src/cr.js:3:29', 'src/sep.js:6:3', 'src/sep.js:8:46'];

const CI = { GITHUB_ACTIONS: '', CI: '' };

describe('migrate reports lines as editors count them (U+2028, U+2029, lone CR)', () => {
  const cwd = tempProject({
    'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
    'src/sep.js': SEPARATORS,
    'src/cr.js': LONE_CR,
  });

  it('the fixture: the sites are where the comment says', () => {
    const lines = SEPARATORS.split('\n');
    expect(lines[5]).toContain('res.status(req.query.s)');
    expect(lines[7]?.indexOf('res.status(403)')).toBe(45);
    expect(LONE_CR.split('\r')[2]?.indexOf('res.status(403)')).toBe(28);
  });

  it('text (--check)', () => {
    const run = runCli(['migrate', 'src', '--check'], { cwd, env: CI });
    expect(run.code).toBe(1);
    const located = [...run.stdout.matchAll(/^(src\/\S+\.js:\d+:\d+)\s/gm)].map((m) => m[1]).sort();
    expect(located).toEqual(EXPECTED);
  });

  it('--json', () => {
    const run = runCli(['migrate', 'src', '--check', '--json'], { cwd, env: CI });
    const report = JSON.parse(run.stdout) as { sites: { file: string; line: number; column: number }[] };
    expect(report.sites.map((s) => `${s.file}:${s.line}:${s.column}`).sort()).toEqual(EXPECTED);
  });

  it('--format sarif', () => {
    const run = runCli(['migrate', 'src', '--check', '--format', 'sarif'], { cwd, env: CI });
    const sarif = JSON.parse(run.stdout) as {
      runs: {
        columnKind: string;
        results: {
          locations: {
            physicalLocation: {
              artifactLocation: { uri: string };
              region: { startLine: number; startColumn: number };
            };
          }[];
        }[];
      }[];
    };
    const [only] = sarif.runs;
    expect(only?.columnKind).toBe('utf16CodeUnits');
    const located = only?.results.map(({ locations: [where] }) => {
      const { artifactLocation, region } = where?.physicalLocation ?? {};
      return `${artifactLocation?.uri}:${region?.startLine}:${region?.startColumn}`;
    });
    expect(located?.sort()).toEqual(EXPECTED);
  });

  it('--format github-actions', () => {
    const run = runCli(['migrate', 'src', '--check', '--format', 'github-actions'], { cwd, env: CI });
    const located = [...run.stdout.matchAll(/^::\w+ file=([^,]+),line=(\d+),col=(\d+)/gm)].map(
      (m) => `${m[1]}:${m[2]}:${m[3]}`,
    );
    expect(located.sort()).toEqual(EXPECTED);
  });
});

describe('the rewrite preview names lines as editors do', () => {
  it('`+ line N` of companions after a U+2028 line', () => {
    const cwd = tempProject({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/multi.js': [
        'const express = require("express");',
        'const app = express();',
        'const HELP = "one\u2028two";',
        'app.get("/e", (req, res) => {',
        '  res',
        '    .status(403)',
        '    .json({',
        '      statusCode: 403,',
        '      message: "Forbidden",',
        '    });',
        '});',
        '',
      ].join('\n'),
    });
    const run = runCli(['migrate', 'src', '--check'], { cwd, env: CI });
    expect(run.stdout).toContain(
      'src/multi.js:5:3  res .status(403) -> res .status(401) + line 8: statusCode: 401, + line 9: message: "Unauthorized",',
    );
  });
});

describe('lint: U+2028/U+2029 inside YAML and JSON strings are ordinary characters, a lone CR ends a line', () => {
  const yaml = [
    'openapi: 3.1.0',
    'info:',
    '  title: t',
    '  version: "1"',
    '  description: "one\u2028two\u2029three"',
    'paths:',
    '  /a:',
    '    get:',
    '      description: x\u2028y',
    '      security: [{ cert: [] }]',
    '      responses:',
    '        "403": { description: no }',
    'components:',
    '  securitySchemes:',
    '    cert: { type: mutualTLS }',
    '',
  ];
  const json = `${JSON.stringify(
    {
      openapi: '3.1.0',
      info: { title: 't\u2028x', version: '1' },
      paths: { '/a': { get: { security: [{ cert: [] }], responses: { '403': { description: 'no' } } } } },
      components: { securitySchemes: { cert: { type: 'mutualTLS' } } },
    },
    null,
    2,
  )}\n`;
  const cwd = tempProject({
    'lf.yaml': yaml.join('\n'),
    'cr.yaml': yaml.join('\r'),
    'doc.json': json,
  });
  const jsonLine = json.split('\n').findIndex((line) => line.includes('"403"'));
  const expected = ['cr.yaml:12:9', 'doc.json:' + String(jsonLine + 1) + ':11', 'lf.yaml:12:9'];

  it('--format json and sarif', () => {
    const files = ['lf.yaml', 'cr.yaml', 'doc.json'];
    const asJson = runCli(['lint', ...files, '--format', 'json'], { cwd });
    const findings = JSON.parse(asJson.stdout) as {
      source: string;
      range: { start: { line: number; character: number } };
    }[];
    expect(
      findings
        .map((f) => `${f.source.split('/').pop()}:${f.range.start.line + 1}:${f.range.start.character + 1}`)
        .sort(),
    ).toEqual(expected);
    const asSarif = runCli(['lint', ...files, '--format', 'sarif'], { cwd });
    const sarif = JSON.parse(asSarif.stdout) as {
      runs: {
        results: {
          locations: {
            physicalLocation: {
              artifactLocation: { uri: string };
              region: { startLine: number; startColumn: number };
            };
          }[];
        }[];
      }[];
    };
    const located = sarif.runs[0]?.results.map(({ locations: [where] }) => {
      const { artifactLocation, region } = where?.physicalLocation ?? {};
      return `${artifactLocation?.uri.split('/').pop()}:${region?.startLine}:${region?.startColumn}`;
    });
    expect(located?.sort()).toEqual(expected);
  });
});
