import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { formatDetectReport } from '../../src/detect/format.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/detect/non-http');

/**
 * Session 19 (newuser19; the session 18 leftover from jeremysolarz/mtls-in-asm-via-egress-ingress-gateway's MySQL
 * port): mTLS terminated for traffic that is not HTTP (an nginx `stream` or `mail` server, an HAProxy `mode tcp`
 * frontend, an Envoy filter chain without an HTTP connection manager, an Istio Gateway server of protocol TLS,
 * TCP or MONGO) was read as an HTTP endpoint: its hosts went into `mtls.servers` and, naming no host, it proposed
 * `mtls.everywhere: true`, making every operation of the repository's HTTP API read as mTLS-secured. No HTTP status
 * is sent there, so there is no 403 for iOS to turn into -1206: each is named as not HTTP, never a finding.
 */
describe('detect: read and left out (session 19)', () => {
  it('is named with its line and why, and only the HTTP servers beside it are findings', async () => {
    const report = await detectMtls({ cwd: FIXTURE });
    expect(
      report.findings.map(
        (finding) => `${finding.file}:${finding.line} ${finding.source} ${finding.hosts.join(',')}`,
      ),
    ).toEqual([
      'envoy/envoy.yaml:33 envoy api.bank.example',
      'haproxy/haproxy.cfg:11 haproxy api.bank.example',
      'haproxy/haproxy.cfg:19 haproxy legacy.bank.example',
      'istio/gateway.yaml:21 istio api.bank.example',
      'nginx/nginx.conf:24 nginx api.bank.example',
    ]);
    expect(
      report.skipped.filter((skip) => skip.leftOut).map((skip) => `${skip.file} ${skip.reason}`),
    ).toEqual([
      'envoy/envoy.yaml line 16: the Envoy filter chain with envoy.filters.network.tcp_proxy and no HTTP connection manager asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal',
      'envoy/kafka.json line 22: the Envoy filter chain with envoy.filters.network.kafka_broker and no HTTP connection manager asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal',
      'haproxy/haproxy.cfg line 6: HAProxy frontend postgres (mode tcp) asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal',
      "istio/gateway.yaml line 12: the Istio Gateway server on port 3306 'mysql', protocol TLS asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal",
      "istio/gateway.yaml line 15: the Istio Gateway server on port 27017 'mongo', protocol MONGO asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal",
      "istio/gateway.yaml line 18: the Istio Gateway server on port 9000 'tcp-raw', protocol TCP asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal",
      'nginx/nginx.conf line 3: the nginx stream server at line 4 asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal',
      'nginx/nginx.conf line 16: the nginx mail server at line 13 asks for client certificates on traffic that is not HTTP: no HTTP status is sent there, so no 403 to check; not in the proposal',
    ]);
    // Each carries its line as a field (`--json`), not only in its reason text (session 42 review).
    expect(report.skipped.filter((skip) => skip.leftOut).map((skip) => `${skip.file}:${skip.line}`)).toEqual([
      'envoy/envoy.yaml:16',
      'envoy/kafka.json:22',
      'haproxy/haproxy.cfg:6',
      'istio/gateway.yaml:12',
      'istio/gateway.yaml:15',
      'istio/gateway.yaml:18',
      'nginx/nginx.conf:3',
      'nginx/nginx.conf:16',
    ]);
    // No host-less TCP listener makes every operation mTLS-secured.
    expect(report.proposal.mtls.everywhere).toBe(false);
    expect(report.proposal.mtls.servers.join(' ')).not.toMatch(/db|mongo/);
    const human = formatDetectReport(report);
    expect(human).toContain(
      'Read and left out (8: no client certificate on an HTTP connection there, so no 403 for iOS):',
    );
    expect(human).not.toContain('Not read');
  });

  it('a repository whose only mTLS is not HTTP reads as clean, and says why', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURE, 'istio'), paths: ['.'] });
    expect(report.findings.map((finding) => finding.hosts.join(','))).toEqual(['api.bank.example']);
    const kafkaOnly = await detectMtls({ cwd: FIXTURE, paths: ['envoy/kafka.json'] });
    expect(kafkaOnly.findings).toEqual([]);
    const human = formatDetectReport(kafkaOnly);
    expect(human).toMatch(/^No mTLS termination found in 1 file\.\n\nRead and left out \(1:/);
  });

  // The session 18 leftover: ingress-nginx needs auth-tls-secret (the CA) to ask for a certificate; without it
  // the controller drops the other auth-tls annotations. Such an Ingress was an mTLS finding, its host proposed,
  // and (as "a finding itself") its own 403s on a host another Ingress does ask a certificate for were not read.
  it('ingress-nginx auth-tls-verify-client without auth-tls-secret: named, not a finding; its 403s on a shared mTLS host are read', async () => {
    const report = await detectMtls({ cwd: path.join(REPO_ROOT, 'test/fixtures/detect/left-out-ingress') });
    expect(report.findings.map((finding) => `${finding.line} ${finding.hosts.join(',')}`)).toEqual([
      '7 pay.bank.example',
    ]);
    expect(report.skipped.map((skip) => `${skip.leftOut === true} ${skip.reason}`)).toEqual([
      'true line 21: Ingress admin sets auth-tls-verify-client without auth-tls-secret, which ingress-nginx needs (the CA that checks the certificate): add nginx.ingress.kubernetes.io/auth-tls-secret: <namespace>/<secret> if it should be mTLS; so no client certificate is asked for there, and it is not in the proposal',
      'true line 36: Ingress public sets auth-tls-verify-client without auth-tls-secret, which ingress-nginx needs (the CA that checks the certificate): add nginx.ingress.kubernetes.io/auth-tls-secret: <namespace>/<secret> if it should be mTLS; so no client certificate is asked for there, and it is not in the proposal',
    ]);
    expect(report.skipped.map((skip) => skip.line)).toEqual([21, 36]);
    // A left-out entry's line does not make the report's first line read "not read".
    expect(formatDetectReport(report).split('\n')[0]).toMatch(/^1 place where mTLS is terminated/);
    expect(report.proposal.mtls.servers.join(' ')).not.toContain('www');
    expect(report.forbidden.map((entry) => `${entry.line} ${entry.evidence}`)).toEqual([
      '22 nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8',
    ]);
  });
});
