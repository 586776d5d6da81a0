import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { parseXml } from '../xml-document.js';

/**
 * The 403s Apigee Edge answers itself in the API proxies on a two-way TLS virtual host (session 46): a `RaiseFault`
 * or `AssignMessage` policy setting `<StatusCode>403</StatusCode>`, and an `AccessControl` policy (its IP rules deny
 * with 403, fault `accesscontrol.IPDeniedAccess`). Apigee docs: "RaiseFault policy", "AccessControl policy",
 * "ProxyEndpoint configuration reference" (a ProxyEndpoint lists the `VirtualHost`s it serves on; none: every
 * virtual host of the environment). Read from proxy bundles in the tree (`.../apiproxy/policies/*.xml`,
 * `.../apiproxy/proxies/*.xml`), each file parsed with @xmldom/xmldom (xml-document.ts) and read by its root element.
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

/** Records a bundle file's 403 policy or ProxyEndpoint in `facts`; a file that is not well-formed XML records nothing. */
export function readApigeeBundleFile(file: ScanFile, facts: ApigeeFacts): void {
  const document = parseXml(file.text);
  if (!document) return;
  const bundle = file.relative.slice(0, file.relative.toLowerCase().lastIndexOf('apiproxy/')) || '.';
  const name = document.attribute('name') ?? path.posix.basename(file.relative, '.xml');
  const texts = (tag: string): string[] =>
    document
      .elements(tag)
      .map((element) => element.text)
      .filter((text) => text !== '');
  if (document.root === 'ProxyEndpoint') {
    const entry = facts.proxies.get(bundle) ?? { virtualHosts: [], basePaths: [] };
    entry.virtualHosts.push(...texts('VirtualHost'));
    entry.basePaths.push(...texts('BasePath'));
    facts.proxies.set(bundle, entry);
    return;
  }
  const policy = (line: number): void => {
    facts.policies.push({
      bundle,
      file: file.relative,
      line,
      evidence: file.lines.lineText(line),
      kind: document.root,
      name,
    });
  };
  if (document.root === 'RaiseFault' || document.root === 'AssignMessage') {
    const status = document.elements('StatusCode').find((element) => element.text === '403');
    if (status) policy(status.line);
  } else if (document.root === 'AccessControl') policy(document.rootLine);
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
