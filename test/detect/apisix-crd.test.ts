import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 28, on apache/apisix-ingress-controller (d510f665): the ApisixTls CustomResourceDefinition (whose schema
// has `client.caSecret` properties) and config/samples' ApisixTls with `client` commented out were both named
// under "Not read" as client-certificate settings (`--check` exit 1 on a tree that asks for none), quoting the
// whole CRD.
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: apisixtlses.apisix.apache.org
spec:
  names:
    kind: ApisixTls
    plural: apisixtlses
  versions:
    - name: v2
      schema:
        openAPIV3Schema:
          properties:
            spec:
              properties:
                client:
                  properties:
                    caSecret:
                      properties:
                        name: { type: string }
`;
const COMMENTED = `apiVersion: apisix.apache.org/v2
kind: ApisixTls
metadata:
  name: sample
spec:
  hosts: [example.com]
  secret: { name: tls, namespace: default }
  # client:
  #   caSecret:
  #     name: ca
`;
const REAL = `apiVersion: apisix.apache.org/v2
kind: ApisixTls
metadata:
  name: partner
spec:
  hosts: [partner.example.com]
  secret: { name: tls, namespace: default }
  client:
    caSecret: { name: ca, namespace: default }
`;

describe('detect: ApisixTls shapes that ask for no certificate', () => {
  it.each([
    ['the CustomResourceDefinition', CRD],
    ['an ApisixTls with client commented out', COMMENTED],
  ])('%s: no finding, nothing named, --check passes', async (_name, text) => {
    const report = await detectMtls({ cwd: tempProject({ 'config/apisixtls.yaml': text }) });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it('an ApisixTls with client.caSecret: a finding on its hosts', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'config/apisixtls.yaml': REAL }) });
    expect(report.findings.map(({ line, source, hosts }) => ({ line, source, hosts }))).toEqual([
      { line: 8, source: 'apisix', hosts: ['partner.example.com'] },
    ]);
  });

  it('a Helm template of one with client.caSecret: named under "Not read" by its first line, not the whole file', async () => {
    const template = REAL.replace('partner.example.com', '{{ .Values.host }}').replace(
      'name: partner',
      'name: {{ include "x.fullname" . }}',
    );
    const report = await detectMtls({
      cwd: tempProject({ 'chart/Chart.yaml': 'name: x\n', 'chart/templates/tls.yaml': template }),
    });
    const named = [
      ...report.findings.map((finding) => `${finding.file}:${finding.line}`),
      ...report.skipped.map((skip) => skip.reason),
    ];
    expect(named.length).toBeGreaterThan(0);
    for (const skip of report.skipped) expect(skip.reason.length).toBeLessThan(400);
  });
});
