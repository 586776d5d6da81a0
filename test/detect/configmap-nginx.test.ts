import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 30: nginx configuration in a Kubernetes ConfigMap (`data: { default.conf: | ... }`, mounted into the
// nginx container; Salesforce SAM's slb-envoy-nginx-configmap.yaml) was named under "Not read" ("in a form
// mtls-fix does not read"), its 403s never listed; cloud-init write_files in the same shape was read.
const CONFIG_MAP = (value: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edge\ndata:\n  mime.types: |\n    types { text/html html; }\n  default.conf: ${value}`;

const SERVER =
  '|\n    server {\n        listen 443 ssl;\n        server_name api.bank.test;\n        ssl_verify_client on;\n        location /admin { deny all; }\n        location / { proxy_pass http://app:8080; }\n    }\n';

describe('detect: nginx configuration in a Kubernetes ConfigMap', () => {
  it('a literal block is read at its lines: the finding, its host and its 403', async () => {
    const report = await detectMtls({ cwd: tempProject({ 'k8s/edge.yaml': CONFIG_MAP(SERVER) }) });
    expect(
      report.findings.map((finding) => [finding.file, finding.line, finding.mode, finding.hosts]),
    ).toEqual([['k8s/edge.yaml', 12, 'required', ['api.bank.test']]]);
    expect(report.findings[0]?.note).toContain('ConfigMap edge, key default.conf');
    expect(report.forbidden.map((entry) => [entry.line, entry.evidence])).toEqual([[13, 'deny all;']]);
    expect(report.skipped).toEqual([]);
  });

  it('a quoted value is named with its ConfigMap and key, never passed over', async () => {
    const report = await detectMtls({
      cwd: tempProject({
        'k8s/edge.yaml': CONFIG_MAP('"server { listen 443 ssl; ssl_verify_client on; }"\n'),
      }),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped.map((skip) => skip.reason)).toEqual([
      expect.stringContaining(
        'ConfigMap edge key default.conf holds ssl_verify_client in a form detect does not read',
      ),
    ]);
  });

  it('a ConfigMap whose nginx asks for no certificate gives nothing', async () => {
    const report = await detectMtls({
      cwd: tempProject({ 'k8s/edge.yaml': CONFIG_MAP(SERVER.replace('ssl_verify_client on;', '')) }),
    });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });
});
