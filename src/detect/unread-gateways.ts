import type { ScanFile } from './scan-file.js';
import { APIGEE_CLIENT_AUTH, readApigee } from './sources/apigee.js';

/**
 * Client-certificate settings of gateways and edges detect does not read (session 27, breaker27 #13), kept apart
 * from src/detect/unread.ts's MARKERS: a file holding one that gave no finding is named under "Not read", never
 * passed as "No mTLS termination found". Apigee (Edge / hybrid / X): `SSLInfo` `ClientAuthEnabled` that
 * src/detect/sources/apigee.ts could not place in a virtual host or a target (XML, or `clientAuthEnabled` in the
 * management API's JSON); Cloudflare forms
 * the Cloudflare reader does not read (a client CA upload `cloudflare_mtls_certificate` with `ca = true`,
 * `cf.tls_client_auth` in code or in a rule it could not parse, hostname mTLS settings); APISIX SSL client
 * verification outside YAML/JSON it reads (`client.ca` in Lua or an `ApisixTls` template); F5 BIG-IP client-SSL
 * profiles asking for a certificate (`peer-cert-mode require|request`); Fastly `tls.client.certificate.*` in VCL;
 * Emissary / Ambassador `TLSContext` `cert_required: true`; KrakenD `enable_mtls`.
 */
export const GATEWAY_MARKERS: {
  kind: string;
  pattern: RegExp;
  also?: RegExp;
  unless?: (file: ScanFile) => boolean;
}[] = [
  {
    kind: 'Apigee SSLInfo client authentication',
    pattern: APIGEE_CLIENT_AUTH,
    // Read by src/detect/sources/apigee.ts (session 46) when every setting is in a virtual host or a target.
    unless: (file) => /\.(?:xml|json)$/i.test(file.baseName) && readApigee(file)?.placed === true,
  },
  {
    kind: 'Cloudflare client certificates (mTLS)',
    pattern:
      /\bcf\.tls_client_auth\.cert_(?:verified|presented|revoked)\b|\bcloudflare_mtls_certificate\b[\s\S]{0,400}?\bca\s*=\s*true\b|\bcloudflare_(?:zero_trust_)?access_(?:mutual_tls|mtls)_(?:certificate|hostname_settings)\b|\bclient_certificate_forwarding\s*=\s*true\b/,
  },
  {
    kind: 'Apache APISIX SSL client verification',
    // `caSecret:` as a key of its own line (a commented-out `# caSecret:` is no setting); YAML / JSON that parses
    // was read by the APISIX reader (an `ApisixTls` without `spec.client`, the CustomResourceDefinition's schema:
    // nothing asks for a certificate), so only templates and Lua are named (session 28, on
    // apache/apisix-ingress-controller: the CRD and a sample with `client` commented out were "Not read").
    pattern: /\bkind:\s*ApisixTls\b[\s\S]*^[ \t]*caSecret[ \t]*:|\bclient\s*=\s*\{[^}]*\bca\s*=/m,
    unless: (file) => {
      if (!/\.(?:ya?ml|json)$/i.test(file.baseName) || file.written !== undefined) return false;
      try {
        file.yamlDocuments();
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    kind: 'F5 BIG-IP client SSL profile asking for a certificate',
    pattern:
      /\bpeer-cert-mode\s+(?:require|request)\b|["']peerCertMode["']\s*:\s*["'](?:require|request)["']/,
  },
  {
    kind: 'Fastly VCL client certificate check',
    pattern: /\btls\.client\.certificate\.(?:is_verified|is_cert_missing)\b/,
  },
  {
    kind: 'Emissary-ingress / Ambassador TLSContext',
    pattern: /\bcert_required["']?\s*:\s*["']?true\b/,
    also: /\bTLSContext\b|getambassador/,
  },
  {
    kind: 'KrakenD mTLS',
    pattern: /["']enable_mtls["']\s*:\s*true\b/,
    // Only in a KrakenD configuration (its schema, its `endpoints`, a KRAKEND_ variable): Eclipse Zenoh's TLS link
    // settings spell `enable_mtls` too, and Zenoh is no HTTP server (session 28).
    also: /krakend|["']endpoints["']\s*:/i,
  },
];
