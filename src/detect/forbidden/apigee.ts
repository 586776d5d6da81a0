import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden } from '../types.js';

/**
 * The 403s Apigee Edge answers itself in the API proxies on a two-way TLS virtual host (session 46): a `RaiseFault`
 * or `AssignMessage` policy setting `<StatusCode>403</StatusCode>`, and an `AccessControl` policy (its IP rules deny
 * with 403, fault `accesscontrol.IPDeniedAccess`). Apigee docs: "RaiseFault policy", "AccessControl policy",
 * "ProxyEndpoint configuration reference" (a ProxyEndpoint lists the `VirtualHost`s it serves on; none: every
 * virtual host of the environment). Read from proxy bundles in the tree (`.../apiproxy/policies/*.xml`,
 * `.../apiproxy/proxies/*.xml`) by a line scan of each file's root element (no XML parser is a dependency).
 */
export interface ApigeeFacts {
  /** 403 policies, by bundle (the folder holding `apiproxy`). */
  policies: { bundle: string; file: string; line: number; evidence: string; kind: string; name: string }[];
  /** Per bundle: the virtual hosts its ProxyEndpoints name, and their base paths. */
  proxies: Map<string, { virtualHosts: string[]; basePaths: string[] }>;
  /** Virtual host findings (`file:line`) -> the virtual host's name. */
  virtualHosts: Map<string, string>;
}

/** Empty facts for one run. */
export function noApigeeFacts(): ApigeeFacts {
  return { policies: [], proxies: new Map(), virtualHosts: new Map() };
}

/** Whether a file may be part of an Apigee proxy bundle: the cheap question. */
export function isApigeeBundleFile(file: ScanFile): boolean {
  return /(?:^|\/)apiproxy\/(?:policies|proxies)\/[^/]+\.xml$/i.test(file.relative);
}

/** Records a bundle file's 403 policy or ProxyEndpoint in `facts`. */
export function readApigeeBundleFile(file: ScanFile, facts: ApigeeFacts): void {
  const text = file.text.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z]+)\b([^>]*)>/.exec(text);
  if (!root) return;
  const bundle = file.relative.slice(0, file.relative.toLowerCase().lastIndexOf('apiproxy/')) || '.';
  const name = /\bname\s*=\s*"([^"]*)"/.exec(root[2])?.[1] ?? path.posix.basename(file.relative, '.xml');
  if (root[1] === 'ProxyEndpoint') {
    const entry = facts.proxies.get(bundle) ?? { virtualHosts: [], basePaths: [] };
    for (const match of text.matchAll(/<VirtualHost>\s*([^<\s]+)\s*<\/VirtualHost>/g))
      entry.virtualHosts.push(match[1]);
    for (const match of text.matchAll(/<BasePath>\s*([^<\s]+)\s*<\/BasePath>/g))
      entry.basePaths.push(match[1]);
    facts.proxies.set(bundle, entry);
    return;
  }
  if (root[1] === 'RaiseFault' || root[1] === 'AssignMessage') {
    const status = /<StatusCode>\s*403\s*<\/StatusCode>/.exec(text);
    if (!status) return;
    const line = file.lines.lineOf(status.index);
    facts.policies.push({
      bundle,
      file: file.relative,
      line,
      evidence: file.lines.lineText(line),
      kind: root[1],
      name,
    });
  } else if (root[1] === 'AccessControl') {
    const line = file.lines.lineOf(root.index + root[0].indexOf('<'));
    facts.policies.push({
      bundle,
      file: file.relative,
      line,
      evidence: file.lines.lineText(line),
      kind: root[1],
      name,
    });
  }
}

/**
 * The 403 policies of the bundles served on each Apigee two-way TLS virtual host found (`findings` of source
 * `apigee`), each with the change that makes it answer `status`.
 */
export function apigeeForbidden(
  findings: readonly DetectFinding[],
  facts: ApigeeFacts,
  status: number,
): DetectForbidden[] {
  const out: DetectForbidden[] = [];
  const placed = new Set<string>();
  for (const finding of findings) {
    if (finding.source !== 'apigee') continue;
    const virtualHost = facts.virtualHosts.get(`${finding.file}:${finding.line}`);
    for (const policy of facts.policies) {
      const proxies = facts.proxies.get(policy.bundle) ?? { virtualHosts: [], basePaths: [] };
      const served =
        proxies.virtualHosts.length === 0 ||
        virtualHost === undefined ||
        proxies.virtualHosts.includes(virtualHost);
      const key = `${policy.file}:${policy.line}`;
      if (!served || placed.has(key)) continue;
      placed.add(key);
      out.push({
        file: policy.file,
        line: policy.line,
        source: 'apigee',
        evidence: policy.evidence,
        hosts: finding.hosts,
        paths: [...new Set(proxies.basePaths)],
        finding: { file: finding.file, line: finding.line },
        fix:
          policy.kind === 'AccessControl'
            ? `add a FaultRule to the ProxyEndpoint with <Condition>fault.name = "IPDeniedAccess"</Condition> ` +
              `running a RaiseFault that sets <StatusCode>${status}</StatusCode>`
            : `<StatusCode>${status}</StatusCode> in ${policy.kind} ${policy.name}`,
        note:
          `${policy.kind} ${policy.name} of the API proxy bundle ${policy.bundle === '.' ? '' : policy.bundle}apiproxy, served on ` +
          (proxies.virtualHosts.length === 0
            ? 'every virtual host (its ProxyEndpoint names none)'
            : `virtual host ${proxies.virtualHosts.join(', ')}`) +
          (policy.kind === 'AccessControl' ? '; its IP rules deny with 403' : ''),
      });
    }
  }
  return out;
}
