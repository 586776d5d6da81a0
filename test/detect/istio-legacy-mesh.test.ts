import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 46 (detect46 d): a service mesh's own `global.mtls` switch (Dapr's too, whose sidecars use mTLS among
 * themselves). Istio before 1.5 turned mesh-wide mTLS on with `global.mtls.enabled: true` (the istio
 * chart's values, or an IstioOperator's `spec.values.global.mtls`). That is mTLS between the mesh's sidecars: no
 * client outside the mesh is asked for a certificate (an Istio Gateway with `tls.mode: MUTUAL` does that). Before,
 * the values form read as a `helm` finding with no host, so the proposal was `mtls.everywhere: true` (every
 * operation mTLS), and the IstioOperator form gave nothing at all. Now both are "Read and left out" with their line;
 * a `global.mtls` in values that are not Istio's stays a finding.
 */

interface Scenario {
  name: string;
  files: Record<string, string>;
  leftOut: string[];
}

const ISTIO_VALUES = 'global:\n  hub: docker.io/istio\n  mtls:\n    enabled: true\n';

const LEFT_OUT: Scenario[] = [
  {
    name: 'istio chart values, hub names istio',
    files: { 'values.yaml': ISTIO_VALUES },
    leftOut: ['values.yaml:3'],
  },
  {
    name: 'values file named for istio',
    files: { 'istio-values.yaml': 'global:\n  mtls:\n    enabled: true\n' },
    leftOut: ['istio-values.yaml:2'],
  },
  {
    name: 'Istio globals (controlPlaneSecurityEnabled)',
    files: {
      'values-prod.yaml': 'global:\n  controlPlaneSecurityEnabled: true\n  mtls: { enabled: true }\n',
    },
    leftOut: ['values-prod.yaml:3'],
  },
  {
    name: 'IstioOperator spec.values.global.mtls',
    files: {
      'install/iop.yaml':
        'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: default\n  values:\n' +
        '    global:\n      mtls:\n        enabled: true\n',
    },
    leftOut: ['install/iop.yaml:7'],
  },
  {
    name: 'Argo CD Application for the istio chart (valuesObject)',
    files: {
      'apps/istio.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: istio }\nspec:\n  source:\n' +
        '    chart: istio\n    helm:\n      valuesObject:\n        global:\n          mtls:\n            enabled: true\n',
    },
    leftOut: ['apps/istio.yaml:10'],
  },
  {
    name: 'Terraform helm_release of istiod, set global.mtls.enabled',
    files: {
      'istio.tf':
        'resource "helm_release" "istiod" {\n  name  = "istiod"\n  chart = "istiod"\n  set {\n' +
        '    name  = "global.mtls.enabled"\n    value = "true"\n  }\n}\n',
    },
    leftOut: ['istio.tf:5'],
  },
  {
    name: 'Terraform helm_release of dapr (sidecar mTLS via Sentry)',
    files: {
      'dapr.tf':
        'resource "helm_release" "dapr" {\n  name  = "dapr"\n  chart = "dapr"\n' +
        '  values = [yamlencode({ global = { mtls = { enabled = true } } })]\n}\n',
    },
    leftOut: ['dapr.tf:4'],
  },
];

describe('detect: legacy Istio global.mtls is mesh mTLS, read and left out', () => {
  for (const scenario of LEFT_OUT)
    it(scenario.name, async () => {
      const report = await detectMtls({ cwd: tempProject(scenario.files) });
      expect(report.findings).toEqual([]);
      expect(report.proposal.mtls.everywhere ?? false).toBe(false);
      expect(
        report.skipped.filter((skip) => skip.leftOut).map((skip) => `${skip.file}:${skip.line}`),
      ).toEqual(scenario.leftOut);
      expect(report.skipped.filter((skip) => !skip.leftOut)).toEqual([]);
    });

  it('global.mtls.enabled: false gives nothing', async () => {
    const report = await detectMtls({
      cwd: tempProject({ 'values.yaml': ISTIO_VALUES.replace('true', 'false') }),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it('global.mtls of values that are not Istio stays a finding', async () => {
    const report = await detectMtls({
      cwd: tempProject({ 'values.yaml': 'global:\n  image: example/api\n  mtls:\n    enabled: true\n' }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.source}`)).toEqual([
      'values.yaml:4 helm',
    ]);
  });
});
