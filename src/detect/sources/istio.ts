import type { ScanFile } from '../scan-file.js';
import { nonHttpSkip } from '../left-out.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { asList, asText, dig, type YamlDocument } from '../yaml-documents.js';

/** Istio Gateway `port.protocol` values that carry no HTTP (Istio networking API `Port`): TLS is SNI routing. */
const NON_HTTP_PROTOCOLS = new Set(['TCP', 'TLS', 'MONGO']);

/**
 * An Istio server `tls.mode` that asks for a client certificate: `MUTUAL` -> required, `OPTIONAL_MUTUAL` ->
 * optional; any other value (`SIMPLE`, `ISTIO_MUTUAL`, not a string) -> undefined. Source: Istio "Gateway",
 * ServerTLSSettings.TLSmode.
 */
export function istioMode(value: unknown): DetectMode | undefined {
  if (value === 'MUTUAL') return 'required';
  if (value === 'OPTIONAL_MUTUAL') return 'optional';
  return undefined;
}

/**
 * Istio `Gateway` (networking.istio.io) servers with `tls.mode: MUTUAL` (required) or `OPTIONAL_MUTUAL`
 * (optional), with the server's `hosts` (a `namespace/` prefix dropped). A server whose `port.protocol` carries
 * no HTTP (`TLS`, `TCP`, `MONGO`: a database port) is pushed to `skipped` as not HTTP, not a finding.
 */
export function readIstio(file: ScanFile, documents: YamlDocument[], skipped: DetectSkip[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    if (asText(dig(document.data, 'kind')) !== 'Gateway') continue;
    if (!(asText(dig(document.data, 'apiVersion')) ?? '').startsWith('networking.istio.io/')) continue;
    asList(dig(document.data, 'spec', 'servers')).forEach((server, index) => {
      const mode = asText(dig(server, 'tls', 'mode'));
      const asked = istioMode(mode);
      if (!asked) return;
      const path = ['spec', 'servers', index, 'tls', 'mode'];
      const protocol = asText(dig(server, 'port', 'protocol'))
        ?.trim()
        .toUpperCase();
      if (protocol !== undefined && NON_HTTP_PROTOCOLS.has(protocol)) {
        const port = dig(server, 'port', 'number');
        const name = asText(dig(server, 'port', 'name'));
        skipped.push(
          nonHttpSkip(
            file,
            document.lineOf(path),
            `the Istio Gateway server${typeof port === 'number' ? ` on port ${port}` : ''}${name ? ` '${name}'` : ''}, protocol ${protocol}`,
          ),
        );
        return;
      }
      findings.push(
        file.finding(document.lineOf(path), 'istio', asked, 'yaml', {
          hosts: asList(dig(server, 'hosts'))
            .filter((host): host is string => typeof host === 'string')
            .map((host) => host.replace(/^[^/]*\//, ''))
            .filter((host) => host !== '*'),
          evidence: document.evidence(path),
        }),
      );
    });
  }
  return findings;
}
