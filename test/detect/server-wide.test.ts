import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 27. On 87e166c: a server-level `ssl_verify_client on;` whose `/admin` location tests `$ssl_client_verify`
 * was reported with `paths: /admin`, as if only /admin were mTLS (the certificate is asked for in the handshake, on
 * every path of the server); the same for an ingress-nginx Ingress (per host) and a Kong plugin (every handshake).
 * An envsubst template's `ssl_verify_client ${VERIFY_CLIENT};` (the nginx image's /etc/nginx/templates) was only
 * named under "Not read", its 403s not placed; a `server_name ${NGINX_HOST}` beside a written name was dropped
 * from the proposal without a word.
 */
describe('detect: a server-wide setting covers every path', () => {
  it('nginx: no paths; the locations that test $ssl_client_verify are named in the note', async () => {
    const cwd = tempProject({
      'nginx.conf': `server {
  listen 443 ssl;
  server_name mtls.bank.example;
  ssl_verify_client on;
  location /api { proxy_pass http://up; }
  location /admin {
    if ($ssl_client_verify != SUCCESS) { return 403; }
  }
}
server {
  listen 443 ssl;
  server_name partners.bank.example;
  ssl_verify_client optional;
  location /partner/ { if ($ssl_client_verify != SUCCESS) { return 401; } }
}
`,
    });
    const report = await detectMtls({ cwd });
    expect(report.findings.map((f) => [f.line, f.mode, f.paths, f.note])).toEqual([
      [
        4,
        'required',
        [],
        'locations that test $ssl_client_verify: /admin (the certificate is asked for on every path of the server)',
      ],
      [
        13,
        'optional',
        [],
        'locations that test $ssl_client_verify: /partner/ (the certificate is asked for on every path of the server)',
      ],
    ]);
    // The 403 itself keeps its location's path.
    expect(report.forbidden.map((f) => [f.line, f.paths])).toEqual([[7, ['/admin']]]);
  });

  it('ingress-nginx and Kong: no paths; the Ingress paths and the plugin routes are named in the note', async () => {
    const cwd = tempProject({
      'ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"
    nginx.ingress.kubernetes.io/auth-tls-secret: bank/ca
spec:
  rules:
    - host: mtls.bank.example
      http:
        paths:
          - path: /admin
            pathType: Prefix
            backend: { service: { name: admin, port: { number: 80 } } }
`,
      'kong.yaml': `_format_version: "3.0"
services:
  - name: accounts
    url: http://accounts
    routes:
      - name: accounts
        hosts: [api.bank.example]
        paths: [/open-banking/accounts]
        plugins:
          - name: mtls-auth
            config: { ca_certificates: [0f3c] }
`,
    });
    const report = await detectMtls({ cwd });
    expect(report.findings.map((f) => [f.file, f.paths])).toEqual([
      ['ingress.yaml', []],
      ['kong.yaml', []],
    ]);
    expect(report.findings[0].note).toContain(
      'this Ingress routes /admin; the certificate is asked for on every path',
    );
    expect(report.findings[1].note).toContain('(it is on the routes of /open-banking/accounts)');
  });
});

describe('detect: nginx envsubst templates (${VAR})', () => {
  const TEMPLATE = `server {
    listen       \${NGINX_PORT} ssl;
    server_name  \${NGINX_HOST};
    ssl_verify_client \${VERIFY_CLIENT};
    location / {
        if ($ssl_client_verify != SUCCESS) { return 403; }
        proxy_pass \${UPSTREAM};
    }
}
`;

  it('an unknown ssl_verify_client value is read as asking for a certificate, said so; its 403s are placed', async () => {
    for (const name of ['templates/default.conf.template', 'nginx/api.conf']) {
      const cwd = tempProject({ [name]: TEMPLATE });
      const report = await detectMtls({ cwd });
      expect(report.findings.map((f) => [f.file, f.line, f.mode, f.confidence, f.hosts, f.evidence])).toEqual(
        [[name, 4, 'optional', 'probably', ['${NGINX_HOST}'], 'ssl_verify_client ${VERIFY_CLIENT};']],
      );
      expect(report.findings[0].note).toMatch(
        /^its value \$\{VERIFY_CLIENT\} is filled in when the template is rendered .*: unknown here, read as asking for a certificate .*; server_name \$\{NGINX_HOST\} is filled in when the template is rendered: unknown here/,
      );
      expect(report.skipped).toEqual([]);
      expect(report.forbidden.map((f) => [f.file, f.line, f.fix])).toEqual([[name, 6, 'return 401;']]);
      expect(report.proposal.mtls.everywhere).toBe(true);
    }
  });

  it('a line-scan fallback reads the placeholder too', async () => {
    const cwd = tempProject({
      'site.conf.template': 'server {\n  ssl_verify_client ${VERIFY};\n  set $a "unterminated;\n}\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.findings.map((f) => [f.line, f.mode, f.confidence, f.reader])).toEqual([
      [2, 'optional', 'probably', 'pattern'],
    ]);
    expect(report.findings[0].note).toContain(
      'its value ${VERIFY} is filled in when the template is rendered',
    );
  });

  it('a placeholder host beside a written one is named in the reasons, not dropped in silence', async () => {
    const cwd = tempProject({
      'templates/b.conf.template':
        'server {\n  listen 443 ssl;\n  server_name ${NGINX_HOST} api.example.com;\n  ssl_verify_client on;\n}\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.proposal.mtls).toEqual({
      servers: ['^(?:https?:)?//api\\.example\\.com(?::\\d+)?(?:[/?#]|$)'],
      everywhere: false,
    });
    expect(report.reasons).toContain(
      'templates/b.conf.template:4 (nginx) also serves ${NGINX_HOST}, known only at deploy time: no regex for it in mtls.servers; add one for the name it renders to, or use mtls.everywhere.',
    );
  });
});

// Session 27: nginx-conf throws on some input (two stray `}`: "context.parent does not exist") instead of calling
// back with the error; on 87e166c the file was "cannot parse" (`--check` exit 2, its mTLS server not a finding).
describe('detect: a file nginx-conf throws on', () => {
  it('gets the line scan like any file it rejects: the finding, and its 403 as not placed', async () => {
    const cwd = tempProject({
      'site.conf':
        'server {\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n  location / { return 403; }\n}\n}\n}\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.findings.map((f) => [f.line, f.mode, f.reader])).toEqual([[3, 'required', 'pattern']]);
    expect(report.findings[0].note).toContain(
      'nginx-conf could not parse the file (context.parent does not exist)',
    );
    expect(report.skipped).toEqual([]);
    expect(report.forbiddenUnplaced.map((entry) => [entry.file, entry.line])).toEqual([['site.conf', 4]]);
  });
});
