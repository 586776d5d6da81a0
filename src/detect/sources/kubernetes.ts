import type { ScanFile } from '../scan-file.js';
import { noCertificateSkip } from '../left-out.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';

/** ingress-nginx's annotation prefix (its `--annotations-prefix` default since 0.9). */
export const DEFAULT_INGRESS_PREFIX = 'nginx.ingress.kubernetes.io/';

/**
 * The prefix of an Ingress's `auth-tls-*` annotations, with its `/`: ingress-nginx's `nginx.ingress.kubernetes.io/`,
 * the `ingress.kubernetes.io/` of ingress-nginx before 0.9 and of haproxy-ingress, or a controller's own
 * `--annotations-prefix` (same annotation names, same meaning). Before session 30 only the first was read, and
 * an Ingress written with `ingress.kubernetes.io/auth-tls-verify-client` (Salesforce SAM's flowsnake Ingresses)
 * read "No mTLS termination found". The default prefix when it has none.
 */
export function ingressPrefix(annotations: Record<string, unknown>): string {
  const key = Object.keys(annotations).find((name) => /\/auth-tls-(?:verify-client|secret)$/.test(name));
  return key === undefined ? DEFAULT_INGRESS_PREFIX : key.slice(0, key.lastIndexOf('/') + 1);
}

/**
 * ingress-nginx `auth-tls-verify-client` values; `auth-tls-secret` alone means `on` (the controller default). The
 * controller's authtls parser takes `^(on|off|optional|optional_no_ca)$` and uses `on` for any other value (`yes`,
 * `true`, `On`, `required`): so only `off` asks for nothing (before session 26 every value but `on` and the two
 * optional ones was read as off: `auth-tls-verify-client: "yes"` read "No mTLS termination found").
 */
export function ingressMode(value: string | undefined): DetectMode | undefined {
  if (value === 'off') return undefined;
  if (value === 'optional' || value === 'optional_no_ca') return 'optional';
  return 'required';
}

/** The note for an `auth-tls-verify-client` value ingress-nginx does not take (it uses `on`); else undefined. */
export function ingressValueNote(value: string | undefined): string | undefined {
  if (value === undefined || /^(on|off|optional|optional_no_ca)$/.test(value)) return undefined;
  return `auth-tls-verify-client: ${JSON.stringify(value)} is no value ingress-nginx takes (on, off, optional, optional_no_ca): it uses on`;
}

/**
 * Whether an Ingress's annotations make ingress-nginx ask for a client certificate: `auth-tls-secret` set (the CA;
 * without it the controller ignores the other auth-tls annotations) and `auth-tls-verify-client` not `off`.
 */
export function ingressAsksForCertificate(annotations: Record<string, unknown>): boolean {
  const prefix = ingressPrefix(annotations);
  const secret = asText(annotations[`${prefix}auth-tls-secret`]);
  return (
    secret !== undefined &&
    secret.trim() !== '' &&
    ingressMode(asText(annotations[`${prefix}auth-tls-verify-client`])) !== undefined
  );
}

/**
 * Kubernetes `Ingress` objects with ingress-nginx client-certificate annotations, with their rule hosts,
 * TLS hosts and paths. The controller asks for the certificate per host (server block), so every path of
 * those hosts is reached over the client-certificate connection. `auth-tls-verify-client` without
 * `auth-tls-secret` asks for nothing (ingress-nginx's authtls annotation parser fails without the CA secret and
 * the controller drops the other auth-tls annotations): pushed to `skipped` as left out, not a finding.
 */
export function readIngress(
  file: ScanFile,
  documents: YamlDocument[],
  skipped: DetectSkip[] = [],
): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    if (asText(dig(document.data, 'kind')) !== 'Ingress') continue;
    const annotations = asObject(dig(document.data, 'metadata', 'annotations')) ?? {};
    const prefix = ingressPrefix(annotations);
    const verifyKey = `${prefix}auth-tls-verify-client`;
    const secretKey = `${prefix}auth-tls-secret`;
    const verify = asText(annotations[verifyKey]);
    if (verify === undefined && annotations[secretKey] === undefined) continue;
    const mode = ingressMode(verify);
    if (!mode) continue;
    const key = verify !== undefined ? verifyKey : secretKey;
    if (annotations[secretKey] === undefined || asText(annotations[secretKey])?.trim() === '') {
      skipped.push(
        noCertificateSkip(
          file,
          document.lineOf(['metadata', 'annotations', verifyKey]),
          `Ingress ${asText(dig(document.data, 'metadata', 'name')) ?? '(no name)'} sets auth-tls-verify-client ` +
            `without auth-tls-secret, which ingress-nginx needs (the CA that checks the certificate): add ` +
            `${secretKey}: <namespace>/<secret> if it should be mTLS`,
        ),
      );
      continue;
    }
    const rules = asList(dig(document.data, 'spec', 'rules'));
    const hosts = new Set<string>();
    const paths = new Set<string>();
    for (const rule of rules) {
      const host = asText(dig(rule, 'host'));
      if (host) hosts.add(host);
      for (const entry of asList(dig(rule, 'http', 'paths'))) {
        const path = asText(dig(entry, 'path'));
        if (path) paths.add(path);
      }
    }
    for (const tls of asList(dig(document.data, 'spec', 'tls'))) {
      for (const host of asList(dig(tls, 'hosts'))) if (typeof host === 'string') hosts.add(host);
    }
    findings.push(
      file.finding(document.lineOf(['metadata', 'annotations', key]), 'kubernetes', mode, 'yaml', {
        hosts: [...hosts],
        paths: [],
        evidence: document.evidence(['metadata', 'annotations', key]),
        note:
          [
            verify === undefined
              ? 'auth-tls-secret without auth-tls-verify-client: the controller default is on'
              : ingressValueNote(verify),
            ingressPathsNote([...paths]),
          ]
            .filter(Boolean)
            .join('; ') || undefined,
      }),
    );
  }
  return findings;
}

/**
 * The paths an annotated Ingress routes, said in the note and not as the finding's paths: ingress-nginx asks for the
 * certificate per host ("Client Certificate Authentication is applied per host"), so every path of the host sees it
 * (before session 27 they were the finding's paths, which read as if only those were mTLS).
 */
function ingressPathsNote(paths: readonly string[]): string | undefined {
  const routed = paths.filter((path) => path !== '/');
  return routed.length
    ? `this Ingress routes ${routed.join(', ')}; the certificate is asked for on every path of its hosts (per host)`
    : undefined;
}

/** The paths a Helm values block's `hosts: [{ host, paths: [...] }]` routes (`/` left out). */
export function helmValuesPaths(block: Record<string, unknown>): string[] {
  return asList(block.hosts).flatMap((entry) =>
    asList(dig(entry, 'paths'))
      .map((item) => (typeof item === 'string' ? item : asText(dig(item, 'path'))))
      .filter((item): item is string => Boolean(item) && item !== '/'),
  );
}

/** Helm chart values: a `values*.yaml` beside a `Chart.yaml` (or under a chart folder). */
export function isHelmValues(file: ScanFile, chartFolders: ReadonlySet<string>): boolean {
  if (!/^values.*\.ya?ml$/.test(file.baseName)) return false;
  const folder = file.relative.includes('/') ? file.relative.slice(0, file.relative.lastIndexOf('/')) : '.';
  return chartFolders.has(folder) || /(^|\/)(charts?|helm)(\/|$)/.test(folder);
}

/** A values block whose `annotations` ask ingress-nginx for client certificates. */
export interface HelmAnnotationSite {
  /** Path of the block holding `annotations` (`['ingress']` for `ingress.annotations`). */
  path: (string | number)[];
  /** The annotation the finding is at: `auth-tls-verify-client`, else `auth-tls-secret`. */
  key: string;
  mode: DetectMode;
  block: Record<string, unknown>;
}

/** Every block of a values document whose `annotations` set the ingress-nginx client-certificate annotations. */
export function helmAnnotationSites(document: YamlDocument): HelmAnnotationSite[] {
  const sites: HelmAnnotationSite[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    const object = asObject(node);
    if (!object) {
      if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    const annotations = asObject(object.annotations);
    const prefix = annotations && ingressPrefix(annotations);
    const verifyKey = `${prefix}auth-tls-verify-client`;
    const secretKey = `${prefix}auth-tls-secret`;
    const key =
      annotations &&
      (verifyKey in annotations ? verifyKey : secretKey in annotations ? secretKey : undefined);
    if (annotations && key) {
      const mode = ingressMode(key === verifyKey ? asText(annotations[verifyKey]) : undefined);
      if (mode) sites.push({ path, key, mode, block: object });
    }
    for (const [name, child] of Object.entries(object))
      if (name !== 'annotations') visit(child, [...path, name]);
  };
  visit(document.data, []);
  return sites;
}

/**
 * Helm values that set the ingress-nginx client-certificate annotations for a templated Ingress: reported
 * as `probably` (the template decides what is deployed), with the hosts found beside the annotations
 * (`hosts: [{host: ...}]` or `hosts: [name]` in the same values block).
 */
export function readHelmValues(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    for (const { path, key, mode, block } of helmAnnotationSites(document)) {
      const hosts = asList(block.hosts)
        .map((entry) => (typeof entry === 'string' ? entry : asText(dig(entry, 'host'))))
        .filter((host): host is string => Boolean(host));
      const paths = helmValuesPaths(block);
      findings.push(
        file.finding(document.lineOf([...path, 'annotations', key]), 'kubernetes', mode, 'yaml', {
          hosts,
          paths: [],
          confidence: 'probably',
          evidence: document.evidence([...path, 'annotations', key]),
          note: [
            'Helm values: the chart template decides whether these annotations reach the Ingress',
            ingressValueNote(
              key.endsWith('/auth-tls-verify-client')
                ? asText(asObject(block.annotations)?.[key])
                : undefined,
            ),
            ingressPathsNote(paths),
          ]
            .filter(Boolean)
            .join('; '),
        }),
      );
    }
  }
  return findings;
}

/**
 * A Helm template (Go template text, not YAML) that writes the annotation itself: a line scan,
 * `probably`, hosts unknown (they come from values). One finding per Ingress (YAML document, `---`-separated): its
 * `auth-tls-verify-client`, else its `auth-tls-secret` (the controller default `on`). Before session 32 both lines
 * of one Ingress were findings, the secret's read as `required` beside a verify-client `optional_no_ca`
 * (SecureApiGateway's rs-mtls Ingress).
 */
export function scanHelmTemplate(file: ScanFile): DetectFinding[] {
  const findings: DetectFinding[] = [];
  const lines = file.text.split('\n');
  // The document each line is in, and the documents that write auth-tls-verify-client.
  const documentOf: number[] = [];
  const verifying = new Set<number>();
  lines.reduce((document, raw, index) => {
    const at = /^---/.test(raw) ? document + 1 : document;
    documentOf[index] = at;
    if (/auth-tls-verify-client\s*:/.test(raw)) verifying.add(at);
    return at;
  }, 0);
  lines.forEach((raw, index) => {
    const match = /((?:[\w.-]+\/)?auth-tls-(?:verify-client|secret))\s*:\s*["']?([^"'\s]*)/.exec(raw);
    if (!match) return;
    if (match[1].endsWith('secret') && verifying.has(documentOf[index])) return;
    const value = match[1].endsWith('verify-client') ? match[2] : undefined;
    // A value written as a template tag (blanked to `$name` when the template is read) is the values' choice.
    const written = value && !value.includes('{{') && !value.startsWith('$') ? value : undefined;
    const mode = ingressMode(written);
    if (!mode) return;
    findings.push(
      file.finding(index + 1, 'kubernetes', mode, 'pattern', {
        confidence: 'probably',
        note: [
          'Helm template (not YAML until rendered): hosts come from the chart values',
          ingressValueNote(written),
        ]
          .filter(Boolean)
          .join('; '),
      }),
    );
  });
  return findings;
}
