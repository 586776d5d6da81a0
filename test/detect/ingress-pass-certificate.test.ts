import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 32 (SecureApiGateway/secure-api-gateway-ob-uk): an Ingress with auth-tls-verify-client: optional_no_ca and
// auth-tls-pass-certificate-to-upstream: "true" hands the certificate to its backend (ForgeRock IG, whose scripts
// answer 403), and `detect --check` passed with "403s answered (0)". The backend's answer is now not checked.
const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: mtls
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream: "true"
    nginx.ingress.kubernetes.io/auth-tls-secret: ns/mtls-ca-certs
    nginx.ingress.kubernetes.io/auth-tls-verify-client: optional_no_ca
spec:
  rules:
    - host: mtls.bank.example
      http:
        paths:
          - path: /rs/
            pathType: Prefix
            backend: { service: { name: ig, port: { number: 80 } } }
`;

describe('detect: an Ingress passing the client certificate to its backend', () => {
  it('lists the backend under 403s not checked, and --check fails until reviewed', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'k8s/ingress.yaml': INGRESS }) });
    expect(report.findings.map((finding) => `${finding.line} ${finding.mode}`)).toEqual(['8 optional']);
    expect(report.forbiddenNotChecked).toEqual([
      'k8s/ingress.yaml:6 kubernetes (auth-tls-pass-certificate-to-upstream: the client certificate goes to service ig, which decides on it and may answer 403: check that service, or answer 401 there)',
    ]);
    expect(detectCheck(report).exitCode).toBe(1);
  });
});
