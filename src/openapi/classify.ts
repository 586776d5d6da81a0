import type { DocumentSet, Located, RefCache } from './document-set.js';
import { gatewayMarker } from './gateway-markers.js';
import { markerValue } from './marker-value.js';
import type { Operation } from './operations.js';
import { isObject } from './pointer.js';
import { classifyScheme, effectiveSecurity, type EffectiveSecurity, type SchemeVerdict } from './security.js';
import { effectiveServers, mtlsServerReason, type Server } from './servers.js';
import type { SpecVersion } from './version.js';

/**
 * How the model decides what is mTLS-secured (DESIGN §2); shared by lint, fix and migrate --spec. The model owns
 * this shape; `src/config` produces values of it from the config file and flags.
 */
export interface MtlsDetection {
  /** Scheme names that mean mTLS besides `type: mutualTLS`. */
  schemes: string[];
  /** Regexes on effective server URLs, besides the default host-label and description heuristics. */
  servers: RegExp[];
  everywhere: boolean;
}

export type MtlsVia = 'scheme' | 'server' | 'everywhere' | 'extension';

/** Why an operation is mTLS-secured (DESIGN §2); every finding carries it. */
export interface MtlsClassification {
  via: MtlsVia;
  /**
   * Machine-readable detail: the scheme name, the server URL, `mtls.everywhere`, or where `x-mtls` (or a gateway
   * extension such as `x-wso2-mutual-ssl`) sits.
   */
  detail: string;
  /** The phrase used in messages: `scheme 'clientCert'`, `server 'https://mtls-api.bank.com'`, ... */
  why: string;
}

/**
 * What classifications of many operations of one document may share: where `$ref`s lead, each scheme's
 * verdict, and the scheme classification of each `security` list (most operations use the root one). Valid
 * for one version and detection over data that does not change: one per pass (as `analyzeDocument` makes).
 */
export interface ClassificationCache {
  refs: RefCache;
  schemes: Map<string, SchemeVerdict>;
  /** By the `security` array it was computed from (`null`: none). */
  bySecurity: Map<unknown, MtlsClassification | undefined>;
}

export function classificationCache(): ClassificationCache {
  return { refs: new Map(), schemes: new Map(), bySecurity: new Map() };
}

/**
 * The one place that decides whether an operation is mTLS-secured. Undefined: it is not. `cache` (optional)
 * shares work between the operations of one pass; the result is the same with or without it.
 */
export function classifyOperation(
  set: DocumentSet,
  version: SpecVersion,
  operation: Operation,
  detection: MtlsDetection,
  cache?: ClassificationCache,
): MtlsClassification | undefined {
  const byScheme = cachedSchemeClassification(set, version, operation, detection, cache);
  if (byScheme) return byScheme;

  const marker = nearestMarker(set, operation);
  if (marker?.value === true) {
    return {
      via: 'extension',
      detail: `x-mtls on the ${marker.on}`,
      why: `x-mtls: true on the ${marker.on}`,
    };
  }
  // `x-mtls: false` on the operation or its path item opts out of server and everywhere detection.
  if (marker?.value === false && marker.on !== 'root') return undefined;

  // An API gateway told to ask for client certificates (WSO2, Tyk, Kong extensions).
  const gateway = gatewayMarker(set.root.data, operation);
  if (gateway) {
    return {
      via: 'extension',
      detail: `${gateway.detail} on the ${gateway.on}`,
      why: `${gateway.detail} on the ${gateway.on}`,
    };
  }

  const servers = effectiveServers(set.root.data, version, operation);
  for (const server of servers) {
    // `x-mtls: yes` on a server is an input error where it is written, never read as no marker.
    if (server.marker !== undefined) markerValue(set, serverMarker(set, operation, server));
    // The default URL first, then the same server with another `enum` value of a variable.
    for (const url of [server.url, ...(server.alternatives ?? [])]) {
      const reason = mtlsServerReason({ ...server, url }, detection.servers);
      if (!reason) continue;
      const described =
        reason === 'description'
          ? ` described '${server.description ?? ''}'`
          : reason === 'x-mtls'
            ? ' marked x-mtls: true'
            : '';
      const variant = url === server.url ? '' : ` (an enum value of a variable of '${server.url}')`;
      const among = servers.length > 1 ? `, one of ${servers.length} servers` : '';
      return { via: 'server', detail: url, why: `server '${url}'${variant}${described}${among}` };
    }
  }
  if (detection.everywhere) return { via: 'everywhere', detail: 'mtls.everywhere', why: 'mtls.everywhere' };
  return undefined;
}

/** {@link schemeClassification}, computed once per `security` list with a cache. */
function cachedSchemeClassification(
  set: DocumentSet,
  version: SpecVersion,
  operation: Operation,
  detection: MtlsDetection,
  cache: ClassificationCache | undefined,
): MtlsClassification | undefined {
  const effective = effectiveSecurity(set, operation);
  if (!cache) return schemeClassification(set, version, effective, detection, undefined);
  const key = effective.list;
  if (cache.bySecurity.has(key)) return cache.bySecurity.get(key);
  const classification = schemeClassification(set, version, effective, detection, cache);
  cache.bySecurity.set(key, classification);
  return classification;
}

function schemeClassification(
  set: DocumentSet,
  version: SpecVersion,
  { alternatives }: EffectiveSecurity,
  detection: MtlsDetection,
  cache: ClassificationCache | undefined,
): MtlsClassification | undefined {
  const mtlsSchemes = new Set<string>();
  let alternativesWithMtls = 0;
  for (const requirement of alternatives) {
    let hasMtls = false;
    for (const name of Object.keys(requirement)) {
      let verdict = cache?.schemes.get(name);
      if (!verdict) {
        verdict = classifyScheme(set, version, name, detection.schemes, cache?.refs);
        cache?.schemes.set(name, verdict);
      }
      if (verdict.mtls) {
        mtlsSchemes.add(name);
        hasMtls = true;
      }
    }
    if (hasMtls) alternativesWithMtls++;
  }
  if (alternativesWithMtls === 0) return undefined;
  const names = [...mtlsSchemes];
  const quoted = names.map((name) => `'${name}'`).join(', ');
  // A client that presents a certificate hits the iOS bug even if another alternative needs none.
  const share =
    alternativesWithMtls < alternatives.length
      ? alternativesWithMtls === 1
        ? ` in one of ${alternatives.length} security alternatives`
        : ` in ${alternativesWithMtls} of ${alternatives.length} security alternatives`
      : '';
  return {
    via: 'scheme',
    detail: names.join(','),
    why: `${names.length > 1 ? 'schemes' : 'scheme'} ${quoted}${share}`,
  };
}

/**
 * Whether the operation's nearest `x-mtls` marker (operation, then path item, then root) is `false`: its author
 * said it is not served over mTLS. A document whose every operation says so (`x-mtls: false` at its root) has
 * declared it has no mTLS endpoints. Throws MtlsFixError for a marker that is not a boolean, where it is written.
 */
export function declaredNotMtls(set: DocumentSet, operation: Operation): boolean {
  return nearestMarker(set, operation)?.value === false;
}

/**
 * The nearest `x-mtls` boolean: operation, then path item, then root. A marker that is not a boolean throws
 * (see {@link markerValue}) where it is written.
 */
function nearestMarker(
  set: DocumentSet,
  operation: Operation,
): { value: boolean; on: 'operation' | 'path item' | 'root' } | undefined {
  const root = set.root.data;
  const candidates: [Located, 'operation' | 'path item' | 'root'][] = [
    [
      {
        ...operation.location,
        path: [...operation.location.path, 'x-mtls'],
        value: operation.location.value['x-mtls'],
      },
      'operation',
    ],
    [pathItemMarker(set, operation), 'path item'],
    [{ file: set.root, path: ['x-mtls'], value: isObject(root) ? root['x-mtls'] : undefined }, 'root'],
  ];
  for (const [at, on] of candidates) {
    const value = markerValue(set, at);
    if (value !== undefined) return { value, on };
  }
  return undefined;
}

/** The path item's `x-mtls` and where it is written: the `paths` entry, else the path item it `$ref`s. */
function pathItemMarker(set: DocumentSet, operation: Operation): Located {
  return pathItemField(set, operation, 'x-mtls');
}

/**
 * A field of the operation's path item and where it is written: the `paths` entry (a sibling of its `$ref` wins),
 * else the path item it `$ref`s (the operation's own place, less its field: `get`, `additionalOperations/X`).
 */
export function pathItemField(set: DocumentSet, operation: Operation, key: string): Located {
  const value = operation.pathItem[key];
  const paths = isObject(set.root.data) ? set.root.data.paths : undefined;
  const entry = isObject(paths) ? paths[String(operation.entryPath[1])] : undefined;
  if (value === undefined || (isObject(entry) && key in entry))
    return { file: set.root, path: [...operation.entryPath, key], value };
  const at = operation.location.path;
  const field = at[at.length - 2] === 'additionalOperations' ? 2 : 1;
  return { file: operation.location.file, path: [...at.slice(0, -field), key], value };
}

/** Where an effective server's `x-mtls` is written (its Server Object in the operation, path item or root list). */
function serverMarker(set: DocumentSet, operation: Operation, server: Server): Located {
  const index = server.origin?.index ?? 0;
  const list =
    server.origin?.from === 'operation'
      ? { file: operation.location.file, path: [...operation.location.path, 'servers'] }
      : server.origin?.from === 'path item'
        ? pathItemField(set, operation, 'servers')
        : { file: set.root, path: ['servers'] };
  return { file: list.file, path: [...list.path, index, 'x-mtls'], value: server.marker };
}
