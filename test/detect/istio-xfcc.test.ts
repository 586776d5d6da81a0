import { describe, expect, it } from 'vitest';
import { detectCheck } from '../../src/detect/check.js';
import { detectMtls } from '../../src/detect/index.js';
import { formatDetectReport } from '../../src/detect/format.js';
import { tempProject } from '../helpers/cli.js';

// Session 31 (left open in session 30): in an Istio mesh the sidecar sets x-forwarded-client-cert on every request
// for workload-to-workload mTLS (the calling workload's SPIFFE identity), so code that reads only that header says
// nothing of a client certificate on the connection iOS makes. Before, such code was a finding for every host
// (`--check` exit 1, every operation proposed as mTLS-secured by `mtls.everywhere`) and, in Go, "Not read".
// Each scenario's findings, left-out lines, "Not read" lines and --check exit are compared whole.
async function detect(files: Record<string, string>) {
  const report = await detectMtls({ cwd: tempProject(files) });
  return {
    findings: report.findings.map((f) => `${f.file}:${f.line} ${f.source}`),
    leftOut: report.skipped.filter((s) => s.leftOut).map((s) => `${s.file}: ${s.reason.split(', which')[0]}`),
    unread: report.skipped
      .filter((s) => s.line !== undefined && !s.leftOut)
      .map((s) => `${s.file}:${s.line}`),
    everywhere: report.proposal.mtls.everywhere,
    exit: detectCheck(report).exitCode,
  };
}

const EXPRESS = `import express from 'express';\nconst app = express();\napp.get('/me', (req, res) => {\n  const xfcc = req.get('x-forwarded-client-cert');\n  if (!xfcc) return res.status(403).end();\n  res.json({ xfcc });\n});\n`;
const GO = `package main\n\nimport "net/http"\n\nfunc me(w http.ResponseWriter, r *http.Request) {\n\tid := r.Header.Get("X-Forwarded-Client-Cert")\n\tw.Write([]byte(id))\n}\n`;
const PEER_AUTH = `apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata:\n  name: default\nspec:\n  mtls:\n    mode: STRICT\n`;
const NAMESPACE = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: api\n  labels:\n    istio-injection: enabled\n`;
const MUTUAL_GATEWAY = `apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n    - port: { number: 443, name: https, protocol: HTTPS }\n      hosts: [api.bank.example]\n      tls:\n        mode: MUTUAL\n        credentialName: edge-cert\n`;
const LEFT_OUT = 'line 4: reads only x-forwarded-client-cert';

describe('detect: x-forwarded-client-cert in an Istio mesh', () => {
  it('code reading only XFCC beside a PeerAuthentication is read and left out, naming the marker; --check passes', async () => {
    const result = await detect({ 'k8s/peer.yaml': PEER_AUTH, 'src/app.ts': EXPRESS });
    expect(result).toEqual({
      findings: [],
      leftOut: [`src/app.ts: ${LEFT_OUT}`],
      unread: [],
      everywhere: false,
      exit: 0,
    });
    const report = await detectMtls({
      cwd: tempProject({ 'k8s/peer.yaml': PEER_AUTH, 'src/app.ts': EXPRESS }),
    });
    expect(report.skipped.find((s) => s.leftOut)?.line).toBe(4);
    expect(formatDetectReport(report).split('\n')[0]).toBe('No mTLS termination found in 2 files.');
    expect(report.skipped.find((s) => s.leftOut)?.reason).toContain(
      '(k8s/peer.yaml:1 `apiVersion: security.istio.io/v1beta1`)',
    );
  });

  it('Go code reading only XFCC in a namespace with sidecar injection is left out, not "Not read"', async () => {
    expect(await detect({ 'deploy/ns.yaml': NAMESPACE, 'main.go': GO })).toEqual({
      findings: [],
      leftOut: ['main.go: line 6: reads only x-forwarded-client-cert'],
      unread: [],
      everywhere: false,
      exit: 0,
    });
  });

  it('an Istio Gateway asking clients for a certificate keeps the code finding', async () => {
    expect(
      await detect({ 'k8s/peer.yaml': PEER_AUTH, 'k8s/gateway.yaml': MUTUAL_GATEWAY, 'src/app.ts': EXPRESS }),
    ).toMatchObject({ findings: ['k8s/gateway.yaml:12 istio', 'src/app.ts:4 node'], leftOut: [] });
  });

  it('no mesh, a mesh only in prose or a comment, or another certificate header: the finding stays', async () => {
    const kept = { findings: ['src/app.ts:4 node'], leftOut: [], exit: 1 };
    expect(await detect({ 'src/app.ts': EXPRESS })).toMatchObject(kept);
    expect(
      await detect({
        'README.md': 'Label the namespace `istio-injection: enabled`.\n',
        'k8s/ns.yaml': `# istio-injection: enabled\napiVersion: v1\nkind: Namespace\nmetadata: { name: api }\n`,
        'src/app.ts': EXPRESS,
      }),
    ).toMatchObject(kept);
    expect(
      await detect({
        'k8s/peer.yaml': PEER_AUTH,
        'src/app.ts': EXPRESS.replace(
          'res.json({ xfcc });',
          "res.json({ xfcc, alb: req.get('x-amzn-mtls-clientcert') });",
        ),
      }),
    ).toMatchObject(kept);
    expect(
      await detect({
        'deploy/ns.yaml': NAMESPACE,
        'main.go': GO.replace('id := ', 'c := r.TLS.PeerCertificates\n\tid := '),
      }),
    ).toMatchObject({ findings: [], leftOut: [], unread: ['main.go:6'], exit: 1 });
  });
});
