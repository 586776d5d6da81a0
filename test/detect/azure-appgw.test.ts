import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { APP_GATEWAY_NOT_CHECKED, profileNameOf } from '../../src/detect/sources/azure-appgw.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/detect/azure-appgw');

/**
 * Session 18 (newuser18): Azure Application Gateway mutual authentication (SSL profiles with trusted client CA
 * certificates or `verifyClientAuthMode`) was not read at all. dmauser/azure-appgw-mtls (9d706b5), an App Gateway
 * whose HTTPS listener uses a Passthrough SSL profile (main.bicep:588): before, no finding (only the backends'
 * nginx in cloud-init named as not read). Counted by reading each fixture: a profile is a finding when a listener
 * uses it (hosts: those listeners'); an unused mTLS profile and a TLS-only profile are not.
 */
describe('detect: Azure Application Gateway SSL profiles with client authentication (session 18)', () => {
  it("ARM, Bicep and Terraform: one finding per used mTLS profile, with its listeners' hosts", async () => {
    const report = await detectMtls({ cwd: FIXTURE });
    expect(
      report.findings.map(
        (finding) =>
          `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.confidence} [${finding.hosts.join(', ')}]`,
      ),
    ).toEqual([
      'arm/appgw.json:14 azure required certain [tpp.bank.example]',
      'bicep/main.bicep:9 azure optional certain [api.contoso.example, partners.contoso.example]',
      'terraform/main.tf:19 azure required certain [partners.bank.example]',
    ]);
    expect(report.findings[1].note).toContain('Passthrough');
    // Their 403s (WAF, custom rules) are not read: listed as not checked, never passed as clean.
    expect(report.forbiddenNotChecked).toEqual([
      `arm/appgw.json:14 azure (${APP_GATEWAY_NOT_CHECKED})`,
      `bicep/main.bicep:9 azure (${APP_GATEWAY_NOT_CHECKED})`,
      `terraform/main.tf:19 azure (${APP_GATEWAY_NOT_CHECKED})`,
    ]);
    expect(report.skipped).toEqual([]);
  });

  it('the profile a listener names: resourceId(), a concat path, or not written out', () => {
    expect(
      profileNameOf("[resourceId('Microsoft.Network/applicationGateways/sslProfiles', 'agw', 'tpp-mtls')]"),
    ).toBe('tpp-mtls');
    expect(
      profileNameOf("resourceId('Microsoft.Network/applicationGateways/sslProfiles', appGwName, 'mtls')"),
    ).toBe('mtls');
    expect(profileNameOf("[concat(variables('gw'), '/sslProfiles/partner')]")).toBe('partner');
    expect(profileNameOf("[variables('profileId')]")).toBeNull();
  });
});
