import type { ScanFile } from '../scan-file.js';
import { ingressAsksForCertificate, ingressPrefix } from '../sources/kubernetes.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

const RANGES = ['whitelist-source-range', 'allowlist-source-range', 'denylist-source-range'];
const SNIPPETS = ['configuration-snippet', 'server-snippet'];

/**
 * One ingress-nginx `Ingress` as the 403 readers need it: where it is, its hosts and paths, its annotations
 * and the file it was read from (for lines and evidence).
 */
export interface IngressObject {
  file: ScanFile;
  document: YamlDocument;
  name: string;
  hosts: string[];
  paths: string[];
  annotations: Record<string, unknown>;
}

/** Every `Ingress` of the scanned files, read for the 403s ingress-nginx answers on a host that asks for certificates. */
export interface IngressFacts {
  ingresses: IngressObject[];
}

/** Empty facts. */
export function noIngressFacts(): IngressFacts {
  return { ingresses: [] };
}

/** Could this file hold an ingress-nginx `Ingress` with annotations? (cheap text test before parsing) */
export function isIngressCandidate(file: ScanFile): boolean {
  return (
    /\.(ya?ml|json)$/i.test(file.baseName) &&
    /\bIngress\b/.test(file.text) &&
    /ingress\.kubernetes\.io\/|\/auth-tls-/.test(file.text)
  );
}

/** The paths an `Ingress` routes (`spec.rules[].http.paths[].path`, `/` left out). */
function ingressPaths(data: unknown): string[] {
  const paths = new Set<string>();
  for (const rule of asList(dig(data, 'spec', 'rules')))
    for (const entry of asList(dig(rule, 'http', 'paths'))) {
      const path = asText(dig(entry, 'path'));
      if (path) paths.add(path);
    }
  return [...paths].filter((path) => path !== '/');
}

/** Adds the file's `Ingress` objects with ingress-nginx annotations to `facts`. Throws the YAML parser's error. */
export function readIngressFacts(file: ScanFile, facts: IngressFacts): void {
  for (const document of file.yamlDocuments()) {
    if (asText(dig(document.data, 'kind')) !== 'Ingress') continue;
    const annotations = asObject(dig(document.data, 'metadata', 'annotations')) ?? {};
    const prefix = ingressPrefix(annotations);
    if (!Object.keys(annotations).some((key) => key.startsWith(prefix))) continue;
    const hosts = new Set<string>();
    for (const rule of asList(dig(document.data, 'spec', 'rules'))) {
      const host = asText(dig(rule, 'host'));
      if (host) hosts.add(host);
    }
    facts.ingresses.push({
      file,
      document,
      name: asText(dig(document.data, 'metadata', 'name')) ?? '?',
      hosts: [...hosts],
      paths: ingressPaths(document.data),
      annotations,
    });
  }
}

/**
 * 403s ingress-nginx answers itself on an `Ingress` with client-certificate annotations (the finding):
 * `whitelist-source-range` / `allowlist-source-range` / `denylist-source-range` (addresses refused get 403),
 * `return 403` / `deny` lines inside `configuration-snippet` / `server-snippet`, and `auth-tls-match-cn` (the
 * controller writes `if ($ssl_client_s_dn !~ <regex>) { return 403 "client certificate unauthorized"; }` into the
 * host's server block). `auth-url` (external authentication: nginx answers the auth service's 401 and 403 as its
 * own) is listed as not checked. Helm values and templates are not read for these (their findings are listed as
 * not checked).
 */
export function ingressForbidden(file: ScanFile, findings: DetectFinding[], status: number): ForbiddenResult {
  const result = noForbidden();
  for (const document of file.yamlDocuments()) {
    if (asText(dig(document.data, 'kind')) !== 'Ingress') continue;
    const annotations = asObject(dig(document.data, 'metadata', 'annotations')) ?? {};
    const finding = findings.find((f) =>
      Object.keys(annotations).some((key) => document.lineOf(['metadata', 'annotations', key]) === f.line),
    );
    if (!finding) continue;
    const ingress: IngressObject = {
      file,
      document,
      name: asText(dig(document.data, 'metadata', 'name')) ?? '?',
      hosts: finding.hosts,
      // The Ingress's own paths: its annotations' 403s answer there (the finding names none, the certificate
      // being asked for per host).
      paths: ingressPaths(document.data),
      annotations,
    };
    ingressAnswers(ingress, finding, status, result);
  }
  return result;
}

/**
 * The 403s ingress-nginx answers for one Ingress's annotations on `finding`'s host: source ranges, snippets,
 * `auth-tls-match-cn` (pushed to `result.forbidden`), `auth-url` (`result.notChecked`). `note` says how the
 * annotations reach the Ingress when that is not plain (Helm values rendered by a template).
 */
export function ingressAnswers(
  ingress: IngressObject,
  finding: DetectFinding,
  status: number,
  result: ForbiddenResult,
  note?: string,
): void {
  const { annotations, document, file } = ingress;
  const prefix = ingressPrefix(annotations);
  answersOf(ingress, finding, status, result, serverRemaps(annotations), note);
  // The certificate handed to the backend (`ssl-client-cert` header): the service decides on it, and with
  // `optional` / `optional_no_ca` it is the only one that rejects (session 32, SecureApiGateway: ForgeRock IG's
  // scripts answer 403 behind such an Ingress, and detect --check passed).
  const passKey = `${prefix}auth-tls-pass-certificate-to-upstream`;
  if (asText(annotations[passKey])?.trim().toLowerCase() === 'true') {
    const services = [
      ...new Set(
        [
          ...asList(dig(document.data, 'spec', 'rules')).flatMap((rule) =>
            asList(dig(rule, 'http', 'paths')).map((entry) => dig(entry, 'backend', 'service', 'name')),
          ),
          dig(document.data, 'spec', 'defaultBackend', 'service', 'name'),
        ].filter((name): name is string => typeof name === 'string'),
      ),
    ];
    result.notChecked.push(
      `${file.relative}:${document.lineOf(['metadata', 'annotations', passKey])} kubernetes (auth-tls-pass-certificate-to-upstream: ` +
        `the client certificate goes to ${services.length ? `service ${services.join(', ')}` : 'the backend'}, which decides on it ` +
        `and may answer 403: check that service, or answer ${status} there)`,
    );
  }
  const matchCn = asText(annotations[`${prefix}auth-tls-match-cn`]);
  if (matchCn !== undefined && !serverRemaps(annotations)) {
    const path = ['metadata', 'annotations', `${prefix}auth-tls-match-cn`];
    result.forbidden.push(
      at(
        file,
        forbiddenUnder(finding, {
          line: document.lineOf(path),
          source: 'kubernetes',
          evidence: document.evidence(path),
          paths: [],
          fix:
            `ingress-nginx answers 403 "client certificate unauthorized" to a certificate whose subject does not match: ` +
            `${remapOf(status, prefix)}, or check the subject in the service and answer ${status} there`,
          ...(note ? { note } : {}),
        }),
      ),
    );
  }
}

/**
 * ingress-nginx asks for the client certificate per host (one nginx `server` block; its docs: "Client Certificate
 * Authentication is applied per host and it is not possible to specify rules that differ for individual paths"),
 * so every other `Ingress` of that host, in any file, is served on the client-certificate connection: its 403s
 * (ranges, snippets) are the finding's, and its `auth-url` is not checked. Findings read with `certain`
 * confidence only (Helm values and templates decide nothing for sure). The finding's own Ingress is
 * `ingressForbidden`'s.
 */
export function sameHostIngressForbidden(
  findings: readonly DetectFinding[],
  facts: IngressFacts,
  status: number,
): ForbiddenResult {
  const result = noForbidden();
  for (const finding of findings) {
    if (finding.source !== 'kubernetes' || finding.reader !== 'yaml' || finding.confidence !== 'certain')
      continue;
    const hosts = new Set(finding.hosts);
    for (const ingress of facts.ingresses) {
      if (ingress.file.relative === finding.file && ownsFinding(ingress, finding)) continue;
      // An Ingress that asks for a certificate itself is a finding (read there); one whose annotations ask for
      // none (auth-tls-verify-client without auth-tls-secret) answers on the shared host like any other.
      if (ingressAsksForCertificate(ingress.annotations)) continue;
      const shared =
        hosts.size === 0 ? ingress.hosts.length === 0 : ingress.hosts.some((host) => hosts.has(host));
      if (!shared) continue;
      const note = `Ingress ${ingress.name} (${ingress.file.relative}) shares the host with the client-certificate Ingress at ${finding.file}:${finding.line}: ingress-nginx asks for the certificate per host`;
      answersOf(ingress, finding, status, result, serverRemaps(ingress.annotations), note);
    }
  }
  return result;
}

/** Is `finding` read from this Ingress (one of its annotation lines)? */
function ownsFinding(ingress: IngressObject, finding: DetectFinding): boolean {
  return Object.keys(ingress.annotations).some(
    (key) => ingress.document.lineOf(['metadata', 'annotations', key]) === finding.line,
  );
}

/** `entry` at a line of `file` (another Ingress's file than the finding's, for a host they share). */
function at(file: ScanFile, entry: DetectForbidden): DetectForbidden {
  return { ...entry, file: file.relative };
}

/** Does a `server-snippet` remap 403 (`error_page 403 =...`) for the whole host? */
function serverRemaps(annotations: Record<string, unknown>): boolean {
  const prefix = ingressPrefix(annotations);
  return /error_page\s+403\s+=(?!403)/.test(asText(annotations[`${prefix}server-snippet`]) ?? '');
}

function remapOf(status: number, prefix: string): string {
  return `add \`${prefix}server-snippet: "error_page 403 = @mtls_status; location @mtls_status { return ${status}; }"\` (snippets must be allowed by the controller)`;
}

/**
 * The 403s of one Ingress's annotations (ranges, snippets) under `finding`, its paths; its `auth-url` as not
 * checked. `note` says why another Ingress counts.
 */
function answersOf(
  ingress: IngressObject,
  finding: DetectFinding,
  status: number,
  result: ForbiddenResult,
  remappedForServer: boolean,
  note?: string,
): void {
  const { document, annotations, file } = ingress;
  const prefix = ingressPrefix(annotations);
  const lines = file.text.split('\n');
  const remap = remapOf(status, prefix);
  for (const name of RANGES) {
    if (annotations[prefix + name] === undefined || remappedForServer) continue;
    const path = ['metadata', 'annotations', prefix + name];
    result.forbidden.push(
      at(
        file,
        forbiddenUnder(finding, {
          line: document.lineOf(path),
          source: 'kubernetes',
          evidence: document.evidence(path),
          paths: ingress.paths,
          fix: `ingress-nginx answers 403 to ${name.startsWith('deny') ? 'the addresses listed' : 'addresses outside the range'}: ${remap}`,
          ...(note ? { note } : {}),
        }),
      ),
    );
  }
  for (const name of SNIPPETS) {
    const snippet = asText(annotations[prefix + name]);
    if (!snippet) continue;
    const keyLine = document.lineOf(['metadata', 'annotations', prefix + name]);
    const remapped = remappedForServer || /error_page\s+403\s+=(?!403)/.test(snippet);
    for (const raw of snippet.split('\n')) {
      const text = raw.replace(/(^|\s)#.*$/, '').trim();
      const returns = /(^|[{;]\s*)return\s+403\b/.test(text);
      const denies = /(^|[{;]\s*)deny\s/.test(text);
      if (!returns && !(denies && !remapped)) continue;
      if (returns && remapped && !/return\s+403\s+\S/.test(text)) continue;
      const index = lines.findIndex((line, number) => number >= keyLine - 1 && line.includes(text));
      result.forbidden.push(
        at(
          file,
          forbiddenUnder(finding, {
            line: index === -1 ? keyLine : index + 1,
            source: 'kubernetes',
            evidence: text,
            paths: ingress.paths,
            fix: returns
              ? text.replace(/return\s+403\b/, `return ${status}`)
              : `ngx_http_access_module answers 403: ${remap}`,
            note: note ? `in the ${name} annotation; ${note}` : `in the ${name} annotation`,
          }),
        ),
      );
    }
  }
  const authUrl = asText(annotations[`${prefix}auth-url`]);
  if (authUrl !== undefined && !remappedForServer) {
    const line = document.lineOf(['metadata', 'annotations', `${prefix}auth-url`]);
    result.notChecked.push(
      `${file.relative}:${line} kubernetes (auth-url ${authUrl} on Ingress ${ingress.name}, served with the client certificate: ingress-nginx answers the auth service's 401 and 403 as its own; make it answer ${status}, not 403, or ${remap})`,
    );
  }
}
