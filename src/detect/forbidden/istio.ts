import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { asList, asObject, asText, dig } from '../yaml-documents.js';
import { patchedGatewayForbidden, type IstioProxyPatch } from './istio-envoy-filter.js';
import type { ProxyCodeFiles } from './proxy-code.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

/**
 * Istio's root namespace (`meshConfig.rootNamespace`, default `istio-system`): a policy there without a selector
 * applies to every workload of the mesh. Source: Istio docs, "Authorization Policy" reference (`selector`).
 */
const ROOT_NAMESPACE = 'istio-system';

/** An `AuthorizationPolicy` (security.istio.io) as far as it matters to a gateway's 403s. */
export interface IstioPolicy {
  name: string;
  /** Relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based line of its `action` (or of `spec` for the default ALLOW). */
  line: number;
  namespace?: string;
  /** `spec.selector.matchLabels`; undefined: no selector (the whole namespace, or the mesh from the root one). */
  selector?: Record<string, string>;
  /**
   * `targetRef` / `targetRefs` (Gateway API Gateways, waypoints): such a policy applies to what it targets, not
   * by selector (gateway-api.ts ties it to Gateway API gateways).
   */
  targets: { kind: string; name: string; sectionName?: string }[];
  action: 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';
  /** ALLOW only: a rule that matches every request (`rules: [{}]`), so it refuses nothing. */
  allowsAll: boolean;
  /** `to.operation.paths` of its rules (empty: every path). */
  paths: string[];
  /** `to.operation.hosts` of its rules (empty: every host). */
  hosts: string[];
}

/** An Istio `Gateway` server with mTLS, and the workload labels and namespace of its `Gateway`. */
export interface IstioGateway {
  finding: DetectFinding;
  file: string;
  selector: Record<string, string>;
  namespace?: string;
}

/** Adds the `AuthorizationPolicy` objects of `file` to `into`. Throws the YAML parser's error. */
export function readIstioPolicies(file: ScanFile, into: IstioPolicy[]): void {
  // `kind: X` (YAML), `"kind": "X"` (JSON), `kind = "X"` (a Terraform kubernetes_manifest).
  if (!/\bkind["']?\s*[:=]\s*["']?AuthorizationPolicy\b/.test(file.text)) return;
  for (const document of file.yamlDocuments()) {
    const data = document.data;
    if (asText(dig(data, 'kind')) !== 'AuthorizationPolicy') continue;
    if (!(asText(dig(data, 'apiVersion')) ?? '').startsWith('security.istio.io/')) continue;
    const action = (asText(dig(data, 'spec', 'action')) ?? 'ALLOW').toUpperCase();
    if (action !== 'ALLOW' && action !== 'DENY' && action !== 'CUSTOM' && action !== 'AUDIT') continue;
    const rules = asList(dig(data, 'spec', 'rules'));
    const matchLabels = asObject(dig(data, 'spec', 'selector', 'matchLabels'));
    into.push({
      name: asText(dig(data, 'metadata', 'name')) ?? '?',
      file: file.relative,
      line: document.lineOf(dig(data, 'spec', 'action') === undefined ? ['spec'] : ['spec', 'action']),
      namespace: asText(dig(data, 'metadata', 'namespace')),
      selector: matchLabels ? labels(matchLabels) : undefined,
      targets: [...asList(dig(data, 'spec', 'targetRefs')), dig(data, 'spec', 'targetRef')].flatMap((ref) => {
        const kind = asText(dig(ref, 'kind'));
        const name = asText(dig(ref, 'name'));
        return kind && name ? [{ kind, name, sectionName: asText(dig(ref, 'sectionName')) }] : [];
      }),
      action,
      allowsAll: rules.some((rule) => Object.keys(asObject(rule) ?? {}).length === 0),
      paths: rules.flatMap((rule) =>
        asList(dig(rule, 'to')).flatMap((to) =>
          asList(dig(to, 'operation', 'paths')).flatMap((value) => asText(value) ?? []),
        ),
      ),
      hosts: rules.flatMap((rule) =>
        asList(dig(rule, 'to')).flatMap((to) =>
          asList(dig(to, 'operation', 'hosts')).flatMap((value) => asText(value) ?? []),
        ),
      ),
    });
  }
}

/** The mTLS `Gateway` servers among `findings` (all from `file`), with their Gateway's selector and namespace. */
export function istioGateways(file: ScanFile, findings: readonly DetectFinding[]): IstioGateway[] {
  const istio = findings.filter(isIstioGateway);
  if (!istio.length) return [];
  const out: IstioGateway[] = [];
  for (const document of file.yamlDocuments()) {
    if (asText(dig(document.data, 'kind')) !== 'Gateway') continue;
    const servers = asList(dig(document.data, 'spec', 'servers'));
    const lines = new Set(
      servers.map((_, index) => document.lineOf(['spec', 'servers', index, 'tls', 'mode'])),
    );
    for (const finding of istio) {
      if (!lines.has(finding.line)) continue;
      out.push({
        finding,
        file: file.relative,
        selector: labels(asObject(dig(document.data, 'spec', 'selector')) ?? {}),
        namespace: asText(dig(document.data, 'metadata', 'namespace')),
      });
    }
  }
  return out;
}

/** Whether Istio is read for 403s at all: its gateways are, across files, in detectMtls. */
export function isIstioGateway(finding: DetectFinding): boolean {
  // A Gateway in Terraform `kubernetes_manifest` or in Pulumi / cdk8s code is read as the object it creates
  // (TerraformObjectsFile).
  return (
    finding.source === 'istio' &&
    (finding.reader === 'yaml' || finding.reader === '@cdktf/hcl2json' || finding.reader === 'typescript')
  );
}

/**
 * The 403s Istio's authorization answers at an mTLS ingress gateway: each `AuthorizationPolicy` in the scanned
 * files that applies to the gateway's workload, that is whose `selector.matchLabels` the `Gateway`'s `selector`
 * holds, or that has no selector and sits in the root namespace (`istio-system`) or the Gateway's namespace (or,
 * with neither namespace written, in the Gateway's file). A DENY policy answers 403 to the requests its rules match
 * (their paths); a CUSTOM policy sends the requests its rules match to its external authorizer; ALLOW policies answer 403 to every request none of them matches (unless one allows all); a
 * CUSTOM policy passes that authorizer's denial on (403 by default). AUDIT policies deny nothing.
 * Source: Istio docs, "Authorization Policy" (actions, "a request is denied with 403 if ...") and "Authorization
 * policy conditions". Istio has no setting for that status: the fix is an EnvoyFilter remapping it on the gateway,
 * or enforcing in the service; such an EnvoyFilter (`patches`) on the gateway's workload is honoured. The HTTP
 * filters EnvoyFilters insert there, and WasmPlugins, are read too (`patchedGatewayForbidden`). Policies with
 * `targetRef(s)` are not tied here.
 */
export function istioForbidden(
  gateways: readonly IstioGateway[],
  policies: readonly IstioPolicy[],
  status: number,
  patches: readonly IstioProxyPatch[],
  codeFiles: ProxyCodeFiles,
): ForbiddenResult {
  const result = noForbidden();
  const out: DetectForbidden[] = result.forbidden;
  for (const gateway of gateways) {
    const patching = patches.filter((patch) =>
      appliesTo({ ...patch, file: patch.file.relative, targets: patch.targeted ? [patch] : [] }, gateway),
    );
    const patched = patchedGatewayForbidden(gateway, patching, status, codeFiles);
    out.push(...patched.forbidden);
    result.notChecked.push(...patched.notChecked);
    // An EnvoyFilter mapping 403 to another status on this gateway (the fix below) covers Istio's denials too.
    if (patching.some((patch) => patch.remaps403)) continue;
    const applying = policies.filter((policy) => applies(policy, gateway));
    // A policy with a selector the Gateway's does not hold, whose rules name this gateway's mTLS host: written for
    // it (the gateway's pods often carry more labels than its selector names, such as the istio/gateway chart's
    // `app` and `istio`), so it cannot be passed over; whether it applies depends on those pods' labels.
    const gatewayHosts = new Set(gateway.finding.hosts.map(comparableHost));
    for (const policy of policies) {
      if (policy.action === 'AUDIT' || applying.includes(policy) || policy.targets.length || !policy.selector)
        continue;
      const named = policy.hosts.find((host) => gatewayHosts.has(comparableHost(host)));
      if (!named) continue;
      result.unplaced.push({
        file: policy.file,
        line: policy.line,
        source: 'istio',
        evidence: `AuthorizationPolicy ${policy.name} (${policy.action}): ${ISTIO_DENIALS[policy.action]}`,
        reason:
          `its rules name the mTLS host ${named} of the Gateway at ${gateway.finding.file}:${gateway.finding.line}, but ` +
          `its ${describe(policy)} is not the Gateway's selector (${labelText(gateway.selector)}): it applies, and ` +
          `answers 403 there, if the gateway's pods also carry those labels; check them`,
      });
    }
    const allows = applying.filter((policy) => policy.action === 'ALLOW');
    const refusesRest = allows.length > 0 && !allows.some((policy) => policy.allowsAll);
    for (const policy of applying) {
      if (policy.action === 'AUDIT' || (policy.action === 'ALLOW' && !refusesRest)) continue;
      out.push({
        ...forbiddenUnder(gateway.finding, {
          line: policy.line,
          source: 'istio',
          evidence: `AuthorizationPolicy ${policy.name} (${policy.action}): ${ISTIO_DENIALS[policy.action]}`,
          paths: policy.action === 'ALLOW' ? [] : [...new Set(policy.paths)],
          fix: `Istio answers these denials with 403 and has no setting for it: add an EnvoyFilter on the gateway workload patching the HttpConnectionManager's local_reply_config with a mapper { filter: { status_code_filter: { comparison: { op: EQ, value: { default_value: 403, runtime_key: mtls_fix.status } } } }, status_code: ${status} }, or deny in the service and answer ${status} there`,
          note: `applies to the gateway's workload (${describe(policy)})`,
        }),
        file: policy.file,
      });
    }
  }
  return result;
}

/** What each action answers, for the evidence (also of Gateway API gateways, gateway-api.ts). */
export const ISTIO_DENIALS: Record<IstioPolicy['action'], string> = {
  DENY: 'Istio answers 403 (RBAC: access denied) to the requests its rules match',
  ALLOW: 'Istio answers 403 (RBAC: access denied) to every request no ALLOW policy matches',
  CUSTOM: 'the external authorizer decides; its denials are passed on (403 by default)',
  AUDIT: 'denies nothing',
};

function applies(policy: IstioPolicy, gateway: IstioGateway): boolean {
  return appliesTo(policy, gateway);
}

/**
 * Does a resource with this selector / namespace / file (an AuthorizationPolicy, an EnvoyFilter's
 * `workloadSelector`, a WasmPlugin's `selector`) apply to the gateway's workload? One with `targetRef(s)` does not.
 */
function appliesTo(
  policy: {
    targets: readonly unknown[];
    selector?: Record<string, string>;
    namespace?: string;
    file: string;
  },
  gateway: IstioGateway,
): boolean {
  if (policy.targets.length) return false;
  if (policy.selector) {
    const entries = Object.entries(policy.selector);
    return entries.length > 0 && entries.every(([key, value]) => gateway.selector[key] === value);
  }
  if (policy.namespace === ROOT_NAMESPACE) return true;
  if (policy.namespace !== undefined) return policy.namespace === (gateway.namespace ?? ROOT_NAMESPACE);
  return gateway.namespace === undefined && policy.file === gateway.file;
}

function describe(policy: IstioPolicy): string {
  if (policy.selector)
    return `selector ${Object.entries(policy.selector)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`;
  return policy.namespace === ROOT_NAMESPACE
    ? 'no selector, in the root namespace: the whole mesh'
    : `no selector, in namespace ${policy.namespace ?? "of the Gateway's file"}: it applies when the gateway's pods run in that namespace (the Gateway object's namespace is taken for theirs)`;
}

/** `key=value, ...`. */
function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/**
 * A host as a policy or a Gateway writes it, comparable: without a port (`:*`, `:443`), a namespace prefix
 * (`ns/`), and a template placeholder read either way (`${name}`, `$name` padded) as `$name`.
 */
function comparableHost(host: string): string {
  return host
    .trim()
    .replace(/^[^/]*\//, '')
    .replace(/\$\{([^}]*)\}/g, (_, name: string) => `$${name.replace(/[^A-Za-z0-9_]/g, '')}`)
    .replace(/:(?:\*|\d+)$/, '')
    .toLowerCase();
}

/** A YAML map of labels as strings. */
function labels(map: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : asText(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}
