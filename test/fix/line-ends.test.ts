import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

/**
 * Documents whose lines end in a lone CR (classic Mac OS; YAML 1.2 §5.4 reads it as a line break, JSON as white
 * space), alone, after a BOM, or mixed with CRLF. Before: `lint` put every finding at line 1 (lines were counted
 * by LF), and `fix` skipped every key ("the key was not found in the text; rename it by hand", `:0`), so a gate
 * could not be made to pass. The oracle: the same document written with LF, whose lines and fixed text are
 * established; the CR file must report the same lines and fix to the same text with CR line ends.
 */

interface Scenario {
  name: string;
  file: string;
  lines: string[];
  args?: string[];
}

const YAML_HEAD = [
  'openapi: 3.0.3',
  'info: {title: t, version: "1"}',
  'x-mtls: true',
  'paths:',
  '  /a:',
  '    get:',
];

const SCENARIOS: Scenario[] = [
  {
    name: 'YAML: a 403 renamed (comment on its line)',
    file: 'openapi.yaml',
    lines: [
      ...YAML_HEAD,
      '      responses:',
      '        "200": {description: ok}',
      '        "403": {description: no} # why',
    ],
  },
  {
    name: 'YAML: a 403 merged into the documented 401 (lines added)',
    file: 'openapi.yaml',
    args: ['--on-conflict', 'merge'],
    lines: [
      ...YAML_HEAD,
      '      responses:',
      '        "401":',
      '          description: unauth',
      '        "403":',
      '          description: no',
      '          headers:',
      '            X-Rate: {schema: {type: string}}',
    ],
  },
  {
    name: 'YAML: API Gateway default 403s (a map added at the end)',
    file: 'openapi.yaml',
    lines: [
      'swagger: "2.0"',
      'info: {title: t, version: "1"}',
      'host: mtls.bank.example',
      'x-amazon-apigateway-api-key-source: HEADER',
      'paths:',
      '  /a:',
      '    get:',
      '      security: [{key: []}]',
      '      responses:',
      '        "200": {description: ok}',
      'securityDefinitions:',
      '  key: {type: apiKey, name: x-api-key, in: header}',
    ],
  },
  {
    name: 'JSON: a 403 renamed',
    file: 'openapi.json',
    lines: [
      '{',
      '  "openapi": "3.0.3",',
      '  "info": {"title": "t", "version": "1"},',
      '  "x-mtls": true,',
      '  "paths": {',
      '    "/a": {',
      '      "get": {',
      '        "responses": {',
      '          "200": {"description": "ok"},',
      '          "403": {"description": "no"}',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
    ],
  },
  {
    name: 'JSON: a 403 removed (401 documented)',
    file: 'openapi.json',
    lines: [
      '{',
      '  "swagger": "2.0",',
      '  "info": {"title": "t", "version": "1"},',
      '  "x-mtls": true,',
      '  "paths": {"/a": {"get": {"responses": {',
      '    "401": {"description": "who"},',
      '    "403": {',
      '      "description": "no"',
      '    }',
      '  }}}}',
      '}',
    ],
  },
];

/** The lint results of `files` in `cwd`: file name -> [rule, 1-based line] of each. */
function lintLines(cwd: string, files: string[]): Map<string, [string, number][]> {
  const run = runCli(['lint', '-f', 'json', ...files], { cwd });
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const results = JSON.parse(run.stdout) as {
    code: string;
    source: string;
    range: { start: { line: number } };
  }[];
  const byFile = new Map<string, [string, number][]>(files.map((file) => [file, []]));
  for (const result of results)
    byFile.get(path.basename(result.source))?.push([result.code, result.range.start.line + 1]);
  return byFile;
}

describe('lint and fix: lone-CR line ends', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, () => {
      const extension = path.extname(scenario.file);
      const body = (eol: string): string => scenario.lines.join(eol) + eol;
      const files = {
        [`lf${extension}`]: body('\n'),
        [`cr${extension}`]: body('\r'),
        [`bom-cr${extension}`]: `\uFEFF${body('\r')}`,
      };
      const cwd = tempProject(files);
      const names = Object.keys(files);

      const lines = lintLines(cwd, names);
      expect(lines.get(`lf${extension}`)?.length).toBeGreaterThan(0);
      expect(lines.get(`cr${extension}`)).toEqual(lines.get(`lf${extension}`));
      expect(lines.get(`bom-cr${extension}`)).toEqual(lines.get(`lf${extension}`));

      const fixed = runCli(['fix', ...(scenario.args ?? []), ...names], { cwd });
      expect(fixed.stdout).not.toMatch(/not changed|by hand|:0\)/);
      expect(fixed.code).toBe(0);
      const lf = readFileSync(path.join(cwd, `lf${extension}`), 'utf8');
      expect(lf).not.toBe(files[`lf${extension}`]);
      expect(readFileSync(path.join(cwd, `cr${extension}`), 'utf8')).toBe(lf.replace(/\n/g, '\r'));
      expect(readFileSync(path.join(cwd, `bom-cr${extension}`), 'utf8')).toBe(
        `\uFEFF${lf.replace(/\n/g, '\r')}`,
      );
      // The report names the line an editor shows, as for the LF file.
      const reported = (name: string): string[] =>
        [...fixed.stdout.matchAll(new RegExp(`\\(${name.replace('.', '\\.')}:(\\d+)\\)`, 'g'))].map(
          (m) => m[1],
        );
      expect(reported(`cr${extension}`)).toEqual(reported(`lf${extension}`));

      const check = runCli(['fix', '--check', ...(scenario.args ?? []), ...names], { cwd });
      expect(check.code).toBe(0);
    });
  }

  it('--dry-run writes nothing and shows the change; mixed CRLF and lone CR keep each line end', () => {
    const text =
      'openapi: 3.0.3\r\ninfo: {title: t, version: "1"}\rx-mtls: true\r\npaths:\r\n  /a:\r\n    get:\r\n' +
      '      responses:\r\n        "200": {description: ok}\r        "403": {description: no}\r\n';
    const cwd = tempProject({ 'openapi.yaml': text });
    const lint = lintLines(cwd, ['openapi.yaml']);
    expect(lint.get('openapi.yaml')).toEqual([['mtls-no-403', 9]]);
    const dry = runCli(['fix', '--dry-run', 'openapi.yaml'], { cwd });
    expect(dry.code).toBe(0);
    // Session 41: one diff line per line an editor shows, numbered as lint numbers them (before: one line per LF,
    // as git counts them, so the lone-CR line `"200"` was shown removed and added with the 403 inside it).
    expect(dry.stdout).toContain('\n@@ -5,5 +5,5 @@\n');
    expect(dry.stdout).toContain(
      '\n         "200": {description: ok}\n-        "403": {description: no}\r\n+        "401": {description: no}\r\n',
    );
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).toBe(text);
    expect(runCli(['fix', 'openapi.yaml'], { cwd }).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'openapi.yaml'), 'utf8')).toBe(text.replace('"403"', '"401"'));
  });

  it('a file that is not UTF-8 names the line an editor shows, with lone-CR line ends', () => {
    const text = Buffer.concat([
      Buffer.from('openapi: 3.0.3\rinfo:\r  title: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r'),
    ]);
    const cwd = tempProject({ 'openapi.yaml': text });
    const run = runCli(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mtls-fix: openapi\.yaml:3:\d+: not UTF-8 text/);
  });

  it('a config file with lone-CR line ends names the line of a bad key', () => {
    const cwd = tempProject({
      'openapi.yaml': SCENARIOS[0].lines.join('\n'),
      'mtls-fix.config.yaml': 'status: 401\rmtls:\r  everywhere: maybe\r',
    });
    const run = runCli(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/mtls-fix\.config\.yaml:3: invalid config key 'mtls\.everywhere'/);
  });
});
