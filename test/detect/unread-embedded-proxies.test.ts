import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 30: a Traefik, Envoy or Caddy mTLS setting written where their readers do not look (a Nomad job's
// `template { data = <<EOF` heredoc, a shell heredoc, a Go string, Caddy's JSON config) read "No mTLS termination
// found" and `--check` passed; nginx text in the same places is read (embedded-text.ts). Each is now named under
// "Not read"; the files the readers do read give a finding and are not named.
const TRAEFIK_DYNAMIC = `tls:
  options:
    clientcert:
      clientAuth:
        caFiles: [/etc/traefik/ca.crt]
        clientAuthType: RequireAndVerifyClientCert
http:
  routers:
    api:
      rule: "Host(\`api.bank.test\`)"
      service: api
      tls: { options: clientcert }
`;

const ENVOY = `static_resources:
  listeners:
    - name: https
      filter_chains:
        - transport_socket:
            name: envoy.transport_sockets.tls
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
              require_client_certificate: true
`;

const CASES: [string, Record<string, string>, string | undefined][] = [
  [
    'Traefik dynamic configuration in a Nomad template heredoc',
    {
      'jobs/edge.nomad': `job "edge" {\n  group "g" {\n    task "proxy" {\n      template {\n        destination = "local/dynamic.yml"\n        data = <<EOF\n${TRAEFIK_DYNAMIC}EOF\n      }\n    }\n  }\n}\n`,
    },
    undefined, // read since session 31 (embedded-proxies.test.ts)
  ],
  [
    'Traefik dynamic configuration in a Go string',
    {
      'internal/proxy/config.go': `package proxy\n\nconst dynamic = \`\n${TRAEFIK_DYNAMIC.replace(/`/g, '')}\`\n`,
    },
    'Traefik TLS option',
  ],
  [
    'Envoy configuration written by a shell heredoc',
    {
      'scripts/start.sh': `#!/bin/sh\ncat > /etc/envoy/envoy.yaml <<'EOF'\n${ENVOY}EOF\nexec envoy -c /etc/envoy/envoy.yaml\n`,
    },
    undefined, // read since session 31 (embedded-proxies.test.ts)
  ],
  [
    "Caddy's JSON configuration",
    {
      'caddy/caddy.json':
        '{\n  "apps": {\n    "http": {\n      "servers": {\n        "api": {\n          "listen": [":443"],\n          "tls_connection_policies": [\n            { "client_authentication": { "trusted_ca_certs_pem_files": ["/etc/caddy/ca.pem"], "mode": "require_and_verify" } }\n          ]\n        }\n      }\n    }\n  }\n}\n',
    },
    undefined, // read since session 32 (caddy-json.test.ts)
  ],
  [
    'a Caddyfile written by a Dockerfile heredoc',
    {
      Dockerfile:
        'FROM caddy:2\nCOPY <<EOF /etc/caddy/Caddyfile\napi.bank.test {\n  tls {\n    client_auth {\n      mode require_and_verify\n      trusted_ca_cert_file /etc/caddy/ca.pem\n    }\n  }\n  reverse_proxy app:8080\n}\nEOF\n',
    },
    undefined, // read since session 31 (embedded-proxies.test.ts)
  ],
  // The files the readers read: a finding, not "Not read".
  ['a Traefik dynamic configuration file', { 'traefik/dynamic.yml': TRAEFIK_DYNAMIC }, undefined],
  ['an Envoy configuration file', { 'envoy/envoy.yaml': ENVOY }, undefined],
  [
    'a Caddyfile',
    {
      'caddy/Caddyfile':
        'api.bank.test {\n  tls {\n    client_auth {\n      mode require_and_verify\n      trusted_ca_cert_file /etc/caddy/ca.pem\n    }\n  }\n}\n',
    },
    undefined,
  ],
  // Settings that ask for no certificate.
  [
    'Traefik NoClientCert in a heredoc',
    {
      'jobs/edge.nomad': `job "edge" {\n  template {\n    data = <<EOF\ntls:\n  options:\n    default:\n      clientAuth:\n        clientAuthType: NoClientCert\nEOF\n  }\n}\n`,
    },
    undefined,
  ],
];

describe('detect: Traefik, Envoy and Caddy mTLS settings outside the files their readers read', () => {
  it.each(CASES)('%s', async (_name, files, kind) => {
    const report = await detectMtls({ cwd: tempProject(files) });
    const unread = report.skipped.filter((skip) => skip.reason.includes('in a form mtls-fix does not read'));
    if (kind === undefined) {
      expect(unread).toEqual([]);
      if (!_name.includes('NoClientCert')) expect(report.findings.length).toBeGreaterThan(0);
    } else {
      expect(report.findings).toEqual([]);
      expect(unread.map((skip) => skip.reason)).toEqual([expect.stringContaining(kind)]);
    }
  });
});
