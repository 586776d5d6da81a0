import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { lint } from '../../src/lint/run.js';
import { runCliAsync } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 41 (lint41): the mTLS words of a document were looked for in its root file only. A document split into
// files (path items, operations, security schemes, responses in files of their own, as NHS, gematik and Open
// Finance repositories keep them) whose path item says "only over mTLS (client certificate required)" read
// "nothing in it declares mTLS" in mtls-unchecked, explain and fix's hint, and "nothing about mTLS" in a digest.

interface Scenario {
  name: string;
  files: Record<string, string>;
  /** Where the first word is: `file:line`. */
  at: string;
  term: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'OAS 3.0: a path item file',
    files: {
      'openapi.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: 'paths/a.yaml'\n",
      'paths/a.yaml':
        "get:\n  description: Only over mTLS (client certificate required).\n  responses:\n    '403': {description: no}\n",
    },
    at: 'paths/a.yaml:2',
    term: "mutual TLS ('mTLS')",
  },
  {
    name: 'OAS 3.1: an operation in a file of its own',
    files: {
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      $ref: 'ops/get-a.yaml'\n",
      'ops/get-a.yaml':
        "summary: read\ndescription: |\n  The caller presents its QWAC.\nresponses:\n  '403': {description: no}\n",
    },
    at: 'ops/get-a.yaml:3',
    term: 'QWAC',
  },
  {
    name: 'OAS 3.0: the security schemes in a file of their own',
    files: {
      'openapi.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{cert: []}]\npaths:\n  /a:\n    get:\n      responses:\n        '403': {description: no}\ncomponents:\n  securitySchemes:\n    cert:\n      $ref: 'security.yaml#/cert'\n",
      'security.yaml':
        'cert:\n  type: http\n  scheme: bearer\n  description: Sent over mutual TLS with the practice certificate.\n',
    },
    at: 'security.yaml:4',
    term: 'mutual TLS',
  },
  {
    name: 'Swagger 2.0: a shared 403 response file',
    files: {
      'swagger.yaml':
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '403':\n          $ref: 'common/responses.yaml#/Forbidden'\n",
      'common/responses.yaml':
        'Forbidden:\n  description: |\n    The TPP is not allowed.\n    See the x-fapi-interaction-id header.\n',
    },
    at: 'common/responses.yaml:4',
    term: "x-fapi-* header ('x-fapi-interaction-id')",
  },
];

const { temp } = tempDirs('mentions-in-other-files');

describe('mtls-unchecked names the mTLS words of every file the document is made of', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const folder = temp(scenario.files);
      const [root] = Object.keys(scenario.files);
      const config = resolveConfig({}, {});
      const files = [path.join(folder, root)];
      const direct = await lint({ files, config, cwd: folder });
      const viaSpectral = await lint({ files, config, cwd: folder, engine: 'spectral' });
      expect(viaSpectral.results).toEqual(direct.results);
      expect(direct.results.map((result) => result.code)).toEqual(['mtls-unchecked']);
      const [result] = direct.results;
      expect(result?.message).toContain(`it mentions ${scenario.term} at ${scenario.at}`);
      expect(result?.message).not.toContain('nothing in it declares mTLS');
      // The hint (fix prints it; a digest line) is placed at the word, the document named.
      const [hint] = direct.hints.filter((entry) => entry.noMtls);
      expect(hint?.noMtls?.where).toBe(`${root} (${scenario.at})`);
      expect(hint?.noMtls?.brief).not.toContain('nothing about mTLS');
      expect([path.relative(folder, hint?.source ?? ''), hint?.line].join(':')).toBe(scenario.at);
    });
  }

  it('the root file is read first: a word there is named before one in another file', async () => {
    const folder = temp({
      ...SCENARIOS[0].files,
      'openapi.yaml': SCENARIOS[0].files['openapi.yaml'].replace(
        "info: {title: t, version: '1'}",
        "info: {title: t, version: '1', description: 'FAPI 2.0 profile'}",
      ),
    });
    const report = await lint({
      files: [path.join(folder, 'openapi.yaml')],
      config: resolveConfig({}, {}),
      cwd: folder,
    });
    expect(report.results[0]?.message).toContain(
      'it mentions FAPI at line 2 (also mutual TLS at paths/a.yaml:2, client certificate at paths/a.yaml:2)',
    );
  });

  it('explain and stock Spectral say the same', async () => {
    const scenario = SCENARIOS[0];
    const folder = temp({ ...scenario.files, '.spectral.yaml': 'extends: ["mtls-fix/ruleset"]\n' });
    mkdirSync(path.join(folder, 'node_modules'));
    symlinkSync(REPO_ROOT, path.join(folder, 'node_modules', 'mtls-fix'), 'dir');
    const explain = await runCliAsync(['explain', 'openapi.yaml'], { cwd: folder });
    expect(explain.stdout).toContain(
      "it mentions mutual TLS ('mTLS') at paths/a.yaml:2, client certificate at paths/a.yaml:2 but declares no mTLS",
    );
    const cli = path.join(REPO_ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, 'lint', 'openapi.yaml', '-f', 'json', '--quiet'], {
        cwd: folder,
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    const stock = (JSON.parse(stdout) as { code: string; message: string }[]).filter(
      (result) => result.code === 'mtls-unchecked',
    );
    expect(stock.map((result) => result.message)).toEqual([
      expect.stringContaining("it mentions mutual TLS ('mTLS') at paths/a.yaml:2"),
    ]);
  }, 120_000);
});
