import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 37 (kubernetes-sigs/gateway-api @ 4564255ac): once a Gateway asks for client certificates, every file whose
 * text names `kind: HTTPRoute`, `kind: AuthorizationPolicy` or a policy kind was read as a manifest for its policies;
 * a Markdown page with a YAML example or Go source that is not YAML was then "Not read" as unreadable, and `detect
 * --check` exited 2 (181 files of that repository). Only YAML / JSON files (and the objects of Terraform and code
 * programs) are manifests. Each scenario: the files beside the Gateway, and the files named under "Not read".
 */
const GATEWAY =
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: eg\n' +
  '  listeners:\n    - name: https\n      port: 443\n      protocol: HTTPS\n      hostname: api.bank.example\n' +
  '      tls:\n        mode: Terminate\n        certificateRefs: [{ name: cert }]\n' +
  '  tls:\n    frontend:\n      default:\n        validation:\n          caCertificateRefs: [{ kind: ConfigMap, name: ca }]\n';
const MARKDOWN =
  '# Routes\n\nAn example:\n\n```yaml\nkind: HTTPRoute\nmetadata: { name: r }\n```\n\n' +
  '```yaml\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nspec: { action: DENY }\n```\n';
const GO =
  'package v1\n\n// +kubebuilder:printcolumn\n// kind: HTTPRoute\ntype HTTPRoute struct {\n\tSpec HTTPRouteSpec `json:"spec"`\n}\n';

const SCENARIOS: Record<string, { files: Record<string, string>; notRead: string[] }> = {
  'a Markdown page with YAML examples of a route and an AuthorizationPolicy': {
    files: { 'gateway.yaml': GATEWAY, 'docs/routes.md': MARKDOWN },
    notRead: [],
  },
  'Go API types that name kind: HTTPRoute in a comment': {
    files: { 'gateway.yaml': GATEWAY, 'apis/v1/httproute_types.go': GO },
    notRead: [],
  },
  'a YAML manifest that does not parse is still named': {
    files: { 'gateway.yaml': GATEWAY, 'route.yaml': 'kind: HTTPRoute\nspec: [unclosed\n' },
    notRead: ['route.yaml'],
  },
};

describe('detect: only manifests are read for Istio / Gateway API policies', () => {
  for (const [name, { files, notRead }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([
        'gateway.yaml:18',
      ]);
      expect(report.skipped.map((skip) => skip.file)).toEqual(notRead);
      if (!notRead.length) expect(detectCheck(report).exitCode).toBe(0);
    });
  }
});
