import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { asText, dig, type YamlDocument } from '../yaml-documents.js';
import { isTerraformExpression } from '../unresolved.js';

/**
 * Google Cloud Application Load Balancer mutual TLS: a Server TLS Policy (Certificate Manager / Network Security)
 * with `mtlsPolicy.clientValidationMode`, attached to the load balancer's target HTTPS proxy. `REJECT_INVALID`:
 * the handshake fails without a valid certificate (required); `ALLOW_INVALID_OR_MISSING_CLIENT_CERT`: the load
 * balancer asks for one and passes the request on without it (optional). Source: Google Cloud docs, "Mutual TLS
 * overview" and the `networksecurity.serverTlsPolicies` REST resource (`MTLSPolicy.clientValidationMode`).
 */
export function gcpMode(value: string | undefined): DetectMode | undefined {
  if (value === 'REJECT_INVALID') return 'required';
  if (value === 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT') return 'optional';
  // Terraform modules set it from a variable (`var.mtls_policy_config.client_validation_mode`): either value asks
  // for a certificate, so an expression counts, as the weaker of the two.
  if (isTerraformExpression(value)) return 'optional';
  return undefined;
}

/** The note for a mode written as an expression (a Terraform variable): which value it takes is not known here. */
export function gcpModeNote(value: string | undefined): string {
  return isTerraformExpression(value)
    ? `; client_validation_mode is \`${value.trim()}\` (either value asks for a client certificate; REJECT_INVALID makes it required)`
    : '';
}

/** The note every Google Cloud finding carries: where its hosts are. */
export const GCP_HOSTS_NOTE =
  'Google Cloud load balancer: the hosts are those of the target HTTPS proxies using this Server TLS Policy ' +
  '(their URL map and certificates), not written here';

/**
 * Server TLS Policies in YAML: the `gcloud network-security server-tls-policies import` file (`mtlsPolicy` at the
 * top) and the Config Connector resource `NetworkSecurityServerTLSPolicy` (`spec.mtlsPolicy`).
 */
export function readGcp(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    const connector = asText(dig(document.data, 'kind')) === 'NetworkSecurityServerTLSPolicy';
    const path = connector
      ? ['spec', 'mtlsPolicy', 'clientValidationMode']
      : ['mtlsPolicy', 'clientValidationMode'];
    const mode = gcpMode(asText(dig(document.data, ...path)));
    if (!mode) continue;
    findings.push(
      file.finding(document.lineOf(path), 'gcp', mode, 'yaml', {
        evidence: document.evidence(path),
        note: GCP_HOSTS_NOTE,
      }),
    );
  }
  return findings;
}
