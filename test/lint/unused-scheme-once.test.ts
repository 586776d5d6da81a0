import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { parseSarif } from '../helpers/sarif.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 41 (lint41): an mTLS scheme that no operation's security names, in a document where no operation is
// mTLS-secured, was reported twice: by mtls-unchecked (its message names the scheme and the requirement to add)
// and by mtls-config ("defined but used by no operation"). The one report is mtls-unchecked: the rule whose
// documented job is to say why nothing was checked, the one stock Spectral gives (mtls-config is not in the
// ruleset), and the one the gates fail on. mtls-config still says it where mtls-unchecked does not speak.

const SPECTRAL_CLI = path.join(REPO_ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');

interface Spelling {
  name: string;
  scheme: string;
  document: string;
  config?: string;
}

const operation =
  "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        '403': {description: no}\n";

const SPELLINGS: Spelling[] = [
  {
    name: 'OAS 3.1 type: mutualTLS',
    scheme: 'tls',
    document: `openapi: 3.1.0\ninfo: {title: t, version: '1'}\n${operation}components:\n  securitySchemes:\n    tls:\n      type: mutualTLS\n`,
  },
  {
    name: 'OAS 3.2 type: mutualTLS',
    scheme: 'tls',
    document: `openapi: 3.2.0\ninfo: {title: t, version: '1'}\n${operation}components:\n  securitySchemes:\n    tls: {type: mutualTLS, description: client certificate}\n`,
  },
  {
    name: 'OAS 3.0 scheme marked x-mtls: true',
    scheme: 'cert',
    document: `openapi: 3.0.3\ninfo: {title: t, version: '1'}\n${operation}components:\n  securitySchemes:\n    cert: {type: apiKey, in: header, name: X-Client, x-mtls: true}\n`,
  },
  {
    name: 'Swagger 2.0 apiKey in X-Forwarded-Client-Cert',
    scheme: 'xfcc',
    document: `swagger: '2.0'\ninfo: {title: t, version: '1'}\n${operation}securityDefinitions:\n  xfcc: {type: apiKey, in: header, name: X-Forwarded-Client-Cert}\n`,
  },
  {
    name: 'OAS 3.1 apiKey in Client-Cert (RFC 9440), JSON',
    scheme: 'rfc9440',
    document: JSON.stringify(
      {
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: { '/a': { get: { responses: { '403': { description: 'no' } } } } },
        components: { securitySchemes: { rfc9440: { type: 'apiKey', in: 'header', name: 'Client-Cert' } } },
      },
      null,
      2,
    ),
  },
  {
    name: 'OAS 3.0 scheme listed in config mtls.schemes',
    scheme: 'clientCert',
    document: `openapi: 3.0.3\ninfo: {title: t, version: '1'}\n${operation}components:\n  securitySchemes:\n    clientCert: {type: http, scheme: bearer}\n`,
    config: 'mtls:\n  schemes: [clientCert]\n',
  },
];

const { temp } = tempDirs('unused-scheme-once');

/** A user's project: the document, maybe our config, mtls-fix installed and extended by `.spectral.yaml`. */
function project(spelling: Spelling): { cwd: string; file: string } {
  const file = spelling.document.startsWith('{') ? 'openapi.json' : 'openapi.yaml';
  const cwd = temp({
    [file]: spelling.document,
    '.spectral.yaml': 'extends: ["mtls-fix/ruleset"]\n',
    ...(spelling.config ? { 'mtls-fix.config.yaml': spelling.config } : {}),
  });
  mkdirSync(path.join(cwd, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(cwd, 'node_modules', 'mtls-fix'), 'dir');
  return { cwd, file };
}

/** Says the scheme is defined but named by no operation's security (either rule's words). */
const saysUnused = (scheme: string) => (text: string) =>
  text.includes(`'${scheme}'`) && /is defined (?:in \S+ )?but/.test(text);

interface JsonResult {
  code: string;
  message: string;
  path: string[];
  range: { start: { line: number } };
}

function stockSpectral(cwd: string, file: string): Promise<JsonResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SPECTRAL_CLI, 'lint', file, '-f', 'json', '--quiet'], { cwd });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', () => resolve(JSON.parse(stdout) as JsonResult[]));
  });
}

describe('an unused mTLS scheme in a document with no mTLS-secured operation is reported once, by mtls-unchecked', () => {
  for (const spelling of SPELLINGS) {
    it(`${spelling.name}: stylish, json, sarif, github-actions and stock Spectral`, async () => {
      const { cwd, file } = project(spelling);
      const unused = saysUnused(spelling.scheme);

      const stylish = await runCliAsync(['lint', file], { cwd });
      const lines = stylish.stdout.split('\n').filter(unused);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\s+1:1\s+information\s+mtls-unchecked\s/);

      const json = JSON.parse(
        (await runCliAsync(['lint', file, '-f', 'json'], { cwd })).stdout,
      ) as JsonResult[];
      expect(json.filter((result) => unused(result.message)).map((result) => result.code)).toEqual([
        'mtls-unchecked',
      ]);
      expect(json.map((result) => result.code)).toEqual(['mtls-unchecked']);

      const sarif = parseSarif((await runCliAsync(['lint', file, '-f', 'sarif'], { cwd })).stdout);
      const sarifResults = sarif.runs[0].results as unknown as {
        ruleId: string;
        message: { text: string };
      }[];
      expect(sarifResults.filter((result) => unused(result.message.text)).map((r) => r.ruleId)).toEqual([
        'mtls-unchecked',
      ]);

      const actions = await runCliAsync(['lint', file, '-f', 'github-actions'], { cwd });
      const annotations = actions.stdout.split('\n').filter((line) => line.startsWith('::'));
      expect(annotations.filter(unused).map((line) => /title=([\w-]+)/.exec(line)?.[1])).toEqual([
        'mtls-unchecked',
      ]);

      // Stock Spectral (mtls-config is not in the ruleset) gives the same one result, word for word.
      const stock = (await stockSpectral(cwd, file)).filter((result) => result.code.startsWith('mtls-'));
      expect(stock.map((result) => [result.code, result.message])).toEqual(
        json.map((result) => [result.code, result.message]),
      );
    }, 120_000);
  }
});

describe('mtls-config still names an unused mTLS scheme where mtls-unchecked does not speak', () => {
  const base = SPELLINGS[0];
  const cases: { name: string; document: string; config?: string }[] = [
    {
      name: 'config rules: { mtls-unchecked: off }',
      document: base.document,
      config: 'rules: { mtls-unchecked: off }\n',
    },
    {
      name: 'x-mtls: false at the root',
      document: base.document.replace(
        "info: {title: t, version: '1'}\n",
        "info: {title: t, version: '1'}\nx-mtls: false\n",
      ),
    },
  ];
  for (const scenario of cases) {
    it(
      scenario.name,
      async () => {
        const { cwd, file } = project({ ...base, ...scenario });
        const json = JSON.parse(
          (await runCliAsync(['lint', file, '-f', 'json'], { cwd })).stdout,
        ) as JsonResult[];
        expect(json.map((result) => [result.code, result.path.join('.')])).toEqual([
          ['mtls-config', 'components.securitySchemes.tls'],
        ]);
        expect(json[0]?.message).toContain(
          "security scheme 'tls' (type mutualTLS) is defined but used by no operation",
        );
      },
      60_000,
    );
  }
});

describe('a digest of many documents with no mTLS-secured operation names their unused mTLS schemes', () => {
  it('four documents: each line says what is not read, the heading counts them', async () => {
    const files: Record<string, string> = {};
    for (const [index, spelling] of SPELLINGS.slice(0, 4).entries())
      files[`d${index}.yaml`] = spelling.document;
    const cwd = temp(files);
    const run = await runCliAsync(['lint', ...Object.keys(files)], { cwd });
    expect(run.stdout).not.toContain('mtls-config');
    expect(run.stdout).toContain('(3 of them mention mTLS, 4 declare it in a way that is not read):');
    const line = run.stdout.split('\n').find((text) => text.startsWith('  d2.yaml:'));
    expect(line).toBe(
      "  d2.yaml:8: not read: scheme 'cert' (x-mtls: true at line 11) is defined but no operation's security names it: add security: [{cert: []}] at the root or on the mTLS operations; 1 of its 1 operation documents a 403; schemes: cert",
    );
  }, 60_000);
});
