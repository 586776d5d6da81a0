import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
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
});
