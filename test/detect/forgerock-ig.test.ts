import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 33 (SecureApiGateway/secure-api-gateway-core, ForgeRock IG 7.3 routes): route files whose filters read or
// require the client certificate were passed over, so their paths and their 403s (StaticResponseHandler, Groovy
// scripts) were never listed; an IG that asks for the certificate itself (admin.json ServerTlsOptions clientAuth)
// read "No mTLS termination found".
const TOKEN_ROUTE = `{
  "name": "21 - token endpoint",
  "condition": "\${find(request.uri.path, '^/am/oauth2/access_token')}",
  "handler": {
    "type": "Chain",
    "config": {
      "filters": [
        {
          "type": "FapiContextInitializerFilter",
          "config": { "clientCertificate": "\${pemCertificate(urlDecode(request.headers['ssl-client-cert'][0]))}" }
        },
        { "name": "CertCheck", "type": "TokenEndpointTransportCertValidationFilter", "config": {} },
        { "type": "ScriptableFilter", "config": { "type": "application/x-groovy", "file": "ErrorResponseFilter.groovy" } }
      ],
      "handler": "FRReverseProxyHandler"
    }
  }
}
`;

const READ_ROUTE = `{
  "condition": "\${request.uri.host == 'mtls.bank.test' and find(request.uri.path, '^/open-banking/')}",
  "handler": {
    "type": "DispatchHandler",
    "config": {
      "bindings": [
        {
          "condition": "\${empty request.headers['ssl-client-cert']}",
          "handler": { "type": "StaticResponseHandler", "config": { "status": 403, "entity": "no certificate" } }
        },
        { "handler": "ReverseProxyHandler" }
      ]
    }
  }
}
`;

const PLAIN_ROUTE = `{
  "condition": "\${find(request.uri.path, '^/kube')}",
  "handler": { "type": "StaticResponseHandler", "config": { "status": 403 } }
}
`;

const ADMIN = `{
  "connectors": [
    { "port": 8080 },
    { "port": 8443, "tls": "ServerTlsOptions-1" }
  ],
  "heap": [
    {
      "name": "ServerTlsOptions-1",
      "type": "ServerTlsOptions",
      "config": {
        "keyManager": "DefaultKeyManager",
        "trustManager": "TrustAllClients",
        "clientAuth": "REQUIRED"
      }
    }
  ]
}
`;

describe('detect: ForgeRock Identity Gateway', () => {
  it('reads routes that require or read the client certificate, with their paths and their 403s', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'ig/routes/21-token.json': TOKEN_ROUTE,
        'ig/routes/30-read.json': READ_ROUTE,
        'ig/routes/98-kube.json': PLAIN_ROUTE,
      }),
    });
    expect(
      report.findings.map(
        (finding) =>
          `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.hosts.join()} ${finding.paths.join()}`,
      ),
    ).toEqual([
      'ig/routes/21-token.json:12 forgerock-ig required  /am/oauth2/access_token',
      'ig/routes/30-read.json:8 forgerock-ig optional mtls.bank.test /open-banking/',
    ]);
    expect(report.forbidden.map((entry) => `${entry.file}:${entry.line} ${entry.fix}`)).toEqual([
      'ig/routes/30-read.json:9 "status": 401',
    ]);
    expect(report.forbiddenNotChecked).toEqual([
      expect.stringMatching(
        /^ig\/routes\/21-token\.json:12 forgerock-ig \(TokenEndpointTransportCertValidationFilter fails/,
      ),
      expect.stringMatching(
        /^ig\/routes\/21-token\.json:13 forgerock-ig \(ScriptableFilter ErrorResponseFilter\.groovy/,
      ),
    ]);
    expect(detectCheck(report).exitCode).toBe(1);
  });

  it('reads admin.json ServerTlsOptions clientAuth (by heap name) and names the routes as not checked', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'ig/config/admin.json': ADMIN }) });
    expect(report.findings.map((finding) => `${finding.line} ${finding.mode} ${finding.note}`)).toEqual([
      '13 required ForgeRock IG admin.json: connector on port 8443 asks for a client certificate on every route it serves',
    ]);
    expect(report.proposal.mtls.everywhere).toBe(true);
    expect(report.forbiddenNotChecked).toEqual([
      expect.stringMatching(/^ig\/config\/admin\.json:13 forgerock-ig \(IG asks every connection/),
    ]);
  });

  it('passes over clientAuth NONE and routes that never touch the certificate', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'ig/config/admin.json': ADMIN.replace('"REQUIRED"', '"NONE"'),
        'ig/routes/98-kube.json': PLAIN_ROUTE,
      }),
    });
    expect(report.findings).toEqual([]);
  });
});
