import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from '../forbidden/result.js';
import { lineMatching, objectsOf, parsedConfig, single } from './walk-data.js';

/**
 * Cloudflare mTLS (API Shield / SSL for SaaS client certificates): the edge asks for a client certificate on the
 * hostnames it is enabled for, and a WAF custom rule (Rulesets API, phase `http_request_firewall_custom`;
 * Terraform `cloudflare_ruleset` `rules`, legacy `cloudflare_filter` + `cloudflare_firewall_rule`) whose
 * expression reads `cf.tls_client_auth.cert_verified` blocks requests without a valid one. Cloudflare answers a
 * block with 403 unless the rule sets `action_parameters.response.status_code`; challenge actions answer 403 to
 * a client that cannot solve them. Cloudflare Access mTLS certificates (`cloudflare_access_mutual_tls_certificate`,
 * `cloudflare_zero_trust_access_mtls_certificate`, API `associated_hostnames`) make Access ask for one.
 * Sources: developers.cloudflare.com "mTLS at Cloudflare", "Create a custom rule to check for client
 * certificates", "Custom responses for Block action"; the Terraform provider's resource docs.
 * Session 27 (breaker27 #13): before, such files gave "No mTLS termination found".
 */
export const CLOUDFLARE_SIGNAL =
  /cf\.tls_client_auth\.cert_(?:verified|presented|revoked)|cloudflare_(?:zero_trust_)?access_(?:mutual_tls|mtls)_certificate|["']?associated_hostnames["']?\s*[:=]/;

const CERT_FIELD = /cf\.tls_client_auth\.cert_(?:verified|presented|revoked)/;
const CHALLENGES = new Set(['challenge', 'managed_challenge', 'js_challenge']);

interface CloudflareRule {
  line: number;
  action: string | undefined;
  status: number | undefined;
  expression: string;
}

interface CloudflareRead {
  rules: CloudflareRule[];
  access: { line: number; hosts: string[] }[];
}

const READ = new WeakMap<ScanFile, CloudflareRead>();

/** Whether detect reads this file as Cloudflare configuration. */
export function isCloudflareCandidate(file: ScanFile): boolean {
  return /\.(?:tf|ya?ml|json)$/i.test(file.baseName) && CLOUDFLARE_SIGNAL.test(file.text);
}

/** The mTLS findings of a Cloudflare file: one per rule reading the client certificate, one per Access cert. */
export async function readCloudflare(file: ScanFile): Promise<DetectFinding[]> {
  const read = await cloudflareRead(file);
  const findings: DetectFinding[] = [];
  for (const rule of read.rules) {
    const enforcing =
      (rule.action === 'block' || CHALLENGES.has(rule.action ?? '')) &&
      /\bnot\s+cf\.tls_client_auth\.cert_verified|!\s*cf\.tls_client_auth\.cert_verified|cf\.tls_client_auth\.cert_revoked/.test(
        rule.expression,
      );
    findings.push(
      file.finding(rule.line, 'cloudflare', enforcing ? 'required' : 'optional', readerOf(file), {
        hosts: hostsOf(rule.expression),
        paths: pathsOf(rule.expression),
        evidence: `${rule.action ?? '(action set elsewhere)'}: ${oneLine(rule.expression)}`,
        note: enforcing
          ? 'Cloudflare edge mTLS: this WAF custom rule refuses requests without a valid client certificate'
          : 'Cloudflare edge mTLS: the edge asks for a client certificate; this rule reads it without refusing',
      }),
    );
  }
  for (const access of read.access)
    findings.push(
      file.finding(access.line, 'cloudflare', 'optional', readerOf(file), {
        hosts: access.hosts,
        note: 'Cloudflare Access asks these hostnames for a client certificate; an Access policy requiring one answers 403 without it (not configurable)',
      }),
    );
  return findings;
}

/**
 * The 403s Cloudflare answers on the rules found: a `block` without a custom response status (or with 403), and
 * challenge actions; Access policies (not read) are listed as not checked.
 */
export async function cloudflareForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
): Promise<ForbiddenResult> {
  const read = await cloudflareRead(file);
  const result = noForbidden();
  for (const rule of read.rules) {
    const finding = findings.find((candidate) => candidate.line === rule.line);
    if (!finding) continue;
    const answers403 =
      (rule.action === 'block' && (rule.status === undefined || rule.status === 403)) ||
      CHALLENGES.has(rule.action ?? '');
    if (!answers403) continue;
    const entry: DetectForbidden = forbiddenUnder(finding, {
      line: rule.line,
      source: 'cloudflare',
      evidence: `action ${rule.action ?? ''}: ${oneLine(rule.expression)}`,
      paths: finding.paths,
      fix:
        rule.action === 'block'
          ? `Cloudflare answers a block with 403: give the rule a custom response, action_parameters { response { status_code = ${status}, content = "...", content_type = "application/json" } } (API: "action_parameters": {"response": {"status_code": ${status}, ...}})`
          : `a ${rule.action ?? 'challenge'} answers 403 to an API client that cannot solve it: use action "block" with action_parameters.response.status_code = ${status}`,
    });
    result.forbidden.push(entry);
  }
  for (const access of read.access) {
    const finding = findings.find((candidate) => candidate.line === access.line);
    if (finding)
      result.notChecked.push(
        `${file.relative}:${access.line} cloudflare (Cloudflare Access policies are not read: one that requires a valid certificate answers 403 without it)`,
      );
  }
  return result;
}

async function cloudflareRead(file: ScanFile): Promise<CloudflareRead> {
  const known = READ.get(file);
  if (known) return known;
  const read: CloudflareRead = { rules: [], access: [] };
  let ruleIndex = 0;
  let accessIndex = 0;
  for (const document of await parsedConfig(file)) {
    const objects = objectsOf(document.data);
    // Legacy firewall rules: the action is on the cloudflare_firewall_rule, the expression on its filter.
    const legacyAction = objects
      .map(({ node }) => (typeof node.filter_id === 'string' ? node.action : undefined))
      .find((action): action is string => typeof action === 'string');
    for (const { node, path } of objects) {
      if (typeof node.expression === 'string' && CERT_FIELD.test(node.expression)) {
        const action = typeof node.action === 'string' ? node.action : legacyAction;
        const response = single(single(node.action_parameters)?.response);
        const code = response?.status_code;
        read.rules.push({
          line: file.baseName.endsWith('.tf')
            ? lineMatching(file, CERT_FIELD, ruleIndex++)
            : document.line([...path, 'expression']),
          action,
          status: typeof code === 'number' ? code : typeof code === 'string' ? Number(code) : undefined,
          expression: node.expression,
        });
      }
      const hostnames = node.associated_hostnames;
      if (Array.isArray(hostnames) && ('certificate' in node || 'certificates' in node)) {
        read.access.push({
          line: file.baseName.endsWith('.tf')
            ? lineMatching(file, /associated_hostnames/, accessIndex++)
            : document.line([...path, 'associated_hostnames']),
          hosts: hostnames.filter((host): host is string => typeof host === 'string'),
        });
      }
    }
  }
  READ.set(file, read);
  return read;
}

function readerOf(file: ScanFile): DetectFinding['reader'] {
  return file.baseName.endsWith('.tf') ? '@cdktf/hcl2json' : 'yaml';
}

/** `http.host eq "a"`, `http.host == "a"`, `http.host in {"a" "b"}`. */
function hostsOf(expression: string): string[] {
  const hosts: string[] = [];
  for (const match of expression.matchAll(/http\.host\s*(?:eq|==)\s*"([^"]+)"/g)) hosts.push(match[1]);
  for (const match of expression.matchAll(/http\.host\s+in\s*\{([^}]*)\}/g))
    for (const quoted of match[1].matchAll(/"([^"]+)"/g)) hosts.push(quoted[1]);
  return [...new Set(hosts)];
}

/** `starts_with(http.request.uri.path, "/api")`, `http.request.uri.path eq "/x"`. */
function pathsOf(expression: string): string[] {
  const paths: string[] = [];
  for (const match of expression.matchAll(
    /starts_with\(\s*http\.request\.uri\.path\s*,\s*"([^"]+)"\s*\)|http\.request\.uri\.path\s*(?:eq|==)\s*"([^"]+)"/g,
  ))
    paths.push(match[1] ?? match[2]);
  return paths;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
