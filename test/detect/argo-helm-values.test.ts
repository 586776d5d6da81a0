import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 46 (detect46 c): an Argo CD Application's `helm.valueFiles` and `helm.parameters`. Before, a values file it
 * passes that is not named `values*.yaml` was never read, one not in the tree was not named, and parameters were
 * not read: each case below read "No mTLS termination found" (`--check` exit 0). Now a listed file of the tree is
 * read as values whatever its name (at its own lines), `parameters` are read as Helm's --set, and an entry not in the
 * tree (a chart package's file, another repository's, a URL, a template) is "Not read" with the Application's line.
 */

const app = (source: string, kind = 'Application'): string =>
  `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: api-gateway\nspec:\n${source}`;

const MULTI =
  '  sources:\n    - repoURL: https://charts.example.com\n      chart: api-gateway\n      targetRevision: 1.2.3\n' +
  '      helm:\n        valueFiles:\n          - $values/envs/prod/gw.yaml\n' +
  '    - repoURL: https://git.example.com/deploy.git\n      ref: values\n';

describe('detect: Argo CD helm.valueFiles and helm.parameters', () => {
  it('multi-source $values/ file in the tree is read as values', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'apps/gw.yaml': app(MULTI),
        'envs/prod/gw.yaml': 'listener:\n  hosts: [api.bank.test]\n  mtls: true\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.source}`)).toEqual([
      'envs/prod/gw.yaml:3 helm',
    ]);
    expect(report.findings[0]?.hosts).toEqual(['api.bank.test']);
    expect(report.skipped).toEqual([]);
  });

  it('a path source: the file relative to spec.source.path', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'apps/gw.yaml': app(
          '  source:\n    repoURL: https://git.example.com/deploy.git\n    path: deploy/gw\n' +
            '    helm:\n      valueFiles:\n        - ../common/prod.yaml\n',
        ),
        'deploy/common/prod.yaml': 'proxy:\n  client-auth: want\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.mode}`)).toEqual([
      'deploy/common/prod.yaml:2 optional',
    ]);
  });

  it('ApplicationSet template source', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'apps/set.yaml': app(
          '  generators: []\n  template:\n    metadata: { name: gw }\n    spec:\n' +
            MULTI.replace(/^ {2}/gm, '      ').replace(/^ {6}sources/m, '      sources'),
          'ApplicationSet',
        ),
        'envs/prod/gw.yaml': 'gw:\n  requireClientCert: true\n',
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([
      'envs/prod/gw.yaml:2',
    ]);
  });

  it('helm.parameters are read as --set', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'apps/gw.yaml': app(
          '  source:\n    repoURL: https://charts.example.com\n    chart: api-gateway\n    helm:\n' +
            '      parameters:\n        - name: replicaCount\n          value: "2"\n' +
            '        - name: gateway.tls.clientAuth\n          value: need\n',
        ),
      }),
    });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.mode}`)).toEqual([
      'apps/gw.yaml:13 required',
    ]);
  });

  for (const [name, entry] of [
    ['a file of the chart package', 'values-prod.yaml'],
    ['another repository', '$values/envs/prod/gw.yaml'],
    ['a URL', 'https://example.com/gw-values.yaml'],
    ['a template', 'values-{{cluster}}.yaml'],
  ])
    it(`not in the tree (${name}): named with the Application's line`, async () => {
      const report = await detectMtls({
        cwd: tempProject({
          'apps/gw.yaml': app(
            '  source:\n    repoURL: https://charts.example.com\n    chart: api-gateway\n    helm:\n' +
              `      valueFiles:\n        - ${JSON.stringify(entry)}\n`,
          ),
        }),
      });
      expect(report.findings).toEqual([]);
      expect(report.skipped.map((skip) => `${skip.file}:${skip.line}`)).toEqual(['apps/gw.yaml:11']);
      expect(report.skipped[0]?.reason).toMatch(/valueFiles/);
    });

  it('an Application of a chart that is no edge, with no mTLS word: a missing file is not named', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'apps/pg.yaml': app(
          '  source:\n    repoURL: https://charts.example.com\n    chart: postgresql\n    helm:\n' +
            '      valueFiles:\n        - values-prod.yaml\n',
        ).replace('api-gateway', 'db'),
      }),
    });
    expect(report.skipped).toEqual([]);
  });
});

describe('detect CLI: Argo CD valueFiles (e2e)', () => {
  it('an entry not in the tree: "Not read", --check exits 1', async () => {
    const cwd = tempProject({ 'apps/gw.yaml': app(MULTI) });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout).not.toMatch(/No mTLS termination found in/);
    expect(run.stdout).toMatch(
      /apps\/gw\.yaml: line 12: Argo CD Application api-gateway passes Helm values file/,
    );
    expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(1);
  });
});

describe('detect: Flux HelmRelease values kept outside it (session 46)', () => {
  const release = (spec: string, chart = 'ingress-nginx'): string =>
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: edge\nspec:\n  chart:\n    spec:\n` +
    `      chart: ${chart}\n${spec}`;

  it('valuesFrom and chart.spec.valuesFiles of an edge chart are named with their lines', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'flux/edge.yaml': release(
          '      valuesFiles:\n        - values-prod.yaml\n  valuesFrom:\n    - kind: ConfigMap\n      name: edge-values\n',
        ),
      }),
    });
    expect(report.skipped.map((skip) => `${skip.file}:${skip.line}`)).toEqual([
      'flux/edge.yaml:12',
      'flux/edge.yaml:10',
    ]);
  });

  it('a release of no edge chart and no mTLS word: not named', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'flux/db.yaml': release(
          '  valuesFrom:\n    - kind: Secret\n      name: db-values\n',
          'postgresql',
        ).replace('name: edge', 'name: db'),
      }),
    });
    expect(report.skipped).toEqual([]);
  });
});
