import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 46 (detect46 a): Apigee Edge `SSLInfo` `ClientAuthEnabled`. Before, every `<ClientAuthEnabled>true` was
 * named under "Not read" as "an mTLS server setting": a virtual host's (northbound: clients are asked for a
 * certificate) gave no finding and the bundles' `<StatusCode>403</StatusCode>` policies were never listed, and a
 * TargetEndpoint's / TargetServer's (southbound: Apigee presents its certificate to the backend) made a repository
 * of proxies calling mTLS backends read as not clean. Now a virtual host is a `required` finding for its
 * `HostAliases`, the 403 policies of the bundles served on it are listed with their fix, and a target's setting is
 * read and left out.
 */

const VHOST_XML =
  '<VirtualHost name="secure">\n  <HostAliases>\n    <HostAlias>api.bank.test:443</HostAlias>\n  </HostAliases>\n' +
  '  <SSLInfo>\n    <Enabled>true</Enabled>\n    <ClientAuthEnabled>true</ClientAuthEnabled>\n  </SSLInfo>\n</VirtualHost>\n';

const TARGET_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<TargetEndpoint name="default">\n  <HTTPTargetConnection>\n' +
  '    <SSLInfo>\n      <Enabled>true</Enabled>\n      <ClientAuthEnabled>true</ClientAuthEnabled>\n' +
  '    </SSLInfo>\n    <URL>https://backend.test</URL>\n  </HTTPTargetConnection>\n</TargetEndpoint>\n';

const proxy = (virtualHosts: string[]): string =>
  '<ProxyEndpoint name="default">\n  <HTTPProxyConnection>\n    <BasePath>/v1/payments</BasePath>\n' +
  virtualHosts.map((name) => `    <VirtualHost>${name}</VirtualHost>\n`).join('') +
  '  </HTTPProxyConnection>\n</ProxyEndpoint>\n';

const RAISE_FAULT =
  '<RaiseFault name="RF-Forbidden">\n  <FaultResponse>\n    <Set>\n      <StatusCode>403</StatusCode>\n' +
  '    </Set>\n  </FaultResponse>\n</RaiseFault>\n';

const summary = (report: Awaited<ReturnType<typeof detectMtls>>) => ({
  findings: report.findings.map(
    (finding) =>
      `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.hosts.join(',')}`,
  ),
  notRead: report.skipped.filter((skip) => !skip.leftOut).map((skip) => `${skip.file}:${skip.line}`),
  leftOut: report.skipped.filter((skip) => skip.leftOut).map((skip) => `${skip.file}:${skip.line}`),
  forbidden: report.forbidden.map((entry) => `${entry.file}:${entry.line} ${entry.fix}`),
});

describe('detect: Apigee SSLInfo client authentication', () => {
  it('a VirtualHost (XML) is a required finding for its host aliases', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'env/prod/secure.xml': VHOST_XML }) });
    expect(summary(report)).toEqual({
      findings: ['env/prod/secure.xml:7 apigee required api.bank.test'],
      notRead: [],
      leftOut: [],
      forbidden: [],
    });
  });

  it('reads the XML as XML: single-quoted attributes, CDATA, comments, spaces in tags; not well-formed is named', async () => {
    // Before (a line scan, session 46 first cut): the name in single quotes was lost, so the 403 of the bundle
    // served on 'secure' only was not listed; `<StatusCode >403</StatusCode >` and a CDATA host alias were not read.
    const report = await detectMtls({
      cwd: tempProject({
        'env/prod/secure.xml':
          "<?xml version='1.0'?>\n<VirtualHost name='secure'>\n  <!-- <ClientAuthEnabled>false</ClientAuthEnabled> -->\n" +
          '  <HostAliases><HostAlias><![CDATA[api.bank.test:443]]></HostAlias></HostAliases>\n' +
          '  <SSLInfo>\n    <ClientAuthEnabled >true</ClientAuthEnabled >\n  </SSLInfo>\n</VirtualHost>\n',
        'env/prod/broken.xml':
          '<VirtualHost name="broken">\n  <SSLInfo>\n    <ClientAuthEnabled>true</ClientAuthEnabled>\n</VirtualHost>\n',
        'payments/apiproxy/proxies/default.xml': proxy(['secure']),
        'payments/apiproxy/policies/RF-Forbidden.xml':
          "<RaiseFault name='RF-Forbidden'>\n  <FaultResponse>\n    <Set>\n      <StatusCode >403</StatusCode >\n" +
          '    </Set>\n  </FaultResponse>\n</RaiseFault>\n',
      }),
    });
    const read = summary(report);
    expect(read.findings).toEqual(['env/prod/secure.xml:6 apigee required api.bank.test']);
    // Said as parsed, not as a line scan (the human report's "(line scan)").
    expect(report.findings.map((finding) => finding.reader)).toEqual(['@xmldom/xmldom']);
    expect(read.forbidden).toEqual([
      'payments/apiproxy/policies/RF-Forbidden.xml:4 <StatusCode>401</StatusCode> in RaiseFault RF-Forbidden',
    ]);
    expect(read.notRead).toEqual([expect.stringMatching(/^env\/prod\/broken\.xml:/)]);
  });

  it('a virtual host in the management API JSON (sSLInfo) and in apigee-config-maven-plugin edge.json', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'vh.json':
          '{\n  "name": "secure",\n  "hostAliases": ["api.bank.test"],\n  "port": "443",\n' +
          '  "sSLInfo": {\n    "enabled": "true",\n    "clientAuthEnabled": "true"\n  }\n}\n',
        'edge.json':
          '{\n  "envConfig": {\n    "prod": {\n      "virtualHosts": [\n        {\n          "name": "mtls",\n' +
          '          "hostAliases": ["pay.bank.test"],\n          "sSLInfo": { "enabled": "true", "clientAuthEnabled": true }\n' +
          '        }\n      ],\n      "targetServers": [\n        {\n          "name": "backend",\n' +
          '          "sSLInfo": { "enabled": "true", "clientAuthEnabled": "true" }\n        }\n      ]\n    }\n  }\n}\n',
      }),
    });
    expect(summary(report)).toEqual({
      findings: ['edge.json:8 apigee required pay.bank.test', 'vh.json:7 apigee required api.bank.test'],
      notRead: [],
      leftOut: ['edge.json:14'],
      forbidden: [],
    });
  });

  it('a TargetEndpoint / TargetServer (southbound) is read and left out, not "Not read"', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'apiproxy/targets/default.xml': TARGET_XML,
        'env/targetservers.json':
          '[\n  {\n    "name": "backend",\n    "host": "backend.test",\n    "port": 443,\n' +
          '    "sSLInfo": { "enabled": "true", "clientAuthEnabled": "true" }\n  }\n]\n',
        'env/ts.xml':
          '<TargetServer name="ts">\n  <Host>backend.test</Host>\n  <SSLInfo>\n' +
          '    <ClientAuthEnabled>true</ClientAuthEnabled>\n  </SSLInfo>\n</TargetServer>\n',
      }),
    });
    expect(summary(report)).toEqual({
      findings: [],
      notRead: [],
      leftOut: ['apiproxy/targets/default.xml:6', 'env/targetservers.json:6', 'env/ts.xml:4'],
      forbidden: [],
    });
  });

  it("the bundles' 403 policies served on the mTLS virtual host are listed with their fix", async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'env/secure.xml': VHOST_XML,
        'payments/apiproxy/proxies/default.xml': proxy(['secure']),
        'payments/apiproxy/policies/RF-Forbidden.xml': RAISE_FAULT,
        'payments/apiproxy/policies/AM-Deny.xml':
          '<AssignMessage name="AM-Deny">\n  <Set>\n    <StatusCode>403</StatusCode>\n  </Set>\n</AssignMessage>\n',
        'payments/apiproxy/policies/AC-IP.xml':
          '<AccessControl name="AC-IP">\n  <IPRules noRuleMatchAction="DENY"/>\n</AccessControl>\n',
        'payments/apiproxy/policies/RF-Other.xml': RAISE_FAULT.replace('403', '404'),
        'public/apiproxy/proxies/default.xml': proxy(['default']),
        'public/apiproxy/policies/RF-Forbidden.xml': RAISE_FAULT,
        'all/apiproxy/proxies/default.xml': proxy([]),
        'all/apiproxy/policies/RF-Forbidden.xml': RAISE_FAULT,
      }),
    });
    expect(summary(report).forbidden).toEqual([
      'all/apiproxy/policies/RF-Forbidden.xml:4 <StatusCode>401</StatusCode> in RaiseFault RF-Forbidden',
      expect.stringMatching(
        /^payments\/apiproxy\/policies\/AC-IP\.xml:1 add a FaultRule .*IPDeniedAccess.*401/,
      ),
      'payments/apiproxy/policies/AM-Deny.xml:3 <StatusCode>401</StatusCode> in AssignMessage AM-Deny',
      'payments/apiproxy/policies/RF-Forbidden.xml:4 <StatusCode>401</StatusCode> in RaiseFault RF-Forbidden',
    ]);
    expect(report.forbidden.find((entry) => entry.file.startsWith('payments/'))?.paths).toEqual([
      '/v1/payments',
    ]);
  });

  it('a setting in an XML of no known root stays under "Not read"', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'conf/router.xml':
          '<Configuration>\n  <SSLInfo>\n    <ClientAuthEnabled>true</ClientAuthEnabled>\n  </SSLInfo>\n</Configuration>\n',
      }),
    });
    expect(summary(report).notRead).toEqual(['conf/router.xml:3']);
  });
});

describe('detect CLI: Apigee (e2e)', () => {
  it('a virtual host: a finding and its 403 listed; a target alone: --check exits 0', async () => {
    const cwd = tempProject({
      'env/secure.xml': VHOST_XML,
      'apiproxy/proxies/default.xml': proxy(['secure']),
      'apiproxy/policies/RF-Forbidden.xml': RAISE_FAULT,
    });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout).toMatch(/env\/secure\.xml:7 {2}apigee {2}required/);
    expect(run.stdout).toMatch(/403s answered by the proxy itself on mTLS endpoints \(1\)/);
    const target = tempProject({ 'apiproxy/targets/default.xml': TARGET_XML });
    const clean = await runCliAsync(['detect', '--check'], { cwd: target });
    expect(clean.stdout).toMatch(/Read and left out \(1/);
    expect(clean.code).toBe(0);
  });
});
