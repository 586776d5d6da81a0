import type { ScanFile } from '../scan-file.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from '../forbidden/result.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';

type Path = (string | number)[];

/** The keys of `client_authentication` that turn it on (Caddy's `ClientAuthentication.Active`). */
const ACTIVE_KEYS = [
  'mode',
  'trusted_ca_certs',
  'trusted_ca_certs_pem_files',
  'trusted_leaf_certs',
  'trusted_leaf_certs_pem_files',
  'leaf_verification',
  'ca',
];

/**
 * Caddy's mode for a `client_authentication` object, or undefined when it asks for nothing. `request`,
 * `verify_if_given`: optional; `require`, `require_and_verify`: required; no mode but trusted CAs or leaf
 * certificates: required (Caddy then uses RequireAndVerifyClientCert / RequireAnyClientCert). An object without any
 * of those keys is not active (Caddy asks for no certificate). Source: Caddy JSON docs,
 * `apps/http/servers/tls_connection_policies/client_authentication`, and modules/caddytls/connpolicy.go.
 */
export function caddyJsonMode(authentication: Record<string, unknown>): DetectMode | undefined {
  if (!ACTIVE_KEYS.some((key) => authentication[key] !== undefined)) return undefined;
  const mode = asText(authentication.mode);
  return mode === 'request' || mode === 'verify_if_given' ? 'optional' : 'required';
}

/** The servers of a Caddy JSON (or YAML-adapted) configuration: `apps.http.servers`. */
function servers(document: YamlDocument): [string, Record<string, unknown>][] {
  return Object.entries(asObject(dig(document.data, 'apps', 'http', 'servers')) ?? {}).flatMap(
    ([name, server]) => {
      const object = asObject(server);
      return object ? [[name, object] as [string, Record<string, unknown>]] : [];
    },
  );
}

/** The host matchers of a route (`match: [{ host: [...] }]`); empty: it matches every host. */
function routeHosts(route: unknown): string[] {
  return asList(dig(route, 'match')).flatMap((matcher) =>
    asList(dig(matcher, 'host')).filter((host): host is string => typeof host === 'string'),
  );
}

/**
 * Caddy's native JSON configuration (`caddy.json`, what `caddy adapt` writes, the admin API's `/load` body):
 * each `apps.http.servers.<name>.tls_connection_policies[]` whose `client_authentication` asks for a certificate
 * ({@link caddyJsonMode}). Hosts: the policy's `match.sni`; without one, the hosts of the server's routes when every
 * route names some, else none (every host the server answers). Since session 32; before, named under "Not read".
 */
export function readCaddyJson(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    for (const [name, server] of servers(document)) {
      asList(server.tls_connection_policies).forEach((policy, index) => {
        const authentication = asObject(dig(policy, 'client_authentication'));
        const mode = authentication && caddyJsonMode(authentication);
        if (!mode) return;
        const base: Path = ['apps', 'http', 'servers', name, 'tls_connection_policies', index];
        const path = [
          ...base,
          'client_authentication',
          ...(authentication.mode !== undefined ? ['mode'] : []),
        ];
        const sni = asList(dig(policy, 'match', 'sni')).filter(
          (host): host is string => typeof host === 'string',
        );
        const routes = asList(server.routes);
        const routed = routes.map(routeHosts);
        const hosts = sni.length
          ? sni
          : routed.length && routed.every((list) => list.length)
            ? [...new Set(routed.flat())]
            : [];
        findings.push(
          file.finding(document.lineOf(path), 'caddy', mode, 'yaml', {
            hosts,
            evidence: document.evidence(path),
            note: `Caddy JSON config, server ${name}${sni.length ? '' : ': the policy matches every connection of the server'}`,
          }),
        );
      });
    }
  }
  return findings;
}

/**
 * Whether two Caddy host names can name the same host, case-insensitive: equal, or one is a wildcard `*.x` whose
 * `*` stands for one label (Caddy's `host` matcher and the `sni` connection matcher both match a wildcard label by
 * label: caddyhttp MatchHost, certmagic.MatchWildcard).
 */
export function caddyHostsOverlap(left: string, right: string): boolean {
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  if (a === b) return true;
  const wild = (pattern: string, name: string): boolean => {
    const labels = pattern.split('.');
    const names = name.split('.');
    return labels.length === names.length && labels.every((label, i) => label === '*' || label === names[i]);
  };
  return wild(a, b) || wild(b, a);
}

/** The placeholders of the client certificate (Caddy's `{http.request.tls.client.*}`: certificate_pem, fingerprint, subject...). */
const CLIENT_CERTIFICATE_PLACEHOLDER = '{http.request.tls.client.';

/** The first header path of a `reverse_proxy` handler whose value hands on the client certificate, if any. */
function certificateHeader(handler: unknown): Path | undefined {
  for (const operation of ['set', 'add']) {
    const headers = asObject(dig(handler, 'headers', 'request', operation)) ?? {};
    for (const [name, values] of Object.entries(headers)) {
      const index = asList(values).findIndex(
        (value) => typeof value === 'string' && value.includes(CLIENT_CERTIFICATE_PLACEHOLDER),
      );
      if (index >= 0) return ['headers', 'request', operation, name, index];
    }
  }
  return undefined;
}

/**
 * The 403s Caddy answers itself on a server whose TLS connection policy asks for a client certificate (the
 * findings of {@link readCaddyJson}): `static_response` and `error` handlers with `status_code` 403 in the
 * server's routes, its `errors.routes` (run when a handler fails: a 403 there answers the failed request), and the
 * routes nested in them (`subroute` routes, a `reverse_proxy`'s `handle_response[].routes`), with the paths of their
 * routes' `path` matchers (inherited into nested routes); a route for other hosts than the finding's is passed over
 * (wildcards compared label by label, {@link caddyHostsOverlap}). A `reverse_proxy` with `handle_response` (what the
 * Caddyfile's `forward_auth` becomes) passes an auth service's status on, and one that sets a request header from a
 * `{http.request.tls.client.*}` placeholder hands the certificate to its upstream, which decides on it: both listed
 * as not checked. Before session 33, `errors.routes`, `handle_response` routes, the handing on, and routes under a
 * wildcard `sni` were passed over in silence (`403s answered (0)`).
 */
export function caddyJsonForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
): ForbiddenResult {
  const result = noForbidden();
  for (const document of file.yamlDocuments()) {
    for (const [name, server] of servers(document)) {
      const authentication = (index: number, ...rest: string[]) =>
        document.lineOf([
          'apps',
          'http',
          'servers',
          name,
          'tls_connection_policies',
          index,
          'client_authentication',
          ...rest,
        ]);
      const policyLines = asList(server.tls_connection_policies).map((_, index) => [
        authentication(index),
        authentication(index, 'mode'),
      ]);
      for (const finding of findings) {
        if (!policyLines.some((lines) => lines.includes(finding.line))) continue;
        const visit = (routes: unknown, at: Path, inherited: string[]): void => {
          asList(routes).forEach((route, index) => {
            const hosts = routeHosts(route);
            if (
              hosts.length &&
              finding.hosts.length &&
              !hosts.some((host) => finding.hosts.some((mtls) => caddyHostsOverlap(host, mtls)))
            )
              return;
            const own = asList(dig(route, 'match')).flatMap((matcher) =>
              asList(dig(matcher, 'path')).filter((path): path is string => typeof path === 'string'),
            );
            const paths = own.length ? own : inherited;
            asList(dig(route, 'handle')).forEach((handler, position) => {
              const where: Path = [...at, index, 'handle', position];
              const kind = asText(dig(handler, 'handler'));
              if (kind === 'subroute') visit(dig(handler, 'routes'), [...where, 'routes'], paths);
              if (kind === 'reverse_proxy') {
                if (dig(handler, 'handle_response') !== undefined)
                  result.notChecked.push(
                    `${file.relative}:${document.lineOf([...where, 'handle_response'])} caddy (a reverse_proxy with handle_response in the mTLS server ${name}, as forward_auth writes it: Caddy answers the upstream's status, 403 included; check that service, or answer ${status} there)`,
                  );
                asList(dig(handler, 'handle_response')).forEach((response, slot) =>
                  visit(dig(response, 'routes'), [...where, 'handle_response', slot, 'routes'], paths),
                );
                const header = certificateHeader(handler);
                if (header)
                  result.notChecked.push(
                    `${file.relative}:${document.lineOf([...where, ...header])} caddy (a reverse_proxy in the mTLS server ${name} hands the client certificate to its upstream, which decides on it and may answer 403: check that service, or answer ${status} there)`,
                  );
              }
              if (kind !== 'static_response' && kind !== 'error') return;
              if (asText(dig(handler, 'status_code')) !== '403') return;
              const line = document.lineOf([...where, 'status_code']);
              result.forbidden.push(
                forbiddenUnder(finding, {
                  line,
                  source: 'caddy',
                  evidence: file.lines.lineText(line),
                  paths,
                  fix: `set "status_code": ${status} in this ${kind} handler`,
                }),
              );
            });
          });
        };
        visit(server.routes, ['apps', 'http', 'servers', name, 'routes'], []);
        visit(dig(server, 'errors', 'routes'), ['apps', 'http', 'servers', name, 'errors', 'routes'], []);
      }
    }
  }
  return result;
}
