import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 32 (SecureApiGateway/secure-api-gateway-ob-uk): a Helm template Ingress writing both auth-tls-secret and
// auth-tls-verify-client: "optional_no_ca" gave two findings, the secret's read as `required`. One per Ingress now:
// its verify-client value, else the secret alone (the controller default on).
const TEMPLATE = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-secret: {{ .Release.Namespace }}/{{ .Values.caSecret }}
    nginx.ingress.kubernetes.io/auth-tls-verify-client: "optional_no_ca"
  name: rs-mtls
spec:
  rules:
    - host: {{ .Values.host }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-secret: {{ .Release.Namespace }}/ca
  name: secret-only
spec:
  rules:
    - host: {{ .Values.other }}
`;

describe('detect: a Helm template Ingress is one finding', () => {
  it('reads verify-client when written, else the secret alone', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'chart/Chart.yaml': 'name: x\nversion: 1.0.0\n',
        'chart/templates/ingress.yaml': TEMPLATE,
      }),
    });
    expect(report.findings.map((finding) => `${finding.line} ${finding.mode} ${finding.confidence}`)).toEqual(
      ['6 optional probably', '16 required probably'],
    );
  });
});
