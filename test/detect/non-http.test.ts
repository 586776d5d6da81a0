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
describe('detect: mTLS for traffic that is not HTTP (session 19)', () => {
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
      report.skipped.filter((skip) => skip.nonHttp).map((skip) => `${skip.file} ${skip.reason}`),
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
    // No host-less TCP listener makes every operation mTLS-secured.
    expect(report.proposal.mtls.everywhere).toBe(false);
    expect(report.proposal.mtls.servers.join(' ')).not.toMatch(/db|mongo/);
    const human = formatDetectReport(report);
    expect(human).toContain('mTLS for traffic that is not HTTP (8: no HTTP status, so no 403; left out):');
    expect(human).not.toContain('Not read');
  });

  it('a repository whose only mTLS is not HTTP reads as clean, and says why', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURE, 'istio'), paths: ['.'] });
    expect(report.findings.map((finding) => finding.hosts.join(','))).toEqual(['api.bank.example']);
    const kafkaOnly = await detectMtls({ cwd: FIXTURE, paths: ['envoy/kafka.json'] });
    expect(kafkaOnly.findings).toEqual([]);
    const human = formatDetectReport(kafkaOnly);
    expect(human).toMatch(/^No mTLS termination found in 1 file\.\n\nmTLS for traffic that is not HTTP \(1:/);
  });
});
