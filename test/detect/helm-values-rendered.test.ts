import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 26: ingress-nginx annotations set in Helm values and written into the Ingress by the chart template
 * (`helm create`'s `{{- with .Values.ingress.annotations }} ... toYaml . | nindent 4`, `toYaml .Values.x`, a `range`
 * over the map). On bb195d3 the values finding was listed as `chart/values.yaml:5 kubernetes` under "403s not
 * checked" and its `whitelist-source-range`, snippets and `auth-tls-match-cn` were never read, nor those a
 * `values-prod.yaml` merges in. Now they are read at their lines in the values files; a values map no template
 * writes that way is named with the reason.
 */
const CHART = 'apiVersion: v2\nname: api\nversion: 0.1.0\n';
const VALUES =
  'ingress:\n  enabled: true\n  annotations:\n' +
  '    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n' +
  '    nginx.ingress.kubernetes.io/auth-tls-secret: default/ca\n' +
  '    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n' +
  '    nginx.ingress.kubernetes.io/configuration-snippet: |\n' +
  '      if ($ssl_client_s_dn !~ "CN=app") { return 403; }\n' +
  '  hosts:\n    - host: api.example.com\n      paths:\n        - path: /\n';
const PROD =
  'ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-tls-match-cn: "CN=app"\n' +
  '    nginx.ingress.kubernetes.io/auth-url: http://auth.svc/check\n';

const WITH =
  '{{- if .Values.ingress.enabled -}}\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n' +
  '  name: {{ include "api.fullname" . }}\n  {{- with .Values.ingress.annotations }}\n  annotations:\n' +
  '    {{- toYaml . | nindent 4 }}\n  {{- end }}\nspec:\n  rules:\n    {{- range .Values.ingress.hosts }}\n' +
  '    - host: {{ .host | quote }}\n    {{- end }}\n{{- end }}\n';
const TO_YAML = WITH.replace(
  '  {{- with .Values.ingress.annotations }}\n  annotations:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n',
  '  annotations:\n{{ toYaml .Values.ingress.annotations | indent 4 }}\n',
);
const RANGE = WITH.replace(
  '    {{- toYaml . | nindent 4 }}\n',
  '    {{- range $key, $value := .Values.ingress.annotations }}\n    {{ $key }}: {{ $value | quote }}\n    {{- end }}\n',
);
/** CZERTAINLY's ilm chart: a `range` over the map inside the `with`, the annotations key lines above. */
const WITH_RANGE = WITH.replace(
  '    {{- toYaml . | nindent 4 }}\n',
  '    {{- range $key, $val := . }}\n    {{ $key }}: {{ tpl $val $ | quote }}\n    {{- end }}\n',
);
/** The annotations written one by one from other values: no map of the values reaches the Ingress whole. */
const OWN =
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n' +
  '    nginx.ingress.kubernetes.io/auth-tls-verify-client: {{ .Values.verify | quote }}\nspec: {}\n';

async function read(template: string, values: Record<string, string> = {}) {
  const report = await detectMtls({
    cwd: tempProject({
      'chart/Chart.yaml': CHART,
      'chart/values.yaml': VALUES,
      'chart/templates/ingress.yaml': template,
      ...values,
    }),
  });
  return {
    findings: report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.hosts.join(',')}`),
    forbidden: report.forbidden.map((entry) => `${entry.file}:${entry.line} ${entry.evidence}`),
    notChecked: report.forbiddenNotChecked,
  };
}

describe('detect: Helm values written into the Ingress by the chart template', () => {
  for (const [name, template] of [
    ['with ... toYaml .', WITH],
    ['toYaml .Values.ingress.annotations', TO_YAML],
    ['range $key, $value', RANGE],
    ['with ... range $key, $val := .', WITH_RANGE],
  ] as const) {
    it(`${name}: the values' source range and snippet 403s are read at their lines`, async () => {
      expect(await read(template)).toEqual({
        findings: ['chart/values.yaml:4 api.example.com'],
        forbidden: [
          'chart/values.yaml:6 nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8',
          'chart/values.yaml:8 if ($ssl_client_s_dn !~ "CN=app") { return 403; }',
        ],
        notChecked: [],
      });
    });
  }

  it('a template in a folder of templates/ (templates/ingress/ingress.yaml) is a Helm template too', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'chart/Chart.yaml': CHART,
        'chart/values.yaml': VALUES,
        'chart/templates/ingress/ingress.yaml': WITH_RANGE,
      }),
    });
    expect(report.forbidden.map((entry) => `${entry.file}:${entry.line}`)).toEqual([
      'chart/values.yaml:6',
      'chart/values.yaml:8',
    ]);
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it("a template's own literal annotations and the values it writes beside them are read (--check fails)", async () => {
    const template =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n  annotations:\n' +
      '    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n' +
      '    nginx.ingress.kubernetes.io/auth-tls-secret: default/ca\n' +
      '    nginx.ingress.kubernetes.io/denylist-source-range: 192.0.2.0/24\n' +
      '    {{- with .Values.extra.annotations }}\n    {{- toYaml . | nindent 4 }}\n    {{- end }}\nspec: {}\n';
    const report = await detectMtls({
      cwd: tempProject({
        'templates/ingress.yaml': template,
        'Chart.yaml': CHART,
        'values.yaml':
          'extra:\n  annotations:\n    nginx.ingress.kubernetes.io/server-snippet: |\n      deny 10.0.0.1;\n',
      }),
    });
    expect(report.forbidden.map((entry) => `${entry.file}:${entry.line} ${entry.evidence}`)).toEqual([
      'templates/ingress.yaml:8 nginx.ingress.kubernetes.io/denylist-source-range: 192.0.2.0/24',
      'values.yaml:4 deny 10.0.0.1;',
    ]);
    expect(report.forbiddenNotChecked).toEqual([]);
  });

  it('values-prod.yaml merged over values.yaml: its auth-tls-match-cn and auth-url count too', async () => {
    const found = await read(WITH, { 'chart/values-prod.yaml': PROD });
    expect(found.forbidden).toEqual([
      'chart/values-prod.yaml:3 nginx.ingress.kubernetes.io/auth-tls-match-cn: "CN=app"',
      'chart/values.yaml:6 nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8',
      'chart/values.yaml:8 if ($ssl_client_s_dn !~ "CN=app") { return 403; }',
    ]);
    expect(found.notChecked).toHaveLength(1);
    expect(found.notChecked[0]).toMatch(
      /^chart\/values-prod\.yaml:4 kubernetes \(auth-url http:\/\/auth\.svc\/check/,
    );
  });

  it('a values map no template writes into an Ingress is named with the reason', async () => {
    const found = await read(OWN);
    expect(found.forbidden).toEqual([]);
    expect(found.notChecked).toEqual([
      'chart/values.yaml:4 kubernetes (Helm values ingress.annotations: no template of the chart writes them into ' +
        'an Ingress with toYaml or range, so the 403s these annotations add (source ranges, snippets, ' +
        'auth-tls-match-cn) are not read: check the template that uses them by hand)',
    ]);
  });
});
