import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 32: Kubernetes objects a Terraform file creates were only named under "Not read" (the first one of the
// file): an ingress-nginx Ingress in `kubernetes_ingress_v1` / `kubernetes_manifest` / `kubernetes_annotations`, an
// Istio Gateway in `kubernetes_manifest`, and YAML in a `kubectl_manifest` / `yamldecode(<<EOT)` heredoc. Each is now
// read by the YAML readers at its line, and the 403s of its annotations and of Istio authorization policies written
// the same way are read.
const INGRESS_V1 = `resource "kubernetes_ingress_v1" "api" {
  metadata {
    name = "api"
    annotations = {
      "nginx.ingress.kubernetes.io/auth-tls-verify-client" = "optional"
      "nginx.ingress.kubernetes.io/auth-tls-secret"        = "default/ca"
      "nginx.ingress.kubernetes.io/whitelist-source-range" = "10.0.0.0/8"
    }
  }
  spec {
    rule {
      host = "api.bank.example"
      http {
        path {
          path = "/accounts"
        }
      }
    }
    tls {
      hosts = ["api.bank.example", "pay.bank.example"]
    }
  }
}
`;
const MANIFEST = `resource "kubernetes_manifest" "gw" {
  manifest = {
    apiVersion = "networking.istio.io/v1beta1"
    kind       = "Gateway"
    metadata   = { name = "edge", namespace = "istio-system" }
    spec = {
      selector = { istio = "ingressgateway" }
      servers = [{
        port  = { number = 443, name = "https", protocol = "HTTPS" }
        hosts = ["edge.bank.example"]
        tls   = { mode = "OPTIONAL_MUTUAL", credentialName = "edge-cert" }
      }]
    }
  }
}

resource "kubernetes_manifest" "deny" {
  manifest = {
    apiVersion = "security.istio.io/v1beta1"
    kind       = "AuthorizationPolicy"
    metadata   = { name = "deny-admin", namespace = "istio-system" }
    spec = {
      selector = { matchLabels = { istio = "ingressgateway" } }
      action   = "DENY"
      rules    = [{ to = [{ operation = { paths = ["/admin/*"] } }] }]
    }
  }
}

resource "kubernetes_manifest" "peer" {
  manifest = {
    apiVersion = "security.istio.io/v1beta1"
    kind       = "PeerAuthentication"
    metadata   = { name = "default", namespace = "istio-system" }
    spec       = { mtls = { mode = "STRICT" } }
  }
}
`;
const HEREDOCS = `resource "kubectl_manifest" "gw" {
  yaml_body = <<-YAML
    apiVersion: networking.istio.io/v1beta1
    kind: Gateway
    metadata:
      name: mesh-edge
    spec:
      servers:
        - port: { number: 443, name: https, protocol: HTTPS }
          hosts: ["\${var.host}"]
          tls:
            mode: MUTUAL
  YAML
}

resource "kubernetes_manifest" "ing" {
  manifest = yamldecode(<<EOT
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: x
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"
    nginx.ingress.kubernetes.io/auth-tls-secret: default/ca
    nginx.ingress.kubernetes.io/denylist-source-range: 192.0.2.0/24
spec:
  rules:
    - host: x.bank.example
EOT
  )
}

resource "kubernetes_annotations" "existing" {
  api_version = "networking.k8s.io/v1"
  kind        = "Ingress"
  metadata {
    name = "legacy"
  }
  annotations = {
    "nginx.ingress.kubernetes.io/auth-tls-verify-client" = "on"
    "nginx.ingress.kubernetes.io/auth-tls-secret"        = "ns/ca"
  }
}
`;

describe('detect: Kubernetes objects in Terraform', () => {
  it('reads kubernetes_ingress_v1 and kubernetes_manifest objects at their lines, with their 403s', async () => {
    const report = await detectMtls({
      cwd: tempProject({ 'k8s/ingress.tf': INGRESS_V1, 'k8s/istio.tf': MANIFEST }),
    });
    expect(
      report.findings.map(
        (finding) =>
          `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.reader} ${finding.hosts.join()}`,
      ),
    ).toEqual([
      'k8s/ingress.tf:5 kubernetes optional @cdktf/hcl2json api.bank.example,pay.bank.example',
      'k8s/istio.tf:11 istio optional @cdktf/hcl2json edge.bank.example',
    ]);
    expect(report.findings[0].note).toContain('routes /accounts');
    expect(report.skipped.filter((skip) => skip.line !== undefined)).toEqual([]);
    expect(
      report.forbidden.map((entry) => `${entry.file}:${entry.line} ${entry.source} ${entry.paths.join()}`),
    ).toEqual(['k8s/ingress.tf:7 kubernetes /accounts', 'k8s/istio.tf:24 istio /admin/*']);
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it('reads YAML in kubectl_manifest and yamldecode heredocs, and kubernetes_annotations on an Ingress', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'k8s/main.tf': HEREDOCS }) });
    expect(
      report.findings.map(
        (finding) =>
          `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.reader} ${finding.hosts.join()}`,
      ),
    ).toEqual([
      'k8s/main.tf:12 istio required yaml ${var.host}',
      'k8s/main.tf:23 kubernetes required yaml x.bank.example',
      'k8s/main.tf:40 kubernetes required @cdktf/hcl2json ',
    ]);
    expect(report.findings[0].note).toContain('Kubernetes manifest in a Terraform heredoc');
    expect(report.findings[2].note).toContain('an Ingress created elsewhere');
    expect(report.forbidden.map((entry) => `${entry.file}:${entry.line} ${entry.source}`)).toEqual([
      'k8s/main.tf:25 kubernetes',
    ]);
    expect(report.skipped.filter((skip) => skip.line !== undefined)).toEqual([]);
  });
});
