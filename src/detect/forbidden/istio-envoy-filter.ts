import { snakeCaseDocument } from '../envoy-fields.js';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { envoyFilterForbidden } from './envoy-code.js';
import { remapsForbidden } from './envoy.js';
import type { ProxyCodeFiles } from './proxy-code.js';
import { noForbidden, type ForbiddenResult } from './result.js';

/**
 * An Istio `EnvoyFilter` (networking.istio.io) or `WasmPlugin` (extensions.istio.io) that can reach a gateway's
 * Envoy: HTTP filters it inserts (a Lua filter answering 403, an ext_authz), a `local_reply_config` it merges
 * into the HttpConnectionManager (a 403 remap: the fix detect proposes for Istio's own denials), or a Wasm module.
 */
export interface IstioProxyPatch {
  kind: 'EnvoyFilter' | 'WasmPlugin';
  name: string;
  file: ScanFile;
  /** The resource's document, snake_case view (`snakeCaseDocument`). */
  document: YamlDocument;
  line: number;
  namespace?: string;
  /** `workloadSelector.labels` (EnvoyFilter) / `selector.matchLabels` (WasmPlugin); undefined: none. */
  selector?: Record<string, string>;
  /** `targetRef(s)`: tied to what they target, not to an Istio Gateway's workload. */
  targeted: boolean;
  /** HTTP filters the patches insert, with their paths in the document. */
  httpFilters: { at: (string | number)[]; value: Record<string, unknown> }[];
  /** A patch merges a `local_reply_config` that maps 403 to another status. */
  remaps403: boolean;
}

/**
 * Adds the `EnvoyFilter` and `WasmPlugin` resources of `file` to `into`. Patches for sidecars
 * (`match.context: SIDECAR_INBOUND` / `SIDECAR_OUTBOUND`) are left out: they never run in a gateway.
 */
export function readIstioProxyPatches(file: ScanFile, into: IstioProxyPatch[]): void {
  // `kind: X` (YAML), `"kind": "X"` (JSON), `kind = "X"` (a Terraform kubernetes_manifest).
  if (!/\bkind["']?\s*[:=]\s*["']?(EnvoyFilter|WasmPlugin)\b/.test(file.text)) return;
  for (const raw of file.yamlDocuments()) {
    const document = snakeCaseDocument(raw);
    const data = document.data;
    const kind = asText(dig(data, 'kind'));
    const apiVersion = asText(dig(data, 'api_version')) ?? asText(dig(data, 'apiVersion')) ?? '';
    if (!(
      (kind === 'EnvoyFilter' && apiVersion.startsWith('networking.istio.io/')) ||
      (kind === 'WasmPlugin' && apiVersion.startsWith('extensions.istio.io/'))
    ))
      continue;
    // Label keys as written (the snake_case view would rename a camelCase label key).
    const selector = asObject(
      dig(raw.data, 'spec', 'workloadSelector', 'labels') ??
        dig(raw.data, 'spec', 'workload_selector', 'labels') ??
        dig(raw.data, 'spec', 'selector', 'matchLabels'),
    );
    const patch: IstioProxyPatch = {
      kind,
      name: asText(dig(data, 'metadata', 'name')) ?? '?',
      file,
      document,
      line: document.lineOf(['kind']),
      namespace: asText(dig(data, 'metadata', 'namespace')),
      selector: selector ? stringLabels(selector) : undefined,
      targeted:
        dig(data, 'spec', 'target_ref') !== undefined || asList(dig(data, 'spec', 'target_refs')).length > 0,
      httpFilters: [],
      remaps403: false,
    };
    asList(dig(data, 'spec', 'config_patches')).forEach((entry, index) => {
      const context = asText(dig(entry, 'match', 'context')) ?? 'ANY';
      if (context !== 'ANY' && context !== 'GATEWAY') return;
      const value = asObject(dig(entry, 'patch', 'value'));
      if (!value) return;
      const applyTo = asText(dig(entry, 'apply_to')) ?? '';
      if (applyTo === 'HTTP_FILTER')
        patch.httpFilters.push({ at: ['spec', 'config_patches', index, 'patch', 'value'], value });
      const manager = asObject(value.typed_config) ?? value;
      if (remapsForbidden(manager)) patch.remaps403 = true;
    });
    into.push(patch);
  }
}

/** A gateway workload as patches see it. */
export interface PatchedGateway {
  finding: DetectFinding;
}

/**
 * The 403s of the filters `patches` put in `gateway`'s Envoy (`envoyFilterForbidden`: Lua code, ext_authz,
 * jwt_authn, csrf...), none when one of them remaps 403; each `WasmPlugin` is listed as not checked.
 */
export function patchedGatewayForbidden(
  gateway: PatchedGateway,
  patches: readonly IstioProxyPatch[],
  status: number,
  files: ProxyCodeFiles,
): ForbiddenResult {
  const result = noForbidden();
  if (patches.some((patch) => patch.remaps403)) return result;
  for (const patch of patches) {
    if (patch.kind === 'WasmPlugin') {
      result.notChecked.push(
        `${patch.file.relative}:${patch.line} istio (WasmPlugin ${patch.name} on the mTLS gateway's workload answers what its module decides; check it for 403s)`,
      );
      continue;
    }
    for (const filter of patch.httpFilters)
      envoyFilterForbidden(filter.value, {
        file: patch.file,
        document: patch.document,
        at: filter.at,
        finding: gateway.finding,
        remapped: false,
        status,
        files,
        result,
      });
  }
  for (const entry of result.forbidden) entry.source = 'istio';
  return result;
}

function stringLabels(map: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : asText(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}
