import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 46 (detect46 b, the same kind in other tools): values given key by key or by file name outside Terraform.
 * Helmfile `releases[].set` / `setString` (Helm's --set) and Kustomize `helmCharts[].valuesFile` /
 * `additionalValuesFiles` (a file of any name). Before, each read "No mTLS termination found".
 */
describe('detect: Helmfile set and Kustomize helmCharts values files', () => {
  it('Helmfile releases[].set', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'helmfile.yaml':
          'releases:\n  - name: gw\n    chart: acme/api-gateway\n    set:\n      - name: replicaCount\n' +
          '        value: 2\n      - name: gateway.mtls.enabled\n        value: true\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.source}`)).toEqual([
      'helmfile.yaml:7 helm',
    ]);
  });

  it('Helmfile releases[].setString with a templated value: Not read with its line', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'helmfile.yaml':
          'releases:\n  - name: gw\n    chart: acme/api-gateway\n    setString:\n' +
          '      - name: proxy.verifyClient\n        value: "{{ .Values.verify }}"\n',
      }),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((skip) => `${skip.file}:${skip.line}`)).toEqual(['helmfile.yaml:5']);
  });

  it('Kustomize helmCharts valuesFile and additionalValuesFiles are read whatever their name', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'overlays/prod/kustomization.yaml':
          'helmCharts:\n  - name: api-gateway\n    repo: https://charts.example.com\n    valuesFile: gw.yaml\n' +
          '    additionalValuesFiles:\n      - tls-prod.yaml\n',
        'overlays/prod/gw.yaml': 'replicaCount: 2\n',
        'overlays/prod/tls-prod.yaml': 'gateway:\n  clientAuth: want\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.mode}`)).toEqual([
      'overlays/prod/tls-prod.yaml:2 optional',
    ]);
  });
});
