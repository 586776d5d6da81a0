import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';

/**
 * Kong Gateway plugins that ask the client for a certificate:
 * - `mtls-auth` (Kong Gateway Enterprise): "If no valid certificate is provided [...] the response is HTTP 401",
 *   unless `config.anonymous` lets the request through (then the certificate is asked for but optional);
 * - `tls-handshake-modifier` (Enterprise): asks for a client certificate and accepts a handshake without one.
 * Both ask in the certificate phase, which knows no route: "Kong Gateway requests a client certificate during every
 * TLS handshake if the mtls-auth plugin is configured on any Route or Service" (Kong docs, "Mutual TLS
 * Authentication", "Client certificate request"). So every host this Kong serves sees the client's certificate,
 * not only the routes the plugin is on: the finding's hosts are every route's hosts.
 * Read from decK / DB-less declarative configuration (`_format_version`; plugins at the top level, under
 * `services`, `services[].routes`, `routes`) and Kong Ingress Controller `KongPlugin` / `KongClusterPlugin`
 * resources (configuration.konghq.com).
 */
export const KONG_CERTIFICATE_PLUGINS: ReadonlyMap<string, DetectMode> = new Map([
  ['mtls-auth', 'required'],
  ['tls-handshake-modifier', 'optional'],
]);

/** One plugin entry of a declarative configuration, with where it is written. */
export interface KongPluginEntry {
  /** The plugin's name (`acl`, `mtls-auth`, ...). */
  name: string;
  /** The plugin object as written (`config`, `enabled`, `service`, `route`...). */
  plugin: Record<string, unknown>;
  /** The YAML path of the plugin object in its document. */
  path: (string | number)[];
  /** Paths of the routes it applies to (empty: every route: a global plugin or one on a consumer). */
  paths: string[];
}

/** Whether a parsed YAML/JSON document is a decK / DB-less Kong declarative configuration. */
export function isKongDeclarative(data: unknown): boolean {
  const root = asObject(data);
  return root !== undefined && '_format_version' in root;
}

/** Whether a parsed document is a Kong Ingress Controller `KongPlugin` / `KongClusterPlugin`. */
export function isKongPluginResource(data: unknown): boolean {
  const kind = asText(dig(data, 'kind'));
  return (
    (kind === 'KongPlugin' || kind === 'KongClusterPlugin') &&
    (asText(dig(data, 'apiVersion')) ?? '').startsWith('configuration.konghq.com/')
  );
}

/**
 * Every plugin of a declarative configuration: top-level `plugins` (scoped by `service` / `route` names or ids),
 * `services[].plugins`, `services[].routes[].plugins`, `routes[].plugins`, with the paths of the routes each one
 * covers. A plugin with `enabled: false` is left out (Kong does not run it).
 */
export function kongPlugins(data: unknown): KongPluginEntry[] {
  const services = asList(dig(data, 'services')).map(asObject);
  const topRoutes = asList(dig(data, 'routes')).map(asObject);
  const routePaths = (route: Record<string, unknown> | undefined): string[] =>
    asList(route?.paths).filter((p): p is string => typeof p === 'string');
  const serviceRoutes = (service: Record<string, unknown> | undefined): Record<string, unknown>[] => {
    const own = asList(service?.routes)
      .map(asObject)
      .filter((r) => r !== undefined);
    const named = [asText(service?.name), asText(service?.id)].filter((n) => n !== undefined);
    const linked = topRoutes.filter(
      (route): route is Record<string, unknown> =>
        route !== undefined &&
        named.includes(asText(dig(route, 'service')) ?? asText(dig(route, 'service', 'name')) ?? ''),
    );
    return [...own, ...linked];
  };
  const allRoutes = [
    ...services.flatMap((service) =>
      asList(service?.routes)
        .map(asObject)
        .filter((r) => r !== undefined),
    ),
    ...topRoutes.filter((r) => r !== undefined),
  ];
  const byName = (list: (Record<string, unknown> | undefined)[], reference: unknown) => {
    const wanted = asText(reference) ?? asText(dig(reference, 'name')) ?? asText(dig(reference, 'id'));
    return list.find((item) => item && (asText(item.name) === wanted || asText(item.id) === wanted));
  };
  const out: KongPluginEntry[] = [];
  const add = (plugin: unknown, path: (string | number)[], paths: string[]): void => {
    const object = asObject(plugin);
    const name = asText(object?.name);
    if (!object || !name || object.enabled === false) return;
    out.push({ name, plugin: object, path, paths });
  };
  asList(dig(data, 'plugins')).forEach((plugin, index) => {
    const route = dig(plugin, 'route');
    const service = dig(plugin, 'service');
    const paths =
      route !== undefined
        ? routePaths(byName(allRoutes, route))
        : service !== undefined
          ? serviceRoutes(byName(services, service)).flatMap(routePaths)
          : [];
    add(plugin, ['plugins', index], paths);
  });
  services.forEach((service, s) => {
    const covered = serviceRoutes(service).flatMap(routePaths);
    asList(service?.plugins).forEach((plugin, index) =>
      add(plugin, ['services', s, 'plugins', index], covered),
    );
    asList(service?.routes).forEach((route, r) =>
      asList(dig(route, 'plugins')).forEach((plugin, index) =>
        add(plugin, ['services', s, 'routes', r, 'plugins', index], routePaths(asObject(route))),
      ),
    );
  });
  topRoutes.forEach((route, r) =>
    asList(route?.plugins).forEach((plugin, index) =>
      add(plugin, ['routes', r, 'plugins', index], routePaths(route)),
    ),
  );
  return out;
}

/**
 * The hosts a declarative configuration serves: every route's `hosts` (and `snis`); empty when any route names
 * none (it serves every host), or when there is no route.
 */
export function kongServedHosts(data: unknown): string[] {
  const routes = [
    ...asList(dig(data, 'services')).flatMap((service) => asList(dig(service, 'routes'))),
    ...asList(dig(data, 'routes')),
  ];
  const hosts = new Set<string>();
  for (const route of routes) {
    const named = [...asList(dig(route, 'hosts')), ...asList(dig(route, 'snis'))].filter(
      (host): host is string => typeof host === 'string',
    );
    if (named.length === 0) return [];
    named.forEach((host) => hosts.add(host));
  }
  return [...hosts];
}

const EVERY_HANDSHAKE =
  'Kong asks for the client certificate in every TLS handshake once this plugin is on any route or service, ' +
  'so every host it serves sees the certificate';

/**
 * Kong plugins that ask for a client certificate ({@link KONG_CERTIFICATE_PLUGINS}) in one YAML/JSON file: the
 * declarative configuration's plugins (hosts: every route's hosts, see above) and `KongPlugin` /
 * `KongClusterPlugin` resources (hosts: none, i.e. every host: the resources that use them are elsewhere and
 * the certificate is asked for in every handshake anyway).
 */
export function readKong(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    if (isKongDeclarative(document.data)) {
      const hosts = kongServedHosts(document.data);
      for (const entry of kongPlugins(document.data)) {
        const mode = KONG_CERTIFICATE_PLUGINS.get(entry.name);
        if (!mode) continue;
        const anonymous = entry.name === 'mtls-auth' && asText(dig(entry.plugin, 'config', 'anonymous'));
        findings.push(
          file.finding(
            document.lineOf([...entry.path, 'name']),
            'kong',
            anonymous ? 'optional' : mode,
            'yaml',
            {
              hosts,
              // Every handshake, every path: the routes it is on are named in the note (before session 27 they
              // were its paths, which read as if only those were mTLS).
              paths: [],
              evidence: document.evidence([...entry.path, 'name']),
              note:
                `${EVERY_HANDSHAKE}${entry.paths.length ? ` (it is on the routes of ${entry.paths.join(', ')})` : ''}` +
                `${anonymous ? '; `config.anonymous` lets a request without one through' : ''}`,
            },
          ),
        );
      }
    } else if (isKongPluginResource(document.data)) {
      const name = asText(dig(document.data, 'plugin')) ?? '';
      const mode = KONG_CERTIFICATE_PLUGINS.get(name);
      if (!mode || dig(document.data, 'disabled') === true) continue;
      const anonymous = name === 'mtls-auth' && asText(dig(document.data, 'config', 'anonymous'));
      findings.push(
        file.finding(document.lineOf(['plugin']), 'kong', anonymous ? 'optional' : mode, 'yaml', {
          evidence: document.evidence(['plugin']),
          note:
            `${asText(dig(document.data, 'kind'))} \`${asText(dig(document.data, 'metadata', 'name')) ?? name}\`: ` +
            `${EVERY_HANDSHAKE}`,
        }),
      );
    }
  }
  return findings;
}
