import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 33: a Pulumi YAML program creating an ingress-nginx Ingress that asks for a client certificate was named
// under "Not read" only (session 31): no hosts, no 403s. Its resources are now read as the objects they create.
const PROGRAM = `name: bank
runtime: yaml
resources:
  mtls-ingress:
    type: kubernetes:networking.k8s.io/v1:Ingress
    properties:
      metadata:
        name: mtls
        annotations:
          nginx.ingress.kubernetes.io/auth-tls-secret: bank/ca
          nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"
          nginx.ingress.kubernetes.io/server-snippet: |
            location /admin { return 403; }
      spec:
        rules:
          - host: mtls.bank.test
            http:
              paths:
                - path: /accounts
                  pathType: Prefix
                  backend: { service: { name: api, port: { number: 80 } } }
  config:
    type: kubernetes:core/v1:ConfigMap
    properties:
      data: { a: b }
`;

describe('detect: Kubernetes objects in a Pulumi YAML program', () => {
  it('reads an Ingress resource with its hosts, at its lines', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'Pulumi.yaml': PROGRAM }) });
    expect(
      report.findings.map(
        (finding) => `${finding.line} ${finding.source} ${finding.mode} ${finding.hosts.join()}`,
      ),
    ).toEqual(['11 kubernetes required mtls.bank.test']);
    expect(report.proposal.mtls.servers).toHaveLength(1);
    expect(report.skipped.filter((skip) => skip.line !== undefined)).toEqual([]);
    expect(report.forbidden.map((entry) => `${entry.line} ${entry.fix}`)).toEqual([
      expect.stringMatching(/^1[23] /),
    ]);
  });
});
