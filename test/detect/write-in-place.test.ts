import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * `detect --write` merges its proposal into the user's config file. Before (90e640c) it re-serialised the whole
 * file: YAML through the `yaml` package (`status: 401   # agreed` lost its alignment, CRLF became LF, and a file
 * with lone-CR line ends was read as one comment line: `status` and `mtls.schemes` were written back commented
 * out, the user's settings gone), JSON through JSON.stringify (package.json's one-line arrays spread over lines,
 * `\u00e9` unescaped, CRLF lost). Now the proposal goes in as text splices and every other byte stays.
 */

const REGEX = String.raw`^(?:https?:)?//mtls\.bank\.example(?::\d+)?(?:[/?#]|$)`;
const YAML_REGEX = `'${REGEX}'`;
const JSON_REGEX = JSON.stringify(REGEX);
/** An nginx server with a host: the proposal is `mtls.servers: [REGEX]`. */
const HOST_NGINX =
  'server {\n  listen 443 ssl;\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n}\n';
/** An nginx server whose host is known at deploy time: the proposal is `mtls.everywhere: true`. */
const EVERYWHERE_NGINX =
  'server {\n  listen 443 ssl;\n  server_name $API_HOST;\n  ssl_verify_client on;\n}\n';

interface Case {
  name: string;
  file: string;
  nginx: string;
  before: string[];
  after: string[];
  /** Line ends tried (the LF expectation converted); default LF only. */
  eols?: string[];
}

const CASES: Case[] = [
  {
    name: 'YAML: a block mtls map with a flow list and aligned comments gets servers:',
    file: 'mtls-fix.config.yaml',
    nginx: HOST_NGINX,
    before: [
      '# my config',
      'status: 401   # agreed',
      'mtls:',
      '  schemes: [clientCert]',
      'spec: [openapi.yaml]',
    ],
    after: [
      '# my config',
      'status: 401   # agreed',
      'mtls:',
      '  schemes: [clientCert]',
      '  servers:',
      `    - ${YAML_REGEX}`,
      'spec: [openapi.yaml]',
    ],
    eols: ['\n', '\r\n', '\r'],
  },
  {
    name: 'YAML: an existing block servers list gets an item at its column',
    file: '.mtls-fixrc.yaml',
    nginx: HOST_NGINX,
    before: ['mtls:', '    servers:', "    - '^https://other\\.'  # old", 'status: 404'],
    after: [
      'mtls:',
      '    servers:',
      "    - '^https://other\\.'  # old",
      `    - ${YAML_REGEX}`,
      'status: 404',
    ],
  },
  {
    name: 'YAML: a flow mtls map',
    file: 'mtls-fix.config.yml',
    nginx: HOST_NGINX,
    before: ['mtls: {schemes: [a], servers: ["^x"]}', 'status: 401'],
    after: [`mtls: {schemes: [a], servers: ["^x", ${YAML_REGEX}]}`, 'status: 401'],
  },
  {
    name: 'YAML: everywhere: false turned true, its comment kept',
    file: 'mtls-fix.config.yaml',
    nginx: EVERYWHERE_NGINX,
    before: ['status: 401', 'mtls:', '  everywhere: false # for now', '  schemes: [a]'],
    after: ['status: 401', 'mtls:', '  everywhere: true # for now', '  schemes: [a]'],
    eols: ['\n', '\r\n', '\r'],
  },
  // Session 22: a proposal of everywhere alone into a config without `mtls` was spliced in as
  // `mtls: everywhere: true` (not YAML): "cannot merge the proposal in place", exit 2, nothing written.
  {
    name: 'YAML: no mtls key, everywhere alone: a block map at the end',
    file: 'mtls-fix.config.yaml',
    nginx: EVERYWHERE_NGINX,
    before: ['status: 404 # agreed with iOS', 'spec: [openapi.yaml]'],
    after: ['status: 404 # agreed with iOS', 'spec: [openapi.yaml]', 'mtls:', '  everywhere: true'],
    eols: ['\n', '\r\n', '\r'],
  },
  {
    name: 'YAML: `mtls: {}` becomes a block map below, a comment kept on its line',
    file: 'mtls-fix.config.yaml',
    nginx: HOST_NGINX,
    before: ['mtls: {} # filled by detect', 'status: 401'],
    after: ['mtls: # filled by detect', '  servers:', `    - ${YAML_REGEX}`, 'status: 401'],
  },
  {
    name: 'JSON: a config over lines with one-line arrays and a \\u escape',
    file: 'mtls-fix.config.json',
    nginx: HOST_NGINX,
    before: [
      '{',
      '  "status": 401,',
      '  "$schema": "./node_modules/mtls-fix/config\\u002eschema.json",',
      '  "mtls": {',
      '    "schemes": ["a", "b"]',
      '  }',
      '}',
    ],
    after: [
      '{',
      '  "status": 401,',
      '  "$schema": "./node_modules/mtls-fix/config\\u002eschema.json",',
      '  "mtls": {',
      '    "schemes": ["a", "b"],',
      '    "servers": [',
      `      ${JSON_REGEX}`,
      '    ]',
      '  }',
      '}',
    ],
    eols: ['\n', '\r\n'],
  },
  {
    name: 'JSON: package.json with the mtls-fix key on one line, tabs elsewhere',
    file: 'package.json',
    nginx: HOST_NGINX,
    before: [
      '{',
      '\t"name": "bank-api",',
      '\t"files": ["dist", "bin"],',
      '\t"mtls-fix": {"status": 401}',
      '}',
    ],
    after: [
      '{',
      '\t"name": "bank-api",',
      '\t"files": ["dist", "bin"],',
      `\t"mtls-fix": {"status": 401, "mtls": { "servers": [${JSON_REGEX}] }}`,
      '}',
    ],
    eols: ['\n', '\r\n'],
  },
  {
    name: 'JSON: an existing servers array over lines; everywhere added',
    file: '.mtls-fixrc.json',
    nginx: EVERYWHERE_NGINX,
    before: ['{', '  "mtls": {', '    "servers": [', '      "^x"', '    ]', '  }', '}'],
    after: [
      '{',
      '  "mtls": {',
      '    "servers": [',
      '      "^x"',
      '    ],',
      '    "everywhere": true',
      '  }',
      '}',
    ],
  },
];

describe('detect --write: the proposal is merged as text, every other byte of the config kept', () => {
  for (const { name, file, nginx, before, after, eols } of CASES) {
    it(name, async () => {
      for (const eol of eols ?? ['\n']) {
        const text = before.join(eol) + eol;
        const cwd = tempProject({ [file]: text, 'nginx.conf': nginx });
        const run = await runCliAsync(['detect', '--write'], { cwd });
        expect(run.stderr, JSON.stringify(eol)).toBe('');
        expect(run.code).toBe(0);
        expect(readFileSync(path.join(cwd, file), 'utf8'), JSON.stringify(eol)).toBe(after.join(eol) + eol);
        // A second run finds everything there: nothing changes.
        const again = await runCliAsync(['detect', '--write'], { cwd });
        expect(again.code).toBe(0);
        expect(readFileSync(path.join(cwd, file), 'utf8')).toBe(after.join(eol) + eol);
      }
    });
  }

  it('no config file and a proposal of everywhere alone: mtls-fix.config.yaml is created (session 22)', async () => {
    const cwd = tempProject({ 'nginx.conf': EVERYWHERE_NGINX });
    const run = await runCliAsync(['detect', '--write'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8')).toBe('mtls:\n  everywhere: true\n');
  });
});
