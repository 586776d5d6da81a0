import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls, type DetectFinding } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/detect');

type Expected = Pick<DetectFinding, 'file' | 'line' | 'source' | 'mode' | 'hosts'> &
  Partial<Pick<DetectFinding, 'paths' | 'confidence' | 'reader'>>;

/** Per source kind: the fixture folder and every finding in it, counted by reading the files. */
const SCENARIOS: Record<string, Expected[]> = {
  nginx: [
    {
      file: 'api.conf',
      line: 20,
      source: 'nginx',
      mode: 'required',
      hosts: ['mtls.bank.example', 'api-mtls.bank.example'],
      paths: [],
      reader: 'nginx-conf',
    },
    {
      file: 'api.conf',
      line: 33,
      source: 'nginx',
      mode: 'optional',
      hosts: ['partners.bank.example'],
      paths: [],
    },
  ],
  apache: [
    {
      file: 'httpd-ssl.conf',
      line: 10,
      source: 'apache',
      mode: 'required',
      hosts: ['secure.health.example', 'fhir.health.example'],
      paths: [],
      reader: 'pattern',
    },
    {
      file: 'httpd-ssl.conf',
      line: 21,
      source: 'apache',
      mode: 'optional',
      hosts: ['portal.health.example'],
      paths: ['/admin/api'],
    },
  ],
  haproxy: [
    {
      file: 'haproxy.cfg',
      line: 17,
      source: 'haproxy',
      mode: 'required',
      hosts: ['matls-api.bank.example'],
      reader: 'pattern',
    },
  ],
  envoy: [
    {
      file: 'envoy.yaml',
      line: 29,
      source: 'envoy',
      mode: 'required',
      hosts: ['iot.devices.example'],
      reader: 'yaml',
    },
  ],
  caddy: [
    {
      file: 'Caddyfile',
      line: 11,
      source: 'caddy',
      mode: 'required',
      hosts: ['mtls.bank.example', 'mtls-eu.bank.example'],
    },
  ],
  traefik: [
    {
      file: 'dynamic.yml',
      line: 29,
      source: 'traefik',
      mode: 'required',
      hosts: ['pay.shop.example'],
      reader: 'yaml',
    },
    { file: 'traefik.toml', line: 6, source: 'traefik', mode: 'optional', hosts: [], reader: 'pattern' },
  ],
  kubernetes: [
    {
      file: 'ingress.yaml',
      line: 14,
      source: 'kubernetes',
      mode: 'required',
      hosts: ['secure-api.bank.example'],
      paths: [],
      confidence: 'certain',
    },
  ],
  istio: [
    { file: 'gateway.yaml', line: 18, source: 'istio', mode: 'required', hosts: ['claims.insure.example'] },
    { file: 'gateway.yaml', line: 23, source: 'istio', mode: 'optional', hosts: ['brokers.insure.example'] },
  ],
  'gateway-api': [
    {
      file: 'gateway.yaml',
      line: 23,
      source: 'gateway-api',
      mode: 'required',
      hosts: ['mtls.energy.example'],
    },
    {
      file: 'gateway.yaml',
      line: 49,
      source: 'gateway-api',
      mode: 'optional',
      hosts: ['partners.energy.example'],
    },
  ],
  // The chart's template writes the annotations through toYaml: only the values say it (probably).
  helm: [
    {
      file: 'chart/values.yaml',
      line: 9,
      source: 'kubernetes',
      mode: 'required',
      hosts: ['payments-mtls.psp.example'],
      paths: [],
      confidence: 'probably',
    },
  ],
  aws: [
    {
      file: 'cdk/api-stack.ts',
      line: 16,
      source: 'aws',
      mode: 'required',
      hosts: ['mtls.energy.example'],
      reader: 'typescript',
    },
    { file: 'cdk/api-stack.ts', line: 25, source: 'aws', mode: 'required', hosts: [] },
    {
      file: 'cloudformation/api-domain.yaml',
      line: 18,
      source: 'aws',
      mode: 'required',
      hosts: ['mtls.${DomainName}'],
    },
    { file: 'cloudformation/api-domain.yaml', line: 34, source: 'aws', mode: 'optional', hosts: [] },
    {
      file: 'sam/template.json',
      line: 11,
      source: 'aws',
      mode: 'required',
      hosts: ['claims-mtls.insure.example'],
    },
    {
      file: 'serverless/serverless.yml',
      line: 15,
      source: 'aws',
      mode: 'required',
      hosts: ['payments-mtls.psp.example'],
    },
    {
      file: 'terraform/main.tf',
      line: 15,
      source: 'aws',
      mode: 'required',
      hosts: ['secure.${var.domain}'],
      reader: '@cdktf/hcl2json',
    },
    { file: 'terraform/main.tf', line: 27, source: 'aws', mode: 'required', hosts: [] },
  ],
  azure: [
    {
      file: 'arm/appservice.json',
      line: 13,
      source: 'azure',
      mode: 'optional',
      hosts: ['fhir.health.example'],
    },
    {
      file: 'arm/appservice.json',
      line: 30,
      source: 'azure',
      mode: 'optional',
      hosts: ['mtls-gw.bank.example'],
    },
    { file: 'bicep/app.bicep', line: 8, source: 'azure', mode: 'required', hosts: [], reader: 'pattern' },
    { file: 'terraform/app.tf', line: 7, source: 'azure', mode: 'required', hosts: [] },
    { file: 'terraform/app.tf', line: 24, source: 'azure', mode: 'optional', hosts: ['tpp.bank.example'] },
  ],
  node: [
    { file: 'fastify/app.js', line: 11, source: 'node', mode: 'optional', hosts: [] },
    { file: 'https/server.ts', line: 13, source: 'node', mode: 'required', hosts: [] },
    { file: 'nest/main.ts', line: 11, source: 'node', mode: 'required', hosts: [] },
  ],
  spring: [
    {
      file: 'properties/application.properties',
      line: 8,
      source: 'spring',
      mode: 'required',
      hosts: [],
      reader: 'dot-properties',
    },
    { file: 'yaml/application-prod.yml', line: 10, source: 'spring', mode: 'optional', hosts: [] },
  ],
};

describe('detect: one fixture folder per source kind', () => {
  for (const [kind, expected] of Object.entries(SCENARIOS)) {
    it(`${kind}: every mTLS directive, with hosts and mode; nothing else`, async () => {
      const cwd = path.join(FIXTURES, kind);
      const report = await detectMtls({ cwd });
      const found = report.findings;
      expect(found).toHaveLength(expected.length);
      expected.forEach((item, index) => expect(found[index]).toMatchObject(item));
    });
  }

  it('the evidence is the directive as written, and comments that name a directive are not findings', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'nginx') });
    expect(report.findings.map((finding) => finding.evidence)).toEqual([
      'ssl_verify_client on;',
      'ssl_verify_client optional;',
    ]);
  });

  it('off switches are not findings: ingress-nginx "off", ALB mode "off", SSLVerifyClient none', async () => {
    const all = await detectMtls({ cwd: FIXTURES });
    expect(
      all.findings.some(
        (finding) => finding.hosts.includes('api.bank.example') && finding.source === 'kubernetes',
      ),
    ).toBe(false);
    expect(all.findings.filter((finding) => finding.file === 'aws/terraform/main.tf')).toHaveLength(2);
  });

  it('a client (https.Agent) is not a server; test code is listed as not read, with the reason', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'node') });
    expect(report.findings.some((finding) => finding.file.includes('client.ts'))).toBe(false);
    expect(report.skipped).toEqual([
      { file: 'https/test/server.test.ts', reason: 'test code: a test server is not a deployed one' },
    ]);
  });

  it('a file a parser rejects is named in skipped, never dropped', async () => {
    const { tempProject } = await import('../helpers/cli.js');
    const cwd = tempProject({
      'infra/main.tf': 'resource "aws_lb_listener" "x" {\n  mutual_authentication {\n    mode = "verify"\n',
      'k8s/bad.yaml':
        'kind: Ingress\nmetadata:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n  - broken\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((skip) => skip.file)).toEqual(['infra/main.tf', 'k8s/bad.yaml']);
    expect(report.skipped[0].reason).toMatch(/cannot parse: .*Unclosed configuration block/);
  });
});
