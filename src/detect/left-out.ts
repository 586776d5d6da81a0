import type { ScanFile } from './scan-file.js';
import type { DetectSkip } from './types.js';

/**
 * A place that terminates mTLS for traffic that is not HTTP (a database or message-broker port behind an nginx
 * `stream` server, an HAProxy `mode tcp` frontend, an Envoy filter chain without an HTTP connection manager, an
 * Istio Gateway server of protocol `TLS` / `TCP` / `MONGO`): no HTTP status is ever sent there, so there is no
 * 403 for iOS to turn into NSURLErrorDomain -1206. It is named in the report (`skipped`, `leftOut: true`),
 * never a finding: as one it would add its hosts to `mtls.servers`, or (naming no host) `mtls.everywhere`, and
 * make every operation of an HTTP API behind the same repository read as mTLS-secured.
 *
 * `line` is 1-based; `what` names the server (`the nginx stream server at line 4`).
 */
export function nonHttpSkip(file: ScanFile, line: number, what: string): DetectSkip {
  return {
    file: file.relative,
    line,
    leftOut: true,
    reason:
      `line ${line}: ${what} asks for client certificates on traffic that is not HTTP: no HTTP status is sent ` +
      `there, so no 403 to check; not in the proposal`,
  };
}

/**
 * A client-certificate setting that asks for no certificate as written (ingress-nginx `auth-tls-verify-client`
 * without `auth-tls-secret`: the controller's authtls parser needs the CA secret and drops the other auth-tls
 * annotations without it). Named (`leftOut: true`), not a finding: the connection is not an mTLS one.
 * `why` says what is missing and what to add.
 */
export function noCertificateSkip(file: ScanFile, line: number, why: string): DetectSkip {
  return {
    file: file.relative,
    line,
    leftOut: true,
    reason: `line ${line}: ${why}; so no client certificate is asked for there, and it is not in the proposal`,
  };
}
