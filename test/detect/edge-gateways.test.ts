import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 27 (breaker27 #13): Cloudflare edge mTLS (a client CA + a WAF custom rule blocking
 * `not cf.tls_client_auth.cert_verified`, answered with 403), Apache APISIX (`ssls[].client.ca`, `ip-restriction`
 * answering 403) and Apigee (`ClientAuthEnabled`) gave "No mTLS termination found" and `--check` exit 0. Cloudflare
 * and APISIX are read (findings, their 403s with the fix); Apigee and other gateways' client-certificate
 * settings are named under "Not read".
 */
const CLOUDFLARE_TF = `resource "cloudflare_mtls_certificate" "client_ca" {
  account_id   = var.account_id
  name         = "client-ca"
  certificates = file("ca.pem")
  ca           = true
}

resource "cloudflare_ruleset" "require_client_cert" {
  zone_id     = var.zone_id
  name        = "mTLS"
  kind        = "zone"
  phase       = "http_request_firewall_custom"
  rules {
    action      = "block"
    expression  = "(http.host in {\\"api.bank.example\\"} and not cf.tls_client_auth.cert_verified)"
    description = "API Shield mTLS: require a valid client certificate"
    enabled     = true
  }
}
`;

const APISIX = `ssls:
  - id: 1
    cert: "\${{SERVER_CERT}}"
    key: "\${{SERVER_KEY}}"
    snis: [api.bank.example]
    client:
      ca: "\${{CLIENT_CA}}"
routes:
  - id: 1
    uri: /accounts/*
    host: api.bank.example
    plugins:
      ip-restriction:
        whitelist: [10.0.0.0/8]
    upstream: {type: roundrobin, nodes: {"backend:8080": 1}}
  - id: 2
    uri: /health
    host: api.bank.example
    plugins:
      ip-restriction:
        whitelist: [10.0.0.0/8]
        response_code: 404
#END
`;

const APIGEE = `<VirtualHost name="secure">
  <HostAliases><HostAlias>api.bank.example</HostAlias></HostAliases>
  <Port>443</Port>
  <SSLInfo><Enabled>true</Enabled><ClientAuthEnabled>true</ClientAuthEnabled><KeyStore>ks</KeyStore><TrustStore>ts</TrustStore></SSLInfo>
</VirtualHost>
`;

describe('detect: Cloudflare edge mTLS', () => {
  it('Terraform: the block rule is a required finding for its host and a 403 the edge answers; --check exits 1', async () => {
    const cwd = tempProject({ 'cloudflare.tf': CLOUDFLARE_TF });
    const report = await detectMtls({ cwd, paths: ['.'] });
    expect(
      report.findings.map(({ file, line, source, mode, hosts }) => ({ file, line, source, mode, hosts })),
    ).toEqual([
      {
        file: 'cloudflare.tf',
        line: 15,
        source: 'cloudflare',
        mode: 'required',
        hosts: ['api.bank.example'],
      },
    ]);
    expect(report.forbidden).toHaveLength(1);
    expect(report.forbidden[0]).toMatchObject({ file: 'cloudflare.tf', line: 15, source: 'cloudflare' });
    expect(report.forbidden[0].fix).toContain('status_code = 401');
    const run = await runCliAsync(['detect', '--check', '.'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('No mTLS termination found');
  });

  it('Rulesets API JSON; a block with a custom 401 response is no 403', async () => {
    const rules = (status?: number) =>
      JSON.stringify(
        {
          result: {
            phase: 'http_request_firewall_custom',
            rules: [
              {
                action: 'block',
                expression: 'http.host eq "mtls.bank.example" and not cf.tls_client_auth.cert_verified',
                ...(status
                  ? { action_parameters: { response: { status_code: status, content: '{}' } } }
                  : {}),
              },
            ],
          },
        },
        null,
        2,
      );
    const plain = await detectMtls({ cwd: tempProject({ 'ruleset.json': rules() }), paths: ['.'] });
    expect(plain.findings.map((finding) => [finding.line, finding.hosts])).toEqual([
      [7, ['mtls.bank.example']],
    ]);
    expect(plain.forbidden.map((entry) => entry.line)).toEqual([7]);
    const custom = await detectMtls({ cwd: tempProject({ 'ruleset.json': rules(401) }), paths: ['.'] });
    expect(custom.findings).toHaveLength(1);
    expect(custom.forbidden).toEqual([]);
  });
});

describe('detect: Apache APISIX', () => {
  it('ssls[].client.ca is a required finding for its SNIs; ip-restriction answering 403 is named, response_code 404 is not', async () => {
    const cwd = tempProject({ 'apisix.yaml': APISIX });
    const report = await detectMtls({ cwd, paths: ['.'] });
    expect(report.findings.map(({ line, source, mode, hosts }) => ({ line, source, mode, hosts }))).toEqual([
      { line: 6, source: 'apisix', mode: 'required', hosts: ['api.bank.example'] },
    ]);
    expect(report.forbidden.map(({ line, paths, source }) => ({ line, paths, source }))).toEqual([
      { line: 13, paths: ['/accounts/*'], source: 'apisix' },
    ]);
    const run = await runCliAsync(['detect', '--check', '.'], { cwd });
    expect(run.code).toBe(1);
  });
});

describe('detect: gateways it does not read are named, never a clean result', () => {
  // Since session 46 an XML VirtualHost is read (test/detect/apigee.test.ts); JSON that is neither a virtual host
  // (`hostAliases`) nor a target server (`host`, `port`) stays under Not read.
  it('Apigee ClientAuthEnabled a virtual host is read, JSON of no known shape and F5 peer-cert-mode: under Not read, --check not 0', async () => {
    const cwd = tempProject({
      'apiproxy/secure.xml': APIGEE,
      'apigee/virtualhost.json':
        '{"name": "secure", "sSLInfo": {"enabled": "true", "clientAuthEnabled": "true"}}\n',
      'f5/profile.conf': 'ltm profile client-ssl mtls {\n    peer-cert-mode require\n}\n',
    });
    const report = await detectMtls({ cwd, paths: ['.'] });
    expect(report.findings.map(({ file, line, source, hosts }) => ({ file, line, source, hosts }))).toEqual([
      { file: 'apiproxy/secure.xml', line: 4, source: 'apigee', hosts: ['api.bank.example'] },
    ]);
    expect(report.skipped.map(({ file, line }) => ({ file, line }))).toEqual([
      { file: 'apigee/virtualhost.json', line: 1 },
      { file: 'f5/profile.conf', line: 2 },
    ]);
    const run = await runCliAsync(['detect', '--check', '.'], { cwd });
    expect(run.stdout + run.stderr).not.toContain('No mTLS termination found');
    expect(run.code).not.toBe(0);
  });
});
