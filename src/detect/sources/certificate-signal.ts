import type { DetectFinding } from '../types.js';

/**
 * Quick test before parsing: application code that may read a client certificate (see
 * `readCertificateReads` in certificate-reads.ts). Case-insensitive: header names are written in any case.
 */
export const CERTIFICATE_READ_SIGNAL =
  /tlsClientAuth|getPeerCertificate|\.authorized\b|clientCert|client-cert|clientcert|ssl-client-|ssl_client_|qwac-certificate/i;

/**
 * Request headers through which a proxy or edge in front of the app hands it the client certificate it asked
 * for, or its verdict (lower-case):
 * - AWS ALB mutual authentication (verify and passthrough modes): `x-amzn-mtls-clientcert`,
 *   `x-amzn-mtls-clientcert-serial-number`, `-issuer`, `-subject`, `-validity`, `-leaf` (ALB docs, "Mutual
 *   authentication with TLS": HTTP headers);
 * - Envoy / Istio `x-forwarded-client-cert` (Envoy docs, "HTTP header manipulation");
 * - nginx / HAProxy recipes forwarding `$ssl_client_verify` / `$ssl_client_cert` (`ssl-client-verify`,
 *   `x-ssl-client-verify`, `x-ssl-client-cert`, `x-ssl-client-dn`, `x-client-cert`, `x-client-verify`);
 * - RFC 9440 `client-cert` / `client-cert-chain`;
 * - Azure App Service / API Management `x-arr-clientcert` (Microsoft Learn, "Configure TLS mutual authentication
 *   for Azure App Service");
 * - Cloudflare client certificate forwarding `cf-client-cert-der-base64`, `cf-client-cert-sha256` (Cloudflare docs,
 *   "Enable mTLS": forward a client certificate), read by a Worker or the origin behind it;
 * - adorsys XS2A (Berlin Group NextGenPSD2) `tpp-qwac-certificate`: the TPP's eIDAS QWAC, which the TLS terminator
 *   in front of it asks for and forwards (since session 32; before, adorsys/xs2a read "No mTLS termination found").
 */
export const CERTIFICATE_HEADER =
  /^(?:cf-client-cert-(?:der-base64|sha256)|x-amzn-mtls-clientcert(?:-[a-z-]+)?|x-forwarded-client-cert|x-arr-clientcert|(?:x-)?ssl-client-(?:verify|cert|s-dn|i-dn|dn|fingerprint|serial)|x-client-(?:cert|verify)|client-cert(?:-chain)?|tpp-qwac-certificate)$/i;

/**
 * The findings made from code that reads a client certificate (certificate-reads.ts): their 403s are the
 * application's own, listed as not checked with that reason. Kept apart from the reader so that the scan can test
 * {@link CERTIFICATE_READ_SIGNAL} without loading the TypeScript parser.
 */
export const CERTIFICATE_READS = new WeakSet<DetectFinding>();

/**
 * The findings of code whose only client-certificate read is `x-forwarded-client-cert` (Envoy / Istio XFCC): in an
 * Istio mesh the sidecar sets it for workload-to-workload mTLS, so detect leaves them out there (istio-mesh.ts).
 */
export const XFCC_ONLY_READS = new WeakSet<DetectFinding>();

/** Why a finding of code that reads a client certificate is under "403s not checked". */
export const CERTIFICATE_READ_NOT_CHECKED =
  'application code that reads a client certificate: its own 403s are for mtls-fix migrate';
