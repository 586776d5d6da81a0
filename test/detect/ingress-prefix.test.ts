import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 30: ingress-nginx reads its annotations under its `--annotations-prefix` (`ingress.kubernetes.io`
// before 0.9, and in haproxy-ingress; any prefix a cluster sets). Salesforce SAM's flowsnake Ingresses write
// `ingress.kubernetes.io/auth-tls-verify-client: optional`: detect read only `nginx.ingress.kubernetes.io/`, and
// said "No mTLS termination found"; their Jsonnet source was not named either.
const INGRESS = (prefix: string, extra = ''): string =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: fleet\n  annotations:\n    ${prefix}/auth-tls-secret: flowsnake/ca\n    ${prefix}/auth-tls-verify-client: optional\n${extra}spec:\n  rules:\n    - host: fleet.bank.test\n      http:\n        paths:\n          - path: /fleet\n            pathType: Prefix\n            backend: { service: { name: fleet, port: { number: 8080 } } }\n`;

describe('detect: ingress-nginx annotations under another prefix', () => {
  it.each([
    ['nginx.ingress.kubernetes.io (the default)', 'nginx.ingress.kubernetes.io'],
    ['ingress.kubernetes.io (before ingress-nginx 0.9, haproxy-ingress)', 'ingress.kubernetes.io'],
    ['a controller started with --annotations-prefix=edge.bank.test', 'edge.bank.test'],
  ])('%s: a finding for the host, and the 403 of its source range', async (_name, prefix) => {
    const cwd = tempProject({
      'k8s/ingress.yaml': INGRESS(prefix, `    ${prefix}/whitelist-source-range: 10.0.0.0/8\n`),
    });
    const report = await detectMtls({ cwd });
    expect(report.findings.map((finding) => [finding.line, finding.mode, finding.hosts])).toEqual([
      [7, 'optional', ['fleet.bank.test']],
    ]);
    expect(report.forbidden.map((entry) => [entry.line, entry.fix])).toEqual([
      [8, expect.stringContaining(`${prefix}/server-snippet`)],
    ]);
  });

  it('the Jsonnet that writes such an Ingress is named under "Not read"', async () => {
    const cwd = tempProject({
      'k8s-in/ingress.jsonnet':
        '{\n  kind: "Ingress",\n  metadata: {\n    annotations: {\n      "ingress.kubernetes.io/auth-tls-verify-client": "optional",\n    },\n  },\n}\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((skip) => [skip.file, skip.line])).toEqual([['k8s-in/ingress.jsonnet', 5]]);
  });
});
