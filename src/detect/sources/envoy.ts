import type { ScanFile } from '../scan-file.js';
import { nonHttpSkip } from '../left-out.js';
import type { DetectFinding, DetectSkip } from '../types.js';
import { snakeCaseDocument } from '../envoy-fields.js';
import { asList, asObject, type YamlDocument } from '../yaml-documents.js';

/**
 * Envoy `DownstreamTlsContext` with `require_client_certificate: true` (required), or with a
 * `validation_context` and no such flag (Envoy then asks for a certificate and accepts none: optional).
 * Hosts are the filter chain's `filter_chain_match.server_names` and its virtual hosts' `domains`. Fields in
 * their protobuf JSON names (`requireClientCertificate`, `filterChainMatch`) are read as their snake_case ones.
 * A filter chain whose filters hold no HTTP connection manager (`tcp_proxy`, `mysql_proxy`, ...) carries no
 * HTTP: it is pushed to `skipped` as not HTTP, not a finding.
 */
export function readEnvoy(file: ScanFile, documents: YamlDocument[], skipped: DetectSkip[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents.map(snakeCaseDocument)) {
    const visit = (node: unknown, path: (string | number)[], chain: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach((item, index) => visit(item, [...path, index], chain));
        return;
      }
      const object = asObject(node);
      if (!object) return;
      const here =
        'filter_chain_match' in object || ('filters' in object && 'transport_socket' in object)
          ? object
          : chain;
      const required = object.require_client_certificate ?? object.requireClientCertificate;
      const common = asObject(object.common_tls_context ?? object.commonTlsContext);
      const validating =
        common &&
        (common.validation_context ||
          common.combined_validation_context ||
          common.validation_context_sds_secret_config);
      if (required === true || (required === undefined && validating && isDownstream(object))) {
        const key =
          required === true
            ? 'require_client_certificate' in object
              ? 'require_client_certificate'
              : 'requireClientCertificate'
            : 'common_tls_context';
        const proxy = nonHttpFilter(here);
        if (proxy !== undefined) {
          skipped.push(
            nonHttpSkip(
              file,
              document.lineOf([...path, key]),
              `the Envoy filter chain with ${proxy} and no HTTP connection manager`,
            ),
          );
          for (const [name, child] of Object.entries(object)) visit(child, [...path, name], here);
          return;
        }
        findings.push(
          file.finding(
            document.lineOf([...path, key]),
            'envoy',
            required === true ? 'required' : 'optional',
            'yaml',
            {
              hosts: chainHosts(here),
              note:
                required === true
                  ? undefined
                  : 'a validation context without require_client_certificate: the certificate is asked for, not required',
            },
          ),
        );
      }
      for (const [name, child] of Object.entries(object)) visit(child, [...path, name], here);
    };
    visit(document.data, [], undefined);
  }
  return findings;
}

/**
 * The first network filter of a filter chain that holds filters but no HTTP connection manager (the filter's
 * name, `envoy.filters.network.tcp_proxy`), or undefined: an HTTP chain, or one whose filters are not written
 * here (an `on_demand` / LDS-only snippet), which stays a finding.
 */
function nonHttpFilter(chain: unknown): string | undefined {
  const filters = asList(asObject(chain)?.filters);
  if (filters.length === 0) return undefined;
  const named = filters.map((filter) => {
    const object = asObject(filter);
    const type = asObject(object?.typed_config)?.['@type'];
    return {
      name: typeof object?.name === 'string' ? object.name : '',
      type: typeof type === 'string' ? type : '',
    };
  });
  if (named.some(({ name, type }) => /http_connection_manager|HttpConnectionManager/.test(`${name} ${type}`)))
    return undefined;
  const first = named.find(({ name, type }) => name !== '' || type !== '');
  if (!first) return undefined;
  return first.name || first.type.replace(/^.*\./, '');
}

function isDownstream(object: Record<string, unknown>): boolean {
  const type = object['@type'];
  return typeof type !== 'string' || type.includes('DownstreamTlsContext');
}

function chainHosts(chain: unknown): string[] {
  const hosts = new Set<string>();
  const object = asObject(chain);
  if (!object) return [];
  for (const name of asList(asObject(object.filter_chain_match)?.server_names))
    if (typeof name === 'string') hosts.add(name);
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    const value = asObject(node);
    if (!value) return;
    for (const domain of asList(value.domains))
      if (typeof domain === 'string' && domain !== '*') hosts.add(domain.replace(/:\d+$/, ''));
    Object.values(value).forEach(collect);
  };
  collect(object.filters);
  return [...hosts];
}
