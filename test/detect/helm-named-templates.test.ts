import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 25: ingress-nginx's `auth-tls-verify-client` written in a Helm named template (`{{- define }}` in
 * `_helpers.tpl`) that the Ingress template `include`s (the idiom of azimuth-cloud/zenith's chart). detect reads the
 * Ingress with its template tags blanked, so the included annotations are not there: on 433619b "No mTLS
 * termination found in 4 files", exit 0. Now the helper file is named under "Not read" at the annotation's line.
 */
const HELPERS =
  '{{- define "svc.ingress.tls.annotations" -}}\n{{- if .Values.ingress.tls.clientCA }}\n' +
  'nginx.ingress.kubernetes.io/auth-tls-secret: "{{ .Release.Namespace }}/client-ca"\n' +
  'nginx.ingress.kubernetes.io/auth-tls-verify-client: optional\n{{- end }}\n{{- end }}\n';
const INGRESS =
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: svc\n  annotations:\n' +
  '    {{- include "svc.ingress.tls.annotations" . | nindent 4 }}\nspec:\n  rules:\n' +
  '    - host: {{ .Values.ingress.host }}\n';

describe('detect: ingress-nginx client certificates in a Helm named template', () => {
  it('the helper holding auth-tls-verify-client is named, not passed over', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'chart/Chart.yaml': 'apiVersion: v2\nname: svc\nversion: 0.1.0\n',
        'chart/values.yaml': 'ingress:\n  host: api.example.com\n  tls:\n    clientCA: ca\n',
        'chart/templates/_helpers.tpl': HELPERS,
        'chart/templates/ingress.yaml': INGRESS,
      }),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((skip) => [skip.file, skip.line])).toEqual([
      ['chart/templates/_helpers.tpl', 4],
    ]);
    expect(report.skipped[0]?.reason).toContain('ingress-nginx annotation outside an Ingress detect reads');
  });

  it('an Ingress read with the annotation is a finding, not named again', async () => {
    const ingress =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: svc\n  annotations:\n' +
      '    nginx.ingress.kubernetes.io/auth-tls-secret: ns/client-ca\n' +
      '    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\nspec:\n  rules:\n    - host: api.example.com\n';
    const report = await detectMtls({ cwd: tempProject({ 'ingress.yaml': ingress }) });
    expect(report.findings.map((finding) => [finding.file, finding.line])).toEqual([['ingress.yaml', 7]]);
    expect(report.skipped).toEqual([]);
  });
});
