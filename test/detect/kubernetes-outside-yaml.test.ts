import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 31: Kubernetes objects written in Terraform (`kubernetes_manifest`, `kubernetes_ingress_v1`) or code, not
// YAML: an Istio Gateway asking clients for a certificate and an Ingress with ingress-nginx's auth-tls annotation
// read "No mTLS termination found in 2 files" and `--check` passed. Each is now named under "Not read" with its
// line; a DestinationRule's ISTIO_MUTUAL (the mesh's own, client side) and the YAML forms the readers read are not.
const ISTIO_TF = `resource "kubernetes_manifest" "gw" {
  manifest = {
    apiVersion = "networking.istio.io/v1beta1"
    kind       = "Gateway"
    metadata = { name = "edge", namespace = "istio-system" }
    spec = {
      selector = { istio = "ingressgateway" }
      servers = [{
        port  = { number = 443, name = "https", protocol = "HTTPS" }
        hosts = ["api.bank.example"]
        tls   = { mode = "MUTUAL", credentialName = "edge-cert" }
      }]
    }
  }
}
`;
const INGRESS_TF = `resource "kubernetes_ingress_v1" "api" {
  metadata {
    name = "api"
    annotations = {
      "nginx.ingress.kubernetes.io/auth-tls-verify-client" = "on"
      "nginx.ingress.kubernetes.io/auth-tls-secret"        = "default/ca"
    }
  }
  spec {
    rule { host = "api.bank.example" }
  }
}
`;
const DESTINATION_RULE_TF = `resource "kubernetes_manifest" "dr" {
  manifest = {
    apiVersion = "networking.istio.io/v1beta1"
    kind       = "DestinationRule"
    spec = { host = "db", trafficPolicy = { tls = { mode = "ISTIO_MUTUAL" } } }
  }
}
`;
const CDK8S = `import { ApiObject } from 'cdk8s';\nnew ApiObject(chart, 'api', {\n  apiVersion: 'networking.k8s.io/v1',\n  kind: 'Ingress',\n  metadata: { annotations: { 'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'optional' } },\n});\n`;

describe('detect: Kubernetes mTLS objects written outside YAML', () => {
  // Session 32: the Terraform forms are read (kubernetes-terraform.test.ts). Session 36: cdk8s code is read too
  // (code-programs.test.ts): its Ingress sets auth-tls-verify-client without auth-tls-secret, so it is left out with
  // that reason, as the same Ingress in YAML is (before, named under "Not read").
  it('an Istio Gateway in kubernetes_manifest and an Ingress in kubernetes_ingress_v1 are read; cdk8s code is read', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'k8s/istio.tf': ISTIO_TF,
        'k8s/ingress.tf': INGRESS_TF,
        'k8s/mesh.tf': DESTINATION_RULE_TF,
        'cdk8s/main.ts': CDK8S,
      }),
    });
    expect(
      report.findings.map(
        (finding) => `${finding.file}:${finding.line} ${finding.source} ${finding.hosts.join()}`,
      ),
    ).toEqual(['k8s/ingress.tf:5 kubernetes api.bank.example', 'k8s/istio.tf:11 istio api.bank.example']);
    expect(report.skipped.map((skip) => `${skip.file} ${skip.leftOut === true}`)).toEqual([
      'cdk8s/main.ts true',
    ]);
    expect(report.skipped[0].reason).toContain(
      'line 5: Ingress (no name) sets auth-tls-verify-client without auth-tls-secret',
    );
    // Every file read, no 403 on the mTLS hosts: --check passes (it failed on the cdk8s file "Not read" before).
    expect(detectCheck(report).exitCode).toBe(0);
  });

  it('the YAML forms stay findings, not "Not read"', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'k8s/gateway.yaml': `apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: { name: edge }\nspec:\n  selector: { istio: ingressgateway }\n  servers:\n    - port: { number: 443, name: https, protocol: HTTPS }\n      hosts: [api.bank.example]\n      tls: { mode: MUTUAL, credentialName: edge-cert }\n`,
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.source}`)).toEqual([
      'k8s/gateway.yaml:9 istio',
    ]);
    expect(report.skipped.filter((skip) => skip.line !== undefined)).toEqual([]);
  });
});
