import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { apacheForbidden } from './apache.js';
import { albForbidden, isAlbListener } from './aws-alb.js';
import { caddyForbidden } from './caddy.js';
import { caddyJsonForbidden } from '../sources/caddy-json.js';
import { envoyForbidden } from './envoy.js';
import { haproxyForbidden } from './haproxy.js';
import { ingressForbidden } from './kubernetes.js';
import { nginxForbidden } from './nginx.js';
import type { ProxyCodeFiles } from './proxy-code.js';
import { noForbidden, type ForbiddenResult } from './result.js';
import { isTraefikYaml } from './traefik.js';
import { isIstioGateway } from './istio.js';
import { isGatewayApiYaml } from './gateway-api.js';
import { azureForbidden, isAppServiceSite } from './azure.js';
import { cloudflareForbidden } from '../sources/cloudflare.js';
import { apisixForbidden } from '../sources/apisix.js';
import { forgeRockIgForbidden } from '../sources/forgerock-ig.js';

/**
 * The 403s a proxy or gateway answers itself on the mTLS terminations found in one file (`findings`, all
 * from `file`): one reader per source kind. `status` is the agreed status the fixes propose; `codeFiles` the
 * repository's code files (listed once per run) where readers look up code the proxy runs. A reader
 * that throws (or rejects) is not caught here: the caller lists the file as not read.
 */
export async function readForbidden(
  file: ScanFile,
  findings: DetectFinding[],
  status: number,
  codeFiles: ProxyCodeFiles,
): Promise<ForbiddenResult> {
  const result = noForbidden();
  const bySource = new Map<string, DetectFinding[]>();
  for (const finding of findings)
    bySource.set(finding.source, [...(bySource.get(finding.source) ?? []), finding]);
  for (const [source, own] of bySource) {
    if (!own.some(forbiddenChecked)) continue;
    const found = await READERS[source]?.(file, own, status, codeFiles);
    if (!found) continue;
    result.forbidden.push(...found.forbidden);
    result.unplaced.push(...found.unplaced);
    result.notChecked.push(...found.notChecked);
  }
  return result;
}

/**
 * Is this finding's source read for 403s? Kubernetes: only `Ingress` objects (not Helm values or templates).
 * Findings that are not are listed as not checked.
 */
export function forbiddenChecked(finding: DetectFinding): boolean {
  // Ingresses in YAML, in Terraform (`kubernetes_ingress_v1`, `kubernetes_manifest`) or in Pulumi / cdk8s code
  // (since session 36): read as the objects they create.
  if (finding.source === 'kubernetes')
    return (
      (finding.reader === 'yaml' ||
        finding.reader === '@cdktf/hcl2json' ||
        finding.reader === 'typescript') &&
      finding.confidence === 'certain'
    );
  // AWS: ALB listeners here; API Gateway REST domains are read across files (aws-gateway.ts, in detectMtls).
  if (finding.source === 'aws') return isAlbListener(finding);
  // Traefik: YAML TLS options (file provider, CRDs), read across files (traefik.ts, in detectMtls); the TOML
  // line scan links no routers.
  if (finding.source === 'traefik') return isTraefikYaml(finding);
  // Istio: Gateway servers, read across files (istio.ts, in detectMtls).
  if (finding.source === 'istio') return isIstioGateway(finding);
  // Gateway API: policies on the Gateway or its HTTPRoutes, read across files (gateway-api.ts, in detectMtls).
  if (finding.source === 'gateway-api') return isGatewayApiYaml(finding);
  // Azure: App Service sites (access restrictions); API Management policies are not read.
  if (finding.source === 'azure') return isAppServiceSite(finding);
  // Kong: the 403 plugins of every file (kong.ts, in detectMtls).
  if (finding.source === 'kong') return finding.reader === 'yaml';
  // Google Cloud: Cloud Armor rules of every file (gcp-armor.ts, in detectMtls).
  if (finding.source === 'gcp') return true;
  // Cloudflare: WAF rules and Access certificates; a Worker's code that reads the certificate answers its own
  // 403s (application code, for migrate).
  if (finding.source === 'cloudflare') return finding.reader !== 'typescript';
  return READERS[finding.source] !== undefined;
}

const READERS: Record<
  string,
  | ((
      file: ScanFile,
      findings: DetectFinding[],
      status: number,
      codeFiles: ProxyCodeFiles,
    ) => ForbiddenResult | Promise<ForbiddenResult>)
  | undefined
> = {
  nginx: nginxForbidden,
  cloudflare: cloudflareForbidden,
  apisix: apisixForbidden,
  'forgerock-ig': forgeRockIgForbidden,
  haproxy: haproxyForbidden,
  apache: apacheForbidden,
  // A Caddyfile (line scan) or Caddy's JSON config (read as YAML).
  caddy: (file, findings, status) =>
    findings[0]?.reader === 'yaml'
      ? caddyJsonForbidden(file, findings, status)
      : caddyForbidden(file, findings, status),
  envoy: envoyForbidden,
  kubernetes: ingressForbidden,
  aws: albForbidden,
  azure: azureForbidden,
};
