import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * Session 37 (pagopa/io-infra @ 25fa7e3f): an Azure Application Gateway asking for client certificates in front of
 * API Management, whose policies answer 403 ("Invalid client certificate" when the gateway's verified header is
 * missing, ip-filter, quota). No API Management service here negotiates certificates itself, so the policies' 403s
 * were passed over ("403s answered by the proxy itself (0)"). Which backend the gateway routes to is not read, so
 * each 403 is now named as unplaced (not clean). Each scenario: the files, then the unplaced 403s as `file:line`.
 */
const GATEWAY = readFileSync(
  path.join(REPO_ROOT, 'test/fixtures/detect/azure-appgw/terraform/main.tf'),
  'utf8',
);
const BICEP = readFileSync(path.join(REPO_ROOT, 'test/fixtures/detect/azure-appgw/bicep/main.bicep'), 'utf8');
const POLICY =
  '<policies>\n  <inbound>\n    <base />\n    <choose>\n      <when condition="@(true)">\n' +
  '        <return-response>\n          <set-status code="403" reason="Invalid client certificate" />\n' +
  '        </return-response>\n      </when>\n    </choose>\n  </inbound>\n</policies>\n';
const IP_FILTER =
  '<policies>\n  <inbound>\n    <ip-filter action="allow">\n      <address>10.0.0.1</address>\n    </ip-filter>\n  </inbound>\n</policies>\n';

const SCENARIOS: Record<string, { files: Record<string, string>; unplaced: string[] }> = {
  'Terraform Application Gateway, APIM policies in .xml files': {
    files: {
      'infra/appgw/main.tf': GATEWAY,
      'apim/api/policy.xml': POLICY,
      'apim/product/policy.xml': IP_FILTER,
    },
    unplaced: ['apim/api/policy.xml:7', 'apim/product/policy.xml:3'],
  },
  'Bicep Application Gateway, an APIM policy in a Terraform heredoc': {
    files: {
      'main.bicep': BICEP,
      'apim.tf': `resource "azurerm_api_management_api_policy" "p" {\n  xml_content = <<XML\n${POLICY}XML\n}\n`,
    },
    unplaced: ['apim.tf:9'],
  },
  'no Application Gateway: the policies are not on an mTLS path (unchanged)': {
    files: { 'apim/api/policy.xml': POLICY },
    unplaced: [],
  },
};

describe('detect: API Management 403s behind an Application Gateway that asks for client certificates', () => {
  for (const [name, { files, unplaced }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(report.forbiddenUnplaced.map((entry) => `${entry.file}:${entry.line}`)).toEqual(unplaced);
      for (const entry of report.forbiddenUnplaced) {
        expect(entry.reason).toContain('an Application Gateway asks for client certificates');
        expect(entry.reason).toMatch(/set-status code="401"|ip-filter/);
      }
      if (unplaced.length) expect(detectCheck(report).exitCode).not.toBe(0);
    });
  }
});
