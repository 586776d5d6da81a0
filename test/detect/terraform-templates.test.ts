import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';

/**
 * Session 42 (ref42): Terraform `templatefile` templates named `x.tftpl.yaml` (gematik/DEMIS-stage-public's
 * naming) were not taken as templates, and a YAML file holding only Terraform tags (`%{ if }`, `${var}`) was not
 * re-read as one: an Istio Gateway written so, with `${host}` in a flow sequence, read "cannot parse" instead of
 * being read with its tags blanked like a `x.yaml.tftpl`.
 */
const GATEWAY = `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    istio: ingressgateway
  servers:
%{ if mtls_enabled ~}
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [\${host}]
      tls:
        mode: MUTUAL
        credentialName: \${credential}
%{ endif ~}
`;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** [file name (under terraform/templates/), why it is a Terraform template]. */
const SCENARIOS: [string, string][] = [
  ['gw.tftpl.yaml', 'templatefile naming, YAML last'],
  ['gw.tftpl.yml', 'templatefile naming, .yml last'],
  ['gw.yaml.tftpl', 'templatefile naming, .tftpl last'],
  ['gw.tpl.yaml', '.tpl before the YAML extension'],
  ['gw.yaml', 'a plain name holding only Terraform tags'],
];

describe('detect reads Terraform templates (session 42)', () => {
  it.each(SCENARIOS)('%s (%s): the Gateway is found, not "cannot parse"', async (name) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-tftpl-'));
    temps.push(cwd);
    mkdirSync(path.join(cwd, 'terraform', 'templates'), { recursive: true });
    const file = `terraform/templates/${name}`;
    writeFileSync(path.join(cwd, file), GATEWAY);
    const report = await detectMtls({ cwd });
    expect(
      report.findings.map((f) => `${f.file}:${f.line} ${f.source} ${f.mode} [${f.hosts.join(', ')}]`),
    ).toEqual([`${file}:13 istio required [\${host}]`]);
    expect(report.skipped.filter((s) => s.file === file && /cannot parse/.test(s.reason))).toEqual([]);
  });
});
