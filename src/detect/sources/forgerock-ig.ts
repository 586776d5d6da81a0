import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from '../forbidden/result.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';

type Path = (string | number)[];

/**
 * Filters that require the client certificate and fail the request without a valid one: IG's
 * `CertificateThumbprintFilter` (RFC 8705 certificate-bound tokens: it fails when no certificate is found) and
 * SecureApiGateway's `*TransportCertValidationFilter` classes (FAPI transport certificate checks).
 */
const REQUIRING_FILTER = /^(?:CertificateThumbprintFilter|\w*TransportCertValidationFilter)$/;

/**
 * Where an IG route reads the client certificate: the header a TLS-terminating proxy in front passes it in
 * (ingress-nginx `ssl-client-cert`, `X-Client-Cert`, `X-SSL-Client-Cert`, `X-Forwarded-Client-Cert`), or IG's own
 * connection (`contexts.client.certificates`, when IG terminates TLS itself).
 */
const CERTIFICATE_READ =
  /request\.headers\[\s*['"](?:ssl-client-cert|x-client-cert|x-ssl-client-cert|x-forwarded-client-cert)['"]|contexts\.client\.certificates/i;

/** `${find(request.uri.path, '^/x')}`, `matches(...)`, `startsWith(...)`, `request.uri.path == '/x'`. */
const PATH_CONDITION =
  /(?:find|matches(?:Pattern)?|startsWith)\(\s*request\.uri\.path\s*,\s*'([^']*)'|request\.uri\.path\s*==\s*'([^']*)'/g;

/** `request.uri.host == 'x'`, `find(request.uri.host, 'x')`. */
const HOST_CONDITION =
  /(?:find|matches(?:Pattern)?)\(\s*request\.uri\.host\s*,\s*'([^']*)'|request\.uri\.host\s*==\s*'([^']*)'/g;

/** A ForgeRock Identity Gateway (PingGateway) route or `admin.json`, by its JSON keys and an mTLS marker. */
export function isForgeRockIgCandidate(file: ScanFile): boolean {
  return (
    file.baseName.endsWith('.json') &&
    /"(?:handler|connectors)"\s*:/.test(file.text) &&
    (/"ServerTlsOptions"|"clientAuth"/.test(file.text) ||
      CERTIFICATE_READ.test(file.text) ||
      /"(?:CertificateThumbprintFilter|\w*TransportCertValidationFilter)"/.test(file.text))
  );
}

/** Every object under `value` with its path, depth first. */
function objects(value: unknown, at: Path = []): { node: Record<string, unknown>; path: Path }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => objects(item, [...at, index]));
  const node = asObject(value);
  if (!node) return [];
  return [
    { node, path: at },
    ...Object.entries(node).flatMap(([key, child]) => objects(child, [...at, key])),
  ];
}

/** Every string under `value` with its path. */
function strings(value: unknown, at: Path = []): { text: string; path: Path }[] {
  if (typeof value === 'string') return [{ text: value, path: at }];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, [...at, index]));
  const node = asObject(value);
  return node ? Object.entries(node).flatMap(([key, child]) => strings(child, [...at, key])) : [];
}

/** The paths (as written, `^` and `$` dropped) and hosts a route's `condition` tests. */
function conditionScope(condition: string): { paths: string[]; hosts: string[] } {
  const paths = [...condition.matchAll(PATH_CONDITION)].map((match) =>
    (match[1] ?? match[2] ?? '').replace(/^\^/, '').replace(/\$$/, ''),
  );
  const hosts = [...condition.matchAll(HOST_CONDITION)].map((match) =>
    (match[1] ?? match[2] ?? '').replace(/^\^/, '').replace(/\$$/, '').replace(/\\\./g, '.'),
  );
  return { paths: paths.filter(Boolean), hosts: hosts.filter(Boolean) };
}

/**
 * `ServerTlsOptions.clientAuth`: `REQUIRED` -> required, `REQUEST` -> optional, `NONE` (the default) -> nothing; a
 * configuration expression (`&{ig.client.auth}`) is read as asking (optional) and said in the note. Source:
 * PingGateway (ForgeRock IG) reference, ServerTlsOptions (docs.pingidentity.com/pinggateway/.../ServerTlsOptions).
 */
function clientAuthMode(value: string): DetectMode | 'expression' | undefined {
  const upper = value.trim().toUpperCase();
  if (upper === 'REQUIRED') return 'required';
  if (upper === 'REQUEST') return 'optional';
  if (/[$&]\{/.test(value)) return 'expression';
  return undefined;
}

/**
 * ForgeRock Identity Gateway (PingGateway), since session 33 (before, its route files were passed over; only the
 * Ingress handing the certificate to IG was named, SecureApiGateway):
 * - `admin.json` `connectors[].tls` (inline, or by name in its `heap`) of type `ServerTlsOptions` with `clientAuth`
 *   `REQUIRED` / `REQUEST`: IG terminates mTLS itself, on every route it serves; hosts from `sni.serverNames`.
 * - a route (`condition` + `handler`) that reads the client certificate ({@link CERTIFICATE_READ}) or runs a filter
 *   that requires one ({@link REQUIRING_FILTER}): those paths are mTLS endpoints (the TLS handshake is the proxy's
 *   in front, which passes the certificate on): `required` with such a filter, else `optional` (read when given);
 *   paths and hosts from the `condition`.
 */
export function readForgeRockIg(file: ScanFile): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of file.yamlDocuments()) {
    const root = asObject(document.data);
    if (!root) continue;
    findings.push(...adminFindings(file, document, root), ...routeFindings(file, document, root));
  }
  return findings;
}

function adminFindings(
  file: ScanFile,
  document: YamlDocument,
  root: Record<string, unknown>,
): DetectFinding[] {
  const heap = new Map<string, { node: Record<string, unknown>; path: Path }>();
  asList(root.heap).forEach((entry, index) => {
    const name = asText(dig(entry, 'name'));
    const node = asObject(entry);
    if (name && node) heap.set(name, { node, path: ['heap', index] });
  });
  const findings: DetectFinding[] = [];
  asList(root.connectors).forEach((connector, index) => {
    const tls = dig(connector, 'tls');
    const named = typeof tls === 'string' ? heap.get(tls) : undefined;
    const options =
      named ?? (asObject(tls) ? { node: asObject(tls)!, path: ['connectors', index, 'tls'] } : undefined);
    if (!options) return;
    const config = asObject(options.node.config) ?? {};
    const value = asText(config.clientAuth);
    const mode = value === undefined ? undefined : clientAuthMode(value);
    if (!mode) return;
    const path = [...options.path, 'config', 'clientAuth'];
    const hosts = Object.keys(asObject(dig(config, 'sni', 'serverNames')) ?? {});
    const port = asText(dig(connector, 'port'));
    findings.push(
      file.finding(document.lineOf(path), 'forgerock-ig', mode === 'expression' ? 'optional' : mode, 'yaml', {
        hosts,
        evidence: document.evidence(path),
        note:
          `ForgeRock IG admin.json: connector${port ? ` on port ${port}` : ''} asks for a client certificate on every route it serves` +
          (mode === 'expression'
            ? `; clientAuth is a configuration expression (${value}), read as asking`
            : ''),
      }),
    );
  });
  return findings;
}

function routeFindings(
  file: ScanFile,
  document: YamlDocument,
  root: Record<string, unknown>,
): DetectFinding[] {
  if (root.handler === undefined) return [];
  const reads = strings(root.handler, ['handler']).filter(({ text }) => CERTIFICATE_READ.test(text));
  const requiring = objects(root.handler, ['handler']).filter(({ node }) =>
    REQUIRING_FILTER.test(asText(node.type) ?? ''),
  );
  const first = requiring[0] ?? reads[0];
  if (!first) return [];
  const condition = asText(root.condition) ?? '';
  const scope = conditionScope(condition);
  const path = requiring[0] ? [...requiring[0].path, 'type'] : (reads[0]?.path ?? []);
  const name = asText(root.name);
  return [
    file.finding(document.lineOf(path), 'forgerock-ig', requiring.length ? 'required' : 'optional', 'yaml', {
      hosts: scope.hosts,
      paths: scope.paths,
      evidence: document.evidence(path),
      note:
        `ForgeRock IG route${name ? ` "${name}"` : ''}: ${requiring.length ? `${asText(requiring[0]?.node.type)} requires` : 'reads'} the client certificate` +
        (reads.length ? " the proxy in front passes on (the handshake is the proxy's)" : '') +
        (condition ? `; condition ${condition}` : '; no condition: every request'),
    }),
  ];
}

/**
 * The 403s of an IG route file with a finding: `StaticResponseHandler` with `status` 403 (fix: the agreed status);
 * what decides a status out of sight is named as not checked: a `ScriptableFilter` / `ScriptableHandler` script
 * (Groovy, its `file` or inline `source`), and the filters that require the certificate (their failure status is
 * the filter class's). An `admin.json` finding's routes are in other files: named as not checked.
 */
export function forgeRockIgForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
): ForbiddenResult {
  const result = noForbidden();
  for (const document of file.yamlDocuments()) {
    const root = asObject(document.data);
    if (!root) continue;
    const finding = findings[0];
    if (!finding) continue;
    if (root.connectors !== undefined && root.handler === undefined) {
      for (const admin of findings)
        result.notChecked.push(
          `${admin.file}:${admin.line} forgerock-ig (IG asks every connection for a certificate: the 403s of its routes, in the route files, are read only where a route reads the certificate; check the others, or answer ${status} there)`,
        );
      continue;
    }
    for (const { node, path } of objects(root.handler, ['handler'])) {
      const type = asText(node.type) ?? '';
      if (type === 'StaticResponseHandler' && asText(dig(node, 'config', 'status')) === '403') {
        const line = document.lineOf([...path, 'config', 'status']);
        result.forbidden.push(
          forbiddenUnder(finding, {
            line,
            source: 'forgerock-ig',
            evidence: file.lines.lineText(line),
            paths: finding.paths,
            fix: `"status": ${status}`,
          }),
        );
      }
      if (type === 'ScriptableFilter' || type === 'ScriptableHandler') {
        const script = asText(dig(node, 'config', 'file')) ?? 'inline source';
        result.notChecked.push(
          `${file.relative}:${document.lineOf([...path, 'type'])} forgerock-ig (${type} ${script} on an mTLS route decides its own status, 403 included; check it, or answer ${status} there)`,
        );
      }
      if (REQUIRING_FILTER.test(type))
        result.notChecked.push(
          `${file.relative}:${document.lineOf([...path, 'type'])} forgerock-ig (${type} fails a request without a valid client certificate with a status its class decides; check it answers ${status}, not 403)`,
        );
    }
  }
  return result;
}
