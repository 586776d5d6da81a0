import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/** The common nginx mTLS recipe: optional client certificates, the proxy itself answers 403. */
const RECIPE = `server {
    listen 443 ssl;
    server_name mtls.bank.example;
    ssl_verify_client optional;
    location /accounts {
        if ($ssl_client_verify != SUCCESS) { return 403; }
        proxy_pass http://app;
    }
    location /admin { deny all; }
}
server {
    listen 443 ssl;
    server_name www.bank.example;
    location /private { return 403; }
}
`;

describe('mtls-fix detect: 403s answered by the proxy itself (bin/run.js)', () => {
  it('--check exits 1 and names each 403 with file:line, evidence and the fix; default exit stays 0', async () => {
    const cwd = tempProject({ 'deploy/nginx.conf': RECIPE });
    const check = await runCliAsync(['detect', '--check'], { cwd });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('403s answered by the proxy itself on mTLS endpoints (2):');
    expect(check.stdout).toContain('deploy/nginx.conf:6  nginx  (under deploy/nginx.conf:4)');
    expect(check.stdout).toContain('fix: return 401;');
    expect(check.stdout).toContain('deploy/nginx.conf:9  nginx');
    expect(check.stdout).not.toContain('deploy/nginx.conf:14');
    const plain = await runCliAsync(['detect'], { cwd });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('(2):');
  });

  it('--json --check: the forbidden field, exit 1; the agreed status from the config', async () => {
    const cwd = tempProject({ 'deploy/nginx.conf': RECIPE, 'mtls-fix.config.yaml': 'status: 404\n' });
    const run = await runCliAsync(['detect', '--json', '--check'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { forbidden: unknown[]; forbiddenUnplaced: unknown[] };
    expect(report.forbidden).toEqual([
      {
        file: 'deploy/nginx.conf',
        line: 6,
        source: 'nginx',
        evidence: 'return 403;',
        hosts: ['mtls.bank.example'],
        paths: ['/accounts'],
        finding: { file: 'deploy/nginx.conf', line: 4 },
        fix: 'return 404;',
      },
      expect.objectContaining({
        line: 9,
        evidence: 'deny all;',
        paths: ['/admin'],
        fix: expect.stringContaining('location @mtls_status { return 404; }') as string,
      }),
    ]);
    expect(report.forbiddenUnplaced).toEqual([]);
  });

  it('--check exits 0 when the mTLS server answers no 403 itself (the non-mTLS one may)', async () => {
    const cwd = tempProject({
      'deploy/nginx.conf': RECIPE.replace('return 403;', 'return 401;').replace(
        'deny all;',
        'proxy_pass http://admin;',
      ),
    });
    const run = await runCliAsync(['detect', '--check'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('403s answered by the proxy itself on mTLS endpoints (0)');
  });

  it('--check with a missing path is still exit 2', async () => {
    const cwd = tempProject({ 'deploy/nginx.conf': RECIPE });
    const run = await runCliAsync(['detect', 'nope/', '--check'], { cwd });
    expect(run.code).toBe(2);
  });
});

describe('mtls-fix detect: what decides a status out of sight is listed, one per line (bin/run.js)', () => {
  it('an auth_request service and a Lua module not in the tree: "403s not checked", each with its reason', async () => {
    const cwd = tempProject({
      'deploy/nginx.conf': `server {
    listen 443 ssl;
    server_name mtls.bank.example;
    ssl_verify_client on;
    location /accounts { auth_request /introspect; proxy_pass http://app; }
    location /consents { access_by_lua_block { require("consent-guard").run() } }
}
`,
    });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('403s not checked (2: ');
    expect(run.stdout).toContain(
      "\n  deploy/nginx.conf:5 nginx (`auth_request /introspect` in the mTLS server: nginx answers the auth service's 403 as its own;",
    );
    expect(run.stdout).toContain(
      '\n  deploy/nginx.conf:6 nginx (Lua module `consent-guard`, required by code in the mTLS server',
    );
  });
});
