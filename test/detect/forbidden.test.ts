import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/detect/forbidden');

interface Expected {
  line: number;
  finding: number;
  paths: string[];
  /** The fix, or a part of it that names the concrete change. */
  fix: string;
}

/**
 * Per proxy: every 403 the proxy itself answers under the mTLS finding, counted by reading the fixture.
 * Each fixture also holds 403s that must not be reported (a non-mTLS server/site/frontend/chain, a 403
 * remapped by error_page, a stream server, an RBAC filter in LOG mode, deny_status 401): the lists are
 * compared whole, so reporting any of those fails.
 */
const SCENARIOS: Record<string, { file: string; expected: Expected[] }> = {
  nginx: {
    file: 'site.conf',
    expected: [
      { line: 2, finding: 7, paths: [], fix: '`location @mtls_status { return 401; }`' },
      { line: 11, finding: 7, paths: ['/accounts'], fix: 'return 401;' },
      { line: 15, finding: 7, paths: ['/admin'], fix: '`error_page 403 = @mtls_status;`' },
      { line: 22, finding: 7, paths: ['/text'], fix: 'return 401 "client certificate required";' },
    ],
  },
  haproxy: {
    file: 'haproxy.cfg',
    expected: [
      { line: 10, finding: 7, paths: [], fix: 'http-request deny deny_status 401 unless cert_ok' },
      {
        line: 12,
        finding: 7,
        paths: ['/admin', '/ops'],
        fix: 'http-request deny deny_status 401 if admin !cert_ok',
      },
      { line: 13, finding: 7, paths: ['/x'], fix: 'http-request return status 401 content-type' },
      { line: 18, finding: 7, paths: [], fix: 'http-request deny deny_status 401 if { src 10.0.0.0/8 }' },
    ],
  },
  apache: {
    file: 'httpd-ssl.conf',
    expected: [
      { line: 2, finding: 13, paths: ['/'], fix: 'change to the agreed status by hand' },
      { line: 15, finding: 13, paths: [], fix: 'RewriteRule ^/old/ - [R=401,L]' },
      {
        line: 18,
        finding: 13,
        paths: ['/accounts'],
        fix: `RewriteCond expr "!(%{SSL_CLIENT_VERIFY} eq 'SUCCESS')"`,
      },
      { line: 19, finding: 13, paths: ['/accounts'], fix: 'RewriteCond %{SSL:SSL_CLIENT_VERIFY} !=SUCCESS' },
      { line: 26, finding: 13, paths: ['/admin'], fix: 'change to the agreed status by hand' },
    ],
  },
  caddy: {
    file: 'Caddyfile',
    expected: [
      {
        line: 16,
        finding: 7,
        paths: ['/accounts/*'],
        fix: 'respond @nocert "client certificate required" 401',
      },
      { line: 18, finding: 7, paths: ['/admin/*'], fix: 'error "forbidden" 401' },
    ],
  },
  envoy: {
    file: 'envoy.yaml',
    expected: [
      { line: 22, finding: 37, paths: ['/admin'], fix: 'direct_response: { status: 401 }' },
      { line: 24, finding: 37, paths: [], fix: 'status_code: 401' },
    ],
  },
  // ipAllowList without rejectStatusCode, ipWhiteList through a chain; a 401 reject, a public router: not listed.
  traefik: {
    file: 'dynamic.yaml',
    expected: [
      {
        line: 33,
        finding: 58,
        paths: ['/accounts'],
        fix: "rejectStatusCode: 401 under partner-ips's ipAllowList",
      },
      {
        line: 45,
        finding: 58,
        paths: ['/admin'],
        fix: 'ipAllowList (Traefik v3; ipWhiteList always answers 403)',
      },
    ],
  },
  kubernetes: {
    file: 'ingress.yaml',
    expected: [
      { line: 8, finding: 6, paths: ['/open-banking'], fix: 'error_page 403 = @mtls_status;' },
      { line: 11, finding: 6, paths: ['/open-banking'], fix: 'return 401;' },
    ],
  },
};

describe('detect: 403s the proxy itself answers on mTLS servers', () => {
  for (const [kind, { file, expected }] of Object.entries(SCENARIOS)) {
    it(`${kind}: every 403 under the mTLS finding, none outside it`, async () => {
      const report = await detectMtls({ cwd: path.join(FIXTURES, kind) });
      expect(
        report.forbidden.map(({ line, finding, paths }) => ({ line, finding: finding.line, paths })),
      ).toEqual(expected.map(({ line, finding, paths }) => ({ line, finding, paths })));
      report.forbidden.forEach((entry, index) => {
        expect(entry.file).toBe(file);
        expect(entry.finding.file).toBe(file);
        expect(entry.source).toBe(kind);
        expect(entry.fix).toContain(expected[index].fix);
        expect(entry.evidence).toMatch(/403|deny|Require|SSLRequire|RewriteRule|rbac|source-range/i);
      });
      expect(report.forbiddenUnplaced).toEqual([]);
      expect(report.forbiddenNotChecked).toEqual([]);
    });
  }

  // Session 18 (newuser18): ingress-nginx asks for the client certificate per host (one server block), so an
  // Ingress of the same host in another file, with no certificate annotations of its own, answers its 403s on the
  // client-certificate connection; `auth-tls-match-cn` answers 403 itself; `auth-url` passes its service's 403 on.
  // Before, only the annotated Ingress's ranges and snippets were read: 0 entries here.
  it('kubernetes: the same host in other Ingresses, auth-tls-match-cn, auth-url (not checked); another host is not', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'ingress-hosts') });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual(['mtls.yaml:6']);
    expect(
      report.forbidden.map(
        (entry) =>
          `${entry.file}:${entry.line} under ${entry.finding.file}:${entry.finding.line} [${entry.paths.join(', ')}]`,
      ),
    ).toEqual([
      'admin.yaml:8 under mtls.yaml:6 [/admin]',
      'admin.yaml:11 under mtls.yaml:6 [/admin]',
      'mtls.yaml:8 under mtls.yaml:6 []',
    ]);
    expect(report.forbidden[0].note).toContain('Ingress payments-admin (admin.yaml) shares the host');
    expect(report.forbidden[1].fix).toBe('return 401;');
    expect(report.forbidden[2].fix).toContain('client certificate unauthorized');
    expect(report.forbiddenNotChecked).toEqual([
      expect.stringMatching(/^mtls\.yaml:9 kubernetes \(auth-url http:\/\/token-check/),
    ]);
    expect(JSON.stringify(report.forbidden)).not.toContain('public.yaml');
  });

  // Session 18 (newuser18): mojaloop/iac-modules (2e5cdb2f7) selects its ingress gateway's pods by `app:` in the
  // AuthorizationPolicy and by `istio:` in the Gateway; the policy's rules name the Gateway's mTLS host. Before, it
  // was passed over in silence (the selectors differ); now it is listed as not placed, with what to check.
  it('istio: a policy naming the mTLS host under other labels than the Gateway selector is not placed, not dropped', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'istio-hosts') });
    expect(report.forbidden).toEqual([]);
    expect(report.forbiddenUnplaced.map((entry) => `${entry.file}:${entry.line}`)).toEqual([
      'policies.yaml:11',
    ]);
    expect(report.forbiddenUnplaced[0].reason).toBe(
      "its rules name the mTLS host partners.bank.example of the Gateway at gateway.yaml:12, but its selector app=istio-ingressgateway is not the Gateway's selector (istio=ingressgateway): it applies, and answers 403 there, if the gateway's pods also carry those labels; check them",
    );
  });

  it('istio: the AuthorizationPolicies (any file) that apply to the mTLS gateway workload, by selector or root namespace', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'istio') });
    // DENY (its paths), ALLOW (every request it does not allow), CUSTOM (its paths); not: a policy selecting
    // another workload, AUDIT, a targetRefs policy.
    expect(
      report.forbidden.map(({ file, line, finding, paths }) => ({
        file,
        line,
        finding: finding.file,
        paths,
      })),
    ).toEqual([
      { file: 'policies.yaml', line: 10, finding: 'gateway.yaml', paths: ['/admin/*', '/internal/*'] },
      { file: 'policies.yaml', line: 25, finding: 'gateway.yaml', paths: [] },
      { file: 'policies.yaml', line: 62, finding: 'gateway.yaml', paths: ['/consents/*'] },
    ]);
    for (const entry of report.forbidden) expect(entry.fix).toContain('status_code: 401');
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it('gateway-api: Envoy Gateway SecurityPolicy authorization and Istio targetRefs policies on the mTLS Gateway, its listener or its HTTPRoutes', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'gateway-api') });
    // Not: a policy on the public listener, one that never denies, one on another Gateway.
    expect(
      report.forbidden.map(({ file, line, finding, paths }) => ({
        file,
        line,
        finding: finding.line,
        paths,
      })),
    ).toEqual([
      { file: 'policies.yaml', line: 12, finding: 21, paths: [] },
      { file: 'policies.yaml', line: 56, finding: 21, paths: ['/accounts'] },
      { file: 'policies.yaml', line: 98, finding: 21, paths: ['/admin/*'] },
      // `authorization: {}`: the default action is Deny.
      { file: 'policies.yaml', line: 124, finding: 21, paths: ['/statements'] },
    ]);
    for (const entry of report.forbidden) expect(entry.fix).toContain('status_code: 401');
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it('azure: App Service access restrictions on a site that requires client certificates (ARM, Terraform, Bicep)', async () => {
    // Not: a site without client certificates, restrictions whose default action is Allow with only Allow rules.
    const lines: string[] = [];
    for (const format of ['azure-arm', 'azure-terraform', 'azure-bicep']) {
      const report = await detectMtls({ cwd: path.join(FIXTURES, format) });
      lines.push(
        ...report.forbidden.map((entry) => `${format}/${entry.file}:${entry.line}<-${entry.finding.line}`),
      );
      for (const entry of report.forbidden) expect(entry.fix).toContain('answer 401 there');
      expect(report.forbiddenNotChecked).toEqual([]);
      expect(report.forbiddenUnplaced).toEqual([]);
    }
    expect(lines).toEqual([
      'azure-arm/azuredeploy.json:14<-11',
      'azure-terraform/apps.tf:10<-6',
      'azure-bicep/app.bicep:10<-7',
    ]);
  });

  it('traefik CRDs: an IngressRoute route whose Middleware keeps rejectStatusCode 403 (another status: not listed)', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'traefik-crd') });
    expect(
      report.forbidden.map(({ line, finding, paths }) => ({ line, finding: finding.line, paths })),
    ).toEqual([{ line: 17, finding: 8, paths: ['/v1'] }]);
    expect(report.forbidden[0].fix).toBe("rejectStatusCode: 401 under fleet-ips's ipAllowList");
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it('apache: a directive continued over lines (`\\` at the end) is read whole, in every section kind', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'apache-continued') });
    expect(report.findings.map(({ line, mode, hosts }) => ({ line, mode, hosts }))).toEqual([
      { line: 5, mode: 'required', hosts: ['api.example.test'] },
    ]);
    // The port-80 site's `Require all denied` is not under the mTLS virtual host: not listed.
    expect(report.forbidden.map(({ line, paths }) => ({ line, paths }))).toEqual([
      { line: 8, paths: ['/accounts'] },
      { line: 12, paths: ['\\.pdf$'] },
    ]);
    expect(report.forbidden[0].fix).toContain(`RewriteCond expr "!(%{SSL_CLIENT_S_DN_O} == 'Bank')"`);
    expect(report.forbidden[1].fix).toContain(
      '<filesmatch> section covers: change to the agreed status by hand',
    );
    expect(report.forbidden[0].evidence).toBe(`Require expr "%{SSL_CLIENT_S_DN_O} == 'Bank'"`);
  });

  it("haproxy: `status <code>` is deny / tarpit's status as `deny_status` is (HAProxy 2.2+); a condition's `status` fetch is not", async () => {
    // On 66c28b1 `deny status 401` was reported as a 403 (only `deny_status` was read), its fix adding a second
    // status; `tarpit status 403` and `http-response deny status 403` were not reported.
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'haproxy-status') });
    expect(report.forbidden.map((entry) => [entry.line, entry.fix])).toEqual([
      [5, 'http-request deny status 401 content-type text/plain string "no" if { path_beg /ops }'],
      [6, 'http-request tarpit status 401 if { path_beg /slow }'],
      [9, 'http-response deny status 401 if { res.hdr(x-block) -m found }'],
    ]);
  });

  it('the fix names the agreed status (config `status`)', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'haproxy'), status: 404 });
    expect(report.forbidden[0].fix).toBe('http-request deny deny_status 404 unless cert_ok');
  });

  it('nginx: a file nginx-conf rejects names its 403 lines as unplaced, not as clean', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'nginx-unparsed') });
    expect(report.findings.map((finding) => finding.line)).toEqual([3]);
    expect(report.forbidden).toEqual([]);
    expect(report.forbiddenUnplaced).toEqual([
      expect.objectContaining({ file: 'site.conf', line: 5, source: 'nginx', evidence: 'return 403;' }),
    ]);
    expect(report.forbiddenUnplaced[0].reason).toContain('nginx-conf could not parse the file');
  });

  it("nginx: the 403s of a file an mTLS server includes are placed in it (wildcards too); a public server's are not", async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'nginx-include') });
    expect(report.findings.map((finding) => finding.line)).toEqual([5]);
    expect(report.forbiddenUnplaced).toEqual([]);
    expect(report.forbidden.map((f) => [f.file, f.line, f.evidence, f.paths, f.finding.line])).toEqual([
      ['snippets/acl-office.conf', 2, 'deny all;', ['/admin'], 5],
      ['snippets/require-cert.conf', 2, 'return 403;', [], 5],
    ]);
    expect(report.forbidden[1].note).toBe(
      'included into the mTLS server of site.conf:5 by `include snippets/require-cert.conf;` (site.conf:6)',
    );
    expect(report.forbidden[1].fix).toBe('return 401;');
    // certbot's options file, not in the tree, sets TLS parameters only: not listed as unchecked.
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it('nginx: a snippet included at several places is one entry with every path; remaps, nested includes, misses', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'nginx-include-placed') });
    expect(report.findings.map((finding) => [finding.file, finding.line])).toEqual([['site.conf', 5]]);
    expect(report.forbidden.map((f) => [f.file, f.line, f.evidence, f.paths])).toEqual([
      // included by ops.conf (itself included at /ops), named relative to the config folder as nginx reads it
      ['snippets/office-only.conf', 2, 'deny all;', ['/ops']],
      // included at /payments, /accounts and /remapped; /remapped has `error_page 403 =401`, so it is not there
      ['snippets/verify-client.conf', 3, 'return 403;', ['/payments', '/accounts']],
    ]);
    expect(report.forbidden[0].note).toBe(
      'included into the mTLS server of site.conf:5 by `include snippets/ops.conf;` (site.conf:20), then `include snippets/office-only.conf;` (snippets/ops.conf:1)',
    );
    expect(report.forbidden[1].note).toBe(
      'included into the mTLS server of site.conf:5 by `include snippets/verify-client.conf;` (site.conf:7); by `include snippets/verify-client.conf;` (site.conf:11)',
    );
    // A snippet nginx-conf cannot parse, included twice: one line, both includes named.
    expect(report.forbiddenUnplaced).toHaveLength(1);
    expect(report.forbiddenUnplaced[0]).toMatchObject({ file: 'snippets/broken.conf', line: 2 });
    expect(report.forbiddenUnplaced[0].reason).toBe(
      'included into the mTLS server of site.conf:5 by `include snippets/broken.conf;` (site.conf:23); by `include snippets/broken.conf;` (site.conf:26), but nginx-conf could not parse it (Unable to parse quote-delimited value (probably an unclosed string)): change it to 401 if nginx answers it there',
    );
    // An include the tree does not hold may answer 403: named, not passed as clean.
    expect(report.forbiddenNotChecked).toEqual([
      'site.conf:28 nginx (`include snippets/tenant-acl.conf;` in the mTLS server of site.conf:5: no such file in the scanned tree; what it answers is not checked)',
    ]);
  });

  it('nginx config written by cloud-init write_files: read at its lines in the user-data; other encodings named', async () => {
    // On 66c28b1 the user-data's `ssl_verify_client on` was only "a form mtls-fix does not read" (no finding, no
    // proposal) and its `return 403` was not named at all; the base64 and quoted ones were not named.
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'cloud-init') });
    expect(report.findings.map((f) => [f.file, f.line, f.mode, f.hosts, f.note])).toEqual([
      [
        'user-data.yaml',
        12,
        'required',
        ['partners.bank.example'],
        'nginx config written by cloud-init write_files to /etc/nginx/conf.d/partners.conf',
      ],
    ]);
    expect(report.forbidden.map((f) => [f.file, f.line, f.paths, f.fix])).toEqual([
      ['user-data.yaml', 15, ['/admin'], 'return 401;'],
    ]);
    expect(report.skipped.map((skip) => [skip.line, skip.reason.slice(0, 80)])).toEqual([
      [22, 'cloud-init write_files content for /etc/nginx/conf.d/legacy.conf holds ssl_verif'],
      [24, 'cloud-init write_files content for /etc/nginx/conf.d/quoted.conf holds ssl_verif'],
    ]);
  });

  it('nginx config in a shell echo / heredoc, a Dockerfile, a Nomad template, Terraform user_data: read at its lines', async () => {
    // On 0c33c5f each was only "a form mtls-fix does not read" (no finding, no proposal) and none of the 403s
    // below was named. Not reported: the `return 403` remapped by `error_page 403 =401` (setup.sh:34), and the 403s
    // of texts without ssl_verify_client (setup.sh:40, Dockerfile:10).
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'embedded-text') });
    expect(report.findings.map((f) => [f.file, f.line, f.mode, f.hosts, f.paths, f.note])).toEqual([
      [
        'Dockerfile',
        6,
        'required',
        ['mtls.docker.example'],
        [],
        'nginx config in a Dockerfile heredoc, written to /etc/nginx/conf.d/mtls.conf',
      ],
      [
        'edge.tf',
        10,
        'optional',
        ['edge-mtls.${var.domain}'],
        [],
        'locations that test $ssl_client_verify: /api (the certificate is asked for on every path of the server); nginx config in a shell heredoc, written to /etc/nginx/conf.d/edge.conf',
      ],
      [
        'proxy.nomad',
        11,
        'required',
        ['mtls.nomad.example'],
        [],
        'read from a template (its tags blanked): whether the rendered file keeps it depends on the values; nginx config in a Nomad template, written to local/nginx.conf',
      ],
      [
        'setup.sh',
        7,
        'optional',
        ['mtls.csaf.example'],
        [],
        'locations that test $ssl_client_verify: /restricted (the certificate is asked for on every path of the server); nginx config in a shell string, written to /etc/nginx/sites-enabled/mtls.conf',
      ],
      [
        'setup.sh',
        19,
        'required',
        ['api.csaf.example'],
        [],
        'nginx config in a shell heredoc, written to /etc/nginx/conf.d/other.conf',
      ],
      [
        'setup.sh',
        30,
        'required',
        ['partners.csaf.example'],
        [],
        'locations that test $ssl_client_verify: /reports (the certificate is asked for on every path of the server); nginx config in a shell string, written to /etc/nginx/conf.d/partners.conf',
      ],
      [
        'setup.sh',
        46,
        'optional',
        [],
        [],
        "locations that test $ssl_client_verify: /tlp/ (the certificate is asked for on every path of the server); nginx config in a shell string, written to ~/client-certs.txt (a fragment without a server block, read as a server's body)",
      ],
    ]);
    expect(report.forbidden.map((f) => [f.file, f.line, f.evidence, f.finding.line])).toEqual([
      ['Dockerfile', 7, 'return 403;', 6],
      ['edge.tf', 12, 'return 403;', 10],
      ['proxy.nomad', 13, 'return 403;', 11],
      ['setup.sh', 10, 'return 403;', 7],
      ['setup.sh', 21, 'deny all;', 19],
      ['setup.sh', 32, 'return 403 "no certificate";', 30],
      ['setup.sh', 48, 'return 403;', 46],
    ]);
    expect(report.forbiddenUnplaced).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it('Helm values the template writes into the Ingress (toYaml) are read for 403s (session 26; before, not checked)', async () => {
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/helm') });
    expect(report.findings.map((finding) => [finding.file, finding.note])).toEqual([
      [
        'chart/values.yaml',
        'Helm values written into the Ingress of chart/templates/ingress.yaml:8; its 403s are read from the values',
      ],
    ]);
    expect(report.forbidden).toEqual([]);
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it('a finding whose source 403s are not read is listed as not checked', async () => {
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/spring') });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.forbiddenNotChecked).toEqual(
      report.findings.map((finding) => `${finding.file}:${finding.line} spring`),
    );
  });
});

/**
 * API Gateway REST APIs answer 403 themselves (gateway responses: AWS, "Gateway response types for API Gateway").
 * Per format, every gateway 403 left on the mTLS custom domain, counted by reading the fixture: `type@file:line`.
 * Each fixture also overrides some types with another status (never reported) and shows which optional
 * features (API keys, IAM, WAF) the API uses; the lists are compared whole.
 */
const GATEWAY: Record<string, { expected: string[]; fix: string; notChecked?: string[]; note?: string }> = {
  // ACCESS_DENIED is 401 (not reported); MISSING_AUTHENTICATION_TOKEN keeps 403 at its own line; a WAF is attached.
  cloudformation: {
    expected: ['MISSING_AUTHENTICATION_TOKEN@template.yaml:26', 'WAF_FILTERED@template.yaml:33'],
    fix: "ResponseType: WAF_FILTERED, StatusCode: '401', ResponseParameters: { gatewayresponse.header.WWW-Authenticate",
  },
  // SAM GatewayResponses: MISSING_AUTHENTICATION_TOKEN is 404; API keys are required.
  sam: {
    expected: ['ACCESS_DENIED@template.yaml:17', 'INVALID_API_KEY@template.yaml:17'],
    fix: 'GatewayResponses: { INVALID_API_KEY: { StatusCode: 401',
  },
  // Overrides in another file than the domain; IAM authorization in a third; EXPIRED_TOKEN set without a status.
  terraform: {
    expected: ['INVALID_SIGNATURE@main.tf:8', 'EXPIRED_TOKEN@responses.tf:15'],
    fix: 'resource "aws_api_gateway_gateway_response" "invalid_signature" { rest_api_id = <your aws_api_gateway_rest_api>.id, response_type = "INVALID_SIGNATURE", status_code = "401"',
  },
  // new GatewayResponse(...) 404 for MISSING_AUTHENTICATION_TOKEN; addGatewayResponse for ACCESS_DENIED without
  // statusCode: the fix gives that one its status (session 35; before, a second addGatewayResponse was proposed).
  cdk: {
    expected: ['ACCESS_DENIED@api-stack.ts:21'],
    fix: "statusCode: '401', responseHeaders: { 'WWW-Authenticate': \"'Bearer'\" } in the gateway response for ACCESS_DENIED at api-stack.ts:21",
  },
  // The REST API imported from an OpenAPI body: x-amazon-apigateway-gateway-responses, awsSigv4 (IAM) auth.
  'openapi-body': {
    expected: ['EXPIRED_TOKEN@main.tf:9', 'INVALID_SIGNATURE@main.tf:9'],
    fix: 'response_type = "EXPIRED_TOKEN", status_code = "401"',
  },
  // DEFAULT_4XX set to 401 changes every 4XX type without a status of its own.
  'default-4xx': { expected: [], fix: '' },
  // An HTTP API (apigatewayv2) domain with no authorizer and no REST API in the files: its truststore answers 403
  // (session 36; before, read as answering none), which an HTTP API cannot give another status.
  'cdk-http-api': {
    expected: ['truststore@api-stack.ts:11'],
    fix: 'HTTP APIs cannot give this 403 another status (they have no gateway responses)',
  },
  // An HTTP API with a JWT authorizer: its denials answer 403, and HTTP APIs cannot change that status.
  'http-api-authorizer': {
    expected: ['truststore@main.tf:24', 'authorizer@main.tf:24'],
    fix: 'HTTP APIs cannot give these 403s another status: authorize in the integration and answer 401 there',
  },
  // An ApiGatewayV2 domain mapping a REST API: the REST API's gateway responses apply.
  'v2-domain-rest': {
    expected: ['MISSING_AUTHENTICATION_TOKEN@template.yaml:12', 'ACCESS_DENIED@template.yaml:12'],
    fix: "ResponseType: ACCESS_DENIED, StatusCode: '401'",
  },
  // Two REST APIs: a gateway response counts only for the API it is written for (RestApiId / rest_api_id /
  // restApi / the SAM API holding it / the receiver of addGatewayResponse), and the domain's own API is the one
  // its base path mapping (or API mapping, SAM Domain, CDK mapping) names.
  'cloudformation-two-apis': {
    expected: ['ACCESS_DENIED@template.yaml:35'],
    fix: "ResponseType: ACCESS_DENIED, StatusCode: '401'",
    note: 'the gateway response ACCESS_DENIED (status 401) at template.yaml:13 is for PublicApi (template.yaml), not for OpenBankingApi (template.yaml) behind this domain',
  },
  'terraform-two-apis': {
    expected: ['MISSING_AUTHENTICATION_TOKEN@main.tf:12'],
    fix: 'response_type = "MISSING_AUTHENTICATION_TOKEN", status_code = "401"',
    note: 'at responses.tf:4 is for aws_api_gateway_rest_api.public, not for aws_api_gateway_rest_api.open_banking',
  },
  'sam-two-apis': {
    expected: ['MISSING_AUTHENTICATION_TOKEN@template.yaml:17', 'ACCESS_DENIED@template.yaml:17'],
    fix: 'GatewayResponses: { ACCESS_DENIED: { StatusCode: 401',
    note: 'is for PartnerApi (template.yaml), not for DeviceApi (template.yaml)',
  },
  'cdk-two-apis': {
    expected: ['ACCESS_DENIED@api-stack.ts:13'],
    fix: "api.addGatewayResponse('access_denied'",
    note: 'is for publicApi (api-stack.ts), not for clinicalApi (api-stack.ts)',
  },
  // No mapping in the files: every REST API they define may be behind the domain, so each must change the type.
  'terraform-unmapped': {
    expected: ['MISSING_AUTHENTICATION_TOKEN@main.tf:12'],
    fix: 'response_type = "MISSING_AUTHENTICATION_TOKEN"',
    note: 'the files map no REST API to the domain, so every REST API they define and tie to no other domain is counted',
  },
  // An ApiGatewayV2 domain that maps an HTTP API only: a REST API elsewhere in the files is not behind it, and the
  // domain's truststore answers 403 for the HTTP API (session 36).
  'v2-domain-http-only': {
    expected: ['truststore@template.yaml:17'],
    fix: 'serve the routes from a REST API on the domain with an ACCESS_DENIED gateway response of 401',
  },
  // CloudFormation reads YAML 1.1: `StatusCode: 0623` (623 to YAML 1.2) and `4_03` (a string) are 403 there, each
  // reported at its StatusCode as setting 403 itself; a quoted '0623' is no status at all, so the default stays.
  'sam-yaml11': {
    expected: [
      'MISSING_AUTHENTICATION_TOKEN@template.yaml:12',
      'ACCESS_DENIED@template.yaml:14',
      'INVALID_API_KEY@template.yaml:16',
    ],
    fix: 'GatewayResponses: { ACCESS_DENIED: { StatusCode: 401',
    note: 'a gateway response for ACCESS_DENIED is written here, but it sets 403 itself',
  },
};

describe('detect: the 403s API Gateway REST APIs answer themselves on an mTLS custom domain', () => {
  for (const [format, { expected, fix, notChecked, note }] of Object.entries(GATEWAY)) {
    it(format, async () => {
      const report = await detectMtls({ cwd: path.join(FIXTURES, 'aws-gateway', format) });
      expect(report.findings).toHaveLength(1);
      expect(
        report.forbidden.map(
          (entry) =>
            `${/gateway response (\w+)|HTTP API (authorizer)|HTTP API mutual TLS: 403 when the domain's (truststore)/.exec(entry.evidence)?.slice(1).find(Boolean)}@${entry.file}:${entry.line}`,
        ),
      ).toEqual(expected);
      for (const entry of report.forbidden) {
        expect(entry.source).toBe('aws');
        expect(entry.finding).toEqual({ file: report.findings[0].file, line: report.findings[0].line });
      }
      if (fix)
        expect(report.forbidden.map((entry) => entry.fix)).toContainEqual(expect.stringContaining(fix));
      expect(report.forbiddenNotChecked).toEqual(notChecked ?? []);
      if (note)
        expect(report.forbidden.map((entry) => entry.note)).toContainEqual(expect.stringContaining(note));
    });
  }

  it('the agreed status is the one the fixes propose (404: no challenge header)', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'aws-gateway', 'sam'), status: 404 });
    expect(report.forbidden.map((entry) => entry.fix)).toEqual([
      "GatewayResponses: { ACCESS_DENIED: { StatusCode: 404 } } in the AWS::Serverless::Api's Properties",
      "GatewayResponses: { INVALID_API_KEY: { StatusCode: 404 } } in the AWS::Serverless::Api's Properties",
    ]);
  });
});

/**
 * An Application Load Balancer answers 403 itself with a fixed-response action. Per format, every such action on
 * the mTLS listener (its default action, or a rule of that listener), counted by reading the fixture: `file:line`.
 * Each fixture also holds one on a listener without mutual authentication and a fixed 404 (never reported).
 */
const ALB: Record<string, { expected: string[]; fix: string; unplaced?: number[] }> = {
  // A rule on an imported listener (!ImportValue, a variable) cannot be tied: not placed, never dropped.
  cloudformation: { expected: ['alb.yaml:14', 'alb.yaml:39'], fix: "StatusCode: '401'", unplaced: [73] },
  terraform: { expected: ['alb.tf:15', 'alb.tf:28'], fix: 'status_code = "401"', unplaced: [80] },
  cdk: { expected: ['stack.ts:11'], fix: 'elbv2.ListenerAction.fixedResponse(401, {' },
  // Two mTLS listeners in one file: the action's listener is not followed, so it is listed as not placed.
  'cdk-two': { expected: [], fix: '', unplaced: [7] },
  // AWS WAF on the mTLS listener's load balancer: each Block without a custom response, each rule group not only
  // counted; a web ACL on another load balancer of the file is not ours; one on an imported ARN is not placed.
  'waf-cloudformation': {
    expected: ['alb.yaml:32', 'alb.yaml:47'],
    fix: 'CustomResponse: { ResponseCode: 401 }',
    unplaced: [68],
  },
  'waf-terraform': { expected: ['alb.tf:26', 'alb.tf:44'], fix: 'custom_response { response_code = 401 }' },
  // CloudFormation reads YAML 1.1: `StatusCode: 0623` / `4_03` and `ResponseCode: 6:43` / `0623` are 403 there;
  // the quoted `"4_03"` and `'0623'` are strings, not 403.
  'cloudformation-yaml11': {
    expected: ['alb.yaml:18', 'alb.yaml:30', 'alb.yaml:39', 'alb.yaml:46'],
    fix: '401',
  },
  'waf-cdk': { expected: ['stack.ts:14'], fix: 'customResponse: { responseCode: 401 }' },
};

describe('detect: the 403s an ALB answers itself on a listener with mutual authentication', () => {
  it('a WAF Block whose custom response is 403 (`ResponseCode: 6:43` to CloudFormation) says so in its note', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'aws-alb', 'cloudformation-yaml11') });
    expect(report.forbidden.slice(2).map((entry) => entry.note)).toEqual([
      'AWS WAF answers 403 when a Block action matches that has no custom response (or one of 403) on the load balancer of this listener',
      'AWS WAF answers 403 when a Block action matches that has no custom response (or one of 403) on the load balancer of this listener',
    ]);
  });

  for (const [format, { expected, fix, unplaced }] of Object.entries(ALB)) {
    it(format, async () => {
      const report = await detectMtls({ cwd: path.join(FIXTURES, 'aws-alb', format) });
      expect(report.forbidden.map((entry) => `${entry.file}:${entry.line}`)).toEqual(expected);
      if (fix) for (const entry of report.forbidden) expect(entry.fix).toContain(fix);
      expect(report.forbiddenUnplaced.map((entry) => entry.line)).toEqual(unplaced ?? []);
      expect(report.forbiddenNotChecked).toEqual([]);
    });
  }
});
