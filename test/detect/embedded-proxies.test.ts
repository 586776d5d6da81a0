import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 31 (left open in session 30): Envoy, Traefik and Caddy configuration written inside a shell heredoc, a
// Dockerfile `COPY <<EOF` or a Nomad `template { data = <<EOF }` was named under "Not read" only: no finding, no host,
// its 403s unread. Now it is read by that proxy's reader at its lines in the host file, as nginx text is
// (embedded-text.ts). Findings, notes, 403s and "Not read" lines are compared whole.
async function detect(files: Record<string, string>) {
  const report = await detectMtls({ cwd: tempProject(files) });
  return {
    findings: report.findings.map(
      (f) => `${f.file}:${f.line} ${f.source} ${f.mode} ${f.hosts.join(',') || '*'}`,
    ),
    notes: report.findings.map((f) => f.note ?? ''),
    forbidden: report.forbidden.map((f) => `${f.file}:${f.line} ${f.fix}`),
    unread: report.skipped
      .filter((s) => s.line !== undefined && !s.leftOut)
      .map((s) => `${s.file}:${s.line}`),
    exit: detectCheck(report).exitCode,
  };
}

const ENVOY = `static_resources:
  listeners:
    - name: https
      filter_chains:
        - filter_chain_match: { server_names: [mtls.bank.test] }
          transport_socket:
            name: envoy.transport_sockets.tls
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
              require_client_certificate: true
          filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                route_config:
                  virtual_hosts:
                    - name: a
                      domains: ["*"]
                      routes:
                        - match: { prefix: /admin }
                          direct_response: { status: 403 }
`;

const TRAEFIK = `tls:
  options:
    clientcert:
      clientAuth:
        caFiles: [/etc/traefik/ca.crt]
        clientAuthType: RequireAndVerifyClientCert
http:
  routers:
    api:
      rule: "Host(\`{{ env "API_HOST" }}\`)"
      service: api
      middlewares: [ips]
      tls: { options: clientcert }
  middlewares:
    ips:
      ipAllowList: { sourceRange: ["10.0.0.0/8"] }
`;

describe('detect: proxy configuration embedded in scripts, Dockerfiles and Nomad jobs', () => {
  it('Envoy in a shell heredoc: the finding with its filter chain host, and its direct_response 403', async () => {
    expect(
      await detect({
        'scripts/start.sh': `#!/bin/sh\ncat > /etc/envoy/envoy.yaml <<'EOF'\n${ENVOY}EOF\nexec envoy\n`,
      }),
    ).toEqual({
      findings: ['scripts/start.sh:12 envoy required mtls.bank.test'],
      notes: ['Envoy config in a shell heredoc, written to /etc/envoy/envoy.yaml'],
      forbidden: ['scripts/start.sh:23 direct_response: { status: 401 }'],
      unread: [],
      exit: 1,
    });
  });

  it('Traefik in a Nomad template with consul-template tags: routers linked, the middleware 403 read', async () => {
    const nomad = `job "edge" {\n  group "g" {\n    task "proxy" {\n      template {\n        destination = "local/dynamic.yml"\n        data = <<EOF\n${TRAEFIK}EOF\n      }\n    }\n  }\n}\n`;
    const result = await detect({ 'jobs/edge.nomad': nomad });
    expect(result.findings).toEqual(['jobs/edge.nomad:12 traefik required {{ env "API_HOST" }}']);
    expect(result.notes[0]).toMatch(
      /^TLS option 'clientcert', used by 1 router\(s\): jobs\/edge\.nomad:15; Traefik config in a Nomad template, written to local\/dynamic\.yml$/,
    );
    expect(result.forbidden).toEqual(["jobs/edge.nomad:22 rejectStatusCode: 401 under ips's ipAllowList"]);
    expect(result.unread).toEqual([]);
  });

  it('a Caddyfile in a Dockerfile heredoc: its site and its respond 403', async () => {
    expect(
      await detect({
        Dockerfile:
          'FROM caddy:2\nCOPY <<EOF /etc/caddy/Caddyfile\napi.bank.test {\n  tls {\n    client_auth {\n      mode require_and_verify\n      trusted_ca_cert_file /etc/caddy/ca.pem\n    }\n  }\n  respond /admin 403\n  reverse_proxy app:8080\n}\nEOF\n',
      }),
    ).toEqual({
      findings: ['Dockerfile:5 caddy required api.bank.test'],
      notes: ['Caddyfile in a Dockerfile heredoc, written to /etc/caddy/Caddyfile'],
      forbidden: ['Dockerfile:10 respond /admin 401'],
      unread: [],
      exit: 1,
    });
  });

  it('embedded text that does not parse as YAML is still named under "Not read"', async () => {
    expect(
      await detect({
        'scripts/start.sh': `#!/bin/sh\ncat > envoy.yaml <<'EOF'\nstatic_resources: [\n  require_client_certificate: true\nEOF\n`,
      }),
    ).toMatchObject({ findings: [], unread: ['scripts/start.sh:4'], exit: 1 });
  });
});
