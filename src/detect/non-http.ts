import type { ScanFile } from './scan-file.js';
import type { DetectSkip } from './types.js';

/**
 * A place that terminates mTLS for traffic that is not HTTP (a database or message-broker port behind an nginx
 * `stream` server, an HAProxy `mode tcp` frontend, an Envoy filter chain without an HTTP connection manager, an
 * Istio Gateway server of protocol `TLS` / `TCP` / `MONGO`): no HTTP status is ever sent there, so there is no
 * 403 for iOS to turn into NSURLErrorDomain -1206. It is named in the report (`skipped`, `nonHttp: true`),
 * never a finding: as one it would add its hosts to `mtls.servers`, or (naming no host) `mtls.everywhere`, and
 * make every operation of an HTTP API behind the same repository read as mTLS-secured.
 *
 * `line` is 1-based; `what` says which server and why it is not HTTP (`nginx stream server`).
 */
export function nonHttpSkip(file: ScanFile, line: number, what: string): DetectSkip {
  return {
    file: file.relative,
    nonHttp: true,
    reason:
      `line ${line}: ${what} asks for client certificates on traffic that is not HTTP: no HTTP status is sent ` +
      `there, so no 403 to check; not in the proposal`,
  };
}
