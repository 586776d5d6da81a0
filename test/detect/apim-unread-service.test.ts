import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 25 (baoduy/drunk-pulumi-azure): an Azure API Management service that asks for client certificates where
 * detect does not read it (Pulumi code, the Azure CLI, PowerShell, the portal), and policies that read the client
 * certificate and answer 403. On 433619b: "No mTLS termination found in 2 files", exit 0 with `--check`: the
 * setting not named, the policy's 403 not listed. Now the setting and the policy are under "Not read" with their
 * lines, the 403 is listed as not placed (with the fix), and `--check` fails.
 */
const POLICY =
  '<policies>\n  <inbound>\n    <base />\n    <choose>\n' +
  '      <when condition="@(context.Request.Certificate == null || !context.Request.Certificate.Verify())">\n' +
  '        <return-response>\n          <set-status code="403" reason="Invalid client certificate" />\n' +
  '        </return-response>\n      </when>\n    </choose>\n  </inbound>\n</policies>\n';

const SERVICES: [string, string, number, string][] = [
  [
    'apim.ts',
    "import * as apim from '@pulumi/azure-native/apimanagement';\nnew apim.ApiManagementService('gw', {\n" +
      "  sku: { name: 'Consumption', capacity: 0 },\n  enableClientCertificate: true,\n});\n",
    4,
    'enableClientCertificate: true',
  ],
  [
    '__main__.py',
    'import pulumi_azure_native.apimanagement as apim\n' +
      'svc = apim.ApiManagementService("gw",\n    enable_client_certificate=True)\n',
    3,
    'enable_client_certificate=True',
  ],
  [
    'deploy.sh',
    '#!/bin/sh\naz apim update --name gw --resource-group rg \\\n  --enable-client-certificate true\n',
    3,
    '--enable-client-certificate true',
  ],
  [
    'deploy.ps1',
    '$h = New-AzApiManagementCustomHostnameConfiguration -Hostname api.example.com -HostnameType Proxy `\n' +
      '  -PfxPath cert.pfx -NegotiateClientCertificate\n',
    2,
    '-NegotiateClientCertificate',
  ],
];

describe('detect: API Management client certificates set where detect does not read them', () => {
  for (const [name, text, line, written] of SERVICES) {
    it(`${name}: the service setting is named at its line`, async () => {
      const report = await detectMtls({ cwd: tempProject({ [name]: text }) });
      expect(report.findings).toEqual([]);
      expect(report.skipped.map((skip) => [skip.file, skip.line])).toEqual([[name, line]]);
      expect(report.skipped[0]?.reason).toContain(`(\`${written}\`, Azure API Management service`);
    });
  }

  it('Tyk OAS `enableClientCertificate: true` is not taken for API Management', async () => {
    const tyk =
      'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\nx-tyk-api-gateway:\n  server:\n' +
      '    authentication:\n      securitySchemes:\n        authToken:\n          enableClientCertificate: true\n';
    const report = await detectMtls({ cwd: tempProject({ 'tyk.yaml': tyk }) });
    expect(report.skipped.filter((skip) => /API Management/.test(skip.reason))).toEqual([]);
  });

  it('a policy reading the client certificate: named, and its 403 listed as not placed', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'policy.xml': POLICY }) });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((skip) => [skip.file, skip.line])).toEqual([['policy.xml', 5]]);
    expect(report.forbiddenUnplaced.map(({ file, line, evidence }) => [file, line, evidence])).toEqual([
      ['policy.xml', 7, 'set-status code="403"'],
    ]);
    expect(report.forbiddenUnplaced[0]?.reason).toMatch(
      /^an API Management policy reads the client certificate \(policy\.xml:5, context\.Request\.Certificate\).*set-status code="401"$/,
    );
  });

  it('with a service read (Bicep negotiateClientCertificate), the policy is that service’s: placed, not named', async () => {
    const bicep =
      "resource apim 'Microsoft.ApiManagement/service@2022-08-01' = {\n  name: 'gw'\n  properties: {\n" +
      "    hostnameConfigurations: [\n      {\n        type: 'Proxy'\n        hostName: 'api.example.com'\n" +
      '        negotiateClientCertificate: true\n      }\n    ]\n  }\n}\n';
    const report = await detectMtls({ cwd: tempProject({ 'policy.xml': POLICY, 'main.bicep': bicep }) });
    expect(report.findings.map((finding) => [finding.file, finding.line])).toEqual([['main.bicep', 8]]);
    expect(report.skipped).toEqual([]);
    expect(report.forbidden.map(({ file, line }) => [file, line])).toEqual([['policy.xml', 7]]);
  });
});
