import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits, SpliceError } from '../../src/fix/text-edits.js';
import { parsesToIntended } from '../../src/fix/verify.js';
import { writeFilesAtomic } from '../../src/util/write-atomic.js';
import { defaultComponentName } from '../../src/fix/components.js';
import { parseSource } from '../../src/openapi/index.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { no403Findings, runFix } from './helpers.js';

/** Fixes `text` as openapi.yaml (or .json) and returns the new text and the report. */
function fixText(text: string, options: Parameters<typeof runFix>[2] = {}, name = 'openapi.yaml') {
  const folder = tempProject({ [name]: text });
  const report = runFix(folder, name, options);
  return { folder, report, text: readFileSync(path.join(folder, name), 'utf8') };
}

const HEAD = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nx-mtls: true\n';

describe('fix: edge cases', () => {
  it('a responses map shared through a YAML alias with a non-mTLS operation is left alone', () => {
    const input =
      HEAD +
      "paths:\n  /a:\n    get:\n      responses: &common\n        '403':\n          description: no\n" +
      '  /b:\n    x-mtls: false\n    get:\n      responses: *common\n';
    const { report, text } = fixText(input);
    expect(text).toBe(input);
    expect(report.documents[0].changes[0]).toMatchObject({
      action: 'skipped',
      reason: expect.stringMatching(/shared with GET \/b/) as unknown,
    });
  });

  it('an aliased responses map whose every user is migrated is renamed once, at the anchor', async () => {
    const input =
      HEAD +
      "paths:\n  /a:\n    get:\n      responses: &common\n        '403':\n          description: no\n" +
      '  /b:\n    get:\n      responses: *common\n';
    const { folder, report, text } = fixText(input);
    expect(text).toBe(input.replace("'403'", "'401'"));
    expect(report.documents[0].changes).toHaveLength(1);
    expect(report.documents[0].changes[0].operations).toEqual(['GET /a', 'GET /b']);
    expect(await no403Findings(folder, 'openapi.yaml', {})).toEqual([]);
  });

  it('removes a 403 entry at the end of a file without a final newline', () => {
    const input =
      HEAD +
      "paths:\n  /a:\n    get:\n      responses:\n        '401': {description: who}\n        '403':\n          description: no";
    expect(fixText(input).text).toBe(
      HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '401': {description: who}\n",
    );
  });

  it('a removed entry takes its own comments; blank lines and the next key stay', () => {
    const input =
      HEAD +
      "paths:\n  /a:\n    get:\n      responses:\n        '401':\n          description: who\n" +
      "        '403': # not allowed\n          description: no # really\n\n        '500':\n          description: oops\n";
    expect(fixText(input).text).toBe(
      HEAD +
        "paths:\n  /a:\n    get:\n      responses:\n        '401':\n          description: who\n\n        '500':\n          description: oops\n",
    );
  });

  it('4XX, default, webhooks and callbacks are never changed', () => {
    const input =
      HEAD +
      'paths:\n  /a:\n    get:\n      responses:\n        4XX: {description: any}\n        default: {description: other}\n' +
      "      callbacks:\n        cb:\n          '{$request.body#/url}':\n            post:\n              responses:\n                '403': {description: no}\n" +
      "webhooks:\n  hook:\n    post:\n      responses:\n        '403': {description: no}\n";
    const { report, text } = fixText(input);
    expect(text).toBe(input);
    expect(report.documents[0].changes).toEqual([]);
  });

  it('JSON in one line keeps its compact style', () => {
    const input =
      '{"openapi":"3.1.0","info":{"title":"t","version":"1"},"x-mtls":true,"paths":{"/a":{"get":{"responses":{"403":{"description":"no"},"401":{"description":"who"}}}},"/b":{"get":{"responses":{"403":{"description":"no"}}}}}}';
    expect(fixText(input, {}, 'openapi.json').text).toBe(
      input
        .replace('{"403":{"description":"no"},"401"', '{"401"')
        .replace('{"403":{"description":"no"}}}}}}', '{"401":{"description":"no"}}}}}}'),
    );
  });

  it('--www-authenticate in JSON uses the file indentation', () => {
    const input =
      '{\n    "openapi": "3.1.0",\n    "info": {"title": "t", "version": "1"},\n    "x-mtls": true,\n    "paths": {\n        "/a": {\n            "get": {\n                "responses": {\n                    "403": {\n                        "description": "no"\n                    }\n                }\n            }\n        }\n    }\n}\n';
    const { text } = fixText(input, { wwwAuthenticate: 'Bearer' }, 'openapi.json');
    expect(text).toContain(
      '                    "401": {\n                        "description": "no",\n                        "headers": {\n                            "WWW-Authenticate": {\n',
    );
    expect(JSON.parse(text)).toBeTruthy();
  });

  it('never writes text that does not parse back to the intended data', () => {
    const file = parseSource(Buffer.from("a:\n  '403': x\n"), '/tmp/x.yaml');
    const ops = [{ kind: 'rename-key' as const, map: ['a'], from: '403', to: '401' }];
    expect(parsesToIntended(file, "a:\n  '401': x\n", ops)).toBe(true);
    expect(parsesToIntended(file, "a:\n  '401': y\n", ops)).toBe(false);
    expect(parsesToIntended(file, "a:\n  '401: x\n", ops)).toBe(false);
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: '' },
        { start: 2, end: 5, text: '' },
      ]),
    ).toThrow(SpliceError);
  });

  it('a failed write leaves every original and no temp file', () => {
    const folder = tempProject({ 'a.yaml': 'a: 1\n' });
    expect(() =>
      writeFilesAtomic([
        { path: path.join(folder, 'a.yaml'), text: 'a: 2\n', display: 'a.yaml' },
        { path: path.join(folder, 'missing/b.yaml'), text: 'b: 2\n', display: 'missing/b.yaml' },
      ]),
    ).toThrow(/cannot write \(ENOENT\); nothing was written/);
    expect(readFileSync(path.join(folder, 'a.yaml'), 'utf8')).toBe('a: 1\n');
    expect(readdirSync(folder)).toEqual(['a.yaml']);
    expect(existsSync(path.join(folder, 'missing'))).toBe(false);
  });

  it('default component names follow the old name', () => {
    expect(defaultComponentName('Forbidden', 401)).toBe('Unauthorized');
    expect(defaultComponentName('ForbiddenError', 404)).toBe('NotFoundError');
    expect(defaultComponentName('forbidden', 401)).toBe('unauthorized');
    expect(defaultComponentName('FORBIDDEN', 404)).toBe('NOT_FOUND');
    expect(defaultComponentName('403Error', 401)).toBe('401Error');
    expect(defaultComponentName('AccessDenied', 401)).toBe('Unauthorized');
    // The reason word follows the number (issue 14 §6).
    expect(defaultComponentName('FORBIDDEN_403_Post', 401)).toBe('UNAUTHORIZED_401_Post');
    expect(defaultComponentName('Forbidden403', 401)).toBe('Unauthorized401');
  });
});

describe('fix: removing an entry between blank lines', () => {
  it('keeps one blank line, not two', () => {
    const input =
      HEAD +
      "paths:\n  /a:\n    get:\n      responses:\n        '401':\n          description: who\n\n" +
      "        '403':\n          description: no\n\n        '500':\n          description: oops\n";
    expect(fixText(input).text).toBe(
      HEAD +
        "paths:\n  /a:\n    get:\n      responses:\n        '401':\n          description: who\n\n        '500':\n          description: oops\n",
    );
  });
});

describe('fix: YAML merge keys (<<)', () => {
  it('a 403 inherited through <<, or one a << would show through, is skipped with the reason', () => {
    const input =
      HEAD +
      "x-common: &common\n  '403':\n    description: no\npaths:\n  /a:\n    get:\n      responses:\n        <<: *common\n" +
      "        '200': {description: ok}\n  /b:\n    get:\n      responses:\n        <<: *common\n        '403': {description: mine}\n";
    const { report, text } = fixText(input);
    const changes = report.documents[0].changes;
    expect(changes.map((change) => [change.operations[0], change.action])).toEqual([
      ['GET /a', 'skipped'],
      ['GET /b', 'skipped'],
    ]);
    expect(changes[0].reason).toMatch(/inherited through a YAML merge key/);
    expect(changes[1].reason).toMatch(/also brings a 403, which would show through/);
    expect(text).toBe(input);
  });
});

describe('fix --on-conflict merge: replaced values are written in block style', () => {
  it('a flow schema in a block map becomes a block oneOf', () => {
    const input =
      HEAD +
      "paths:\n  /a:\n    get:\n      responses:\n        '401':\n          description: who\n          content:\n" +
      "            application/json:\n              schema: {$ref: '#/components/schemas/A'}\n" +
      "        '403':\n          description: who\n          content:\n            application/json:\n" +
      "              schema: {$ref: '#/components/schemas/B'}\n";
    expect(fixText(input, { onConflict: 'merge' }).text).toBe(
      HEAD +
        "paths:\n  /a:\n    get:\n      responses:\n        '401':\n          description: who\n          content:\n" +
        '            application/json:\n              schema:\n                oneOf:\n' +
        "                  - $ref: '#/components/schemas/A'\n                  - $ref: '#/components/schemas/B'\n",
    );
  });
});

describe('fix: content is never added through a YAML alias', () => {
  it('--www-authenticate leaves an aliased 403 and says why', () => {
    const input =
      HEAD +
      "x-shared: &forbidden\n  description: no\npaths:\n  /a:\n    get:\n      responses:\n        '403': *forbidden\n";
    const { report, text } = fixText(input, { wwwAuthenticate: 'Bearer' });
    expect(text).toBe(input.replace("'403'", "'401'"));
    expect(report.documents[0].changes[0].reason).toMatch(/YAML alias shared with other nodes/);
  });

  it('--on-conflict merge into an aliased 401 falls back to keep', () => {
    const input =
      HEAD +
      "x-shared: &who\n  description: who\npaths:\n  /a:\n    get:\n      responses:\n        '401': *who\n" +
      "        '403':\n          description: no\n";
    const { report, text } = fixText(input, { onConflict: 'merge' });
    expect(text).toBe(
      HEAD +
        "x-shared: &who\n  description: who\npaths:\n  /a:\n    get:\n      responses:\n        '401': *who\n",
    );
    expect(report.documents[0].changes[0]).toMatchObject({ action: 'removed', lost: ['description "no"'] });
  });
});

describe('fix: JSON with a BOM and CRLF', () => {
  it('keeps both, and added lines use CRLF', () => {
    const lines = [
      '{',
      '  "openapi": "3.1.0",',
      '  "info": { "title": "t", "version": "1" },',
      '  "x-mtls": true,',
      '  "paths": {',
      '    "/a": {',
      '      "get": {',
      '        "responses": {',
      '          "403": {',
      '            "description": "no"',
      '          }',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ];
    const { folder, report } = fixText(
      `\uFEFF${lines.join('\r\n')}`,
      { wwwAuthenticate: 'Bearer' },
      'openapi.json',
    );
    const bytes = readFileSync(path.join(folder, 'openapi.json'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text).toContain(
      '          "401": {\r\n            "description": "no",\r\n            "headers": {\r\n',
    );
    expect(report.documents[0].changes[0].added).toEqual(['header WWW-Authenticate']);
  });
});

describe('fix --rename-components: a component no $ref is left to', () => {
  it('keeps its name (every 403 using it was removed beside a documented 401)', () => {
    const input =
      HEAD +
      "paths:\n  /a:\n    get:\n      responses:\n        '401': {description: who}\n" +
      "        '403': {$ref: '#/components/responses/Forbidden'}\n" +
      'components:\n  responses:\n    Forbidden:\n      description: no\n';
    const { report, text } = fixText(input, { renameComponents: true });
    expect(text).not.toContain("'403'");
    expect(text).toContain('    Forbidden:\n');
    expect(report.documents[0].components[0]).toMatchObject({
      action: 'skipped',
      reason: expect.stringMatching(/unused now/) as unknown,
    });
  });
});

describe('fix and lint: YAML with old Mac line ends (a CR alone ends each line)', () => {
  const lines = [
    'openapi: 3.1.0',
    'info: { title: t, version: "1" }',
    'x-mtls: true',
    'paths:',
    '  /a:',
    '    get:',
    '      responses:',
    '        "403":',
    '          description: no',
    '',
  ];

  it('fix renames the key and writes every line end back as a CR (added lines too)', () => {
    // Before: the key was "not found in the text" (skipped, line 0) and nothing was written.
    const input = lines.join('\r');
    const { report, text } = fixText(input, { wwwAuthenticate: 'Bearer' });
    expect(report.documents[0].changes[0]).toMatchObject({ action: 'renamed' });
    expect(text).not.toContain('\n');
    expect(text).toContain('        "401":\r          description: no\r          headers:\r');
    expect(text.startsWith(lines.slice(0, 7).join('\r'))).toBe(true);
  });

  it('lint names the line of the key, not line 1', () => {
    // Before: every finding was at 1:1.
    const folder = tempProject({ 'openapi.yaml': lines.join('\r') });
    const run = runCli(['lint', '--format', 'json', 'openapi.yaml'], { cwd: folder });
    const findings = JSON.parse(run.stdout) as { range: { start: { line: number; character: number } } }[];
    expect(findings.map((f) => f.range.start)).toEqual([{ line: 7, character: 8 }]);
  });

  it('fix keeps each line end as it was in a file that mixes a CR alone with LFs and CRLFs', () => {
    // Before: the fix was right but lint and fix named line 8 for the key on line 9 (the CR alone not counted).
    const input = `${lines.slice(0, 3).join('\n')}\r${lines.slice(3, 5).join('\r\n')}\n${lines.slice(5).join('\n')}`;
    const { report, text } = fixText(input);
    expect(report.documents[0].changes[0]).toMatchObject({ action: 'renamed', line: 8 });
    expect(text).toBe(input.replace('"403"', '"401"'));
  });
});
