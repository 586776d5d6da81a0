import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/** A realm as Keycloak exports it, written as a Helm template (CZERTAINLY's `charts/keycloak-internal/realms`). */
function realm(clientAuth: string): string {
  return `{{- $hostName := pluck "hostName" .Values.global .Values.app | compact | first }}
{
  "realm": "bank",
  "clients": [
    {
      "clientId": "tpp",
      "rootUrl": "https://{{ required "Hostname must be provided" $hostName }}",
      "clientAuthenticatorType": "${clientAuth}",
      "secret": {{ .Values.app.clientSecret | quote }}
    }
  ],
  "authenticationFlows": [
    {
      "alias": "clients",
      "authenticationExecutions": [
        { "authenticator": "client-secret", "requirement": "ALTERNATIVE" },
        { "authenticator": "client-x509", "requirement": "ALTERNATIVE" }
      ]
    }
  ]
}
`;
}

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: keycloak\nversion: 1.0.0\n',
  'chart/templates/configmap.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: realm\ndata:\n  realm.json: |-\n    {{- tpl (.Files.Get "realms/bank.json") . | indent 4 }}\n',
};

/**
 * Session 27. On 87e166c a Keycloak realm JSON written as a Helm template (loaded with `tpl (.Files.Get ...)`, so
 * not under templates/) was "cannot parse" (unreadable: `--check` exit 2), and Keycloak's client certificate
 * settings were not looked for at all.
 */
describe('detect: Keycloak client certificate authentication', () => {
  it('a realm template holding RFC 8705 client-x509 authentication is read and named under "Not read"', async () => {
    const cwd = tempProject({ ...CHART, 'chart/realms/bank.json': realm('client-x509') });
    const report = await detectMtls({ cwd });
    expect(report.skipped).toEqual([
      {
        file: 'chart/realms/bank.json',
        line: 8,
        reason: expect.stringContaining(
          '"clientAuthenticatorType": "client-x509"`, Keycloak client certificate (X.509) authentication)',
        ) as string,
      },
    ]);
    const run = await runCliAsync(['detect', '--check'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('chart/realms/bank.json:8: an mTLS server setting detect does not read');
  });

  it('the built-in client-x509 step of every realm is not client certificate authentication: read, clean', async () => {
    const cwd = tempProject({ ...CHART, 'chart/realms/bank.json': realm('client-secret') });
    const report = await detectMtls({ cwd });
    expect(report.skipped).toEqual([]);
    const run = await runCliAsync(['detect', '--check'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it("Keycloak's HTTPS listener asking for certificates: Helm values env, keycloak.conf, a CR's additionalOptions, X.509 flows", async () => {
    const cwd = tempProject({
      'chart/Chart.yaml': CHART['chart/Chart.yaml'],
      'chart/values.yaml':
        'keycloak:\n  extraEnvVars:\n    - name: KC_HOSTNAME\n      value: sso.bank.example\n    - name: KC_HTTPS_CLIENT_AUTH\n      value: "request"\n',
      'conf/keycloak.conf': 'hostname=sso.bank.example\nhttps-client-auth=required\n',
      'k8s/keycloak.yaml':
        'apiVersion: k8s.keycloak.org/v2alpha1\nkind: Keycloak\nmetadata:\n  name: sso\nspec:\n  additionalOptions:\n    - name: https-client-auth\n      value: request\n',
      'realm/flows.json':
        '{\n  "authenticationFlows": [\n    { "alias": "x509 browser", "authenticationExecutions": [\n      { "authenticator": "auth-x509-client-username-form" }\n    ] }\n  ]\n}\n',
      'realm/off.json':
        '{ "clients": [ { "attributes": { "tls.client.certificate.bound.access.tokens": "false" } } ] }\n',
    });
    const report = await detectMtls({ cwd });
    expect(report.skipped.map((skip) => `${skip.file}:${skip.line}`)).toEqual([
      'chart/values.yaml:5',
      'conf/keycloak.conf:2',
      'k8s/keycloak.yaml:7',
      'realm/flows.json:4',
    ]);
  });
});
