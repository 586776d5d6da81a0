import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';

/** Traefik `clientAuthType` values that ask for a client certificate. */
export function traefikMode(value: string | undefined): DetectMode | undefined {
  if (value === 'RequireAndVerifyClientCert' || value === 'RequireAnyClientCert') return 'required';
  if (value === 'VerifyClientCertIfGiven' || value === 'RequestClientCert') return 'optional';
  return undefined;
}

/** `Host(\`a\`) || Host(\`b\`, \`c\`)` / `HostSNI(...)` -> host names. */
function ruleHosts(rule: string | undefined): string[] {
  if (!rule) return [];
  const hosts: string[] = [];
  for (const call of rule.matchAll(/Host(?:SNI)?\(([^)]*)\)/g)) {
    for (const name of call[1].matchAll(/[`"']([^`"']+)[`"']/g)) if (name[1] !== '*') hosts.push(name[1]);
  }
  return hosts;
}

/**
 * Traefik TLS options with `clientAuth.clientAuthType` asking for a certificate: the file provider's
 * dynamic configuration (`tls.options.NAME`, linked to `http.routers.*.tls.options` and their `Host()`
 * rules; `default` applies to every TLS router) and the Kubernetes CRDs (`TLSOption`, linked to
 * `IngressRoute` `tls.options.name` in the same file).
 */
export function readTraefik(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  const routes: { option: string; hosts: string[] }[] = [];
  for (const document of documents) {
    for (const router of Object.values(asObject(dig(document.data, 'http', 'routers')) ?? {})) {
      const tls = dig(router, 'tls');
      if (tls === undefined) continue;
      routes.push({
        option: (asText(dig(tls, 'options')) ?? 'default').replace(/@.*$/, ''),
        hosts: ruleHosts(asText(dig(router, 'rule'))),
      });
    }
    if (asText(dig(document.data, 'kind')) === 'IngressRoute') {
      const option = asText(dig(document.data, 'spec', 'tls', 'options', 'name'));
      if (dig(document.data, 'spec', 'tls') !== undefined) {
        routes.push({
          option: option ?? 'default',
          hosts: asList(dig(document.data, 'spec', 'routes')).flatMap((route) =>
            ruleHosts(asText(dig(route, 'match'))),
          ),
        });
      }
    }
  }
  for (const document of documents) {
    const options = asObject(dig(document.data, 'tls', 'options')) ?? {};
    for (const [name, option] of Object.entries(options)) {
      const mode = traefikMode(asText(dig(option, 'clientAuth', 'clientAuthType')));
      if (!mode) continue;
      findings.push(
        optionFinding(
          file,
          document,
          ['tls', 'options', name, 'clientAuth', 'clientAuthType'],
          mode,
          name,
          routes,
        ),
      );
    }
    if (asText(dig(document.data, 'kind')) === 'TLSOption') {
      const mode = traefikMode(asText(dig(document.data, 'spec', 'clientAuth', 'clientAuthType')));
      const name = asText(dig(document.data, 'metadata', 'name')) ?? 'default';
      if (mode)
        findings.push(
          optionFinding(file, document, ['spec', 'clientAuth', 'clientAuthType'], mode, name, routes),
        );
    }
  }
  return findings;
}

function optionFinding(
  file: ScanFile,
  document: YamlDocument,
  path: string[],
  mode: DetectMode,
  name: string,
  routes: { option: string; hosts: string[] }[],
): DetectFinding {
  const using = routes.filter((route) => route.option === name);
  return file.finding(document.lineOf(path), 'traefik', mode, 'yaml', {
    hosts: [...new Set(using.flatMap((route) => route.hosts))],
    note:
      using.length === 0
        ? `TLS option '${name}': no router using it in this file${name === 'default' ? ' (default applies to every TLS router)' : ''}`
        : `TLS option '${name}', used by ${using.length} router(s) here`,
  });
}

/** Traefik TOML (static/dynamic file provider): a line scan, no TOML parser in the project's dependencies. */
export function scanTraefikToml(file: ScanFile): DetectFinding[] {
  const findings: DetectFinding[] = [];
  file.text.split('\n').forEach((raw, index) => {
    const match = /^\s*clientAuthType\s*=\s*["'](\w+)["']/.exec(raw);
    const mode = traefikMode(match?.[1]);
    if (mode)
      findings.push(
        file.finding(index + 1, 'traefik', mode, 'pattern', {
          note: 'TOML, read by a line scan: routers not linked',
        }),
      );
  });
  return findings;
}
