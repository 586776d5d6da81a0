import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden, DetectForbiddenUnplaced } from '../types.js';
import { asList, asText, dig } from '../yaml-documents.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

/**
 * Google Cloud Armor security policy rules that answer 403 themselves on the backend services of a load balancer:
 * `action = "deny(403)"` (a deny rule, or the default rule), and `exceed_action = "deny(403)"` of a `throttle` /
 * `rate_based_ban` rule. Cloud Armor's deny answers only 403, 404 or 502 (and 429 for `exceed_action`). Source:
 * Google Cloud docs, "Security policy overview" (rule actions: `deny(STATUS)`, STATUS 403, 404 or 502) and
 * "Rate limiting overview" (`exceed_action`: `deny(403|404|429|502)`).
 * Read from Terraform (`google_compute_security_policy` rules and `google_compute_security_policy_rule`, and their
 * regional forms) and YAML (Config Connector `ComputeSecurityPolicy`, a `gcloud ... security-policies export`
 * file).
 */
export interface ArmorDenial {
  file: string;
  line: number;
  evidence: string;
  /** `action`: a deny rule; `exceed`: a rate-limit rule's exceed action. */
  kind: 'action' | 'exceed';
  /** The security policy's name (Terraform resource name or `metadata.name` / `name`). */
  policy: string;
}

/** Cloud Armor facts from every file. */
export interface ArmorFacts {
  denials: ArmorDenial[];
}

/** Empty facts. */
export function noArmorFacts(): ArmorFacts {
  return { denials: [] };
}

const TERRAFORM_POLICY = /resource\s+"(google_compute_(?:region_)?security_policy(?:_rule)?)"\s+"([^"]+)"/g;
const TERRAFORM_DENY = /\b(exceed_action|action)\s*=\s*"deny\(403\)"/g;

/** Whether `file` may hold a Cloud Armor policy (cheap test before reading). */
export function isArmorCandidate(file: ScanFile): boolean {
  return /deny\(403\)/.test(file.text) && /\.(tf|ya?ml|json)$/i.test(file.baseName);
}

/**
 * Reads the 403-answering Cloud Armor rules of one file into `facts`. Terraform: each `deny(403)` assignment inside
 * a security policy (rule) resource block, outside `#` / `//` comments. YAML: rules of `ComputeSecurityPolicy`
 * (`spec.rule[]`) or of an exported policy (`rules[]`). Throws the YAML parser's message on bad YAML.
 */
export function readArmorPolicies(file: ScanFile, facts: ArmorFacts): void {
  if (file.baseName.endsWith('.tf')) {
    for (const header of file.text.matchAll(TERRAFORM_POLICY)) {
      const start = header.index;
      const next = file.text.indexOf('\nresource ', start + 1);
      const end = next === -1 ? file.text.length : next;
      const block = file.text.slice(start, end);
      for (const match of block.matchAll(TERRAFORM_DENY)) {
        const at = start + match.index;
        const lineStart = file.text.lastIndexOf('\n', at - 1) + 1;
        if (/^\s*(?:#|\/\/)/.test(file.text.slice(lineStart, at))) continue;
        const line = file.lines.lineOf(at);
        facts.denials.push({
          file: file.relative,
          line,
          evidence: `resource "${header[1]}" "${header[2]}": ${file.lines.lineText(line)}`,
          kind: match[1] === 'exceed_action' ? 'exceed' : 'action',
          policy: header[2],
        });
      }
    }
    return;
  }
  for (const document of file.yamlDocuments()) {
    const connector = asText(dig(document.data, 'kind')) === 'ComputeSecurityPolicy';
    const rulesPath = connector ? ['spec', 'rule'] : ['rules'];
    const policy =
      asText(dig(document.data, 'metadata', 'name')) ?? asText(dig(document.data, 'name')) ?? file.relative;
    // An exported policy says `kind: compute#securityPolicy` (or nothing); other kinds are other resources.
    const kind = asText(dig(document.data, 'kind'));
    if (!connector && kind !== undefined && kind !== 'compute#securityPolicy') continue;
    asList(dig(document.data, ...rulesPath)).forEach((rule, index) => {
      const checks: [string[], ArmorDenial['kind']][] = [
        [['action'], 'action'],
        [['rateLimitOptions', 'exceedAction'], 'exceed'],
      ];
      for (const [path, kind] of checks) {
        if (asText(dig(rule, ...path)) !== 'deny(403)') continue;
        const at = [...rulesPath, index, ...path];
        facts.denials.push({
          file: file.relative,
          line: document.lineOf(at),
          evidence: document.evidence(at),
          kind,
          policy,
        });
      }
    });
  }
}

/** The change that makes a Cloud Armor 403 answer `status` (or the nearest Cloud Armor can). */
function fixFor(denial: ArmorDenial, status: number): string {
  if (denial.kind === 'exceed')
    return 'exceed_action = "deny(429)" (too many requests: the status rate limits mean)';
  if (status === 404) return 'action = "deny(404)"';
  return (
    `Cloud Armor's deny answers only 403, 404 or 502: "deny(404)" (RFC 9110 §15.5.5 lets a server hide a ` +
    `resource) if your clients take it, else let the request through here and answer ${status} in the service`
  );
}

/**
 * Each Cloud Armor 403, on Google Cloud load balancers that ask for client certificates: tied to the Google Cloud
 * finding of its own file, else to the only one; with several Server TLS Policies elsewhere it cannot be tied
 * (the policy applies where a backend service names it) and is listed as unplaced. No Google Cloud finding:
 * nothing.
 */
export function armorForbidden(
  findings: readonly DetectFinding[],
  facts: ArmorFacts,
  status: number,
): ForbiddenResult {
  const result = noForbidden();
  const gcp = findings.filter((finding) => finding.source === 'gcp');
  if (gcp.length === 0) return result;
  for (const denial of facts.denials) {
    const finding =
      gcp.find((candidate) => candidate.file === denial.file) ?? (gcp.length === 1 ? gcp[0] : undefined);
    if (!finding) {
      const unplaced: DetectForbiddenUnplaced = {
        file: denial.file,
        line: denial.line,
        source: 'gcp',
        evidence: denial.evidence,
        reason:
          `Cloud Armor policy \`${denial.policy}\` answers 403; it applies to the backend services whose ` +
          '`security_policy` names it, and with several Server TLS Policies in the files scanned it cannot be tied ' +
          'to one: check whether those backend services sit behind an mTLS load balancer',
      };
      result.unplaced.push(unplaced);
      continue;
    }
    const entry: DetectForbidden = forbiddenUnder(finding, {
      line: denial.line,
      source: 'gcp',
      evidence: denial.evidence,
      paths: [],
      fix: fixFor(denial, status),
      note: `Cloud Armor policy \`${denial.policy}\`: it answers on the backend services whose security_policy names it`,
    });
    result.forbidden.push({ ...entry, file: denial.file });
  }
  return result;
}
