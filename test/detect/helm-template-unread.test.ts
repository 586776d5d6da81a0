import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { formatDetectReport } from '../../src/detect/format.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 41 (detect41): Helm chart templates that may configure mTLS never read clean.
 * - A template that is no YAML once its tags are blanked, nor once the lines holding only template actions are
 *   left out, is named under "Not read" with its kind (every Kubernetes resource detect reads), `unreadable`, and
 *   `--check` exits 2. Before: one of a Gateway whose mode the values set, an Ingress, a PeerAuthentication read
 *   "No mTLS termination found" (exit 0); one holding a literal setting was named with exit 1, and not at all when
 *   the Helm line scan had read an annotation of it.
 * - A template that is YAML only once its action lines are left out (2,881 of bitnami/charts' 3,023 templates
 *   were not YAML blanked) is read so.
 * - A client-certificate setting the chart values write (`mode: {{ .Values.x }}`, `tls: {{- toYaml .tls }}`, a
 *   TLSOption's `clientAuth` in a `range` over `.Values.tlsOptions`) is resolved against the values files: named
 *   with its line when they ask for a certificate there, read and left out when they do not. Before: "No mTLS
 *   termination found".
 * - An `{{ if }}` branch's literal setting another branch overrides (`mode: MUTUAL` / `{{ else }}` / `mode:
 *   SIMPLE`) is named. Before: "No mTLS termination found".
 */
const CHART = { 'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n' };

const ISTIO_HEAD =
  'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n' +
  '  selector:\n    istio: ingressgateway\n  servers:\n';
/** An Istio Gateway whose server's mode the values set (line 14). */
const ISTIO_MODE_FROM_VALUES =
  ISTIO_HEAD +
  '  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts:\n    - {{ .Values.host | quote }}\n' +
  '    tls:\n      credentialName: cert\n      mode: {{ .Values.gateway.tls.mode }}\n';
/** The same server, its `tls` map written from the values in a `range` (line 14). */
const ISTIO_TLS_FROM_VALUES =
  ISTIO_HEAD +
  '  {{- range .Values.servers }}\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts:\n' +
  '      {{- toYaml .hosts | nindent 6 }}\n    tls:\n      {{- toYaml .tls | nindent 6 }}\n  {{- end }}\n';
/** traefik/traefik-helm-chart's tlsoption.yaml shape: `clientAuth` from `range $name, $config := .Values.tlsOptions`. */
const TLS_OPTION_FROM_VALUES =
  '{{- range $name, $config := .Values.tlsOptions }}\napiVersion: traefik.io/v1alpha1\nkind: TLSOption\n' +
  'metadata:\n  name: {{ $name }}\n  labels:\n    {{- include "x.labels" $ | nindent 4 }}\nspec:\n' +
  '  {{- with $config.clientAuth }}\n  clientAuth:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n---\n{{- end -}}\n';

interface Case {
  name: string;
  files: Record<string, string>;
  /** The report's first line. */
  first: string;
  /** Each "Not read" / "Read and left out" entry: `file: ` and how its reason starts. */
  entries: { file: string; reason: RegExp; line?: number; unreadable?: true; leftOut?: true }[];
  /** `file:line source mode confidence`. */
  findings?: string[];
  check: 0 | 1 | 2;
}

const NOT_CLEAN_UNREAD =
  'No mTLS termination found in 1 file, but 1 file could not be read (under "Not read" below): not a clean result.';
const holds = (files: number, held = 1): string =>
  `No mTLS termination read in ${files} files, but ${held} file${held === 1 ? ' holds' : 's hold'} mTLS server settings in a form mtls-fix does not read (under "Not read" below): not a clean result.`;

const cases: Case[] = [
  {
    name: 'a broken Istio Gateway template whose mode the values set (no literal setting, no YAML signal)',
    files: {
      'templates/gateway.yaml':
        ISTIO_HEAD +
        '  {{- range .Values.hosts }}\n  - port: {number: 443, name: https, protocol: HTTPS\n    hosts: [{{ . }}]\n' +
        '    tls:\n      mode: {{ $.Values.tlsMode }}\n  {{- end }}\n',
    },
    first: NOT_CLEAN_UNREAD,
    entries: [
      {
        file: 'templates/gateway.yaml',
        reason:
          /^cannot parse \(an Istio or Gateway API Gateway\): .*; a template, not YAML once its template tags are blanked, nor once the lines holding only template actions are left out/,
        unreadable: true,
      },
    ],
    check: 2,
  },
  {
    name: 'a broken Ingress template whose annotations come from the values',
    files: {
      'templates/ingress.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations:\n' +
        '{{ toYaml .Values.ingress.annotations | indent 4 }}\nspec:\n  rules: [{host: a.example\n',
    },
    first: NOT_CLEAN_UNREAD,
    entries: [
      {
        file: 'templates/ingress.yaml',
        reason: /^cannot parse \(a Kubernetes Ingress\): /,
        unreadable: true,
      },
    ],
    check: 2,
  },
  {
    name: 'a broken Istio PeerAuthentication template',
    files: {
      'templates/peer.yaml':
        'apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata:\n  name: default\nspec:\n' +
        '  mtls:\n    mode: {{ .Values.mtlsMode }\n',
    },
    first: NOT_CLEAN_UNREAD,
    entries: [
      {
        file: 'templates/peer.yaml',
        reason: /^cannot parse \(an Istio PeerAuthentication\): /,
        unreadable: true,
      },
    ],
    check: 2,
  },
  {
    name: 'a broken Traefik TLSOption template with a literal clientAuthType',
    files: {
      'templates/tlsoption.yaml':
        'apiVersion: traefik.io/v1alpha1\nkind: TLSOption\nmetadata:\n  name: mtls\nspec:\n  clientAuth:\n' +
        '    secretNames: [{{ .Values.caSecret }}\n    clientAuthType: RequireAndVerifyClientCert\n',
    },
    first: holds(1).replace('1 files', '1 file'),
    entries: [
      {
        file: 'templates/tlsoption.yaml',
        line: 8,
        reason:
          /^a template holding an mTLS server setting at line 8 \(`clientAuthType`\) in a Traefik TLSOption, not YAML/,
        unreadable: true,
      },
    ],
    check: 2,
  },
  {
    name: 'a broken Gateway API Gateway template with frontendValidation in an {{ if }} block',
    files: {
      'templates/gw.yaml':
        'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n  listeners:\n' +
        '  - name: https\n    tls:\n      {{- if .Values.mtls }}\n      frontendValidation:\n' +
        '        caCertificateRefs: [{name: ca\n      {{- end }}\n',
    },
    first: holds(1).replace('1 files', '1 file'),
    entries: [
      {
        file: 'templates/gw.yaml',
        line: 10,
        reason:
          /^a template holding an mTLS server setting at line 10 \(`frontendValidation`\) in an Istio or Gateway API Gateway, not YAML/,
        unreadable: true,
      },
    ],
    check: 2,
  },
  {
    name: 'a broken template whose Ingress annotation the Helm line scan reads, beside an Istio Gateway it cannot',
    files: {
      'templates/all.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  annotations:\n' +
        '    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n    nginx.ingress.kubernetes.io/auth-tls-secret: ns/ca\n' +
        '  name: {{ .Release.Name }}\n---\napiVersion: networking.istio.io/v1beta1\nkind: Gateway\nspec:\n  servers:\n' +
        '  - port: {number: 443\n    hosts: [a.example]\n    tls:\n      mode: MUTUAL\n',
    },
    first: '1 place where mTLS is terminated (1 file scanned):',
    findings: ['templates/all.yaml:5 kubernetes required probably'],
    entries: [
      {
        file: 'templates/all.yaml',
        line: 16,
        reason:
          /^a template holding an mTLS server setting at line 16 \(`mode: MUTUAL`\) in an Istio or Gateway API Gateway, .*its ingress-nginx annotations are read by a line scan, nothing else of it is read/,
        unreadable: true,
      },
    ],
    check: 2,
  },
  {
    name: 'a template that is YAML only once its action lines are left out is read',
    files: {
      'templates/gateway.yaml':
        // bitnami's shape: a variable set on its own line inside a mapping is no YAML blanked in place.
        'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: gw\n' +
        '  {{- $labels := include "x.labels" . }}\n  labels:\n    app: x\nspec:\n  servers:\n' +
        '  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [api.example.com]\n    tls:\n' +
        '      credentialName: c\n      mode: MUTUAL\n',
    },
    first: '1 place where mTLS is terminated (1 file scanned):',
    findings: ['templates/gateway.yaml:14 istio required probably'],
    entries: [],
    check: 0,
  },
  {
    name: 'a Go template comment quoting a tag does not end at that tag',
    files: {
      'templates/gateway.yaml':
        '{{/*\nThe gateway: {{ include "x.gateway" . }}\n*/}}\napiVersion: networking.istio.io/v1beta1\nkind: Gateway\n' +
        'metadata:\n  name: gw\nspec:\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n' +
        '    hosts: [api.example.com]\n    tls:\n      mode: MUTUAL\n',
    },
    first: '1 place where mTLS is terminated (1 file scanned):',
    findings: ['templates/gateway.yaml:13 istio required probably'],
    entries: [],
    check: 0,
  },
  {
    name: "an Istio Gateway's mode from the values, which set MUTUAL",
    files: {
      ...CHART,
      'chart/templates/gateway.yaml': ISTIO_MODE_FROM_VALUES,
      'chart/values.yaml': 'host: api.example.com\ngateway:\n  tls:\n    mode: MUTUAL\n',
    },
    first: holds(3),
    entries: [
      {
        file: 'chart/templates/gateway.yaml',
        line: 14,
        reason:
          /^line 14: the Istio Gateway's server tls\.mode is written from the chart values \(`\{\{ \.Values\.gateway\.tls\.mode \}\}`\) and chart\/values\.yaml:4 \(`mode: MUTUAL`\) asks for a client certificate there/,
      },
    ],
    check: 1,
  },
  {
    name: "an Istio Gateway's mode from the values, which set SIMPLE: read, left out",
    files: {
      ...CHART,
      'chart/templates/gateway.yaml': ISTIO_MODE_FROM_VALUES,
      'chart/values.yaml': 'host: api.example.com\ngateway:\n  tls:\n    mode: SIMPLE\n',
    },
    first: 'No mTLS termination found in 3 files.',
    entries: [
      {
        file: 'chart/templates/gateway.yaml',
        line: 14,
        reason:
          /^line 14: the Istio Gateway's server tls\.mode is written from the chart values .* asks for none in the chart's values files/,
        leftOut: true,
      },
    ],
    check: 0,
  },
  {
    name: "an Istio Gateway's mode from the values, whose values.yaml is no YAML: not read, never 'ask for none'",
    files: {
      ...CHART,
      'chart/templates/gateway.yaml': ISTIO_MODE_FROM_VALUES,
      'chart/values.yaml': 'host: api.example.com\ngateway: {tls: {mode: MUTUAL}\n',
    },
    // Session 42 review: the values file not read is said on the first line too (before: only the template's line).
    first: holds(3).replace('does not read (', 'does not read, and 1 file could not be read ('),
    entries: [
      { file: 'chart/values.yaml', reason: /^cannot parse \(Helm chart values\): /, unreadable: true },
      {
        file: 'chart/templates/gateway.yaml',
        line: 14,
        reason:
          /^line 14: the Istio Gateway's server tls\.mode is written from the chart values .*, and the chart's values file chart\/values\.yaml \(.+\) is no YAML: whether it asks for a client certificate there is not read/,
      },
    ],
    check: 2,
  },
  {
    name: 'a values-prod.yaml beside values.yaml asking for MUTUAL counts too',
    files: {
      ...CHART,
      'chart/templates/gateway.yaml': ISTIO_MODE_FROM_VALUES,
      'chart/values.yaml': 'host: api.example.com\ngateway:\n  tls:\n    mode: SIMPLE\n',
      'chart/values-prod.yaml': 'gateway:\n  tls:\n    mode: OPTIONAL_MUTUAL\n',
    },
    first: holds(4),
    entries: [
      {
        file: 'chart/templates/gateway.yaml',
        line: 14,
        reason:
          /and chart\/values-prod\.yaml:3 \(`mode: OPTIONAL_MUTUAL`\) asks for a client certificate there/,
      },
    ],
    check: 1,
  },
  {
    name: "an Istio server's tls map written by toYaml in a range over the values",
    files: {
      ...CHART,
      'chart/templates/gateway.yaml': ISTIO_TLS_FROM_VALUES,
      'chart/values.yaml':
        'servers:\n  - hosts: [api.example.com]\n    tls:\n      mode: MUTUAL\n      credentialName: c\n',
    },
    first: holds(3),
    entries: [
      {
        file: 'chart/templates/gateway.yaml',
        line: 14,
        reason:
          /^line 14: the Istio Gateway's server tls is written from the chart values \(`\{\{- toYaml \.tls \| nindent 6 \}\}`\) and chart\/values\.yaml:4 \(`mode: MUTUAL`\)/,
      },
    ],
    check: 1,
  },
  {
    name: "a Traefik TLSOption's clientAuth from a range over .Values.tlsOptions that asks",
    files: {
      ...CHART,
      'chart/templates/tlsoption.yaml': TLS_OPTION_FROM_VALUES,
      'chart/values.yaml':
        'tlsOptions:\n  mtls:\n    clientAuth:\n      secretNames: [ca]\n      clientAuthType: RequireAndVerifyClientCert\n',
    },
    first: holds(3, 2),
    entries: [
      { file: 'chart/values.yaml', line: 5, reason: /^holds an mTLS server setting at line 5/ },
      {
        file: 'chart/templates/tlsoption.yaml',
        line: 11,
        reason:
          /^line 11: the Traefik TLSOption's clientAuth is written from the chart values .* chart\/values\.yaml:5 \(`clientAuthType: RequireAndVerifyClientCert`\)/,
      },
    ],
    check: 1,
  },
  {
    name: "the same TLSOption with the chart's default tlsOptions: {} (traefik's): read, left out",
    files: {
      ...CHART,
      'chart/templates/tlsoption.yaml': TLS_OPTION_FROM_VALUES,
      'chart/values.yaml': 'tlsOptions: {}\n',
    },
    first: 'No mTLS termination found in 3 files.',
    entries: [
      {
        file: 'chart/templates/tlsoption.yaml',
        line: 11,
        reason: /^line 11: .* renders nothing with the chart's values \(`\.Values\.tlsOptions` is empty\)/,
        leftOut: true,
      },
    ],
    check: 0,
  },
  {
    name: 'Gateway API listeners written whole from the values, one with frontendValidation',
    files: {
      ...CHART,
      'chart/templates/gateway.yaml':
        'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n' +
        '  gatewayClassName: eg\n  listeners:\n    {{- toYaml .Values.listeners | nindent 4 }}\n',
      'chart/values.yaml':
        'listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls:\n      frontendValidation:\n' +
        '        caCertificateRefs: [{name: ca, kind: ConfigMap}]\n',
    },
    first: holds(3),
    entries: [
      {
        file: 'chart/templates/gateway.yaml',
        line: 8,
        reason:
          /^line 8: the Gateway API Gateway's listeners is written from the chart values .* chart\/values\.yaml:6 \(`frontendValidation:`\)/,
      },
    ],
    check: 1,
  },
  {
    // startechnica/apps charts/istio-gateway: `apiVersion: {{ include "...networkingGatewayGateway.apiVersion" $ }}`.
    name: 'Gateway API listeners from the values under an apiVersion a helper writes (session 42 review)',
    files: {
      ...CHART,
      'chart/templates/gateway.yaml':
        'apiVersion: {{ include "x.gateway.apiVersion" . }}\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n' +
        '  gatewayClassName: eg\n  listeners:\n    {{- toYaml .Values.listeners | nindent 4 }}\n',
      'chart/values.yaml':
        'listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls:\n      frontendValidation:\n' +
        '        caCertificateRefs: [{name: ca, kind: ConfigMap}]\n',
    },
    first: holds(3),
    entries: [
      {
        file: 'chart/templates/gateway.yaml',
        line: 8,
        reason:
          /^line 8: the Gateway API Gateway's listeners is written from the chart values .* chart\/values\.yaml:6 \(`frontendValidation:`\)/,
      },
    ],
    check: 1,
  },
  {
    name: "an Istio Gateway's mode from the values under an apiVersion the values write (session 42 review)",
    files: {
      ...CHART,
      'chart/templates/gateway.yaml': ISTIO_MODE_FROM_VALUES.replace(
        'networking.istio.io/v1beta1',
        '{{ .Values.istioApiVersion }}',
      ),
      'chart/values.yaml':
        'istioApiVersion: networking.istio.io/v1\nhost: api.example.com\ngateway:\n  tls:\n    mode: MUTUAL\n',
    },
    first: holds(3),
    entries: [
      {
        file: 'chart/templates/gateway.yaml',
        line: 14,
        reason:
          /^line 14: the Istio Gateway's server tls\.mode is written from the chart values .* chart\/values\.yaml:5 \(`mode: MUTUAL`\) asks for a client certificate there/,
      },
    ],
    check: 1,
  },
  {
    name: 'a KongPlugin whose plugin the values name mtls-auth',
    files: {
      ...CHART,
      'chart/templates/plugin.yaml':
        'apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata:\n  name: auth\nplugin: {{ .Values.authPlugin }}\n',
      'chart/values.yaml': 'authPlugin: mtls-auth\n',
    },
    first: holds(3),
    entries: [
      {
        file: 'chart/templates/plugin.yaml',
        line: 5,
        reason:
          /^line 5: the Kong plugin's plugin is written from the chart values .* chart\/values\.yaml:1 \(`authPlugin: mtls-auth`\)/,
      },
    ],
    check: 1,
  },
  {
    name: 'an {{ if }} branch asking for MUTUAL that the {{ else }} branch overrides',
    files: {
      'templates/gateway.yaml':
        'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  servers:\n' +
        '  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [api.example.com]\n    tls:\n' +
        '      credentialName: c\n      {{- if .Values.mtls }}\n      mode: MUTUAL\n      {{- else }}\n' +
        '      mode: SIMPLE\n      {{- end }}\n',
    },
    first: holds(1).replace('1 files', '1 file'),
    entries: [
      {
        file: 'templates/gateway.yaml',
        line: 12,
        reason:
          /^a template holding an mTLS server setting at line 12 \(`mode: MUTUAL`\) that reading it with its template tags blanked did not give/,
      },
    ],
    check: 1,
  },
  {
    name: 'a Terraform templatefile (.yaml.tpl) Istio Gateway whose mode is ${tls_mode}: no values to follow, named',
    files: {
      'deploy/istio.yaml.tpl':
        'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  servers:\n' +
        '  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [${host}]\n    tls:\n      mode: ${tls_mode}\n',
    },
    first: holds(1).replace('1 files', '1 file'),
    entries: [
      {
        file: 'deploy/istio.yaml.tpl',
        line: 10,
        reason:
          /^line 10: the Istio Gateway's server tls\.mode is filled in when the template is rendered \(`\$\{tls_mode\}`\): unknown here/,
      },
    ],
    check: 1,
  },
  {
    name: 'a Jinja (.yaml.j2) Istio Gateway whose mode is {{ gateway_mode }}',
    files: {
      'gateway.yaml.j2':
        'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nspec:\n  servers:\n' +
        '  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [a.example]\n    tls:\n' +
        '      mode: {{ gateway_mode }}\n',
    },
    first: holds(1).replace('1 files', '1 file'),
    entries: [
      {
        file: 'gateway.yaml.j2',
        line: 8,
        reason: /^line 8: the Istio Gateway's server tls\.mode is filled in when the template is rendered/,
      },
    ],
    check: 1,
  },
  {
    name: 'a broken .yaml.tmpl Ingress with no setting (not Helm) is named too',
    files: {
      'deploy/ingress.yaml.tmpl':
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ name }}\nspec:\n  rules: [{host: a\n',
    },
    first: NOT_CLEAN_UNREAD,
    entries: [
      {
        file: 'deploy/ingress.yaml.tmpl',
        reason: /^cannot parse \(a Kubernetes Ingress\): /,
        unreadable: true,
      },
    ],
    check: 2,
  },
];

describe('detect: a Helm template that may configure mTLS never reads clean (session 41)', () => {
  for (const { name, files, first, entries, findings, check } of cases) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(formatDetectReport(report).split('\n')[0]).toBe(first);
      expect(
        report.findings.map(
          (finding) =>
            `${finding.file}:${finding.line} ${finding.source} ${finding.mode} ${finding.confidence}`,
        ),
      ).toEqual(findings ?? []);
      expect(report.skipped).toHaveLength(entries.length);
      for (const entry of entries) {
        const skip = report.skipped.find(
          (candidate) => candidate.file === entry.file && entry.reason.test(candidate.reason),
        );
        expect(
          skip,
          `${entry.file}: ${String(entry.reason)} in ${JSON.stringify(report.skipped)}`,
        ).toBeDefined();
        expect(skip?.line).toBe(entry.line);
        expect(skip?.unreadable).toBe(entry.unreadable);
        expect(skip?.leftOut).toBe(entry.leftOut);
      }
      expect(detectCheck(report).exitCode).toBe(check);
    });
  }

  it('end to end: the broken Gateway template is named, --json marks it unreadable, --check exits 2', async () => {
    const cwd = tempProject({ 'templates/gateway.yaml': cases[0].files['templates/gateway.yaml'] });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout.split('\n')[0]).toBe(NOT_CLEAN_UNREAD);
    expect(run.stdout).toContain(
      '  templates/gateway.yaml: cannot parse (an Istio or Gateway API Gateway): ',
    );
    const json = JSON.parse((await runCliAsync(['detect', '--json'], { cwd })).stdout) as {
      skipped: { file: string; unreadable?: boolean }[];
    };
    expect(json.skipped).toEqual([
      expect.objectContaining({ file: 'templates/gateway.yaml', unreadable: true }),
    ]);
    expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(2);
  });
});
