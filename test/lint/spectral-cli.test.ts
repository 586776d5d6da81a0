import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/paths.js';

const SPECTRAL_CLI = path.join(REPO_ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');

interface Result {
  code: string;
  message: string;
  path: (string | number)[];
  range: { start: { line: number } };
}

/** A user's project: mtls-fix installed in node_modules, a one-line .spectral.yaml, maybe our config file. */
function spectralProject(config?: string): string {
  const cwd = tempProject({ '.spectral.yaml': 'extends: ["mtls-fix/ruleset"]\n' });
  mkdirSync(path.join(cwd, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(cwd, 'node_modules', 'mtls-fix'), 'dir');
  if (config) writeFileSync(path.join(cwd, 'mtls-fix.config.yaml'), config);
  return cwd;
}

function stockSpectral(cwd: string, file: string): Result[] {
  const run = spawnSync(process.execPath, [SPECTRAL_CLI, 'lint', file, '-f', 'json', '--quiet'], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as Result[]).filter((result) => result.code.startsWith('mtls-'));
}

function ours(cwd: string, file: string): Result[] {
  return JSON.parse(runCli(['lint', file, '-f', 'json'], { cwd }).stdout) as Result[];
}

/** What must agree: rule, message, path and line of every result, in any order. */
function comparable(results: Result[]): string[] {
  return results
    .map((r) => [r.code, r.message, JSON.stringify(r.path), r.range.start.line].join(' | '))
    .sort();
}

describe('the ruleset from the stock Spectral CLI (extends: ["mtls-fix/ruleset"])', () => {
  it('gives the same results as mtls-fix lint on the bundled example', () => {
    const cwd = spectralProject();
    copyFileSync(path.join(REPO_ROOT, 'examples/openapi.yaml'), path.join(cwd, 'openapi.yaml'));
    const stock = stockSpectral(cwd, 'openapi.yaml');
    expect(stock.map((result) => result.code)).toEqual(['mtls-no-403', 'mtls-4xx-range']);
    expect(comparable(stock)).toEqual(comparable(ours(cwd, 'openapi.yaml')));
  });

  it.each([
    ['brazil-open-finance-enrollments-v2.1.0.yaml', undefined, 8],
    ['cdr-au-register-v1.36.0.yaml', undefined, 1],
    ['uk-open-banking-dcr-v3.1.2-swagger2.yaml', 'mtls:\n  everywhere: true\n', 3],
    ['gematik-vzd-directory-application-maintenance.yaml', 'mtls:\n  everywhere: true\n', 9],
    ['gematik-zeta-notification-service-rs-endpoint.yaml', 'status: 404\n', 2],
  ])('gives the same results on corpus %s (config: %j)', (file, config, count) => {
    const cwd = spectralProject(config);
    copyFileSync(path.join(CORPUS_DIR, file), path.join(cwd, file));
    const stock = stockSpectral(cwd, file);
    expect(stock.filter((result) => result.code === 'mtls-no-403')).toHaveLength(count);
    expect(comparable(stock)).toEqual(comparable(ours(cwd, file)));
  });

  // Session 14: stock Spectral printed "No results" for a document none of whose operations is mTLS-secured.
  it.each([
    ['2.0', 'json'],
    ['3.0.3', 'yaml'],
    ['3.1.0', 'json'],
    ['3.2.0', 'yaml'],
  ])(
    'OAS %s (%s) with no mTLS-secured operation: one mtls-unchecked result, as mtls-fix lint gives',
    (version, ext) => {
      const cwd = spectralProject();
      const document = {
        ...(version === '2.0' ? { swagger: '2.0' } : { openapi: version }),
        info: { title: 't', version: '1' },
        paths: {
          '/a': { get: { responses: { '200': { description: 'ok' }, '403': { description: 'no' } } } },
          '/b': { 'x-mtls': false, get: { responses: { '403': { description: 'no' } } } },
        },
      };
      const file = `openapi.${ext}`;
      writeFileSync(
        path.join(cwd, file),
        ext === 'json'
          ? JSON.stringify(document, null, 2)
          : `${version === '2.0' ? "swagger: '2.0'" : `openapi: ${version}`}\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        '403': {description: no}\n  /b:\n    x-mtls: false\n    get:\n      responses:\n        '403': {description: no}\n`,
      );
      const stock = stockSpectral(cwd, file);
      expect(stock.map((result) => [result.code, result.path, result.range.start.line])).toEqual([
        ['mtls-unchecked', [], 0],
      ]);
      expect(stock[0].message).toContain(
        '1 of its 2 operations documents a 403 (GET /a); not counted: 403s of 1 with x-mtls: false (GET /b)',
      );
      expect(comparable(stock)).toEqual(comparable(ours(cwd, file)));
    },
  );

  // Session 15: config `rules: { mtls-unchecked: off }` (unknown before) silences the rule under stock Spectral too.
  it('config rules: { mtls-unchecked: off } turns the rule off under stock Spectral as in mtls-fix lint', () => {
    const cwd = spectralProject('rules: { mtls-unchecked: off }\n');
    writeFileSync(
      path.join(cwd, 'openapi.yaml'),
      "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '403': {description: no}\n",
    );
    expect(stockSpectral(cwd, 'openapi.yaml')).toEqual([]);
    expect(ours(cwd, 'openapi.yaml')).toEqual([]);
  });

  // Session 37 (breaker37 02/03/06): what a document writes to declare mTLS but is not read is named under stock
  // Spectral too (mtls-config is not part of the ruleset, so mtls-unchecked's text is all a Spectral user sees);
  // `x-mtls: true` on a server is read there as in mtls-fix lint.
  it('names x-mTLS, an unused mutualTLS scheme and a type X509 scheme under stock Spectral; reads x-mtls on a server', () => {
    const cwd = spectralProject();
    const op = "paths:\n  /a:\n    get:\n      responses:\n        '403': {description: no}\n";
    const documents: [string, string, string][] = [
      [
        'slip.yaml',
        `swagger: '2.0'\ninfo: {title: t, version: '1'}\nx-mTLS: true\n${op}`,
        'x-mTLS on the root at line 3 is not read: the key read is x-mtls, lower case',
      ],
      [
        'unused.json',
        JSON.stringify(
          {
            openapi: '3.1.0',
            info: { title: 't', version: '1' },
            paths: { '/a': { get: { responses: { '403': { description: 'no' } } } } },
            components: { securitySchemes: { clientCert: { type: 'mutualTLS' } } },
          },
          null,
          2,
        ),
        "scheme 'clientCert' (type mutualTLS at line 20) is defined but no operation's security names it",
      ],
      [
        'x509.yaml',
        `openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{c: []}]\n${op}components:\n  securitySchemes:\n    c: {type: X509}\n`,
        "scheme 'c' has type 'X509' at line 11, which OpenAPI does not define",
      ],
      [
        'server.yaml',
        `openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.bank.example', x-mtls: true}]\n${op}`,
        "server 'https://api.bank.example' marked x-mtls: true",
      ],
    ];
    for (const [file, text, says] of documents) {
      writeFileSync(path.join(cwd, file), text);
      const stock = stockSpectral(cwd, file);
      expect(stock.map((result) => result.code)).toEqual([
        file === 'server.yaml' ? 'mtls-no-403' : 'mtls-unchecked',
      ]);
      expect(stock[0]?.message).toContain(says);
      expect(stock[0]?.message).not.toContain('nothing in it declares mTLS');
      const mine = ours(cwd, file).filter((result) => result.code !== 'mtls-config');
      expect(comparable(stock)).toEqual(comparable(mine));
    }
    // Eight CLI runs (four of stock Spectral): 60 s, the default, ran out on a loaded two-core machine.
  }, 180_000);

  it('a part mtls-fix cannot read gives one result naming it, and other rulesets still report', () => {
    const cwd = spectralProject();
    writeFileSync(path.join(cwd, '.spectral.yaml'), 'extends: ["spectral:oas", "mtls-fix/ruleset"]\n');
    writeFileSync(
      path.join(cwd, 'openapi.yaml'),
      "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n        '403': {$ref: 'other.yaml#/missing'}\n",
    );
    writeFileSync(path.join(cwd, 'other.yaml'), 'a: 1\n');
    const run = spawnSync(process.execPath, [SPECTRAL_CLI, 'lint', 'openapi.yaml', '-f', 'json', '--quiet'], {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const results = JSON.parse(run.stdout) as Result[];
    expect(results.some((result) => !result.code.startsWith('mtls-'))).toBe(true);
    const ours = results.filter((result) => result.code === 'mtls-no-403');
    expect(ours.map((result) => result.message)).toEqual([
      expect.stringMatching(
        /^mtls-fix could not read this part: openapi\.yaml:8:\d+ .*unresolvable \$ref 'other\.yaml#\/missing'/,
      ),
    ]);
  });

  it('reads the multi-file corpus document the same way', () => {
    const cwd = spectralProject('mtls:\n  everywhere: true\n');
    cpSync(path.join(CORPUS_DIR, 'gematik-zeta-client-management'), path.join(cwd, 'zeta'), {
      recursive: true,
    });
    const file = 'zeta/openapi/zeta-guard-client-management.yaml';
    const stock = stockSpectral(cwd, file);
    expect(stock).toHaveLength(2);
    expect(comparable(stock)).toEqual(comparable(ours(cwd, file)));
  });

  // Session 22: Spectral places a result by its own parser. In a lone-CR file every result was on line 1
  // (`1:146`); a key its parser reads otherwise (`0623`, `0x193`, `? !!str 403`) fell back to 1:1 or the next
  // line; and a key only YAML 1.1 reads as 403 (`4_03`) was no result at all. Now each is a result, and where
  // Spectral's line is not the key's, the message names the key's line and column.
  it('names the key line where Spectral places a result elsewhere; YAML 1.1 spellings are results', () => {
    const cwd = spectralProject();
    const head =
      "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n";
    const files: Record<string, [string, number]> = {
      'cr.yaml': [`${head}        '403':\n          description: no\n`.replace(/\n/g, '\r'), 8],
      'octal.yaml': [`${head}        0623:\n          description: no\n`, 8],
      'hex.yaml': [`${head}        0x193:\n          description: no\n`, 8],
      'explicit.yaml': [`${head}        ? !!str 403\n        : description: no\n`, 8],
      'underscore.yaml': [`${head}        4_03:\n          description: no\n`, 8],
    };
    for (const [file, [text, line]] of Object.entries(files)) {
      writeFileSync(path.join(cwd, file), text);
      const stock = stockSpectral(cwd, file);
      expect(
        stock.map((result) => result.code),
        file,
      ).toEqual(['mtls-no-403']);
      const [result] = stock;
      if (!result) continue;
      const ourLine = ours(cwd, file)[0]?.range.start.line;
      expect(ourLine, file).toBe(line - 1);
      if (result.range.start.line === line - 1) expect(result.message, file).not.toContain('[The key is at');
      else
        expect(result.message, file).toMatch(
          new RegExp(
            `\\[The key is at line ${line}, column \\d+; .* so it places this result at \\d+:\\d+\\.\\]$`,
          ),
        );
    }
  }, 300_000);
});
