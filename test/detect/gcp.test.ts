import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/detect/forbidden');

/**
 * Session 16: Google Cloud load balancer mTLS (a Server TLS Policy with `mtlsPolicy.clientValidationMode`) was not
 * read, so such a repository read as "No mTLS termination read": clean; and the Cloud Armor rules that deny with
 * 403 in front of those load balancers were not read either. Counted by reading each fixture: every
 * `deny(403)` action or exceed action outside comments; `deny(404)` and a commented-out rule are not listed.
 */
describe('detect: Google Cloud load balancers and Cloud Armor', () => {
  it('Terraform: a Server TLS Policy (REJECT_INVALID) and Cloud Armor deny(403) rules, the rate limit one included', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'gcp-terraform') });
    expect(report.findings.map((f) => [f.file, f.line, f.source, f.mode, f.hosts])).toEqual([
      ['lb.tf', 6, 'gcp', 'required', []],
    ]);
    expect(report.proposal.mtls.everywhere).toBe(true);
    const hide =
      'Cloud Armor\'s deny answers only 403, 404 or 502: "deny(404)" (RFC 9110 §15.5.5 lets a server hide a ' +
      'resource) if your clients take it, else let the request through here and answer 401 in the service';
    expect(report.forbidden.map((f) => [f.file, f.line, f.finding, f.fix])).toEqual([
      ['armor.tf', 5, { file: 'lb.tf', line: 6 }, hide],
      [
        'armor.tf',
        26,
        { file: 'lb.tf', line: 6 },
        'exceed_action = "deny(429)" (too many requests: the status rate limits mean)',
      ],
      ['armor.tf', 54, { file: 'lb.tf', line: 6 }, hide],
    ]);
    expect(report.forbiddenNotChecked).toEqual([]);
    expect(report.forbiddenUnplaced).toEqual([]);
  });

  it('YAML: a gcloud import file (ALLOW_INVALID_OR_MISSING_CLIENT_CERT: optional) and a Config Connector ComputeSecurityPolicy', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'gcp-yaml') });
    expect(report.findings.map((f) => [f.file, f.line, f.mode])).toEqual([
      ['server-tls-policy.yaml', 4, 'optional'],
    ]);
    expect(report.forbidden.map((f) => [f.file, f.line, f.evidence])).toEqual([
      ['armor.yaml', 14, '- action: deny(403)'],
    ]);
  });

  it('--status 404 makes the fix deny(404)', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'gcp-yaml'), status: 404 });
    expect(report.forbidden.map((f) => f.fix)).toEqual(['action = "deny(404)"']);
  });

  it('several Server TLS Policies: a Cloud Armor 403 in a third file is listed as not placed, never dropped', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'gcp-two') });
    expect(report.findings.map((f) => [f.file, f.mode])).toEqual([
      ['lb-a.tf', 'required'],
      ['lb-b.tf', 'optional'],
    ]);
    expect(report.forbidden).toEqual([]);
    expect(report.forbiddenUnplaced.map((f) => [f.file, f.line, f.source])).toEqual([['armor.tf', 5, 'gcp']]);
    expect(report.forbiddenUnplaced[0].reason).toMatch(/cannot be tied/);
  });

  it('a Terraform module setting client_validation_mode from a variable still asks for certificates (optional, said why)', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'gcp-module') });
    expect(report.findings.map((f) => [f.file, f.line, f.mode])).toEqual([['frontend.tf', 9, 'optional']]);
    expect(report.findings[0].note).toContain('`${var.mtls_policy_config.client_validation_mode}`');
  });

  it('a Server TLS Policy in Pulumi code is named as not read, not clean', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'gcp-unread') });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((s) => [s.file, s.line])).toEqual([['index.ts', 6]]);
    expect(report.skipped[0].reason).toContain('Google Cloud Server TLS Policy');
  });
});
