import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 26: ingress-nginx's authtls parser takes `auth-tls-verify-client` values matching
 * `^(on|off|optional|optional_no_ca)$` and uses `on` for any other (`yes`, `true`, `On`, `required`). On bb195d3
 * every value but `on`, `optional` and `optional_no_ca` was read as `off`: "No mTLS termination found", the
 * Ingress's 403s unread. Seen in a chart's named template (`auth-tls-verify-client: "yes"`) during the trials.
 */
const INGRESS = (value: string): string =>
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n' +
  `    nginx.ingress.kubernetes.io/auth-tls-verify-client: ${value}\n` +
  '    nginx.ingress.kubernetes.io/auth-tls-secret: default/ca\n' +
  '    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n' +
  'spec:\n  rules:\n    - host: api.example.com\n';

describe('detect: auth-tls-verify-client values ingress-nginx does not take mean on', () => {
  for (const value of ['"yes"', '"true"', 'On', 'required', '"1"']) {
    it(`${value}: a required finding with a note, its 403 read`, async () => {
      const report = await detectMtls({ cwd: tempProject({ 'ingress.yaml': INGRESS(value) }) });
      expect(report.findings.map((finding) => [finding.line, finding.mode, finding.note])).toEqual([
        [
          6,
          'required',
          `auth-tls-verify-client: "${value.replace(/"/g, '')}" is no value ingress-nginx takes (on, off, optional, optional_no_ca): it uses on`,
        ],
      ]);
      expect(report.forbidden.map((entry) => entry.line)).toEqual([8]);
    });
  }

  it('off asks for nothing', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'ingress.yaml': INGRESS('"off"') }) });
    expect(report.findings).toEqual([]);
  });

  it('in Helm values and a Helm template line, and in a named template (named as not read)', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
        'chart/values.yaml':
          'ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-tls-verify-client: "yes"\n' +
          '    nginx.ingress.kubernetes.io/auth-tls-secret: default/ca\n',
        'chart/templates/ingress.yaml':
          'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n  annotations:\n' +
          '    nginx.ingress.kubernetes.io/auth-tls-verify-client: "true"\n' +
          '    nginx.ingress.kubernetes.io/auth-tls-secret: default/ca\nspec: {}\n',
        'other/templates/_helpers.tpl':
          '{{- define "cert" -}}\nnginx.ingress.kubernetes.io/auth-tls-verify-client: "yes"\n{{- end }}\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.mode}`)).toEqual([
      // One finding per Ingress since session 32 (its auth-tls-secret line was a second one).
      'chart/templates/ingress.yaml:6 required',
      'chart/values.yaml:3 required',
    ]);
    expect(report.skipped.map((skip) => `${skip.file}:${skip.line ?? ''}`)).toContain(
      'other/templates/_helpers.tpl:2',
    );
  });
});
