import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asObject, asText, type YamlDocument } from '../yaml-documents.js';
import { snakeCaseDocument } from '../envoy-fields.js';
import { envoyFilterForbidden } from './envoy-code.js';
import type { ProxyCodeFiles } from './proxy-code.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

type Path = (string | number)[];

/**
 * 403s Envoy answers itself in a filter chain whose `DownstreamTlsContext` asks for a client certificate
 * (the finding): a route's `direct_response` with `status: 403`, and the HTTP RBAC filter
 * (`envoy.filters.http.rbac`, denied requests get 403; per-route `typed_per_filter_config` too) unless
 * its HttpConnectionManager's `local_reply_config` maps 403 to another status. Action `LOG` never denies.
 */
export function envoyForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
  files: ProxyCodeFiles,
): ForbiddenResult {
  const result = noForbidden();
  for (const document of file.yamlDocuments().map(snakeCaseDocument)) {
    walk(document.data, [], (node, path) => {
      if (!('filters' in node) || !('transport_socket' in node || 'filter_chain_match' in node)) return false;
      const tls = findMtlsKey(node.transport_socket, [...path, 'transport_socket']);
      const finding = tls && findings.find((f) => f.line === document.lineOf(tls));
      if (!finding) return true;
      chainForbidden({ file, document, files }, node.filters, [...path, 'filters'], finding, status, result);
      return true;
    });
  }
  return result;
}

function chainForbidden(
  source: { file: ScanFile; document: YamlDocument; files: ProxyCodeFiles },
  filters: unknown,
  at: Path,
  finding: DetectFinding,
  status: number,
  result: ForbiddenResult,
): void {
  const { document } = source;
  walk(filters, at, (manager, path) => {
    if (!('route_config' in manager) && !('http_filters' in manager)) return false;
    const remapped = remapsForbidden(manager);
    const add = (line: Path, evidence: string, paths: string[], fix: string): void => {
      result.forbidden.push(
        forbiddenUnder(finding, { line: document.lineOf(line), source: 'envoy', evidence, paths, fix }),
      );
    };
    const rbacFix = `the RBAC filter answers 403 and has no status setting: add to this HttpConnectionManager \`local_reply_config: { mappers: [{ filter: { status_code_filter: { comparison: { op: EQ, value: { default_value: 403, runtime_key: mtls_fix.status } } } }, status_code: ${status} }] }\``;
    asList(manager.http_filters).forEach((filter, index) => {
      const object = asObject(filter);
      if (object)
        envoyFilterForbidden(object, {
          ...source,
          at: [...path, 'http_filters', index],
          finding,
          remapped,
          status,
          result,
        });
      const type = asText(asObject(object?.typed_config)?.['@type']) ?? '';
      if (!((asText(object?.name) ?? '').includes('rbac') || type.includes('rbac.v3.RBAC'))) return;
      const rules = asObject(asObject(object?.typed_config)?.rules);
      if (!rules || (asText(rules.action) ?? 'ALLOW') === 'LOG' || remapped) return;
      add(
        [...path, 'http_filters', index, 'name'],
        `${asText(object?.name) ?? 'rbac'} (rules.action ${asText(rules.action) ?? 'ALLOW'})`,
        [],
        rbacFix,
      );
    });
    walk(manager.route_config, [...path, 'route_config'], (route, routePath) => {
      if (!('match' in route)) return false;
      const paths = matchPaths(route.match);
      const direct = asObject(route.direct_response);
      if (direct && Number(direct.status) === 403)
        add(
          [...routePath, 'direct_response', 'status'],
          'direct_response: { status: 403 }',
          paths,
          `direct_response: { status: ${status} }`,
        );
      const perFilter = asObject(route.typed_per_filter_config);
      for (const [name, config] of Object.entries(perFilter ?? {})) {
        const rules = asObject(asObject(asObject(config)?.rbac)?.rules);
        if (name.includes('rbac') && rules && (asText(rules.action) ?? 'ALLOW') !== 'LOG' && !remapped)
          add(
            [...routePath, 'typed_per_filter_config', name],
            `${name} per route (rules.action ${asText(rules.action) ?? 'ALLOW'})`,
            paths,
            rbacFix,
          );
      }
      return true;
    });
    return true;
  });
}

function matchPaths(match: unknown): string[] {
  const object = asObject(match);
  const value =
    object?.prefix ?? object?.path ?? object?.path_separated_prefix ?? asObject(object?.safe_regex)?.regex;
  return typeof value === 'string' ? [value] : [];
}

/** The path of `require_client_certificate: true`, or of `common_tls_context` holding a validation context. */
function findMtlsKey(node: unknown, at: Path): Path | undefined {
  let found: Path | undefined;
  walk(node, at, (object, path) => {
    if (found) return true;
    const required = object.require_client_certificate ?? object.requireClientCertificate;
    if (required === true) {
      found = [
        ...path,
        'require_client_certificate' in object ? 'require_client_certificate' : 'requireClientCertificate',
      ];
      return true;
    }
    const common = asObject(object.common_tls_context ?? object.commonTlsContext);
    if (
      required === undefined &&
      common &&
      (common.validation_context ||
        common.combined_validation_context ||
        common.validation_context_sds_secret_config)
    ) {
      found = [...path, 'common_tls_context'];
      return true;
    }
    return false;
  });
  return found;
}

/** Depth-first over objects; `visit` returns true to stop descending below that object. */
function walk(
  node: unknown,
  at: Path,
  visit: (object: Record<string, unknown>, path: Path) => boolean,
): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, [...at, index], visit));
    return;
  }
  const object = asObject(node);
  if (!object || visit(object, at)) return;
  for (const [key, child] of Object.entries(object)) walk(child, [...at, key], visit);
}

/**
 * Does this HttpConnectionManager (snake_case fields) map local replies of 403 to another status
 * (`local_reply_config.mappers[]` with a `status_code_filter` EQ 403 and another `status_code`)?
 */
export function remapsForbidden(manager: Record<string, unknown>): boolean {
  return asList(asObject(manager.local_reply_config)?.mappers).some((mapper) => {
    const object = asObject(mapper);
    const value = asObject(
      asObject(asObject(asObject(object?.filter)?.status_code_filter)?.comparison)?.value,
    )?.default_value;
    return Number(value) === 403 && object?.status_code !== undefined && Number(object.status_code) !== 403;
  });
}
