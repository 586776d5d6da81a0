import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { yamlWithoutTemplateTags } from '../../src/detect/template-tags.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/detect/templates');

/**
 * Session 18 (newuser18): YAML written as a template was not read at all, so a repository whose mTLS gateways are
 * all templates read as clean. mojaloop/iac-modules (2e5cdb2f7): five Istio `mode: MUTUAL` servers and an
 * ingress-nginx `auth-tls-verify-client: "on"` in Terraform `templatefile` templates (`*.yaml.tpl`, `%{ if }`,
 * `${var}`): "No mTLS termination found in 797 files". jeremysolarz/mtls-in-asm-via-egress-ingress-gateway
 * (2e9d92f): two Istio MUTUAL gateways in `gateway-mutual.yaml.tmpl` rendered by `sed`: "No mTLS termination found
 * in 49 files". A Helm chart template holding an Istio Gateway (not an Ingress) was not read either.
 */
describe('detect reads YAML templates (session 18)', () => {
  it('template suffixes and Helm chart templates: findings with their hosts and evidence as written', async () => {
    const report = await detectMtls({ cwd: FIXTURE });
    expect(
      report.findings.map(
        (finding) =>
          `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.confidence} [${finding.hosts.join(', ')}] ${finding.evidence}`,
      ),
    ).toEqual([
      'chart/templates/gateway.yaml:15 istio required probably [{{ .Values.host | quote }}] mode: MUTUAL',
      'jinja/dynamic.yml.j2:8 traefik required probably [{{ api_host }}] clientAuthType: RequireAndVerifyClientCert',
      'sed/gateway-mutual.yaml.tmpl:15 istio required certain [SERVICE_URL] mode: MUTUAL',
      'terraform/ext-ingress.yaml.tpl:7 kubernetes required certain [api.${public_domain}] nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"',
      'terraform/istio-config.yaml.tpl:21 istio required probably [${interop_switch_fqdn}] mode: MUTUAL',
    ]);
    for (const finding of report.findings) expect(finding.note).toMatch(/template/);
    // A DestinationRule's MUTUAL is the mesh as the client: neither a finding nor named.
    expect(JSON.stringify(report)).not.toContain('client/destination-rule.yaml.tmpl');
  });

  it("a template's 403s are read like the file it renders, shown as written", async () => {
    const report = await detectMtls({ cwd: FIXTURE });
    expect(
      report.forbidden.map(
        (entry) => `${entry.file}:${entry.line} [${entry.hosts.join(', ')}] ${entry.evidence}`,
      ),
    ).toEqual([
      'jinja/dynamic.yml.j2:20 [{{ api_host }}] middleware office-only ipAllowList: 403 to a client address outside sourceRange',
      'terraform/ext-ingress.yaml.tpl:9 [api.${public_domain}] nginx.ingress.kubernetes.io/whitelist-source-range: ${allowed_ranges}',
    ]);
  });

  it('a template that is not YAML once its tags are blanked is named with the line of its setting', async () => {
    const report = await detectMtls({ cwd: FIXTURE });
    const named = report.skipped.filter((skip) => skip.file === 'broken/gateway.yaml.tmpl');
    expect(named).toHaveLength(1);
    expect(named[0].line).toBe(11);
    expect(named[0].reason).toMatch(
      /^a template holding an mTLS server setting at line 11 \(`mode: MUTUAL`\)/,
    );
  });

  it('the proposal takes the written placeholders as any host', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURE, 'terraform') });
    // `${interop_switch_fqdn}` alone is known at deploy time only: everywhere, with the reason.
    expect(report.proposal.mtls.everywhere).toBe(true);
    expect(report.reasons.join('\n')).toContain(
      'istio-config.yaml.tpl:21 (istio) names only hosts known at deploy time',
    );
    expect(report.proposal.mtls.servers).toHaveLength(1);
    expect(new RegExp(report.proposal.mtls.servers[0]).test('https://api.bank.example/transfers')).toBe(true);
  });

  it('blanking keeps every line and offset: Terraform directives, ${} in a flow map, Go and Jinja tags', () => {
    const text = [
      '%{ if enabled ~}',
      'annotations: { target: ${lb_dns} }',
      "hosts: ['{{ .Values.host }}']",
      '{% for x in xs %}',
      '',
    ].join('\n');
    const blanked = yamlWithoutTemplateTags(text);
    expect(blanked.length).toBe(text.length);
    expect(blanked.split('\n').map((line) => line.length)).toEqual(
      text.split('\n').map((line) => line.length),
    );
    expect(blanked).toBe(
      [
        '                ',
        'annotations: { target: $lb_dns   }',
        "hosts: ['$Valueshost       ']",
        '                 ',
        '',
      ].join('\n'),
    );
  });
});
