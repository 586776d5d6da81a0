import type { DetectFinding, DetectProposal } from './types.js';
import { escapeRegExp } from '../util/regexp.js';

/**
 * Placeholders a config or template leaves for a value known at deploy time: `${x}`, `{{ x }}`, `$(x)`, `#{x}`,
 * `$X`, and the tokens a `sed` / `envsubst`-less pipeline replaces: an upper-case name with underscores
 * (`MTLS_FQDN_PLACEHOLDER`, SecureApiGateway's kustomize Ingress; `_` is no character of a host name, RFC 1123),
 * `__HOST__`, `@HOST@`, `%HOST%` (since session 32; before, `MTLS_FQDN_PLACEHOLDER` became a host regex matching
 * no document).
 */
const PLACEHOLDER =
  /\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\)|#\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|__[A-Za-z0-9_]+__|@[A-Za-z0-9_]+@|%[A-Za-z0-9_]+%/g;

/**
 * A regex on server URLs for one host as written: `*.` and placeholders (`${var.domain}`, `{{ .Values.host }}`)
 * match one or more labels. Undefined when nothing concrete is left (`${DomainName}`, `_`, a regex name).
 */
export function hostPattern(host: string): string | undefined {
  const trimmed = host.trim().replace(/^\*\./, '\uE000.').replace(/\.$/, '');
  if (trimmed === '' || trimmed.startsWith('~') || trimmed === '_' || trimmed === '*') return undefined;
  const parts = trimmed.split(PLACEHOLDER);
  const concrete = parts
    .join('')
    .replace(/\uE000/g, '')
    .replace(/[.*-]/g, '');
  if (concrete.length < 3 || !/[a-z]/i.test(concrete)) return undefined;
  const escape = (text: string): string => escapeRegExp(text).replace(/\uE000/g, '[^./]+');
  const body = parts.map(escape).join('[^/]+');
  return `^(?:https?:)?//${body}(?::\\d+)?(?:[/?#]|$)`;
}

/** A host written only as placeholders (`${NGINX_HOST}`, `{{ .Values.host }}`), not `_`, `*` or a regex name. */
function isDeployTimeHost(host: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(host) && !host.trim().startsWith('~');
}

/**
 * A host name that matches every host: `*` / `*.*` (Apache `ServerAlias`, wildcards of `fnmatch`), an nginx regex
 * name such as `~.*`, `~^.*$`, `~.+` (https://nginx.org/en/docs/http/server_names.html).
 */
export function isCatchAllHost(host: string): boolean {
  const trimmed = host.trim();
  return /^\*(?:\.\*)*$/.test(trimmed) || /^~\s*\^?(?:\.\*|\.\+|\(\.\*\)|\(\.\+\))\$?$/.test(trimmed);
}

export interface ProposalResult {
  proposal: DetectProposal;
  reasons: string[];
  /** pattern -> the hosts it came from */
  patterns: Map<string, string[]>;
}

/**
 * The config that makes the OpenAPI model see what the findings cover: one `mtls.servers` regex per
 * concrete host; `mtls.everywhere` when a finding covers every host it serves (app-server code, a
 * server block without names, an ALB listener) or only hosts known at deploy time.
 * The TLS handshake is per connection: a certificate asked for on a host is presented on every path of
 * it, so paths narrow nothing here (they are listed in the findings).
 */
export function buildProposal(findings: readonly DetectFinding[]): ProposalResult {
  const patterns = new Map<string, string[]>();
  const reasons: string[] = [];
  let everywhere = false;
  for (const finding of findings) {
    const built = finding.hosts.map((host) => [host, hostPattern(host)] as const);
    for (const [host, pattern] of built) {
      if (pattern)
        patterns.set(
          pattern,
          [...(patterns.get(pattern) ?? []), host].filter((v, i, a) => a.indexOf(v) === i),
        );
    }
    const usable = built.filter(([, pattern]) => pattern).length;
    // A name that matches every host (Apache `ServerAlias *`, an nginx regex `~.*`) beside written ones: the
    // certificate is asked for on whatever name a client uses, so no list of names covers it (before session 28
    // the proposal named only the written hosts).
    const catchAll = built.filter(([host]) => isCatchAllHost(host)).map(([host]) => host);
    if (usable > 0 && catchAll.length > 0) {
      everywhere = true;
      reasons.push(
        `${finding.file}:${finding.line} (${finding.source}) also serves every host name (${catchAll.join(', ')}): ` +
          `mtls.everywhere.`,
      );
    }
    // A host made only of placeholders (`${NGINX_HOST}`) beside written ones gives no regex: said, never dropped
    // in silence (before session 27 the proposal named only the written hosts).
    const unknown = built
      .filter(([host, pattern]) => !pattern && isDeployTimeHost(host))
      .map(([host]) => host);
    if (usable > 0 && unknown.length > 0)
      reasons.push(
        `${finding.file}:${finding.line} (${finding.source}) also serves ${unknown.join(', ')}, known only at ` +
          `deploy time: no regex for it in mtls.servers; add one for the name it renders to, or use mtls.everywhere.`,
      );
    if (usable === 0) {
      everywhere = true;
      const why =
        finding.hosts.length === 0
          ? 'names no host (it covers every request it serves)'
          : `names only hosts known at deploy time (${finding.hosts.join(', ')})`;
      reasons.push(`${finding.file}:${finding.line} (${finding.source}) ${why}: mtls.everywhere.`);
    }
  }
  if (patterns.size > 0)
    reasons.push(
      `${patterns.size} host pattern(s) from ${findings.filter((f) => f.hosts.length).length} finding(s): mtls.servers.`,
    );
  if (findings.length === 0) reasons.push('No mTLS termination found: nothing to propose.');
  return { proposal: { mtls: { servers: [...patterns.keys()], everywhere } }, reasons, patterns };
}
