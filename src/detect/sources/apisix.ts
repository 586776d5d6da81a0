import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from '../forbidden/result.js';
import { objectsOf, parsedConfig } from './walk-data.js';

/**
 * Apache APISIX mTLS between client and APISIX: an SSL object (standalone `apisix.yaml` `ssls`, Admin API JSON,
 * ADC) whose `client.ca` is set makes APISIX ask the SNIs it serves (`snis` / `sni`) for a client certificate
 * and refuse the handshake without a valid one (`client.skip_mtls_uri_regex` exempts paths); an `ApisixTls`
 * resource of the ingress controller does the same with `spec.client.caSecret` for `spec.hosts`. Plugins on the
 * routes answer 403 themselves: `ip-restriction` (`response_code`, 403 or 404), `consumer-restriction` and
 * `uri-blocker` (`rejected_code`, default 403), `ua-restriction`, `referer-restriction`, `authz-casbin`,
 * `authz-keycloak`, `opa` (403). Sources: apisix.apache.org docs "Mutual TLS Authentication", the SSL object
 * and each plugin's attribute table. Session 27 (breaker27 #13): before, "No mTLS termination found".
 */
export function isApisixCandidate(file: ScanFile): boolean {
  return (
    /\.(?:ya?ml|json)$/i.test(file.baseName) &&
    (/\bApisixTls\b/.test(file.text) ||
      (/\bsnis?\b/.test(file.text) && /["']?client["']?\s*:/.test(file.text)))
  );
}

/** The plugins that answer 403 themselves, with the attribute that sets the status (if any) and the fix. */
const PLUGINS: Record<string, { key?: string; fix: (status: number) => string }> = {
  'ip-restriction': {
    key: 'response_code',
    fix: () =>
      'ip-restriction answers 403 (`response_code` takes only 403 or 404): answer 404 (`response_code: 404`), or keep the IP check off the mTLS host',
  },
  'consumer-restriction': { key: 'rejected_code', fix: (status) => `rejected_code: ${status}` },
  'uri-blocker': { key: 'rejected_code', fix: (status) => `rejected_code: ${status}` },
  'ua-restriction': {
    fix: () => 'ua-restriction answers 403 (no status attribute): keep it off the mTLS host',
  },
  'referer-restriction': {
    fix: () => 'referer-restriction answers 403 (no status attribute): keep it off the mTLS host',
  },
  'authz-casbin': {
    fix: (status) =>
      `authz-casbin answers 403: deny with ${status} in front of it, or keep it off the mTLS host`,
  },
  'authz-keycloak': {
    fix: (status) => `authz-keycloak answers 403 on a denied permission: map it to ${status}`,
  },
  opa: { fix: (status) => `opa answers 403 by default: have the policy return status ${status}` },
};

/** The mTLS findings of an APISIX file: one per SSL object with a client CA (or ApisixTls with caSecret). */
export async function readApisix(file: ScanFile): Promise<DetectFinding[]> {
  const findings: DetectFinding[] = [];
  for (const document of await parsedConfig(file)) {
    for (const { node, path } of objectsOf(document.data)) {
      const client = node.client;
      if (client === null || typeof client !== 'object' || Array.isArray(client)) continue;
      const settings = client as Record<string, unknown>;
      const crd = typeof settings.caSecret === 'object' && settings.caSecret !== null;
      if (!crd && typeof settings.ca !== 'string') continue;
      const hostList = crd
        ? node.hosts
        : (node.snis ?? (typeof node.sni === 'string' ? [node.sni] : undefined));
      if (!Array.isArray(hostList) && !crd && !('cert' in node)) continue;
      const hosts = (Array.isArray(hostList) ? hostList : []).filter(
        (host): host is string => typeof host === 'string',
      );
      const skip = settings.skip_mtls_uri_regex;
      findings.push(
        file.finding(document.line([...path, 'client']), 'apisix', 'required', 'yaml', {
          hosts,
          evidence: crd ? 'client.caSecret' : 'client.ca',
          note:
            (crd
              ? 'ApisixTls: APISIX asks these hosts for a client certificate'
              : 'APISIX SSL object with client.ca') +
            (Array.isArray(skip) ? `; skip_mtls_uri_regex exempts ${skip.map(String).join(', ')}` : ''),
        }),
      );
    }
  }
  return findings;
}

/**
 * The 403 plugins of the routes, services, plugin configs and global rules in the same file, on the hosts of the
 * findings (a route without a host serves every SNI, the mTLS ones included). A file with findings and no route
 * lists them as not checked (the routes are elsewhere: Admin API calls, ApisixRoute resources).
 */
export async function apisixForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
): Promise<ForbiddenResult> {
  const result = noForbidden();
  let routes = 0;
  for (const document of await parsedConfig(file)) {
    for (const { node, path } of objectsOf(document.data)) {
      const plugins = node.plugins;
      if (plugins === null || typeof plugins !== 'object' || Array.isArray(plugins)) continue;
      routes++;
      const routeHosts = [
        ...(Array.isArray(node.hosts) ? (node.hosts as unknown[]) : []),
        ...(typeof node.host === 'string' ? [node.host] : []),
      ].filter((host): host is string => typeof host === 'string');
      const finding = findings.find(
        (candidate) =>
          routeHosts.length === 0 ||
          candidate.hosts.length === 0 ||
          candidate.hosts.some((host) => routeHosts.includes(host)),
      );
      if (!finding) continue;
      for (const [name, config] of Object.entries(plugins as Record<string, unknown>)) {
        const plugin = PLUGINS[name];
        if (!plugin) continue;
        const settings = (config ?? {}) as Record<string, unknown>;
        if (settings._meta !== undefined && (settings._meta as Record<string, unknown>).disable === true)
          continue;
        const code = plugin.key ? settings[plugin.key] : undefined;
        if (code !== undefined && Number(code) !== 403) continue;
        const uris = [
          ...(Array.isArray(node.uris) ? (node.uris as unknown[]) : []),
          ...(typeof node.uri === 'string' ? [node.uri] : []),
        ].map(String);
        result.forbidden.push(
          forbiddenUnder(finding, {
            line: document.line([...path, 'plugins', name]),
            source: 'apisix',
            evidence: `${name} (answers 403)`,
            paths: uris,
            fix: plugin.fix(status),
            hosts: routeHosts.length ? routeHosts : finding.hosts,
            ...(routeHosts.length === 0
              ? { note: 'the route names no host: it serves every SNI, the mTLS ones included' }
              : {}),
          }),
        );
      }
    }
  }
  if (routes === 0)
    for (const finding of findings)
      result.notChecked.push(
        `${finding.file}:${finding.line} apisix (no route in this file: the 403 plugins of its routes, Admin API calls or ApisixRoute resources elsewhere, are not checked)`,
      );
  return result;
}
