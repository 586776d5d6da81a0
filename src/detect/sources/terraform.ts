import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode, DetectSkip, DetectSource } from '../types.js';
import { asList, asObject, asText, dig } from '../yaml-documents.js';
import { albMode } from './aws.js';
import { isTerraformExpression, unresolvedSetting } from '../unresolved.js';
import { GCP_HOSTS_NOTE, gcpMode, gcpModeNote } from './gcp.js';
import { readAppGatewayTerraform } from './azure-appgw.js';
import { escapeRegExp } from '../../util/regexp.js';
import { dynamicNote, hclBlocks } from './hcl-blocks.js';
import { TERRAFORM_KUBERNETES, terraformKubernetesDocuments } from './terraform-kubernetes.js';
import type { YamlDocument } from '../yaml-documents.js';
import { resolveModuleMap, type ResolvedModuleMap, type TerraformModules } from './terraform-module.js';

export function isTerraformCandidate(file: ScanFile): boolean {
  return (
    file.baseName.endsWith('.tf') &&
    (/mutual_tls_authentication|mutual_authentication|client_cert(?:ificate)?_enabled|negotiate_client_certificate|client_validation_mode|trusted_client_certificate_names/.test(
      file.text,
    ) ||
      TERRAFORM_KUBERNETES.test(file.text))
  );
}

/**
 * Terraform (HCL parsed by @cdktf/hcl2json, HashiCorp's HCL parser compiled to WebAssembly): AWS
 * `aws_api_gateway_domain_name` / `aws_apigatewayv2_domain_name` with `mutual_tls_authentication`,
 * `aws_lb_listener` `mutual_authentication.mode`; Azure `azurerm_*_web_app` / `azurerm_app_service` /
 * function apps with `client_certificate_enabled` (+ `client_certificate_mode`), API Management
 * `negotiate_client_certificate` on proxy / gateway host names, Application Gateway `ssl_profile`s with
 * `trusted_client_certificate_names` used by a listener (`azure-appgw.ts`); Google Cloud
 * `google_network_security_server_tls_policy` with `mtls_policy.client_validation_mode` (sources/gcp.ts). Throws
 * the parser's message on bad HCL. `kubernetes`: the Kubernetes objects its `kubernetes_manifest` /
 * `kubernetes_ingress_v1` / `kubernetes_annotations` resources create (terraform-kubernetes.ts), for the YAML readers;
 * with `modules`, their annotations written as the module's values (`annotations = local.x`, `merge(local.a,
 * var.b)`, `{ "k" = var.v }`, in any `.tf` file of the folder) are read as those values (since session 37; before,
 * the object had no annotations and the file holding them was named under "Not read").
 */
export async function readTerraform(
  file: ScanFile,
  modules?: TerraformModules,
): Promise<{ findings: DetectFinding[]; unresolved: DetectSkip[]; kubernetes: YamlDocument[] }> {
  const { parse } = await import('@cdktf/hcl2json');
  const parsed = (await parse(file.relative, file.text)) as Record<string, unknown>;
  const findings: DetectFinding[] = [];
  // Settings written as an expression whose value may turn mTLS off (`var.mtls_mode`, `local.enabled`): named.
  const unresolved: DetectSkip[] = [];
  const unknown = (type: string, name: string, key: string, value: unknown, off: string): boolean => {
    const written = asText(value);
    if (!isTerraformExpression(written)) return false;
    unresolved.push(
      unresolvedSetting(
        file,
        lineAfter(file, type, name, key),
        `${type}.${name} ${key}`,
        written.trim(),
        off,
      ),
    );
    return true;
  };
  const resources = asObject(parsed.resource) ?? {};
  const add = (
    type: string,
    name: string,
    key: string,
    source: DetectSource,
    mode: DetectMode,
    hosts: string[],
    note?: string,
  ) => {
    const line = lineAfter(file, type, name, key);
    findings.push(
      file.finding(line, source, mode, '@cdktf/hcl2json', {
        hosts,
        evidence: `resource "${type}" "${name}": ${file.lines.lineText(line)}`,
        note,
      }),
    );
  };
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, blocks] of Object.entries(asObject(byName) ?? {})) {
      for (const block of asList(blocks)) {
        // Every nested block below is read written out or as a `dynamic` block (hcl-blocks.ts).
        const truststores = hclBlocks(block, 'mutual_tls_authentication');
        if (
          (type === 'aws_api_gateway_domain_name' || type === 'aws_apigatewayv2_domain_name') &&
          truststores.length > 0
        ) {
          const host = asText(dig(block, 'domain_name'));
          add(
            type,
            name,
            'mutual_tls_authentication',
            'aws',
            'required',
            host ? [host] : [],
            dynamicNote(truststores),
          );
        }
        if (type === 'aws_lb_listener' || type === 'aws_alb_listener') {
          // A `dynamic "mutual_authentication"` block (modules: terraform-aws-modules/alb) writes it in `content`.
          const authentication = hclBlocks(block, 'mutual_authentication');
          const written = dig(authentication[0]?.body, 'mode');
          unknown(type, name, 'mode', written, '"off"');
          const mode = albMode(asText(written));
          if (mode)
            add(
              type,
              name,
              'mutual_authentication',
              'aws',
              mode,
              [],
              [
                'ALB listener: the hosts are those routed to it (listener rules, DNS), not written here',
                dynamicNote(authentication),
              ]
                .filter(Boolean)
                .join('; '),
            );
        }
        if (/^azurerm_(linux_|windows_)?(web_app|function_app|app_service)$/.test(type)) {
          const enabled = dig(block, 'client_certificate_enabled') ?? dig(block, 'client_cert_enabled');
          unknown(type, name, 'client_certificate_enabled', enabled, 'false');
          if (enabled === true || enabled === 'true') {
            const modeText = asText(dig(block, 'client_certificate_mode')) ?? 'Required';
            add(
              type,
              name,
              dig(block, 'client_certificate_enabled') !== undefined
                ? 'client_certificate_enabled'
                : 'client_cert_enabled',
              'azure',
              modeText === 'Required' ? 'required' : 'optional',
              [],
              `client_certificate_mode ${modeText}${dig(block, 'client_certificate_exclusion_paths') ? `; excluded paths: ${asText(dig(block, 'client_certificate_exclusion_paths'))}` : ''}; hosts: the app's default and custom host names`,
            );
          }
        }
        if (type === 'azurerm_application_gateway')
          findings.push(
            ...readAppGatewayTerraform(file, block, (profile) =>
              lineAfter(
                file,
                type,
                name,
                // `ssl_profile {` or `dynamic "ssl_profile" {` (then `content {` before the name).
                new RegExp(`ssl_profile"?\\s*\\{[^}]*?name\\s*=\\s*"${escapeRegExp(profile)}"`),
              ),
            ),
          );
        if (type === 'google_network_security_server_tls_policy') {
          const policies = hclBlocks(block, 'mtls_policy');
          const written = asText(dig(policies[0]?.body, 'client_validation_mode'));
          const mode = gcpMode(written);
          const dynamic = dynamicNote(policies);
          if (mode)
            add(
              type,
              name,
              'client_validation_mode',
              'gcp',
              mode,
              [],
              GCP_HOSTS_NOTE + gcpModeNote(written) + (dynamic ? `; ${dynamic}` : ''),
            );
        }
        if (type === 'azurerm_api_management')
          unknown(
            type,
            name,
            'client_certificate_enabled',
            dig(block, 'client_certificate_enabled'),
            'false',
          );
        if (type === 'azurerm_api_management' && dig(block, 'client_certificate_enabled') === true) {
          add(
            type,
            name,
            'client_certificate_enabled',
            'azure',
            'required',
            [],
            'API Management (Consumption tier) requires a client certificate on every request',
          );
        }
        if (type === 'azurerm_api_management' || type === 'azurerm_api_management_custom_domain') {
          for (const kind of ['proxy', 'gateway']) {
            const blocks = [
              ...hclBlocks(block, kind),
              ...hclBlocks(block, 'hostname_configuration').flatMap((configuration) =>
                hclBlocks(configuration.body, kind),
              ),
            ];
            const entries = blocks.map((entry) => entry.body);
            const dynamic = dynamicNote(blocks);
            for (const entry of entries)
              unknown(
                type,
                name,
                'negotiate_client_certificate',
                dig(entry, 'negotiate_client_certificate'),
                'false',
              );
            const negotiating = entries.filter(
              (entry) => dig(entry, 'negotiate_client_certificate') === true,
            );
            if (negotiating.length === 0) continue;
            const hosts = negotiating
              .map((entry) => asText(dig(entry, 'host_name')))
              .filter((host): host is string => Boolean(host));
            add(
              type,
              name,
              'negotiate_client_certificate',
              'azure',
              'optional',
              hosts,
              `API Management asks for the certificate on these host names${dynamic ? `; ${dynamic}` : ''}`,
            );
          }
        }
      }
    }
  }
  readModuleArguments(file, asObject(parsed.module) ?? {}, findings, unresolved);
  const resolved = modules ? await resolveAnnotations(file, parsed, modules) : new Map();
  return { findings, unresolved, kubernetes: terraformKubernetesDocuments(file, parsed, resolved) };
}

/**
 * The Kubernetes resources of `parsed` whose annotations are written as module values, each set to the map those
 * values make (in place, in `parsed`), with where they are written: the typed Ingress's `metadata { annotations
 * }`, `kubernetes_annotations`' `annotations`, a `kubernetes_manifest`'s `metadata.annotations`.
 */
async function resolveAnnotations(
  file: ScanFile,
  parsed: Record<string, unknown>,
  modules: TerraformModules,
): Promise<Map<unknown, ResolvedModuleMap>> {
  const out = new Map<unknown, ResolvedModuleMap>();
  const resources = asObject(parsed.resource) ?? {};
  for (const [type, byName] of Object.entries(resources)) {
    for (const blocks of Object.values(asObject(byName) ?? {})) {
      for (const block of asList(blocks)) {
        const holder =
          type === 'kubernetes_ingress_v1' || type === 'kubernetes_ingress'
            ? asObject(dig(block, 'metadata', 0))
            : type === 'kubernetes_annotations'
              ? asObject(block)
              : type === 'kubernetes_manifest'
                ? asObject(dig(block, 'manifest', 'metadata'))
                : undefined;
        if (!holder || !/\$\{/.test(JSON.stringify(holder.annotations ?? ''))) continue;
        const values = await modules.valuesOf(file.path);
        const map = await resolveModuleMap(holder.annotations, values, modules);
        if (!map) continue;
        holder.annotations = map.value;
        out.set(block, map);
      }
    }
  }
  return out;
}

/**
 * mTLS settings passed to Terraform modules, which create the resources themselves: an ALB listener's
 * `mutual_authentication = { mode = "verify" }` anywhere in the arguments (terraform-aws-modules/alb `listeners`),
 * and API Gateway `mutual_tls_authentication = { truststore_uri = ... }` (terraform-aws-modules/apigateway-v2
 * `domain_name` settings). Their 403s are the module's: the findings are listed as not checked for 403s.
 */
function readModuleArguments(
  file: ScanFile,
  modules: Record<string, unknown>,
  findings: DetectFinding[],
  unresolved: DetectSkip[],
): void {
  for (const [name, blocks] of Object.entries(modules)) {
    for (const block of asList(blocks)) {
      const source = asText(dig(block, 'source')) ?? '?';
      // What the parser read: whether the arguments hold either setting at all, and API Gateway domain names.
      let albSettings = 0;
      const domains: { host?: string }[] = [];
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) return value.forEach(walk);
        const object = asObject(value);
        if (!object) return;
        for (const [key, child] of Object.entries(object)) {
          if (key === 'mutual_authentication') albSettings++;
          else if (key === 'mutual_tls_authentication') domains.push({ host: asText(object.domain_name) });
          else walk(child);
        }
      };
      walk(block);
      if (albSettings === 0 && domains.length === 0) continue;
      // Where each is written: hcl2json keeps no positions (nor always the order of keys), so the module's text is
      // read for them; an ALB setting's `mode` is the one inside its braces.
      const header = new RegExp(`module\\s+"${escapeRegExp(name)}"`).exec(file.text);
      const start = header?.index ?? 0;
      const next = file.text.slice(start + 1).search(/\n(?:module|resource|data|locals|variable|output)\b/);
      const text = file.text.slice(start, next === -1 ? undefined : start + 1 + next);
      const evidence = (line: number): string => `module "${name}" (${source}): ${file.lines.lineText(line)}`;
      for (const match of text.matchAll(/\bmutual_authentication\s*=\s*\{([^}]*)\}/g)) {
        const line = file.lines.lineOf(start + match.index);
        const written = /\bmode\s*=\s*("([^"]*)"|[^\n]+)/.exec(match[1]);
        if (!written) continue;
        const literal = written[2];
        const mode = albMode(literal);
        if (mode) {
          findings.push(
            file.finding(line, 'aws', mode, '@cdktf/hcl2json', {
              evidence: evidence(line),
              note: 'ALB listener created by a Terraform module: the hosts are those routed to it, not written here',
            }),
          );
        } else if (literal === undefined) {
          unresolved.push(
            unresolvedSetting(
              file,
              line,
              `module "${name}" mutual_authentication.mode`,
              written[1].trim(),
              '"off"',
            ),
          );
        }
      }
      [...text.matchAll(/\bmutual_tls_authentication\s*=/g)].forEach((match, index) => {
        const line = file.lines.lineOf(start + match.index);
        const host = domains[index]?.host;
        findings.push(
          file.finding(line, 'aws', 'required', '@cdktf/hcl2json', {
            hosts: host && !host.includes('${') ? [host] : [],
            evidence: evidence(line),
            note: 'API Gateway custom domain with a truststore, created by a Terraform module',
          }),
        );
      });
    }
  }
}

/**
 * The line of `key` (a text, or a pattern such as `/status_code\s*=\s*"?403/`) after `resource "type" "name"`,
 * inside that block when it is found there; else the resource's own line (hcl2json keeps no positions).
 */
export function lineAfter(file: ScanFile, type: string, name: string, key: string | RegExp): number {
  const header = new RegExp(`resource\\s+"${type}"\\s+"${escapeRegExp(name)}"`).exec(file.text);
  const start = header?.index ?? 0;
  const next = file.text.indexOf('\nresource ', start + 1);
  const block = file.text.slice(start, next === -1 ? undefined : next);
  const at = typeof key === 'string' ? block.indexOf(key) : (key.exec(block)?.index ?? -1);
  return file.lines.lineOf(start + (at === -1 ? 0 : at));
}
