import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asText, dig, type YamlDocument } from '../yaml-documents.js';

/**
 * Istio `Gateway` (networking.istio.io) servers with `tls.mode: MUTUAL` (required) or `OPTIONAL_MUTUAL`
 * (optional), with the server's `hosts` (a `namespace/` prefix dropped).
 */
export function readIstio(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    if (asText(dig(document.data, 'kind')) !== 'Gateway') continue;
    if (!(asText(dig(document.data, 'apiVersion')) ?? '').startsWith('networking.istio.io/')) continue;
    asList(dig(document.data, 'spec', 'servers')).forEach((server, index) => {
      const mode = asText(dig(server, 'tls', 'mode'));
      if (mode !== 'MUTUAL' && mode !== 'OPTIONAL_MUTUAL') return;
      const path = ['spec', 'servers', index, 'tls', 'mode'];
      findings.push(
        file.finding(document.lineOf(path), 'istio', mode === 'MUTUAL' ? 'required' : 'optional', 'yaml', {
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
