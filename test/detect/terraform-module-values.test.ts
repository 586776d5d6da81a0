import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 37 (carried over): a Terraform `kubernetes_ingress_v1` (or `kubernetes_annotations`, a `kubernetes_manifest`)
 * whose ingress-nginx client-certificate annotations are written as the module's values (`annotations =
 * local.mtls`, `merge(...)`, `{ "k" = var.v }`) in another `.tf` file of the folder (a module) was not tied to them:
 * the Ingress had no annotations, so no finding and no 403, and the file holding the values was named under "Not
 * read". Each scenario: the files, the findings as `source@file:line`, the 403s as `file:line`, the evidence (part),
 * and the files named as holding a setting nobody read.
 */
const INGRESS = (annotations: string): string =>
  'resource "kubernetes_ingress_v1" "api" {\n' +
  '  metadata {\n' +
  '    name        = "api"\n' +
  `    annotations = ${annotations}\n` +
  '  }\n' +
  '  spec {\n' +
  '    rule {\n' +
  '      host = "api.bank.example"\n' +
  '      http {\n' +
  '        path {\n' +
  '          path = "/v1"\n' +
  '          backend {\n' +
  '            service {\n' +
  '              name = kubernetes_service_v1.api.metadata[0].name\n' +
  '              port { number = 80 }\n' +
  '            }\n' +
  '          }\n' +
  '        }\n' +
  '      }\n' +
  '    }\n' +
  '  }\n' +
  '}\n';

const MTLS =
  '    "nginx.ingress.kubernetes.io/auth-tls-verify-client" = "on"\n' +
  '    "nginx.ingress.kubernetes.io/auth-tls-secret"        = "default/ca"\n';
const RANGE = '    "nginx.ingress.kubernetes.io/whitelist-source-range" = "10.0.0.0/8"\n';
const SERVICE =
  'resource "kubernetes_service_v1" "api" {\n  metadata { name = "api" }\n  spec {\n    port { port = 80 }\n  }\n}\n';

const SCENARIOS: Record<
  string,
  {
    files: Record<string, string>;
    findings: string[];
    forbidden: string[];
    evidence?: string;
    notRead: string[];
  }
> = {
  'annotations = local.x, the locals in locals.tf, the service in service.tf': {
    files: {
      'infra/ingress.tf': INGRESS('local.mtls_annotations'),
      'infra/locals.tf': `locals {\n  mtls_annotations = {\n${MTLS}${RANGE}  }\n}\n`,
      'infra/service.tf': SERVICE,
    },
    findings: ['kubernetes@infra/ingress.tf:4'],
    forbidden: ['infra/ingress.tf:4'],
    evidence: 'from local.mtls_annotations (infra/locals.tf:2)',
    notRead: [],
  },
  'annotations = var.x with a default in variables.tf: read, named as a default': {
    files: {
      'infra/ingress.tf': INGRESS('var.ingress_annotations'),
      'infra/variables.tf': `variable "ingress_annotations" {\n  type    = map(string)\n  default = {\n${MTLS}  }\n}\n`,
    },
    findings: ['kubernetes@infra/ingress.tf:4'],
    forbidden: [],
    evidence: "from var.ingress_annotations (infra/variables.tf:1) (a variable's default",
    notRead: [],
  },
  'merge(local.common, local.mtls, { literal }) across three files': {
    files: {
      'm/main.tf': INGRESS('merge(local.common, local.mtls, { "team" = "pay" })'),
      'm/common.tf': 'locals {\n  common = { "owner" = "pay" }\n}\n',
      'm/mtls.tf': `locals {\n  mtls = {\n${MTLS}${RANGE}  }\n}\n`,
    },
    findings: ['kubernetes@m/main.tf:4'],
    forbidden: ['m/main.tf:4'],
    evidence: 'from local.common (m/common.tf:2), local.mtls (m/mtls.tf:2)',
    notRead: [],
  },
  'each annotation value a reference ({ "...verify-client" = local.verify })': {
    files: {
      'ingress.tf': INGRESS(
        '{\n      "nginx.ingress.kubernetes.io/auth-tls-verify-client" = local.verify\n      "nginx.ingress.kubernetes.io/auth-tls-secret" = "default/ca"\n    }',
      ),
      'locals.tf': 'locals {\n  verify = "optional"\n}\n',
    },
    findings: ['kubernetes@ingress.tf:5'],
    forbidden: [],
    notRead: [],
  },
  'kubernetes_annotations on an Ingress, its annotations in locals.tf': {
    files: {
      'annotations.tf':
        'resource "kubernetes_annotations" "mtls" {\n  api_version = "networking.k8s.io/v1"\n  kind        = "Ingress"\n' +
        '  metadata {\n    name = "api"\n  }\n  annotations = local.mtls\n}\n',
      'locals.tf': `locals {\n  mtls = {\n${MTLS}  }\n}\n`,
    },
    findings: ['kubernetes@annotations.tf:7'],
    forbidden: [],
    notRead: [],
  },
  'a local the module cannot evaluate (a function): the values file stays named, no finding': {
    files: {
      'ingress.tf': INGRESS('local.mtls_annotations'),
      'locals.tf': `locals {\n  mtls_annotations = merge(jsondecode(file("a.json")), {\n${MTLS}  })\n}\n`,
    },
    findings: [],
    forbidden: [],
    notRead: ['locals.tf'],
  },
  'locals in another folder (another module) are not taken': {
    files: {
      'app/ingress.tf': INGRESS('local.mtls_annotations'),
      'other/locals.tf': `locals {\n  mtls_annotations = {\n${MTLS}  }\n}\n`,
    },
    findings: [],
    forbidden: [],
    notRead: ['other/locals.tf'],
  },
};

describe('detect: Terraform Kubernetes objects read the module values of other .tf files', () => {
  for (const [name, { files, findings, forbidden, evidence, notRead }] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const report = await detectMtls({ cwd: tempProject(files) });
      expect(report.findings.map((f) => `${f.source}@${f.file}:${f.line}`)).toEqual(findings);
      expect(report.forbidden.map((entry) => `${entry.file}:${entry.line}`)).toEqual(forbidden);
      if (evidence) expect(report.findings[0]?.evidence).toContain(evidence);
      expect(report.skipped.filter((skip) => skip.line !== undefined).map((skip) => skip.file)).toEqual(
        notRead,
      );
    });
  }
});
