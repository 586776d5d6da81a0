import type { ScanFile } from '../scan-file.js';
import { nonHttpSkip } from '../left-out.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { unique } from '../text.js';

export function isHaproxyCandidate(file: ScanFile): boolean {
  return (
    /^\s*bind\s.*\bverify\s+(required|optional)\b/m.test(file.text) &&
    !/\.(ya?ml|json|[cm]?[jt]sx?|tf|md)$/i.test(file.baseName)
  );
}

const SECTION =
  /^(frontend|listen|backend|defaults|global|peers|resolvers|userlist|program|http-errors|cache|ring)\b/;

/**
 * HAProxy `bind ... ssl ... verify required|optional` in a `frontend`/`listen` section, read by a line scan
 * (no maintained HAProxy config parser exists on npm). Hosts come from the section's ACLs on the Host
 * header or the SNI (`hdr(host)`, `hdr_dom(host)`, `req.ssl_sni`, `ssl_fc_sni`). A section in `mode tcp`
 * (written there or in the `defaults` before it) carries no HTTP: pushed to `skipped` as not HTTP.
 */
export function readHaproxy(file: ScanFile, skipped: DetectSkip[] = []): DetectFinding[] {
  const findings: DetectFinding[] = [];
  type Section = {
    name: string;
    binds: { line: number; mode: DetectMode }[];
    hosts: string[];
    proxyMode?: string;
  };
  let section: Section | undefined;
  // The `mode` of the last `defaults` section, which the proxies after it inherit unless they set their own.
  let defaultsMode: string | undefined;
  const flush = (): void => {
    if (!section) return;
    if (section.name.startsWith('defaults')) defaultsMode = section.proxyMode;
    const mode = section.proxyMode ?? defaultsMode;
    for (const bind of section.binds) {
      if (mode === 'tcp') {
        // Only a `mode tcp` written in the section or its defaults: HAProxy's built-in default is tcp too, but a
        // configuration that never says so is read as HTTP (its http-request rules would not work otherwise).
        skipped.push(nonHttpSkip(file, bind.line, `HAProxy ${section.name} (mode tcp)`));
        continue;
      }
      findings.push(
        file.finding(bind.line, 'haproxy', bind.mode, 'pattern', { hosts: unique(section.hosts) }),
      );
    }
    section = undefined;
  };
  file.text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    if (SECTION.test(line) && !/^\s/.test(raw)) {
      flush();
      section = { name: line.split(/\s+/).slice(0, 2).join(' '), binds: [], hosts: [] };
      return;
    }
    section ??= { name: 'frontend', binds: [], hosts: [] };
    const proxyMode = /^mode\s+(tcp|http)\b/.exec(line);
    if (proxyMode) section.proxyMode = proxyMode[1];
    const bind = /^bind\s.*\bverify\s+(required|optional)\b/.exec(line);
    if (bind) section.binds.push({ line: index + 1, mode: bind[1] === 'required' ? 'required' : 'optional' });
    const acl = /\b(?:hdr(?:_dom|_end)?\(host\)|req\.ssl_sni|ssl_fc_sni)(?:\s+-[a-z]+)*\s+(.+)$/.exec(line);
    if (/^(acl|use_backend|http-request|tcp-request)\b/.test(line) && acl) {
      section.hosts.push(
        ...acl[1].split(/\s+/).filter((word) => /^[a-z0-9*][a-z0-9.*-]*\.[a-z]{2,}$/i.test(word)),
      );
    }
  });
  flush();
  return findings;
}
