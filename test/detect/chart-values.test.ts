import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 42 (trial41b 04): Helm values for a chart whose templates are not in the tree, with keys that turn
 * client-certificate TLS on. Before, every case below read "No mTLS termination found" with nothing under
 * "Not read" and `--check` exit 0 (gematik/DEMIS-stage-public: `istioGateway.mtls.enabled: true` in a Terraform
 * `templatefile` values file). Now each key that says mTLS is on is a `helm` finding of lower certainty
 * (`probably`) at its line; one whose value is filled in when the file is rendered is "Not read" with its line; off
 * and absent stay clean.
 */

/** One scenario: the files, and `file:line mode` of the findings / the line of the "Not read" entry. */
interface Scenario {
  name: string;
  files: Record<string, string>;
  findings?: string[];
  notRead?: string[];
}

const ON: Scenario[] = [
  {
    name: 'mtls: { enabled: true } (DEMIS)',
    files: { 'values.yaml': 'istioGateway:\n  mtls:\n    enabled: true\n    credential: gw-mtls\n' },
    findings: ['values.yaml:3 required istioGateway.mtls.enabled'],
  },
  {
    name: 'mTLS: true',
    files: { 'values-prod.yaml': 'api:\n  mTLS: true\n' },
    findings: ['values-prod.yaml:2 required api.mTLS'],
  },
  {
    name: 'mutualTls flow map',
    files: { 'prod.values.yaml': 'gateway: { mutualTls: { enabled: "true" } }\n' },
    findings: ['prod.values.yaml:1 required gateway.mutualTls.enabled'],
  },
  {
    name: 'client-auth: need',
    files: { 'values/api.yaml': 'proxy:\n  tls:\n    client-auth: need\n' },
    findings: ['values/api.yaml:3 required proxy.tls.client-auth'],
  },
  {
    name: 'client_auth: want',
    files: { 'values.yaml': 'proxy:\n  client_auth: want\n' },
    findings: ['values.yaml:2 optional proxy.client_auth'],
  },
  {
    name: 'verifyClient: optional',
    files: { 'values.yaml': 'nginx:\n  verifyClient: optional\n' },
    findings: ['values.yaml:2 optional nginx.verifyClient'],
  },
  {
    name: 'ssl_verify_client: on',
    files: { 'values.yaml': 'nginx:\n  ssl_verify_client: "on"\n' },
    findings: ['values.yaml:2 required nginx.ssl_verify_client'],
  },
  {
    name: 'requireClientCert: true',
    files: { 'values.yaml': 'gateway:\n  listener:\n    requireClientCert: true\n' },
    findings: ['values.yaml:3 required gateway.listener.requireClientCert'],
  },
  {
    name: 'caCertificates beside a credential',
    files: {
      'values.yaml': 'gateway:\n  tls:\n    credentialName: gw-cert\n    caCertificates: /etc/istio/ca.pem\n',
    },
    findings: ['values.yaml:4 required gateway.tls.caCertificates'],
  },
  {
    name: 'Istio tls.mode: MUTUAL',
    files: { 'values.yaml': 'servers:\n  - port: 443\n    tls:\n      mode: MUTUAL\n' },
    findings: ['values.yaml:4 required servers.0.tls.mode'],
  },
  {
    name: 'Istio tls.mode: OPTIONAL_MUTUAL',
    files: { 'values.yaml': 'gateway:\n  tls:\n    mode: OPTIONAL_MUTUAL\n' },
    findings: ['values.yaml:3 optional gateway.tls.mode'],
  },
  {
    name: 'ingress-nginx auth-tls-verify-client annotation in values',
    files: {
      'values.yaml':
        'ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n    nginx.ingress.kubernetes.io/auth-tls-secret: ns/ca\n',
    },
    findings: [
      'values.yaml:3 required ingress.annotations.nginx.ingress.kubernetes.io/auth-tls-verify-client',
    ],
  },
  {
    name: 'Traefik clientAuth',
    files: {
      'values.yaml':
        'tlsOptions:\n  default:\n    clientAuth:\n      secretNames: [ca]\n      clientAuthType: RequireAndVerifyClientCert\n',
    },
    findings: ['values.yaml:5 required tlsOptions.default.clientAuth.clientAuthType'],
  },
  {
    name: 'nginx snippet in a values string',
    files: {
      'values.yaml': 'controller:\n  config:\n    server-snippet: |\n      ssl_verify_client optional;\n',
    },
    findings: ['values.yaml:3 optional controller.config.server-snippet'],
  },
  {
    name: 'Terraform templatefile with %{ for } (DEMIS)',
    files: {
      'mesh/istio-values.tftpl.yaml':
        'istioGateway:\n  mtls:\n    enabled: true\n    credential: ${credential}\n    hosts:\n' +
        '      %{~ for host in hosts ~}\n      - ${host}\n      %{~ endfor ~}\n',
    },
    findings: ['mesh/istio-values.tftpl.yaml:3 required istioGateway.mtls.enabled'],
  },
  {
    name: 'Argo CD valuesObject',
    files: {
      'apps/gw.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: gw }\nspec:\n  source:\n' +
        '    repoURL: https://istio-release.storage.googleapis.com/charts\n    chart: gateway\n    helm:\n' +
        '      valuesObject:\n        mtls:\n          enabled: true\n',
    },
    findings: ['apps/gw.yaml:11 required mtls.enabled'],
  },
  {
    name: 'Argo CD values string',
    files: {
      'apps/gw.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: gw }\nspec:\n  sources:\n' +
        '    - chart: gateway\n      repoURL: https://charts.example.com\n      helm:\n        values: |\n' +
        '          gateway:\n            mtls: true\n',
    },
    findings: ['apps/gw.yaml:11 required gateway.mtls'],
  },
  {
    name: 'Flux HelmRelease spec.values',
    files: {
      'flux/gw.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: gw }\nspec:\n' +
        '  chart:\n    spec: { chart: gateway }\n  values:\n    clientAuth:\n      enabled: true\n',
    },
    findings: ['flux/gw.yaml:9 required clientAuth.enabled'],
  },
  {
    name: 'Helmfile release values',
    files: {
      'helmfile.yaml':
        'releases:\n  - name: gw\n    chart: istio/gateway\n    values:\n      - values/common.yaml\n' +
        '      - tls:\n          mode: MUTUAL\n',
    },
    findings: ['helmfile.yaml:7 required tls.mode'],
  },
  {
    name: 'Kustomize helmCharts valuesInline',
    files: {
      'kustomization.yaml':
        'helmCharts:\n  - name: ingress-nginx\n    repo: https://kubernetes.github.io/ingress-nginx\n' +
        '    valuesInline:\n      controller:\n        config:\n          ssl-verify-client: "on"\n',
    },
    findings: ['kustomization.yaml:7 required controller.config.ssl-verify-client'],
  },
];

const OFF: Scenario[] = [
  {
    name: 'mtls: { enabled: false }',
    files: { 'values.yaml': 'istioGateway:\n  mtls:\n    enabled: false\n' },
  },
  { name: 'mTLS: false', files: { 'values.yaml': 'api:\n  mTLS: false\n' } },
  { name: 'client-auth: none', files: { 'values.yaml': 'proxy:\n  tls:\n    client-auth: none\n' } },
  { name: 'verifyClient: off', files: { 'values.yaml': 'nginx:\n  verifyClient: "off"\n' } },
  { name: 'requireClientCert: false', files: { 'values.yaml': 'gateway:\n  requireClientCert: false\n' } },
  {
    name: 'tls.mode: SIMPLE with caCertificates',
    files: {
      'values.yaml':
        'gateway:\n  tls:\n    mode: SIMPLE\n    credentialName: c\n    caCertificates: /ca.pem\n',
    },
  },
  {
    name: 'Traefik NoClientCert',
    files: {
      'values.yaml':
        'tlsOptions:\n  default:\n    clientAuth:\n      secretNames: [ca]\n      clientAuthType: NoClientCert\n',
    },
  },
  {
    name: 'absent key',
    files: { 'values.yaml': 'gateway:\n  tls:\n    credentialName: gw-cert\n  hosts: [a.example.com]\n' },
  },
  {
    name: 'mesh mTLS (PeerAuthentication)',
    files: {
      'values.yaml': 'peerAuthentication:\n  mtls:\n    mode: STRICT\nmesh:\n  mtls:\n    mode: STRICT\n',
    },
  },
  {
    name: 'outbound TLS (DestinationRule)',
    files: { 'values.yaml': 'destinationRule:\n  trafficPolicy:\n    tls:\n      mode: MUTUAL\n' },
  },
  { name: 'not a values file', files: { 'config/app.yaml': 'gateway:\n  mtls:\n    enabled: true\n' } },
];

const TEMPLATED: Scenario[] = [
  {
    name: 'enabled: ${mtls_enabled} (Terraform templatefile)',
    files: { 'istio-values.tftpl.yaml': 'istioGateway:\n  mtls:\n    enabled: ${mtls_enabled}\n' },
    notRead: ['istio-values.tftpl.yaml:3'],
  },
  {
    name: 'mtls: {{ .Values.mtls }} (Helmfile gotmpl)',
    files: { 'values.yaml.gotmpl': 'gateway:\n  mtls: {{ .Values.mtls }}\n' },
    notRead: ['values.yaml.gotmpl:2'],
  },
  {
    name: 'verifyClient: "{{ verify }}" (Jinja)',
    files: { 'values.yaml.j2': 'nginx:\n  verifyClient: "{{ verify }}"\n' },
    notRead: ['values.yaml.j2:2'],
  },
  {
    name: 'tls.mode: ${mode}',
    files: { 'values.yaml': 'gateway:\n  tls:\n    mode: ${tls_mode}\n' },
    notRead: ['values.yaml:3'],
  },
];

/** `file:line mode keyPath` of the `helm` findings (the key path read from the note). */
function helmFindings(report: Awaited<ReturnType<typeof detectMtls>>): string[] {
  return report.findings.map(
    (finding) =>
      `${finding.file}:${finding.line} ${finding.mode} ${/key `([^`]+)`/.exec(finding.note ?? '')?.[1] ?? finding.source}`,
  );
}

describe('detect: mTLS in Helm values for a chart not in this tree', () => {
  for (const scenario of ON)
    it(`on: ${scenario.name}`, async () => {
      const report = await detectMtls({ cwd: tempProject(scenario.files) });
      expect(helmFindings(report)).toEqual(scenario.findings);
      for (const finding of report.findings) {
        expect(finding).toMatchObject({ source: 'helm', confidence: 'probably' });
        expect(finding.note).toMatch(/^mTLS set in values for a chart not in this tree: /);
      }
      // Its 403s (the chart's) are not read: --check does not pass on it.
      expect(report.forbiddenNotChecked).toEqual(
        report.findings.map((finding) => `${finding.file}:${finding.line} helm`),
      );
    });

  for (const scenario of OFF)
    it(`clean: ${scenario.name}`, async () => {
      const report = await detectMtls({ cwd: tempProject(scenario.files) });
      expect(report.findings).toEqual([]);
      expect(report.skipped).toEqual([]);
    });

  for (const scenario of TEMPLATED)
    it(`not read: ${scenario.name}`, async () => {
      const report = await detectMtls({ cwd: tempProject(scenario.files) });
      expect(report.findings).toEqual([]);
      const named = report.skipped.filter((skip) => skip.line !== undefined && !skip.leftOut);
      expect(named.map((skip) => `${skip.file}:${skip.line}`)).toEqual(scenario.notRead);
      expect(named[0].reason).toMatch(/mTLS set in values for a chart not in this tree/);
    });

  it('hosts beside the switch are the finding hosts, as written', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'istio-values.tftpl.yaml':
          'gw:\n  mtls:\n    enabled: true\n    hosts:\n      %{~ for h in hosts ~}\n      - ${h}\n      %{~ endfor ~}\n' +
          '      - api.example.com\n',
      }),
    });
    expect(report.findings.map((finding) => finding.hosts)).toEqual([['${h}', 'api.example.com']]);
  });

  it('values of a chart that is in the tree are read with its templates, not twice', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'chart/Chart.yaml': 'apiVersion: v2\nname: gw\nversion: 0.1.0\n',
        'chart/values.yaml': 'mtls:\n  enabled: true\n',
        'chart/templates/gateway.yaml':
          'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  servers:\n' +
          '    - port: { number: 443, name: https, protocol: HTTPS }\n      hosts: ["*"]\n      tls:\n' +
          '        mode: {{ if .Values.mtls.enabled }}MUTUAL{{ else }}SIMPLE{{ end }}\n',
        'helmfile.yaml':
          'releases:\n  - name: gw\n    chart: ./chart\n    values:\n      - mtls: { enabled: true }\n',
      }),
    });
    expect(report.findings.filter((finding) => finding.source === 'helm')).toEqual([]);
  });

  it('a key another reader reads in any YAML (Spring, Envoy) is one finding, not two', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'values.yaml': 'server:\n  ssl:\n    client-auth: need\nenvoy:\n  requireClientCertificate: true\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.line} ${finding.source}`)).toEqual([
      '3 spring',
      '5 envoy',
    ]);
  });

  it('a file a Terraform helm_release or a Helmfile release passes as values is read whatever its name', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'infra/main.tf':
          'resource "helm_release" "gw" {\n  chart = "gateway"\n  values = [templatefile("${path.module}/templates/gw.yaml.tpl", { x = 1 })]\n}\n' +
          'resource "kubectl_manifest" "m" {\n  yaml_body = templatefile("${path.module}/templates/gateway.yaml.tpl", {})\n}\n',
        'infra/templates/gw.yaml.tpl': 'gateway:\n  mtls:\n    enabled: true\n',
        // A manifest beside it (a kubectl_manifest's) is no values file.
        'infra/templates/gateway.yaml.tpl':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata:\n  mtls: "true"\n',
        'helmfile.yaml':
          'releases:\n  - name: api\n    chart: bitnami/nginx\n    values:\n      - env/api.yaml\n',
        'env/api.yaml': 'server:\n  verifyClient: "on"\n',
      }),
    });
    expect(helmFindings(report)).toEqual([
      'env/api.yaml:2 required server.verifyClient',
      'infra/templates/gw.yaml.tpl:3 required gateway.mtls.enabled',
    ]);
  });

  it('a values file no view of which parses: named only when a key says mTLS may be on', async () => {
    const broken = (line: string): string => `a: [\n${line}\n`;
    const on = await detectMtls({ cwd: tempProject({ 'values.yaml': broken('mtls: true') }) });
    expect(on.skipped.map((skip) => `${skip.file}:${skip.line} ${skip.unreadable}`)).toEqual([
      'values.yaml:2 true',
    ]);
    const outbound = await detectMtls({
      cwd: tempProject({ 'values.yaml': broken('OUTBOUND_MUTUAL_TLS_ENABLED: true') }),
    });
    // Named as before (`cannot parse`), with no mTLS line: an outbound switch is no server setting.
    expect(outbound.skipped.map((skip) => `${skip.file}:${skip.line} ${skip.unreadable}`)).toEqual([
      'values.yaml:undefined true',
    ]);
  });

  it('a line that is only a Terraform interpolation writing a block is read around', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'values-gw.yaml.tpl':
          'env:\n  A: ${a}\n  ${indent(2, yamlencode(extra))}\ngateway:\n  mtls:\n    enabled: true\n',
      }),
    });
    expect(helmFindings(report)).toEqual(['values-gw.yaml.tpl:6 required gateway.mtls.enabled']);
    expect(report.skipped).toEqual([]);
  });

  it('an umbrella chart with no templates: its values are for charts not in the tree', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'deploy/Chart.yaml': 'apiVersion: v2\nname: all\nversion: 0.1.0\ndependencies:\n  - name: gateway\n',
        'deploy/values.yaml': 'gateway:\n  mtls:\n    enabled: true\n',
      }),
    });
    expect(helmFindings(report)).toEqual(['deploy/values.yaml:3 required gateway.mtls.enabled']);
  });

  it('ingress-nginx annotations in a chart folder values file are one finding (readHelmValues), not two', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'helm/values.yaml':
          'ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([
      'helm/values.yaml:3',
    ]);
  });
});

describe('detect CLI: values for a remote chart (e2e)', () => {
  it('DEMIS shape: a finding, not "No mTLS termination found"; --check exits 1', async () => {
    const cwd = tempProject({
      'mesh/network-rules/istio-values.tftpl.yaml':
        'mesh:\n  enabled: true\n  istioGateway:\n    name: ${gateway_name}\n    mtls:\n      enabled: true\n' +
        '      credential: ${mutual_tls_credential}\n      hosts:\n        %{~ for mtls_host in mutual_tls_hosts ~}\n' +
        '        - ${mtls_host}\n        %{~ endfor ~}\n    tls:\n      credential: ${tls_credential}\n',
      'mesh/policies-authorizations/istio-values.tftpl.yaml':
        'authorizationPolicies:\n  denyAll:\n    allowNothing: true\n',
      'demis/network-rules/istio-values.tftpl.yaml': 'istioGateway:\n  mtls:\n    enabled: false\n',
    });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout).not.toMatch(/No mTLS termination found/);
    expect(run.stdout).toMatch(
      /mesh\/network-rules\/istio-values\.tftpl\.yaml:6 {2}helm {2}required, probably/,
    );
    expect(run.stdout).toMatch(/key `mesh\.istioGateway\.mtls\.enabled`, line 6/);
    expect(run.stdout).not.toMatch(/demis\/network-rules/);
    expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(1);
  });

  it('templated switch: "Not read" with its line, --check exits 1', async () => {
    const cwd = tempProject({ 'values.yaml.tftpl': 'gateway:\n  mtls:\n    enabled: ${mtls}\n' });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout).toMatch(/Not read \(1\)/);
    expect(run.stdout).toMatch(/values\.yaml\.tftpl: line 3: mTLS set in values/);
    expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(1);
  });
});
