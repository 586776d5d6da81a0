import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { setPath } from '../../src/detect/sources/helm-set.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 46 (detect46 b): values a Terraform `helm_release` passes in the Terraform file itself. Before, only files
 * it names (`values = [file("x.yaml")]`) were read, and each case below read "No mTLS termination found" with nothing
 * under "Not read" (`--check` exit 0). Now every spelling the helm provider takes is read as a values file is: a key
 * that turns client certificates on is a `helm` finding at its line; one set from a Terraform expression, or values
 * detect cannot evaluate that name mTLS, are "Not read" with their line.
 */

const release = (body: string): string =>
  `resource "helm_release" "gw" {\n  name  = "gw"\n  chart = "api-gateway"\n${body}}\n`;

interface Scenario {
  name: string;
  tf: string;
  /** `line key` of each finding. */
  findings?: string[];
  /** Lines of the "Not read" entries. */
  notRead?: number[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'set block',
    tf: release('  set {\n    name  = "gateway.mtls.enabled"\n    value = "true"\n  }\n'),
    findings: ['5 required'],
  },
  {
    name: 'set_sensitive block',
    tf: release('  set_sensitive {\n    name  = "proxy.clientAuth"\n    value = "need"\n  }\n'),
    findings: ['5 required'],
  },
  {
    name: 'dynamic "set" block',
    tf: release(
      '  dynamic "set" {\n    for_each = var.on ? [1] : []\n    content {\n' +
        '      name  = "gw.verifyClient"\n      value = "optional"\n    }\n  }\n',
    ),
    findings: ['7 optional'],
  },
  {
    name: 'provider 3.x set list',
    tf: release(
      '  set = [\n    { name = "a.b", value = "c" },\n    { name = "gw.tls.mode", value = "MUTUAL" },\n  ]\n',
    ),
    findings: ['6 required'],
  },
  {
    name: 'set with an escaped dot in the key',
    tf: release(
      '  set {\n    name  = "annotations.nginx\\\\.ingress/auth-tls-verify-client"\n    value = "on"\n  }\n',
    ),
    findings: ['5 required'],
  },
  {
    name: 'values = [yamlencode({...})]',
    tf: release(
      '  values = [yamlencode({\n    gateway = {\n      hosts = ["api.bank.test"]\n      mtls = {\n' +
        '        enabled = true\n      }\n    }\n  })]\n',
    ),
    findings: ['8 required'],
  },
  {
    name: 'values = [jsonencode({...})]',
    tf: release('  values = [jsonencode({ gw = { requireClientCert = true } })]\n'),
    findings: ['4 required'],
  },
  {
    name: 'values = [yamlencode(local.x)]',
    tf:
      'locals {\n  gw_values = {\n    listener = {\n      mutualTls = "true"\n    }\n  }\n}\n' +
      release('  values = [yamlencode(local.gw_values)]\n'),
    findings: ['4 required'],
  },
  {
    name: 'values heredoc YAML',
    tf: release('  values = [<<-EOT\n    gw:\n      client-auth: want\n  EOT\n  ]\n'),
    findings: ['6 optional'],
  },
  {
    name: 'set value from a variable',
    tf: release('  set {\n    name  = "gateway.mtls.enabled"\n    value = var.mtls\n  }\n'),
    notRead: [5],
  },
  {
    name: 'yamlencode field from a variable',
    tf: release('  values = [yamlencode({ gw = { mtls = { enabled = var.mtls } } })]\n'),
    notRead: [4],
  },
  {
    name: 'yamlencode(merge(...)) naming mTLS',
    tf: release('  values = [yamlencode(merge(local.base, { mtls = var.mtls }))]\n'),
    notRead: [4],
  },
  {
    name: 'off',
    tf: release('  set {\n    name  = "gateway.mtls.enabled"\n    value = "false"\n  }\n'),
  },
  {
    name: 'other keys',
    tf: release(
      '  set {\n    name  = "replicaCount"\n    value = "2"\n  }\n  # mtls is set by the platform\n',
    ),
  },
];

describe('detect: values a Terraform helm_release passes in the file', () => {
  for (const scenario of SCENARIOS)
    it(scenario.name, async () => {
      const report = await detectMtls({ cwd: tempProject({ 'infra/gw.tf': scenario.tf }) });
      expect(
        report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.source} ${finding.mode}`),
      ).toEqual((scenario.findings ?? []).map((entry) => `infra/gw.tf:${entry.replace(' ', ' helm ')}`));
      expect(report.skipped.map((skip) => `${skip.file}:${skip.line}`)).toEqual(
        (scenario.notRead ?? []).map((line) => `infra/gw.tf:${line}`),
      );
    });

  it('hosts set beside the switch are the finding hosts', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'gw.tf': release(
          '  set {\n    name  = "gw.mtls.enabled"\n    value = "true"\n  }\n' +
            '  set {\n    name  = "gw.hosts[0]"\n    value = "api.bank.test"\n  }\n',
        ),
      }),
    });
    expect(report.findings.map((finding) => finding.hosts)).toEqual([['api.bank.test']]);
  });

  it('a release of a chart in the tree is read with its templates, not here', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'charts/gw/Chart.yaml': 'apiVersion: v2\nname: gw\nversion: 0.1.0\n',
        'charts/gw/templates/deploy.yaml': 'kind: ConfigMap\n',
        'gw.tf': release('  set {\n    name  = "gw.mtls.enabled"\n    value = "true"\n  }\n').replace(
          '"api-gateway"',
          '"./charts/gw"',
        ),
      }),
    });
    expect(report.findings).toEqual([]);
  });

  it('Helm --set paths', () => {
    expect(setPath('a.b[2].c')).toEqual(['a', 'b', 2, 'c']);
    expect(setPath('ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/x')).toEqual([
      'ingress',
      'annotations',
      'nginx.ingress.kubernetes.io/x',
    ]);
  });
});

describe('detect CLI: helm_release set (e2e)', () => {
  it('a finding, not "No mTLS termination found"; --check exits 1', async () => {
    const cwd = tempProject({
      'main.tf': release('  set {\n    name  = "gateway.mtls.enabled"\n    value = "true"\n  }\n'),
    });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout).not.toMatch(/No mTLS termination found/);
    expect(run.stdout).toMatch(/main\.tf:5 {2}helm {2}required, probably/);
    expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(1);
  });
});
