import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';

export function isCaddyCandidate(file: ScanFile): boolean {
  return /caddyfile|\.caddy$/i.test(file.baseName) && /\bclient_auth\b/.test(file.text);
}

/**
 * Caddyfile `tls { client_auth { mode ... } }`, read by a line scan (the Caddyfile adapter is Go, inside
 * caddy itself). The site block's addresses are the hosts. Modes: `request`, `verify_if_given` ->
 * optional; `require`, `require_and_verify` (the default once trusted CAs are given) -> required.
 */
export function readCaddy(file: ScanFile): DetectFinding[] {
  const findings: DetectFinding[] = [];
  let depth = 0;
  let site: string[] = [];
  let clientAuth: { line: number; mode: DetectMode; evidence: string; depth: number } | undefined;
  const lines = file.text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    if (depth === 0 && line.endsWith('{')) {
      site = line
        .slice(0, -1)
        .split(/[\s,]+/)
        .filter(Boolean)
        .filter((address) => !address.startsWith('(') && address !== '')
        .map((address) =>
          address
            .replace(/^https?:\/\//, '')
            .replace(/:\d+$/, '')
            .replace(/\/.*$/, ''),
        );
    }
    if (/^client_auth\b/.test(line)) {
      clientAuth = { line: index + 1, mode: 'required', evidence: line, depth };
    } else if (clientAuth && /^mode\s+/.test(line)) {
      const mode = line.split(/\s+/)[1];
      clientAuth.mode = mode === 'request' || mode === 'verify_if_given' ? 'optional' : 'required';
      clientAuth.evidence = `client_auth { ${line} }`;
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (clientAuth && depth <= clientAuth.depth) {
      findings.push(
        file.finding(clientAuth.line, 'caddy', clientAuth.mode, 'pattern', {
          hosts: site.filter((address) => address !== '' && !/^:\d+$/.test(address)),
          evidence: clientAuth.evidence,
        }),
      );
      clientAuth = undefined;
    }
    if (depth === 0) site = [];
  });
  return findings;
}
