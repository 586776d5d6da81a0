import { describe, expect, it } from 'vitest';
import { buildProposal, hostPattern } from '../../src/detect/proposal.js';
import type { DetectFinding } from '../../src/detect/types.js';

// Session 32 (SecureApiGateway/secure-api-gateway-ob-uk): `host: MTLS_FQDN_PLACEHOLDER`, replaced by sed at deploy,
// became the regex ^(?:https?:)?//MTLS_FQDN_PLACEHOLDER... that matches no document. Such tokens are placeholders.
const finding = (hosts: string[]): DetectFinding => ({
  file: 'k8s/ingress.yaml',
  line: 9,
  source: 'kubernetes',
  mode: 'optional',
  hosts,
  paths: [],
  evidence: 'x',
  confidence: 'certain',
  reader: 'yaml',
});

describe('detect proposal: sed-style placeholder hosts', () => {
  it.each([
    ['MTLS_FQDN_PLACEHOLDER', undefined],
    ['__API_HOST__', undefined],
    ['@HOST@', undefined],
    ['%HOST%', undefined],
    ['api.BASE_DOMAIN', '^(?:https?:)?//api\\.[^/]+(?::\\d+)?(?:[/?#]|$)'],
    ['api.bank.example', '^(?:https?:)?//api\\.bank\\.example(?::\\d+)?(?:[/?#]|$)'],
    ['API.BANK.EXAMPLE', '^(?:https?:)?//API\\.BANK\\.EXAMPLE(?::\\d+)?(?:[/?#]|$)'],
  ])('%s', (host, pattern) => {
    expect(hostPattern(host)).toBe(pattern);
  });

  it('a finding naming only such a host proposes mtls.everywhere, said in the reasons', () => {
    const { proposal, reasons } = buildProposal([finding(['MTLS_FQDN_PLACEHOLDER'])]);
    expect(proposal).toEqual({ mtls: { servers: [], everywhere: true } });
    expect(reasons.join('\n')).toContain('names only hosts known at deploy time (MTLS_FQDN_PLACEHOLDER)');
  });
});
