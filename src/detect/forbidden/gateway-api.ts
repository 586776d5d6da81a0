import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectForbidden } from '../types.js';
import { asList, asObject, asText, dig } from '../yaml-documents.js';
import { forbiddenUnder } from './result.js';
import { ISTIO_DENIALS, type IstioPolicy } from './istio.js';

/** A Gateway API mTLS finding and the Gateway (and listener) it is on. */
export interface GatewayApiTarget {
  finding: DetectFinding;
  /** The Gateway's `metadata.name` (for an Envoy Gateway ClientTrafficPolicy: each Gateway it targets). */
  gateways: string[];
  /** The listener's `name` for a per-listener finding; undefined: every listener of the Gateway. */
  listener?: string;
}

/** A policy that answers 403 itself on the Gateways or HTTPRoutes it targets. */
export interface GatewayPolicy {
  /** `SecurityPolicy <name>` / `AuthorizationPolicy <name>`. */
  name: string;
  /** Relative to the working folder, `/`-separated. */
  file: string;
  line: number;
  /** What answers 403, for the evidence. */
  what: string;
  /** `targetRef` / `targetRefs`: Gateway or HTTPRoute, with the listener (`sectionName`) when given. */
  targets: { kind: string; name: string; sectionName?: string }[];
  /** Request paths the denial is limited to (empty: every path). */
  paths: string[];
}

/**
 * HTTPRoute name -> the Gateways it attaches to (`parentRefs` of kind Gateway, the default kind) and the paths its
 * rules match (`matches[].path.value`; empty: every path).
 */
export type RouteParents = Map<string, { gateways: string[]; paths: string[] }>;

/**
 * The Gateway API mTLS findings among `findings` (all from `file`), each with its Gateway's name: a listener's
 * `frontendValidation` and a Gateway's `spec.tls.frontend` are on that Gateway; an Envoy Gateway
 * `ClientTrafficPolicy` on the Gateways it targets. Throws the YAML parser's error.
 */
export function gatewayApiTargets(file: ScanFile, findings: readonly DetectFinding[]): GatewayApiTarget[] {
  const own = findings.filter(isGatewayApiYaml);
  if (!own.length) return [];
  const out: GatewayApiTarget[] = [];
  for (const document of file.yamlDocuments()) {
    const data = document.data;
    const kind = asText(dig(data, 'kind'));
    const name = asText(dig(data, 'metadata', 'name')) ?? '';
    if (kind === 'Gateway') {
      const listeners = asList(dig(data, 'spec', 'listeners'));
      const lines = new Map<number, string | undefined>();
      listeners.forEach((listener, index) =>
        lines.set(
          document.lineOf(['spec', 'listeners', index, 'tls', 'frontendValidation']),
          asText(dig(listener, 'name')),
        ),
      );
      const wide = new Set<number>([document.lineOf(['spec', 'tls', 'frontend', 'default', 'validation'])]);
      asList(dig(data, 'spec', 'tls', 'frontend', 'perPort')).forEach((_, index) =>
        wide.add(document.lineOf(['spec', 'tls', 'frontend', 'perPort', index])),
      );
      for (const finding of own) {
        if (lines.has(finding.line) && dig(data, 'spec', 'listeners') !== undefined)
          out.push({ finding, gateways: [name], listener: lines.get(finding.line) });
        else if (wide.has(finding.line)) out.push({ finding, gateways: [name] });
      }
    }
    if (kind === 'ClientTrafficPolicy') {
      const line = document.lineOf(['spec', 'tls', 'clientValidation']);
      const gateways = targetsOf(data)
        .filter((target) => target.kind === 'Gateway')
        .map((target) => target.name);
      for (const finding of own) if (finding.line === line) out.push({ finding, gateways });
    }
  }
  return out;
}

/**
 * Adds to `policies` the policies of `file` that answer 403 on what they target, and to `routes` its HTTPRoutes'
 * Gateways: Envoy Gateway `SecurityPolicy` (gateway.envoyproxy.io) with `authorization` that can deny (a
 * `defaultAction` of Deny, written or by default, or a rule with `action: Deny`: "the request is denied with 403 Forbidden", Envoy Gateway
 * docs, "Authorization") or with `extAuth` (the external service's denial is passed on, 403 by default). Istio policies with `targetRef(s)`
 * come from istio.ts ({@link targetedIstioPolicies}). Throws the YAML parser's error.
 */
export function readGatewayPolicies(file: ScanFile, policies: GatewayPolicy[], routes: RouteParents): void {
  if (!/SecurityPolicy|HTTPRoute/.test(file.text)) return;
  for (const document of file.yamlDocuments()) {
    const data = document.data;
    const kind = asText(dig(data, 'kind'));
    const api = asText(dig(data, 'apiVersion')) ?? '';
    const name = asText(dig(data, 'metadata', 'name')) ?? '?';
    if (kind === 'HTTPRoute' && api.startsWith('gateway.networking.k8s.io/')) {
      const parents = asList(dig(data, 'spec', 'parentRefs'))
        .filter((ref) => (asText(dig(ref, 'kind')) ?? 'Gateway') === 'Gateway')
        .flatMap((ref) => asText(dig(ref, 'name')) ?? []);
      const rules = asList(dig(data, 'spec', 'rules'));
      const matches = rules.flatMap((rule) => asList(dig(rule, 'matches')));
      // A rule without matches (or a match without a path) matches every path.
      const every =
        rules.some((rule) => asList(dig(rule, 'matches')).length === 0) ||
        matches.some((match) => asText(dig(match, 'path', 'value')) === undefined);
      const paths = every ? [] : matches.flatMap((match) => asText(dig(match, 'path', 'value')) ?? []);
      const known = routes.get(name);
      routes.set(name, {
        gateways: [...(known?.gateways ?? []), ...parents],
        paths:
          known && (known.paths.length === 0 || paths.length === 0)
            ? []
            : [...(known?.paths ?? []), ...paths],
      });
    }
    if (kind === 'SecurityPolicy' && api.startsWith('gateway.envoyproxy.io/')) {
      const authorization = asObject(dig(data, 'spec', 'authorization'));
      const denies =
        authorization !== undefined &&
        // `defaultAction` defaults to Deny (Envoy Gateway API reference, `Authorization`): `authorization: {}` denies all.
        ((asText(authorization.defaultAction) ?? 'Deny') === 'Deny' ||
          asList(authorization.rules).some((rule) => asText(dig(rule, 'action')) === 'Deny'));
      if (denies)
        policies.push({
          name: `SecurityPolicy ${name}`,
          file: file.relative,
          line: document.lineOf(['spec', 'authorization']),
          what: 'Envoy Gateway answers 403 to a request its authorization denies',
          targets: targetsOf(data),
          paths: [],
        });
      if (dig(data, 'spec', 'extAuth') !== undefined)
        policies.push({
          name: `SecurityPolicy ${name}`,
          file: file.relative,
          line: document.lineOf(['spec', 'extAuth']),
          what: 'the external authorization service decides; its denial is passed on (403 when it gives none)',
          targets: targetsOf(data),
          paths: [],
        });
    }
  }
}

/**
 * The Istio `AuthorizationPolicy` objects with `targetRef(s)` (read by istio.ts) as Gateway API policies: DENY
 * (the requests its rules match), CUSTOM (its external authorizer's denials), ALLOW without an allow-all rule
 * (every request it does not allow); AUDIT denies nothing.
 */
export function targetedIstioPolicies(policies: readonly IstioPolicy[]): GatewayPolicy[] {
  return policies.flatMap((policy) => {
    if (!policy.targets.length || policy.action === 'AUDIT') return [];
    if (policy.action === 'ALLOW' && policy.allowsAll) return [];
    return [
      {
        name: `AuthorizationPolicy ${policy.name}`,
        file: policy.file,
        line: policy.line,
        what: ISTIO_DENIALS[policy.action],
        targets: policy.targets,
        paths: policy.action === 'ALLOW' ? [] : policy.paths,
      },
    ];
  });
}

/**
 * The 403s the policies answer on each Gateway API mTLS finding: a policy counts for a finding when it targets
 * the finding's Gateway (the listener too, when both name one), or an HTTPRoute whose `parentRefs` name that
 * Gateway. The entry is at the policy's line. The fix: remap the local reply on the gateway (Envoy Gateway
 * `EnvoyPatchPolicy`, Istio `EnvoyFilter`, with a `local_reply_config` mapper), or deny in the service.
 */
export function gatewayApiForbidden(
  targets: readonly GatewayApiTarget[],
  policies: readonly GatewayPolicy[],
  routes: RouteParents,
  status: number,
): DetectForbidden[] {
  const out: DetectForbidden[] = [];
  for (const target of targets) {
    for (const policy of policies) {
      const via = policy.targets.find((ref) => {
        if (ref.kind === 'Gateway')
          return (
            target.gateways.includes(ref.name) &&
            (ref.sectionName === undefined ||
              target.listener === undefined ||
              ref.sectionName === target.listener)
          );
        return (
          ref.kind === 'HTTPRoute' &&
          (routes.get(ref.name)?.gateways ?? []).some((gateway) => target.gateways.includes(gateway))
        );
      });
      if (!via) continue;
      const paths =
        policy.paths.length || via.kind !== 'HTTPRoute' ? policy.paths : (routes.get(via.name)?.paths ?? []);
      out.push({
        ...forbiddenUnder(target.finding, {
          line: policy.line,
          source: 'gateway-api',
          evidence: `${policy.name}: ${policy.what}`,
          paths: [...new Set(paths)],
          fix: `the gateway has no setting for this status: remap it on the gateway's Envoy (Envoy Gateway EnvoyPatchPolicy, Istio EnvoyFilter) with a local_reply_config mapper { filter: { status_code_filter: { comparison: { op: EQ, value: { default_value: 403, runtime_key: mtls_fix.status } } } }, status_code: ${status} }, or deny in the service and answer ${status} there`,
          note: `targets ${via.kind} ${via.name}${via.sectionName ? ` (listener ${via.sectionName})` : ''}${via.kind === 'HTTPRoute' ? `, attached to Gateway ${target.gateways.join(', ')}` : ''}`,
        }),
        file: policy.file,
      });
    }
  }
  return out;
}

/** Whether a finding is read for 403s here: Gateway API findings from YAML. */
export function isGatewayApiYaml(finding: DetectFinding): boolean {
  // A Gateway in Terraform `kubernetes_manifest` or in Pulumi / cdk8s code is read as the object it creates
  // (TerraformObjectsFile).
  return (
    finding.source === 'gateway-api' &&
    (finding.reader === 'yaml' || finding.reader === '@cdktf/hcl2json' || finding.reader === 'typescript')
  );
}

function targetsOf(data: unknown): GatewayPolicy['targets'] {
  return [...asList(dig(data, 'spec', 'targetRefs')), dig(data, 'spec', 'targetRef')].flatMap((ref) => {
    const kind = asText(dig(ref, 'kind'));
    const name = asText(dig(ref, 'name'));
    return kind && name ? [{ kind, name, sectionName: asText(dig(ref, 'sectionName')) }] : [];
  });
}
