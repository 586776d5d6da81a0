import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/detect/forbidden');

/**
 * Session 15: Azure API Management services that negotiate client certificates were only listed as "403s not
 * checked". Their policies answer 403 themselves (ip-filter, quota, set-status 403 in return-response, the
 * failed-...-httpcode attributes), wherever the policy XML is written. Counted by reading each fixture; a 401
 * `failed-validation-httpcode` and `rate-limit` (429) are not listed.
 */
const SCENARIOS: {
  name: string;
  folder: string;
  forbidden: { file: string; line: number; finding: string; evidence: string; fix: string }[];
}[] = [
  {
    name: 'Bicep service, policy XML files (global loaded with loadTextContent, an API policy in an APIOps folder)',
    folder: 'azure-apim-bicep',
    forbidden: [
      {
        file: 'policies/apis/accounts/policy.xml',
        line: 4,
        finding: 'main.bicep:14',
        evidence: 'quota: 403 when the quota is exceeded',
        fix: 'in <on-error>, answer 401 (or 429) when context.LastError.Source is quota / quota-by-key',
      },
      {
        file: 'policies/apis/accounts/policy.xml',
        line: 5,
        finding: 'main.bicep:14',
        evidence: 'failed-check-httpcode / failed-validation-httpcode="403"',
        fix: 'failed-check-httpcode / failed-validation-httpcode="401"',
      },
      {
        file: 'policies/fragments/partner-ips/policy.xml',
        line: 2,
        finding: 'main.bicep:14',
        evidence: 'ip-filter: 403 to a refused client address',
        fix:
          'in <on-error>, <choose><when condition="@(context.LastError.Source == &quot;ip-filter&quot;)">' +
          '<return-response><set-status code="401" /></return-response></when></choose>',
      },
      {
        file: 'policies/global.xml',
        line: 3,
        finding: 'main.bicep:14',
        evidence: 'ip-filter: 403 to a refused client address',
        fix:
          'in <on-error>, <choose><when condition="@(context.LastError.Source == &quot;ip-filter&quot;)">' +
          '<return-response><set-status code="401" /></return-response></when></choose>',
      },
      {
        file: 'policies/global.xml',
        line: 9,
        finding: 'main.bicep:14',
        evidence: 'set-status code="403"',
        fix: 'set-status code="401"',
      },
    ],
  },
  {
    name: 'ARM template: the policy XML inside a JSON string (escaped quotes)',
    folder: 'azure-apim-arm',
    forbidden: [
      {
        file: 'azuredeploy.json',
        line: 25,
        finding: 'azuredeploy.json:15',
        evidence: 'failed-check-httpcode / failed-validation-httpcode="403"',
        fix: 'failed-check-httpcode / failed-validation-httpcode="401"',
      },
    ],
  },
  {
    name: 'Terraform: an xml_content heredoc (the client-certificate check of the docs, answering 403)',
    folder: 'azure-apim-terraform',
    forbidden: [
      {
        file: 'main.tf',
        line: 29,
        finding: 'main.tf:12',
        evidence: 'set-status code="403"',
        fix: 'set-status code="401"',
      },
    ],
  },
  {
    name: 'Consumption tier enableClientCertificate; a .cshtml policy; an `existing` reference is not a second service; prose is not read',
    folder: 'azure-apim-consumption',
    forbidden: [
      {
        file: 'policies/telemetry.operation.cshtml',
        line: 4,
        finding: 'main.bicep:11',
        evidence: 'ip-filter: 403 to a refused client address',
        fix:
          'in <on-error>, <choose><when condition="@(context.LastError.Source == &quot;ip-filter&quot;)">' +
          '<return-response><set-status code="401" /></return-response></when></choose>',
      },
    ],
  },
];

describe('detect: Azure API Management policies that answer 403 on a service negotiating client certificates', () => {
  it.each(SCENARIOS)('$name', async ({ folder, forbidden }) => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, folder) });
    expect(
      report.forbidden.map((entry) => ({
        file: entry.file,
        line: entry.line,
        finding: `${entry.finding.file}:${entry.finding.line}`,
        evidence: entry.evidence,
        fix: entry.fix,
      })),
    ).toEqual(forbidden);
    expect(report.forbidden.every((entry) => entry.source === 'azure')).toBe(true);
    expect(report.forbidden.every((entry) => entry.hosts.length <= 1)).toBe(true);
    expect(report.forbiddenNotChecked).toEqual([]);
    expect(report.forbiddenUnplaced).toEqual([]);
  });

  it('no policy in the files scanned: the service stays not checked, with the reason', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'azure-apim-none') });
    expect(report.forbidden).toEqual([]);
    expect(report.forbiddenNotChecked).toEqual([
      'main.bicep:9 azure (no API Management policy found in the files scanned, so its ip-filter, quota and ' +
        'return-response 403s were not read)',
    ]);
  });

  it('two services defined: a policy cannot be tied to one and is listed as unplaced (--check fails)', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'azure-apim-two') });
    expect(report.forbidden).toEqual([]);
    expect(report.forbiddenUnplaced.map(({ file, line, evidence }) => ({ file, line, evidence }))).toEqual([
      { file: 'policy.xml', line: 3, evidence: 'ip-filter: 403 to a refused client address' },
    ]);
    expect(report.forbiddenUnplaced[0].reason).toMatch(
      /^2 API Management services are defined \(internal\.bicep:1, mtls\.bicep:1\)/,
    );
    expect(report.forbiddenNotChecked).toEqual([]);
  });
});
