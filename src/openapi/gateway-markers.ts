import type { DocumentSet } from './document-set.js';
import type { SourceFile } from './source.js';
import type { Operation } from './operations.js';
import { isObject, type JsonPath } from './pointer.js';

/** Where a gateway's mTLS setting sits, nearest first. */
export type MarkerPlace = 'operation' | 'path item' | 'root';

/** An API gateway's vendor extension that turns on client-certificate (mTLS) checking for an operation. */
export interface GatewayMarker {
  on: MarkerPlace;
  /** The extension as written, e.g. `x-wso2-mutual-ssl: mandatory`. */
  detail: string;
}

/**
 * The gateway extensions that make the gateway ask for a client certificate, read from a place of an OpenAPI
 * document (the operation, its path item or the root). Each returns what to print, or undefined:
 *
 * - WSO2 API Manager `x-wso2-mutual-ssl: mandatory | optional` (API level; also accepted on an operation).
 *   Source: WSO2 APIM docs, "Supported OpenAPI extensions" / "Securing APIs with Mutual SSL" (3.x, 4.x).
 * - Tyk OAS `x-tyk-api-gateway.server.clientCertificates.enabled: true` (static mTLS between client and Tyk) and
 *   `x-tyk-api-gateway.server.authentication.securitySchemes.authToken.enableClientCertificate: true` (dynamic
 *   mTLS). `x-tyk-api-gateway.upstream.mutualTLS` is Tyk to the upstream and does not count. Source: Tyk docs,
 *   "Tyk vendor extension reference" (5.x) and "Certificate Authentication".
 * - Kong `x-kong-plugin-mtls-auth` (decK `openapi2kong` adds the plugin at root, path or operation level), unless
 *   `enabled: false`. Source: Kong docs, "deck file openapi2kong" and the mtls-auth plugin.
 *
 * Optional client certificates count: iOS answers -1206 whenever the client presented one (README).
 */
const READERS: ((node: Record<string, unknown>, on: MarkerPlace) => string | undefined)[] = [
  (node) => {
    const value = node['x-wso2-mutual-ssl'];
    return typeof value === 'string' && /^(?:mandatory|optional)$/i.test(value.trim())
      ? `x-wso2-mutual-ssl: ${value}`
      : undefined;
  },
  (node, on) => {
    if (on !== 'root') return undefined;
    const server = child(node['x-tyk-api-gateway'], 'server');
    if (child(server, 'clientCertificates', 'enabled') === true)
      return 'x-tyk-api-gateway server.clientCertificates.enabled: true';
    const authToken = child(server, 'authentication', 'securitySchemes', 'authToken');
    return child(authToken, 'enableClientCertificate') === true
      ? 'x-tyk-api-gateway server.authentication authToken.enableClientCertificate: true'
      : undefined;
  },
  (node) => {
    const plugin = node['x-kong-plugin-mtls-auth'];
    if (plugin === undefined || plugin === null || plugin === false) return undefined;
    return isObject(plugin) && plugin.enabled === false ? undefined : 'x-kong-plugin-mtls-auth';
  },
];

function child(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * The nearest gateway mTLS extension of an operation (operation, then path item, then root), or undefined.
 * `root`: the root document's data.
 */
export function gatewayMarker(root: unknown, operation: Operation): GatewayMarker | undefined {
  const places: [unknown, MarkerPlace][] = [
    [operation.location.value, 'operation'],
    [operation.pathItem, 'path item'],
    [root, 'root'],
  ];
  for (const [node, on] of places) {
    if (!isObject(node)) continue;
    for (const read of READERS) {
      const detail = read(node, on);
      if (detail) return { on, detail };
    }
  }
  return undefined;
}

/** A gateway mTLS extension written with a value its gateway reads as something else (or not at all). */
export interface GatewayMarkerTypo {
  file: SourceFile;
  /** The key whose value is not read. */
  path: JsonPath;
  /** The extension and the value as written, e.g. `x-wso2-mutual-ssl: required`. */
  written: string;
  /** The values the gateway reads, e.g. `mandatory or optional`. */
  expected: string;
  /** How mtls-fix reads the place: `no mTLS marker there`, or (Kong: any `enabled` but `false`) as on. */
  readAs: string;
}

/**
 * Gateway mTLS extensions (see READERS) whose value is not one the gateway reads, so mtls-fix reads no marker
 * there: `x-wso2-mutual-ssl` other than `mandatory` / `optional`; Tyk `clientCertificates.enabled` /
 * `enableClientCertificate` and Kong's `x-kong-plugin-mtls-auth.enabled` written as anything but a boolean (a
 * quoted `"true"` is a string). At the root, each path item and each operation; each key once.
 */
export function gatewayMarkerTypos(set: DocumentSet, operations: readonly Operation[]): GatewayMarkerTypo[] {
  const places: { file: SourceFile; path: JsonPath; node: unknown; root: boolean }[] = [
    { file: set.root, path: [], node: set.root.data, root: true },
  ];
  for (const operation of operations) {
    const { file, path } = operation.location;
    places.push({ file, path: path.slice(0, -1), node: operation.pathItem, root: false });
    places.push({ file, path, node: operation.location.value, root: false });
  }
  const typos = new Map<string, GatewayMarkerTypo>();
  const add = (
    place: (typeof places)[number],
    keys: string[],
    value: unknown,
    expected: string,
    readAs = 'no mTLS marker there',
  ): void => {
    const path = [...place.path, ...keys];
    const id = `${place.file.path}#${path.join('/')}`;
    if (!typos.has(id))
      typos.set(id, {
        file: place.file,
        path,
        written: `${keys.join('.')}: ${JSON.stringify(value)}`,
        expected,
        readAs,
      });
  };
  for (const place of places) {
    if (!isObject(place.node)) continue;
    const wso2 = place.node['x-wso2-mutual-ssl'];
    if (wso2 !== undefined && !(typeof wso2 === 'string' && /^(?:mandatory|optional)$/i.test(wso2.trim())))
      add(place, ['x-wso2-mutual-ssl'], wso2, 'mandatory or optional');
    const kong = child(place.node['x-kong-plugin-mtls-auth'], 'enabled');
    if (kong !== undefined && typeof kong !== 'boolean')
      add(
        place,
        ['x-kong-plugin-mtls-auth', 'enabled'],
        kong,
        'true or false, unquoted',
        'the plugin as enabled (an mTLS marker), as for any value but false',
      );
    if (!place.root) continue;
    const server = ['x-tyk-api-gateway', 'server'];
    const enabled = child(place.node, ...server, 'clientCertificates', 'enabled');
    if (enabled !== undefined && typeof enabled !== 'boolean')
      add(place, [...server, 'clientCertificates', 'enabled'], enabled, 'true or false, unquoted');
    const token = [...server, 'authentication', 'securitySchemes', 'authToken', 'enableClientCertificate'];
    const dynamic = child(place.node, ...token);
    if (dynamic !== undefined && typeof dynamic !== 'boolean')
      add(place, token, dynamic, 'true or false, unquoted');
  }
  return [...typos.values()];
}
