import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectSkip } from '../types.js';
import { unresolvedSetting } from '../unresolved.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { readAppGatewayArm, scanAppGatewayBicep } from './azure-appgw.js';

/**
 * Azure Resource Manager templates (JSON, read as YAML): `Microsoft.Web/sites` with `clientCertEnabled`
 * (`clientCertMode` Required by default, Optional / OptionalInteractiveUser), and `Microsoft.ApiManagement/service`
 * `hostnameConfigurations[].negotiateClientCertificate` (optional: APIM asks, does not require) and
 * `enableClientCertificate` (Consumption tier: a certificate on every request, required); Application Gateway SSL
 * profiles with client authentication used by a listener (`azure-appgw.ts`).
 */
export function readArm(
  file: ScanFile,
  documents: YamlDocument[],
  skipped: DetectSkip[] = [],
): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    const visit = (resources: unknown, path: (string | number)[]): void => {
      asList(resources).forEach((resource, index) => {
        const at = [...path, index];
        const type = asText(dig(resource, 'type')) ?? '';
        const properties = asObject(dig(resource, 'properties')) ?? {};
        // An ARM expression (`"[parameters('clientCertEnabled')]"`) can be false: named, not read as either.
        const expression = (value: unknown, key: (string | number)[]): void => {
          const written = asText(value);
          if (written === undefined || !/^\[(?!\[).*\]$/s.test(written.trim())) return;
          const line = document.lineOf([...at, 'properties', ...key]);
          skipped.push(unresolvedSetting(file, line, `${type} ${key.join('.')}`, written.trim(), 'false'));
        };
        if (/^Microsoft\.Web\/sites(\/slots)?$/i.test(type))
          expression(properties.clientCertEnabled, ['clientCertEnabled']);
        if (/^Microsoft\.ApiManagement\/service$/i.test(type)) {
          expression(properties.enableClientCertificate, ['enableClientCertificate']);
          asList(properties.hostnameConfigurations).forEach((configuration, position) =>
            expression(dig(configuration, 'negotiateClientCertificate'), [
              'hostnameConfigurations',
              position,
              'negotiateClientCertificate',
            ]),
          );
        }
        if (
          /^Microsoft\.Web\/sites(\/slots)?$/i.test(type) &&
          (properties.clientCertEnabled === true || properties.clientCertEnabled === 'true')
        ) {
          const mode = asText(properties.clientCertMode) ?? 'Required';
          findings.push(
            file.finding(
              document.lineOf([...at, 'properties', 'clientCertEnabled']),
              'azure',
              mode === 'Required' ? 'required' : 'optional',
              'yaml',
              {
                hosts: asList(properties.hostNames).filter(
                  (host): host is string => typeof host === 'string',
                ),
                note: `clientCertMode ${mode}${properties.clientCertExclusionPaths ? `; excluded paths: ${asText(properties.clientCertExclusionPaths)}` : ''}`,
              },
            ),
          );
        }
        if (
          /^Microsoft\.ApiManagement\/service$/i.test(type) &&
          (properties.enableClientCertificate === true || properties.enableClientCertificate === 'true')
        ) {
          findings.push(
            file.finding(
              document.lineOf([...at, 'properties', 'enableClientCertificate']),
              'azure',
              'required',
              'yaml',
              {
                note: APIM_REQUIRED,
              },
            ),
          );
        }
        if (/^Microsoft\.ApiManagement\/service$/i.test(type)) {
          asList(properties.hostnameConfigurations).forEach((configuration, position) => {
            if (dig(configuration, 'negotiateClientCertificate') !== true) return;
            const host = asText(dig(configuration, 'hostName'));
            findings.push(
              file.finding(
                document.lineOf([
                  ...at,
                  'properties',
                  'hostnameConfigurations',
                  position,
                  'negotiateClientCertificate',
                ]),
                'azure',
                'optional',
                'yaml',
                {
                  hosts: host ? [host] : [],
                  note: APIM_NEGOTIATES,
                },
              ),
            );
          });
        }
        if (/^Microsoft\.Network\/applicationGateways$/i.test(type))
          findings.push(...readAppGatewayArm(file, document, at, properties));
        visit(dig(resource, 'resources'), [...at, 'resources']);
      });
    };
    visit(dig(document.data, 'resources'), ['resources']);
  }
  return findings;
}

/** The note of an API Management host name that negotiates client certificates. */
const APIM_NEGOTIATES = 'API Management negotiates a client certificate on this host name';

/** The note of an API Management service (Consumption tier) with `enableClientCertificate`. */
const APIM_REQUIRED = 'API Management (Consumption tier) requires a client certificate on every request';

export function isBicepCandidate(file: ScanFile): boolean {
  return (
    file.baseName.endsWith('.bicep') &&
    /clientCertEnabled|negotiateClientCertificate|enableClientCertificate|sslProfiles/.test(file.text)
  );
}

/**
 * Bicep, read by a line scan (no Bicep parser on npm): the same properties as in ARM templates. A property set from
 * a parameter or expression (`clientCertEnabled: enableMtls`) is pushed to `skipped` with its line.
 */
export function scanBicep(file: ScanFile, skipped: DetectSkip[] = []): DetectFinding[] {
  const findings: DetectFinding[] = scanAppGatewayBicep(file);
  const lines = file.text.split('\n');
  lines.forEach((raw, index) => {
    const set =
      /^\s*(clientCertEnabled|negotiateClientCertificate|enableClientCertificate)\s*:\s*(.+?)\s*(?:\/\/.*)?$/.exec(
        raw,
      );
    if (set && !/^(?:true|false)$/.test(set[2]))
      skipped.push(unresolvedSetting(file, index + 1, set[1], set[2], 'false'));
    if (/^\s*clientCertEnabled\s*:\s*true\b/.test(raw)) {
      const nearby = lines.slice(Math.max(0, index - 15), index + 15).join('\n');
      const mode = /clientCertMode\s*:\s*'(\w+)'/.exec(nearby)?.[1] ?? 'Required';
      findings.push(
        file.finding(index + 1, 'azure', mode === 'Required' ? 'required' : 'optional', 'pattern', {
          note: `clientCertMode ${mode}`,
        }),
      );
    }
    if (/^\s*negotiateClientCertificate\s*:\s*true\b/.test(raw)) {
      const before = lines.slice(Math.max(0, index - 10), index + 10).join('\n');
      const host = /hostName\s*:\s*'([^']+)'/.exec(before)?.[1];
      findings.push(
        file.finding(index + 1, 'azure', 'optional', 'pattern', {
          hosts: host ? [host] : [],
          note: APIM_NEGOTIATES,
        }),
      );
    }
    // `enableClientCertificate: true` of an API Management service (the resource opened above it).
    if (/^\s*enableClientCertificate\s*:\s*true\b/.test(raw)) {
      const above = lines.slice(0, index).reverse();
      const opened = above.find((line) => /^\s*resource\s+\w+\s+'/.test(line)) ?? '';
      if (/'Microsoft\.ApiManagement\/service@/i.test(opened))
        findings.push(file.finding(index + 1, 'azure', 'required', 'pattern', { note: APIM_REQUIRED }));
    }
  });
  return findings;
}
