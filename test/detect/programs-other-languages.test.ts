import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { PROGRAM_KIND } from '../../src/detect/unread.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 37 (carried over): Pulumi and cdk8s programs in Python, Go, Java or C# are not parsed (only TypeScript /
 * JavaScript programs and Pulumi YAML are). Each Kubernetes object they create that asks for a client certificate
 * is now named under "Not read" as such a program, with its line, so the result is not clean. Before, a crd2pulumi
 * Istio Gateway (`mode="MUTUAL"` without an apiVersion string) or a cdk8s Gateway API listener's
 * `frontend_validation` read "No mTLS termination found" and `--check` passed; an Ingress was named as "a Helm named
 * template, a patch, values". Each scenario: the files, then the line named (or none).
 */
const SCENARIOS: Record<string, { files: Record<string, string>; line?: number }> = {
  'Pulumi Python: an Ingress with ingress-nginx annotations': {
    files: {
      '__main__.py':
        'import pulumi_kubernetes as k8s\n\nk8s.networking.v1.Ingress(\n    "pay",\n' +
        '    metadata=k8s.meta.v1.ObjectMetaArgs(annotations={\n' +
        '        "nginx.ingress.kubernetes.io/auth-tls-verify-client": "on",\n' +
        '        "nginx.ingress.kubernetes.io/auth-tls-secret": "default/ca",\n    }),\n)\n',
    },
    line: 6,
  },
  'Pulumi Python: a crd2pulumi Istio Gateway (mode="MUTUAL", no apiVersion string)': {
    files: {
      '__main__.py':
        'import pulumi_kubernetes as k8s\nfrom pulumi_crds import istio\n\nistio.networking.v1beta1.Gateway("gw",\n' +
        '    spec=istio.networking.v1beta1.GatewaySpecArgs(servers=[istio.networking.v1beta1.GatewaySpecServersArgs(\n' +
        '        hosts=["pay.bank.example"],\n' +
        '        tls=istio.networking.v1beta1.GatewaySpecServersTlsArgs(mode="MUTUAL", credential_name="c"),\n    )]),\n)\n',
    },
    line: 7,
  },
  'cdk8s Python: a Gateway API listener with frontend_validation': {
    files: {
      'main.py':
        'from cdk8s import App, Chart\nfrom imports import io_k8s_networking_gateway as gw\n\n' +
        'gw.Gateway(chart, "gw", spec=gw.GatewaySpec(listeners=[gw.GatewaySpecListeners(name="https", port=443,\n' +
        '    tls=gw.GatewaySpecListenersTls(\n        frontend_validation=gw.GatewaySpecListenersTlsFrontendValidation(ca_certificate_refs=[])))]))\n',
    },
    line: 6,
  },
  'cdk8s Python: KubeIngress with auth-tls-verify-client optional': {
    files: {
      'main.py':
        'from imports import k8s\n\nk8s.KubeIngress(self, "ing", metadata=k8s.ObjectMeta(annotations={\n' +
        '    "nginx.ingress.kubernetes.io/auth-tls-verify-client": "optional",\n}))\n',
    },
    line: 4,
  },
  'Pulumi Go: pulumi.String("on")': {
    files: {
      'main.go':
        'package main\n\nimport (\n\tnetworkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"\n)\n\n' +
        'var annotations = pulumi.StringMap{\n' +
        '\t"nginx.ingress.kubernetes.io/auth-tls-verify-client": pulumi.String("on"),\n}\n',
    },
    line: 8,
  },
  'Pulumi C#: an Istio Gateway in a CustomResource': {
    files: {
      'Program.cs':
        'using Pulumi.Kubernetes.ApiExtensions;\n\nnew CustomResource("gw", new GatewayArgs {\n' +
        '    Spec = new Dictionary<string, object> { ["tls"] = new Dictionary<string, object> { ["mode"] = "MUTUAL" } },\n});\n',
    },
    line: 4,
  },
  'cdk8s Java: a Traefik TLSOption with clientAuthType': {
    files: {
      'Main.java':
        'import org.cdk8s.App;\n\nclass Main {\n  void tls() {\n' +
        '    TlsOption.Builder.create(this, "mtls").spec(TlsOptionSpec.builder().clientAuth(TlsOptionSpecClientAuth.builder()\n' +
        '      .clientAuthType("RequireAndVerifyClientCert").build()).build()).build();\n  }\n}\n',
    },
    line: 6,
  },
  'not a program: a Python server without Pulumi or cdk8s names only what it is': {
    files: { 'app.py': 'MODE = "MUTUAL"\n' },
  },
  'Pulumi Python: verification turned off is no setting': {
    files: {
      '__main__.py':
        'import pulumi_kubernetes as k8s\nannotations = {"nginx.ingress.kubernetes.io/auth-tls-verify-client": "off"}\n',
    },
  },
  'Pulumi Python: a DestinationRule ISTIO_MUTUAL (the mesh, client side) is no setting': {
    files: {
      '__main__.py':
        'import pulumi_kubernetes as k8s\nspec = {"trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}}}\n',
    },
  },
};

describe('detect: Pulumi / cdk8s programs in languages detect does not parse are named', () => {
  for (const [name, { files, line }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      const file = Object.keys(files)[0];
      expect(report.findings).toEqual([]);
      const named = report.skipped.filter((skip) => skip.line !== undefined);
      if (line === undefined) {
        expect(named.map((skip) => skip.reason).join()).not.toContain(PROGRAM_KIND);
        return;
      }
      expect(named.map((skip) => `${skip.file}:${skip.line}`)).toEqual([`${file}:${line}`]);
      expect(named[0].reason).toContain(PROGRAM_KIND);
      expect(detectCheck(report).exitCode).not.toBe(0);
    });
  }
});
