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

describe('mtls-fix detect --check: a file detect could not read or parse', () => {
  it('does not pass: each is named on stderr, exit 2 (also under --json); without --check the exit stays 0', async () => {
    // Before: listed under "Not read" and --check exited 0, as if the tree were clean.
    const cwd = tempProject({
      'deploy/nginx.conf':
        'server {\n  listen 443 ssl;\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n}\n',
      'deploy/ingress.yaml':
        'kind: Ingress\nmetadata:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n  bad: [unclosed\n',
      'deploy/envoy.json':
        '{ "static_resources": { "listeners": [ { "filter_chains": [ { "transport_socket": { "typed_config": { "require_client_certificate": true, } } } ] } ] }\n',
    });
    for (const args of [
      ['detect', '--check'],
      ['detect', '--check', '--json'],
    ]) {
      const run = await runCliAsync(args, { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^mtls-fix: --check cannot pass: deploy\/envoy\.json: cannot parse \(an Envoy configuration \(static_resources\)\): /,
        ) as string,
        expect.stringMatching(
          /^mtls-fix: --check cannot pass: deploy\/ingress\.yaml: cannot parse \(a Kubernetes Ingress\): .*\(line 6\)/,
        ) as string,
      ]);
    }
    const json = await runCliAsync(['detect', '--json'], { cwd });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { skipped: { file: string; unreadable?: boolean }[] };
    expect(report.skipped.filter((s) => s.unreadable).map((s) => s.file)).toEqual([
      'deploy/envoy.json',
      'deploy/ingress.yaml',
    ]);
  });
});

describe('mtls-fix detect --check: large files', () => {
  it('a package manager lock file too large to read is passed over; another large config file fails --check', async () => {
    // npm's package-lock.json is often 2-10 MB: naming it as a file --check cannot pass made every such project's
    // gate exit 2. A large YAML that could be configuration still does.
    const lock = JSON.stringify({
      name: 'x',
      lockfileVersion: 3,
      packages: { big: 'x'.repeat(3 * 1024 * 1024) },
    });
    const cwd = tempProject({
      'deploy/nginx.conf': RECIPE,
      'package-lock.json': lock,
      'pnpm-lock.yaml': `a: ${'b'.repeat(3 * 1024 * 1024)}\n`,
    });
    const clean = await runCliAsync(['detect', '--check', '--json'], { cwd });
    expect(clean.stderr).toBe('');
    const report = JSON.parse(clean.stdout) as { skipped: { file: string }[] };
    expect(report.skipped.map((s) => s.file)).toEqual([]);
    expect(clean.code).toBe(1); // the recipe's own 403s, as without the lock files
    const withData = tempProject({
      'deploy/nginx.conf': RECIPE,
      'deploy/big.yaml': `a: ${'b'.repeat(3 * 1024 * 1024)}\n`,
    });
    const failed = await runCliAsync(['detect', '--check'], { cwd: withData });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--check cannot pass: deploy/big.yaml: larger than 2 MB');
  });

  // Session 22: any other large config-like file (a generated cluster dump, a vendored CRD bundle) made --check
  // exit 2 with no way out but deleting it. Config detect.exclude / --exclude leave it out, and say so.
  it('detect.exclude in the config, or --exclude, leaves a file out: --check passes over it and lists it', async () => {
    const big = `a: ${'b'.repeat(3 * 1024 * 1024)}\n`;
    const cwd = tempProject({
      'deploy/nginx.conf': RECIPE.replace(/return 403;/g, 'return 401;').replace('deny all;', 'return 401;'),
      'dumps/cluster.yaml': big,
      'dumps/nested/more.json': `{"a": "${'b'.repeat(3 * 1024 * 1024)}"}`,
      'mtls-fix.config.yaml': "detect:\n  exclude: ['dumps/**']\n",
    });
    const check = await runCliAsync(['detect', '--check'], { cwd });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(
      'Excluded by detect.exclude / --exclude, not read (2):\n  dumps/cluster.yaml\n  dumps/nested/more.json',
    );
    const json = await runCliAsync(['detect', '--check', '--json'], { cwd });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { excluded: string[] }).excluded).toEqual([
      'dumps/cluster.yaml',
      'dumps/nested/more.json',
    ]);
    // The flag replaces the config's list: only the named file is left out, the other still fails --check.
    const flag = await runCliAsync(['detect', '--check', '--exclude', 'dumps/cluster.yaml'], { cwd });
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe(
      'mtls-fix: --check cannot pass: dumps/nested/more.json: larger than 2 MB',
    );
    // An excluded file is never read, whatever it holds: its mTLS termination is not a finding either.
    const hidden = tempProject({
      'deploy/nginx.conf': RECIPE,
      'mtls-fix.config.yaml': "detect:\n  exclude: ['deploy/*.conf']\n",
    });
    const none = await runCliAsync(['detect', '--check'], { cwd: hidden });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain(
      'Excluded by detect.exclude / --exclude, not read (1):\n  deploy/nginx.conf',
    );
  });
});

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

// Session 24: a gate that passes while it could not read an mTLS setting is not clean. On 0c33c5f `--check` exited
// 0 when its only entries were "Not read" ones (a Go server, a requestCert it cannot evaluate, base64 cloud-init).
describe('mtls-fix detect --check: an mTLS setting detect does not read', () => {
  const GO =
    'package main\n\nimport "crypto/tls"\n\nfunc config() *tls.Config {\n' +
    '\treturn &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert}\n}\n';
  const NODE =
    "import https from 'node:https';\n" +
    'https.createServer({ key, cert, requestCert: process.env.MTLS === "1" }, app).listen(443);\n';
  const CLOUD_INIT =
    '#cloud-config\nwrite_files:\n  - path: /etc/nginx/conf.d/mtls.conf\n    encoding: b64\n' +
    `    content: ${Buffer.from('server { ssl_verify_client on; return 403; }\n').toString('base64')}\n`;

  it('fails (exit 1): each named on stderr with file:line and what to do; --exclude after review passes', async () => {
    const cwd = tempProject({
      'cmd/server/tls.go': GO,
      'src/server.ts': NODE,
      'deploy/user-data.yaml': CLOUD_INIT,
    });
    for (const args of [
      ['detect', '--check'],
      ['detect', '--check', '--json'],
    ]) {
      const run = await runCliAsync(args, { cwd });
      expect(run.code).toBe(1);
      const tail =
        ': an mTLS server setting detect does not read, so its 403s are not checked; review them, then leave the file out with detect.exclude or --exclude';
      expect(run.stderr.trim().split('\n')).toEqual([
        `mtls-fix: --check fails: cmd/server/tls.go:6${tail}`,
        `mtls-fix: --check fails: deploy/user-data.yaml:5${tail}`,
        `mtls-fix: --check fails: src/server.ts:2${tail}`,
      ]);
    }
    expect((await runCliAsync(['detect'], { cwd })).code).toBe(0);
    const reviewed = await runCliAsync(
      ['detect', '--check', '--exclude', 'cmd/**', '--exclude', 'src/server.ts', '--exclude', 'deploy/*'],
      { cwd },
    );
    expect(reviewed.stderr).toBe('');
    expect(reviewed.code).toBe(0);
    expect(reviewed.stdout).toContain('Excluded by detect.exclude / --exclude, not read (3):');
  });

  it('a 403 beside it: still exit 1, the 403 in the report and the setting on stderr', async () => {
    const cwd = tempProject({ 'deploy/nginx.conf': RECIPE, 'cmd/server/tls.go': GO });
    const run = await runCliAsync(['detect', '--check'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('403s answered by the proxy itself on mTLS endpoints (');
    expect(run.stderr).toContain('mtls-fix: --check fails: cmd/server/tls.go:6: ');
  });
});

// Session 27: on 87e166c `--check` exited 0 while "403s not checked" listed entries (an auth_request service, a Lua
// module not in the tree, Helm values no template writes): a gate that reads clean must mean clean.
describe('mtls-fix detect --check: "403s not checked" entries', () => {
  const AUTH = `server {
    listen 443 ssl;
    server_name mtls.bank.example;
    ssl_verify_client on;
    location /accounts { auth_request /introspect; proxy_pass http://app; }
    location /consents { access_by_lua_block { require("consent-guard").run() } }
}
`;

  it('fail (exit 1): each named on stderr with FILE:LINE and the way out; the report says it is not clean', async () => {
    const cwd = tempProject({ 'deploy/nginx.conf': AUTH });
    for (const args of [
      ['detect', '--check'],
      ['detect', '--check', '--json'],
    ]) {
      const run = await runCliAsync(args, { cwd });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        'mtls-fix: --check fails: deploy/nginx.conf:5: a 403 detect cannot check (under "403s not checked"); review it, then add "deploy/nginx.conf:5" to detect.reviewed in the config',
        'mtls-fix: --check fails: deploy/nginx.conf:6: a 403 detect cannot check (under "403s not checked"); review it, then add "deploy/nginx.conf:6" to detect.reviewed in the config',
      ]);
    }
    const plain = await runCliAsync(['detect'], { cwd });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('403s not checked (2: ');
    expect(plain.stdout).toContain('not a clean result');
  });

  it('passes once every entry is in config detect.reviewed; a reviewed entry that matches nothing is named', async () => {
    const one = tempProject({
      'deploy/nginx.conf': AUTH,
      'mtls-fix.config.yaml': 'detect:\n  reviewed:\n    - deploy/nginx.conf:5\n',
    });
    const partly = await runCliAsync(['detect', '--check'], { cwd: one });
    expect(partly.code).toBe(1);
    expect(partly.stderr).toContain('deploy/nginx.conf:6: a 403 detect cannot check');
    expect(partly.stderr).not.toContain('deploy/nginx.conf:5');
    const all = tempProject({
      'deploy/nginx.conf': AUTH,
      'mtls-fix.config.yaml':
        'detect:\n  reviewed:\n    - deploy/nginx.conf:5\n    - deploy/nginx.conf:6\n    - deploy/nginx.conf:9\n',
    });
    const run = await runCliAsync(['detect', '--check'], { cwd: all });
    expect(run.code).toBe(0);
    expect(run.stderr.trim()).toBe(
      'mtls-fix: --check: detect.reviewed "deploy/nginx.conf:9" matches no entry of "403s not checked" (the file changed?): remove it',
    );
  });

  it('a reviewed entry must be FILE:LINE (config error, exit 2)', async () => {
    const cwd = tempProject({
      'deploy/nginx.conf': AUTH,
      'mtls-fix.config.yaml': 'detect:\n  reviewed:\n    - deploy/nginx.conf\n',
    });
    const run = await runCliAsync(['detect', '--check'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
