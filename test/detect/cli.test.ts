import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

const SPEC = `openapi: 3.0.3
info: { title: accounts, version: '1' }
servers:
  - url: https://api.bank.example/v1
paths:
  /accounts:
    get:
      responses:
        '200': { description: ok }
        '403': { description: forbidden }
  /payments:
    servers:
      - url: https://mtls.bank.example/v1
    post:
      responses:
        '201': { description: created }
        '403': { description: forbidden }
    get:
      responses:
        '200': { description: ok }
`;

const NGINX = `server {
    listen 443 ssl;
    server_name mtls.bank.example;
    ssl_verify_client on;
    location / { proxy_pass http://app:8080; }
}
`;

describe('mtls-fix detect', () => {
  it('--json: findings (file relative, line 1-based, source, mode, hosts, paths, evidence) and the proposal', async () => {
    const cwd = tempProject({ 'openapi.yaml': SPEC, 'deploy/nginx/api.conf': NGINX });
    const run = await runCliAsync(['detect', '--json'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report.findings).toEqual([
      {
        file: 'deploy/nginx/api.conf',
        line: 4,
        source: 'nginx',
        mode: 'required',
        hosts: ['mtls.bank.example'],
        paths: [],
        evidence: 'ssl_verify_client on;',
        confidence: 'certain',
        reader: 'nginx-conf',
      },
    ]);
    expect(report.proposal).toEqual({
      mtls: { servers: ['^(?:https?:)?//mtls\\.bank\\.example(?::\\d+)?(?:[/?#]|$)'], everywhere: false },
    });
    expect(report.documents).toEqual(['openapi.yaml']);
    expect(report.selection).toEqual([
      {
        pattern: '^(?:https?:)?//mtls\\.bank\\.example(?::\\d+)?(?:[/?#]|$)',
        hosts: ['mtls.bank.example'],
        documents: [{ file: 'openapi.yaml', servers: ['https://mtls.bank.example/v1'], operations: 2 }],
      },
    ]);
  });

  it('--write creates the config; lint then sees exactly the detected endpoints', async () => {
    // A host name the default heuristics do not take for mTLS.
    const spec = SPEC.replace('mtls.bank.example', 'secure.bank.example');
    const cwd = tempProject({
      'openapi.yaml': spec,
      'deploy/nginx/api.conf': NGINX.replace('mtls.bank.example', 'secure.bank.example'),
    });
    // Before: no operation reads as mTLS-secured, so lint says nothing was checked (it does not read clean).
    const before = await runCliAsync(['lint', '--format', 'json'], { cwd });
    expect((JSON.parse(before.stdout) as { code: string }[]).map((result) => result.code)).toEqual([
      'mtls-unchecked',
    ]);
    const run = await runCliAsync(['detect', '--write'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created');
    expect(run.stdout).toContain('+++ b/mtls-fix.config.yaml');
    const written = readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8');
    expect(written).toContain('secure\\.bank');
    const after = await runCliAsync(['lint', '--format', 'json'], { cwd });
    const results = JSON.parse(after.stdout) as { operation: { method: string; path: string } }[];
    expect(results.map((result) => `${result.operation.method} ${result.operation.path}`)).toEqual([
      'POST /payments',
    ]);
  });

  it('--write merges into an existing YAML config: other keys and comments stay; a second run changes nothing', async () => {
    const config = `# team config
status: 404 # hide forbidden resources
mtls:
  schemes: [clientCert]
  servers:
    - '^https://legacy-mtls\\.'
spec: openapi.yaml
`;
    const cwd = tempProject({ 'openapi.yaml': SPEC, 'nginx.conf': NGINX, 'mtls-fix.config.yaml': config });
    const run = await runCliAsync(['detect', '--write'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\+ {4}- .*mtls\\\\?\.bank/m);
    const written = readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8');
    expect(written).toContain('# team config');
    expect(written).toContain('status: 404 # hide forbidden resources');
    expect(written).toContain('schemes: [clientCert]');
    expect(written).toContain("- '^https://legacy-mtls\\.'");
    expect(written).toContain('spec: openapi.yaml');
    const again = await runCliAsync(['detect', '--write'], { cwd });
    expect(again.stdout).toContain('already holds the proposal');
    expect(readFileSync(path.join(cwd, 'mtls-fix.config.yaml'), 'utf8')).toBe(written);
  });

  it('--write into package.json keeps every other key', async () => {
    const pkg = { name: 'svc', version: '1.0.0', scripts: { test: 'vitest' }, 'mtls-fix': { status: 401 } };
    const cwd = tempProject({
      'openapi.yaml': SPEC,
      'nginx.conf': NGINX,
      'package.json': JSON.stringify(pkg, null, 2),
    });
    expect((await runCliAsync(['detect', '--write'], { cwd })).code).toBe(0);
    const written = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(written).toEqual({
      ...pkg,
      'mtls-fix': {
        status: 401,
        mtls: { servers: ['^(?:https?:)?//mtls\\.bank\\.example(?::\\d+)?(?:[/?#]|$)'] },
      },
    });
  });

  it('--write refuses a JavaScript config: one line, exit 2, file untouched', async () => {
    const cwd = tempProject({
      'nginx.conf': NGINX,
      'mtls-fix.config.mjs': 'export default { status: 401 };\n',
    });
    const run = await runCliAsync(['detect', '--write'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^mtls-fix: mtls-fix\.config\.mjs: cannot merge into a JavaScript config file\. Add these keys yourself/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(path.join(cwd, 'mtls-fix.config.mjs'), 'utf8')).toBe(
      'export default { status: 401 };\n',
    );
  });

  it('server code without host names proposes mtls.everywhere, with the reason', async () => {
    const cwd = tempProject({
      'openapi.yaml': SPEC,
      'src/main.ts':
        "import https from 'node:https';\nhttps.createServer({ requestCert: true }, app).listen(443);\n",
    });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('src/main.ts:2  node  required  (parsed with typescript)');
    expect(run.stdout).toContain('everywhere: true');
    expect(run.stdout).toContain('names no host (it covers every request it serves): mtls.everywhere.');
  });

  it('a missing path is one line and exit 2', async () => {
    const cwd = tempProject({});
    const run = await runCliAsync(['detect', 'nope'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'mtls-fix: nope: no such file or folder: nope. Check the PATHS given to detect.\n',
    );
  });

  it('nothing found: says so, proposes nothing, --write writes nothing', async () => {
    const cwd = tempProject({ 'openapi.yaml': SPEC });
    const run = await runCliAsync(['detect', '--write'], { cwd });
    expect(run.stdout).toContain('No mTLS termination found');
    expect(run.stdout).toContain('Nothing to write');
  });
});
