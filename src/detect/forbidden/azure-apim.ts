import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden, DetectForbiddenUnplaced, DetectSkip } from '../types.js';
import { forbiddenUnder } from './result.js';
import { isAppGatewayFinding } from '../sources/azure-appgw.js';
import { linesOfText } from '../../util/lines.js';

/**
 * Azure API Management policies that answer 403 themselves, on a service that negotiates client certificates:
 * - `ip-filter`: a refused address gets 403 (Microsoft Learn, "Request throttling problems and HTTP 403 -
 *   Forbidden issues": "HTTP 403 - Forbidden error can be thrown when there is any access restriction policy",
 *   the `ip-filter` policy);
 * - `quota` / `quota-by-key`: "When the quota is exceeded, the caller receives a 403 Forbidden response status
 *   code" (Microsoft Learn, "quota" policy);
 * - `set-status code="403"` (in `return-response` or anywhere), `check-header failed-check-httpcode="403"`,
 *   `validate-jwt` / `validate-azure-ad-token` `failed-validation-httpcode="403"`.
 * Policy XML is read wherever it is written: `.xml` policy files (APIOps), ARM / Bicep policy resources (`value`),
 * Terraform `xml_content` heredocs.
 */
export interface ApimDenial {
  file: string;
  line: number;
  /** Which policy answers 403. */
  kind: DenialKind;
  evidence: string;
}

type DenialKind = 'ip-filter' | 'quota' | 'set-status' | 'httpcode';

/** API Management policies and services read from every file. */
export interface ApimFacts {
  denials: ApimDenial[];
  /** Policy documents (`<policies>`) found. */
  policies: number;
  /** Each API Management service a file defines: `file:line`. */
  services: string[];
  /**
   * Where a policy reads the client certificate (`context.Request.Certificate`, `<validate-client-certificate>`,
   * the `X-ARR-ClientCert` header): the service that runs it negotiates client certificates, whether or not its
   * setting is in the files.
   */
  certificateChecks: { file: string; line: number; text: string }[];
}

/** Empty facts. */
export function noApimFacts(): ApimFacts {
  return { denials: [], policies: 0, services: [], certificateChecks: [] };
}

/** A policy reading the client certificate (API Management policy expressions, `validate-client-certificate`). */
const CERTIFICATE_CHECK =
  /\bcontext\.Request\.Certificate\b|<validate-client-certificate\b|\bX-ARR-ClientCert\b/gi;

/** Whether a finding is an API Management host name that negotiates client certificates. */
export function isApimFinding(finding: DetectFinding): boolean {
  return finding.source === 'azure' && /^API Management/.test(finding.note ?? '');
}

/** Files that may hold API Management policies or services. */
export function isApimCandidate(file: ScanFile): boolean {
  // Policy XML (`<policies>`, and policy fragments, `<fragment>`, that policies include) is kept in `.xml`,
  // `.cshtml` (for the editor's Razor highlighting) or inside templates; prose
  // (Markdown, HTML pages) only shows examples.
  return (
    !/\.(md|mdx|markdown|html?|rst|adoc|txt)$/i.test(file.baseName) &&
    /<policies\b|<fragment\b|ApiManagement\/service|azurerm_api_management/.test(file.text)
  );
}

const SERVICE =
  /"type"\s*:\s*"Microsoft\.ApiManagement\/service"|'Microsoft\.ApiManagement\/service@[^']*'(?!\s*existing\b)|resource\s+"azurerm_api_management"\s+"/gi;

/** A quote, maybe escaped (policy XML inside a JSON string). */
const Q = String.raw`\\?["']`;

const DENIALS: {
  kind: DenialKind;
  pattern: RegExp;
  evidence: string;
  fix: (status: number) => string;
}[] = [
  {
    kind: 'ip-filter',
    pattern: /<ip-filter\b/gi,
    evidence: 'ip-filter: 403 to a refused client address',
    fix: (status) =>
      `in <on-error>, <choose><when condition="@(context.LastError.Source == &quot;ip-filter&quot;)">` +
      `<return-response><set-status code="${status}" /></return-response></when></choose>`,
  },
  {
    kind: 'quota',
    pattern: /<quota(?:-by-key)?\b/gi,
    evidence: 'quota: 403 when the quota is exceeded',
    fix: (status) =>
      `in <on-error>, answer ${status} (or 429) when context.LastError.Source is quota / quota-by-key`,
  },
  {
    kind: 'set-status',
    pattern: new RegExp(String.raw`<set-status\b[^>]*?\bcode\s*=\s*${Q}403${Q}`, 'gi'),
    evidence: 'set-status code="403"',
    fix: (status) => `set-status code="${status}"`,
  },
  {
    kind: 'httpcode',
    pattern: new RegExp(String.raw`\bfailed-(?:check|validation)-httpcode\s*=\s*${Q}403${Q}`, 'gi'),
    evidence: 'failed-check-httpcode / failed-validation-httpcode="403"',
    fix: (status) => `failed-check-httpcode / failed-validation-httpcode="${status}"`,
  },
];

/** Reads one file's API Management policies (their 403 answers) and service definitions into `facts`. */
export function readApimPolicies(file: ScanFile, facts: ApimFacts): void {
  const lineOf = (offset: number): number => linesOfText(file.text).line(offset);
  facts.policies += [...file.text.matchAll(/<policies\b/gi)].length;
  for (const match of file.text.matchAll(SERVICE))
    facts.services.push(`${file.relative}:${lineOf(match.index)}`);
  for (const match of file.text.matchAll(CERTIFICATE_CHECK))
    facts.certificateChecks.push({ file: file.relative, line: lineOf(match.index), text: match[0] });
  for (const denial of DENIALS) {
    for (const match of file.text.matchAll(denial.pattern))
      facts.denials.push({
        file: file.relative,
        line: lineOf(match.index),
        kind: denial.kind,
        evidence: denial.evidence,
      });
  }
}

/**
 * The API Management 403s on the services whose host names negotiate client certificates (`findings`, all
 * files). With one service defined in the files scanned, every policy read is that service's (global, product,
 * API and operation policies all run on every host name); with several, a policy cannot be tied to one and is
 * listed as unplaced. `checked`: the findings whose policies were read; with no policy document in the files
 * scanned, the findings are left not checked (`notChecked`).
 */
export function apimForbidden(
  findings: readonly DetectFinding[],
  facts: ApimFacts,
  status: number,
): {
  forbidden: DetectForbidden[];
  unplaced: DetectForbiddenUnplaced[];
  checked: DetectFinding[];
  notChecked: string[];
} {
  const apim = findings.filter(isApimFinding);
  const out = {
    forbidden: [] as DetectForbidden[],
    unplaced: [] as DetectForbiddenUnplaced[],
    checked: [] as DetectFinding[],
    notChecked: [] as string[],
  };
  if (!apim.length) {
    // A policy that reads the client certificate runs on a service that negotiates them, set where detect does not
    // read (the portal, Pulumi / CLI code): its 403s are named, never passed over (before session 25: nothing).
    const check = facts.certificateChecks[0];
    // Session 37: an Application Gateway asking for client certificates commonly fronts API Management (its backend
    // pool names the service's host): the policies' 403s then reach mTLS clients. Which backend a listener routes
    // to is not read, so each is named as unplaced (before, passed over: pagopa/io-infra's "Invalid client
    // certificate" 403 behind its api-mtls listener read "403s answered by the proxy itself (0)").
    const gateway = findings.find(isAppGatewayFinding);
    if (!check && gateway) {
      for (const denial of facts.denials)
        out.unplaced.push(
          unplaced(
            denial,
            `an Application Gateway asks for client certificates (${gateway.file}:${gateway.line}) and which ` +
              'backend it routes to was not read; an API Management service behind it runs this policy for mTLS ' +
              `clients: if it does, ${fixOf(denial, status)}`,
          ),
        );
      return out;
    }
    if (!check) return out;
    for (const denial of facts.denials)
      out.unplaced.push(
        unplaced(
          denial,
          `an API Management policy reads the client certificate (${check.file}:${check.line}, ${check.text}), so the ` +
            'service that runs these policies negotiates client certificates, but its setting ' +
            '(negotiateClientCertificate, enableClientCertificate) is not in a file detect reads; on it, ' +
            fixOf(denial, status),
        ),
      );
    return out;
  }
  if (facts.policies === 0) {
    for (const finding of apim)
      out.notChecked.push(
        `${finding.file}:${finding.line} azure (no API Management policy found in the files scanned, so its ip-filter, quota and return-response 403s were not read)`,
      );
    return out;
  }
  out.checked.push(...apim);
  const hosts = [...new Set(apim.flatMap((finding) => finding.hosts))];
  for (const denial of facts.denials) {
    const fix = fixOf(denial, status);
    if (facts.services.length > 1) {
      out.unplaced.push(
        unplaced(
          denial,
          `${facts.services.length} API Management services are defined (${facts.services.slice(0, 3).join(', ')}) ` +
            `and which one runs this policy was not read; on a service that negotiates client certificates, ${fix}`,
        ),
      );
      continue;
    }
    out.forbidden.push({
      ...forbiddenUnder(apim[0], {
        line: denial.line,
        source: 'azure',
        evidence: denial.evidence,
        paths: [],
        hosts,
        fix,
        note: 'API Management policy: runs on every host name of the service',
      }),
      file: denial.file,
    });
  }
  return out;
}

/** The fix for a policy denial of this kind, answering `status` instead of 403. */
function fixOf(denial: ApimFacts['denials'][number], status: number): string {
  return DENIALS.find((kind) => kind.kind === denial.kind)?.fix(status) ?? '';
}

/** A policy denial that cannot be tied to a service negotiating client certificates, and why. */
function unplaced(denial: ApimFacts['denials'][number], reason: string): DetectForbiddenUnplaced {
  return { file: denial.file, line: denial.line, source: 'azure', evidence: denial.evidence, reason };
}

/**
 * The files whose API Management policies read the client certificate while no service setting that negotiates
 * one was read (call only then): one "Not read" entry per file, at its first such line, so a report with no
 * finding says it is not clean and `detect --check` fails. Files already named in `skipped` are left out.
 */
export function apimCertificateChecks(facts: ApimFacts, skipped: readonly DetectSkip[]): DetectSkip[] {
  const out: DetectSkip[] = [];
  for (const check of facts.certificateChecks) {
    if (skipped.some((skip) => skip.file === check.file) || out.some((skip) => skip.file === check.file))
      continue;
    out.push({
      file: check.file,
      line: check.line,
      reason:
        `holds an API Management policy that reads the client certificate at line ${check.line} (\`${check.text}\`): ` +
        'the service that runs it negotiates client certificates, but that setting is not in a file detect reads ' +
        '(the portal, or code such as Pulumi or the Azure CLI), so nothing of it is in the proposal: set ' +
        'mtls.servers or mtls.everywhere by hand',
    });
  }
  return out;
}
