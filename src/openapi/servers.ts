import type { Operation } from './operations.js';
import { isObject } from './pointer.js';
import type { SpecVersion } from './version.js';

export interface Server {
  /** The URL with each variable's `default` substituted. */
  url: string;
  description?: string;
  /**
   * The URL once per other `enum` value of a variable (the rest at their defaults): the same operations are
   * served there too (`https://{env}.bank.com` with `env: {default: api, enum: [api, mtls-api]}`).
   */
  alternatives?: string[];
  /**
   * The Server Object's `x-mtls` as written (absent: undefined): `true` makes it an mTLS server, `false` says it
   * is none whatever its host or description suggest (a configured `mtls.servers` regex still matches). Read
   * since session 37: authors mark "this host asks for a client certificate" on the server; before, it was
   * ignored and the document read as declaring no mTLS. A value that is not a boolean is an input error
   * (classify.ts, as `x-mtls` anywhere).
   */
  marker?: unknown;
  /** Where the Server Object is listed: the operation's, its path item's or the root `servers`, and its index. */
  origin?: { from: 'operation' | 'path item' | 'root'; index: number };
}

/**
 * Operation servers, else path-item servers, else root servers; Swagger 2.0: `schemes` + `host` + `basePath`.
 * A Swagger 2.0 document without `host` is served from "the host serving the documentation" (Swagger 2.0,
 * Swagger Object `host`): one server relative to that host, its `basePath` (`/` without one), as OAS 3 writes a
 * relative server (`url: /v2`); so `mtls.servers` regexes and `explain` see it, and `proxy` prefixes its routes.
 */
export function effectiveServers(root: unknown, version: SpecVersion, operation: Operation): Server[] {
  const rootObject = isObject(root) ? root : {};
  if (version.kind === 'swagger2') {
    const host = rootObject.host;
    const basePath = typeof rootObject.basePath === 'string' ? rootObject.basePath : '';
    if (typeof host !== 'string') return [{ url: basePath || '/' }];
    const schemes = operation.location.value.schemes ?? rootObject.schemes;
    const list = Array.isArray(schemes)
      ? schemes.filter((scheme): scheme is string => typeof scheme === 'string')
      : [];
    // One effective server per scheme (http and https are both served).
    return (list.length > 0 ? list : ['https']).map((scheme) => ({
      url: `${scheme}://${host}${basePath}`,
    }));
  }
  for (const [candidate, from] of [
    [operation.location.value.servers, 'operation'],
    [operation.pathItem.servers, 'path item'],
    [rootObject.servers, 'root'],
  ] as const) {
    if (!Array.isArray(candidate) || candidate.length === 0) continue;
    const servers: Server[] = [];
    candidate.forEach((value: unknown, index) => {
      if (isObject(value)) servers.push(toServer(value, { from, index }));
    });
    return servers;
  }
  return [];
}

function toServer(value: Record<string, unknown>, origin: NonNullable<Server['origin']>): Server {
  const url = typeof value.url === 'string' ? substituteDefaults(value.url, value.variables) : '';
  const server: Server = {
    url,
    description: typeof value.description === 'string' ? value.description : undefined,
    origin,
  };
  if (value['x-mtls'] !== undefined) server.marker = value['x-mtls'];
  const alternatives = typeof value.url === 'string' ? enumAlternatives(value.url, value.variables) : [];
  if (alternatives.length > 0) server.alternatives = alternatives;
  return server;
}

/** How many enum alternatives of one server are kept (a server with hundreds of regions stays cheap). */
const MAX_ALTERNATIVES = 50;

/** The URL with one variable set to each of its other `enum` values, the rest at their defaults. */
function enumAlternatives(url: string, variables: unknown): string[] {
  if (!isObject(variables)) return [];
  const out = new Set<string>();
  for (const [name, variable] of Object.entries(variables)) {
    if (!isObject(variable) || !Array.isArray(variable.enum)) continue;
    for (const value of variable.enum) {
      if (typeof value !== 'string' || value === variable.default) continue;
      const replaced = substituteDefaults(url, { ...variables, [name]: { ...variable, default: value } });
      out.add(replaced);
      if (out.size >= MAX_ALTERNATIVES) return [...out];
    }
  }
  return [...out];
}

/** `https://{env}.mtls.example.com` with `env: {default: prod}` becomes `https://prod.mtls.example.com`. */
function substituteDefaults(url: string, variables: unknown): string {
  if (!isObject(variables)) return url;
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}

/**
 * A host label that says mTLS: starting `mtls`/`matls` (`mtls-api`, `matls`, `mtls2`), or holding it as a
 * hyphen-separated part anywhere (`api-mtls`, `eu-mtls-gw`); not buried in a word (`xmtls`).
 */
const MTLS_LABEL = /^ma?tls|[-_]ma?tls(?:$|[-_\d])/i;

/**
 * Server descriptions that say mTLS: `mTLS`, `MTLS`, `MATLS` (UK Open Banking), `Mutual TLS`, `mutual-TLS`,
 * `mutual SSL` (WSO2), `two-way TLS` / `2-way SSL` (Visa, IBM), `client certificate(s)`, `client cert`.
 */
const MTLS_DESCRIPTION =
  /\bma?tls\b|\bm(?:utual)?[- ]?tls\b|\bmutual[- ]?ssl\b|\b(?:two|2)[- ]way[- ](?:tls|ssl)\b|\bclient[- ]cert(?:ificate)?s?\b/i;

/**
 * Why a server is an mTLS server, or undefined: its `x-mtls: true`, a configured regex on its URL, a host label with
 * `mtls`/`matls` at its start or as a hyphenated part (`mtls-api.bank.com`, `api-mtls.bank.com`, `matls.x.com`), or a description
 * saying mTLS, MATLS, mutual TLS/SSL, two-way TLS/SSL or client certificate (whole words, any case). A server
 * marked `x-mtls: false` is an mTLS server only by a configured regex.
 */
export function mtlsServerReason(server: Server, patterns: readonly RegExp[]): string | undefined {
  if (server.marker === true) return 'x-mtls';
  const pattern = patterns.find((regex) => regex.test(server.url));
  if (pattern) return `matches mtls.servers /${pattern.source}/`;
  if (server.marker === false) return undefined;
  const host = hostOf(server.url);
  if (host && host.split('.').some((label) => MTLS_LABEL.test(label))) return 'host label';
  if (server.description && MTLS_DESCRIPTION.test(server.description)) return 'description';
  return undefined;
}

export function hostOf(url: string): string | undefined {
  // Skips userinfo (`https://user@mtls.example.com`) and stops at a port, path, query or fragment.
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/(?:[^/?#@]*@)?([^/?#:]+)/i.exec(url);
  return match?.[1]?.toLowerCase();
}
