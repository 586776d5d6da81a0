import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { caddyHostsOverlap } from '../../src/detect/sources/caddy-json.js';
import { tempProject } from '../helpers/cli.js';

// Session 32: Caddy's JSON config (`apps.http.servers.*.tls_connection_policies[].client_authentication`) was only
// named under "Not read"; it is now read (hosts from `match.sni` or the server's routes) with the 403s its
// `static_response` / `error` handlers answer.
const CADDY_JSON = `{
  "apps": {
    "http": {
      "servers": {
        "edge": {
          "listen": [":443"],
          "routes": [
            {
              "match": [{ "host": ["api.bank.test"] }],
              "handle": [
                {
                  "handler": "subroute",
                  "routes": [
                    {
                      "match": [{ "path": ["/admin/*"] }],
                      "handle": [{ "handler": "static_response", "status_code": 403 }]
                    },
                    {
                      "handle": [
                        {
                          "handler": "reverse_proxy",
                          "upstreams": [{ "dial": "auth:9000" }],
                          "handle_response": [{ "match": { "status_code": [2] }, "routes": [] }]
                        }
                      ]
                    }
                  ]
                }
              ]
            },
            {
              "match": [{ "host": ["www.bank.test"] }],
              "handle": [{ "handler": "error", "status_code": "403" }]
            }
          ],
          "tls_connection_policies": [
            {
              "match": { "sni": ["api.bank.test"] },
              "client_authentication": {
                "trusted_ca_certs_pem_files": ["/etc/caddy/ca.pem"]
              }
            },
            { "match": { "sni": ["www.bank.test"] }, "client_authentication": {} }
          ]
        },
        "partners": {
          "listen": [":8443"],
          "routes": [{ "match": [{ "host": ["partners.bank.test"] }], "handle": [{ "handler": "error", "status_code": 403 }] }],
          "tls_connection_policies": [{ "client_authentication": { "mode": "verify_if_given", "trusted_ca_certs": ["MIIB"] } }]
        }
      }
    }
  }
}
`;

describe('detect: Caddy JSON config', () => {
  it('reads client_authentication policies, their hosts and the 403s of their servers', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'caddy/caddy.json': CADDY_JSON }) });
    expect(
      report.findings.map(
        (finding) =>
          `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.hosts.join()}`,
      ),
    ).toEqual([
      'caddy/caddy.json:39 caddy required api.bank.test',
      'caddy/caddy.json:49 caddy optional partners.bank.test',
    ]);
    expect(report.skipped).toEqual([]);
    expect(
      report.forbidden.map(
        (entry) => `${entry.line} ${entry.hosts.join()} ${entry.paths.join()} ${entry.fix}`,
      ),
    ).toEqual([
      '16 api.bank.test /admin/* set "status_code": 401 in this static_response handler',
      '48 partners.bank.test  set "status_code": 401 in this error handler',
    ]);
    expect(report.forbiddenNotChecked).toEqual([
      expect.stringMatching(/^caddy\/caddy\.json:23 caddy \(a reverse_proxy with handle_response/),
    ]);
    expect(detectCheck(report).exitCode).toBe(1);
  });

  // Session 33: a policy for `*.bank.test` passed over the routes of `api.bank.test` (hosts compared as strings), and
  // the server's `errors.routes`, the routes of a reverse_proxy's `handle_response` and a reverse_proxy handing the
  // client certificate to its upstream were never looked at: "403s answered (0)", `--check` 0.
  it('reads errors routes, handle_response routes, wildcard sni hosts and a certificate handed upstream', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'caddy.json': WILDCARD_JSON }) });
    expect(report.findings.map((finding) => `${finding.line} ${finding.hosts.join()}`)).toEqual([
      '39 *.bank.test',
    ]);
    expect(report.forbidden.map((entry) => `${entry.line} ${entry.paths.join()}`)).toEqual([
      '15 ',
      '33 /private/*',
    ]);
    expect(report.forbiddenNotChecked).toEqual([
      expect.stringMatching(/^caddy\.json:14 caddy \(a reverse_proxy with handle_response/),
      expect.stringMatching(
        /^caddy\.json:25 caddy \(a reverse_proxy in the mTLS server edge hands the client certificate/,
      ),
    ]);
    expect(detectCheck(report).exitCode).toBe(1);
  });

  it('compares Caddy hosts label by label', () => {
    expect(caddyHostsOverlap('*.bank.test', 'API.bank.test')).toBe(true);
    expect(caddyHostsOverlap('api.bank.test', '*.bank.test')).toBe(true);
    expect(caddyHostsOverlap('*.bank.test', 'a.b.bank.test')).toBe(false);
    expect(caddyHostsOverlap('www.bank.test', 'api.bank.test')).toBe(false);
  });
});

const WILDCARD_JSON = `{
  "apps": {
    "http": {
      "servers": {
        "edge": {
          "listen": [":443"],
          "routes": [
            {
              "match": [{ "host": ["api.bank.test"] }],
              "handle": [
                {
                  "handler": "reverse_proxy",
                  "upstreams": [{ "dial": "app:8080" }],
                  "handle_response": [
                    { "match": { "status_code": [500] }, "routes": [ { "handle": [ { "handler": "static_response", "status_code": 403 } ] } ] }
                  ]
                }
              ]
            },
            {
              "match": [{ "host": ["pay.bank.test"] }],
              "handle": [
                {
                  "handler": "reverse_proxy",
                  "headers": { "request": { "set": { "X-Client-Cert": ["{http.request.tls.client.certificate_pem}"] } } },
                  "upstreams": [{ "dial": "pay:8080" }]
                }
              ]
            }
          ],
          "errors": {
            "routes": [
              { "match": [{ "path": ["/private/*"] }], "handle": [ { "handler": "static_response", "status_code": 403 } ] }
            ]
          },
          "tls_connection_policies": [
            {
              "match": { "sni": ["*.bank.test"] },
              "client_authentication": { "mode": "require_and_verify", "trusted_ca_certs": ["MIIB"] }
            }
          ]
        }
      }
    }
  }
}
`;
