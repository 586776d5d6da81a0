import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';

const GATEWAY_API = 'gateway.networking.k8s.io/';

/**
 * Gateway API client certificate validation: per listener `tls.frontendValidation` (GEP-91, v1.1+
 * experimental), gateway-wide `spec.tls.frontend.default.validation` or `perPort` (v1.3+; `mode:
 * AllowInsecureFallback` is optional), and Envoy Gateway `ClientTrafficPolicy` `spec.tls.clientValidation`
 * (`optional: true`). Hosts are the listeners' `hostname`s (of the targeted Gateway when it is in the same file).
 */
export function readGatewayApi(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  const gateways = new Map<string, string[]>();
  for (const document of documents) {
    const kind = asText(dig(document.data, 'kind'));
    const api = asText(dig(document.data, 'apiVersion')) ?? '';
    if (kind !== 'Gateway' || !api.startsWith(GATEWAY_API)) continue;
    const listeners = asList(dig(document.data, 'spec', 'listeners'));
    const hostname = (listener: unknown): string[] => {
      const host = asText(dig(listener, 'hostname'));
      return host && host !== '*' ? [host] : [];
    };
    gateways.set(asText(dig(document.data, 'metadata', 'name')) ?? '', listeners.flatMap(hostname));
    listeners.forEach((listener, index) => {
      if (!asObject(dig(listener, 'tls', 'frontendValidation'))) return;
      const path = ['spec', 'listeners', index, 'tls', 'frontendValidation'];
      findings.push(
        file.finding(document.lineOf(path), 'gateway-api', 'required', 'yaml', { hosts: hostname(listener) }),
      );
    });
    const frontend = dig(document.data, 'spec', 'tls', 'frontend');
    const validation = asObject(dig(frontend, 'default', 'validation'));
    if (validation) {
      const path = ['spec', 'tls', 'frontend', 'default', 'validation'];
      findings.push(
        file.finding(document.lineOf(path), 'gateway-api', validationMode(validation), 'yaml', {
          hosts: listeners.flatMap(hostname),
        }),
      );
    }
    asList(dig(frontend, 'perPort')).forEach((entry, index) => {
      const perPort = asObject(dig(entry, 'tls', 'validation'));
      if (!perPort) return;
      const port = dig(entry, 'port');
      findings.push(
        file.finding(
          document.lineOf(['spec', 'tls', 'frontend', 'perPort', index]),
          'gateway-api',
          validationMode(perPort),
          'yaml',
          {
            hosts: listeners.filter((listener) => dig(listener, 'port') === port).flatMap(hostname),
          },
        ),
      );
    });
  }
  for (const document of documents) {
    if (asText(dig(document.data, 'kind')) !== 'ClientTrafficPolicy') continue;
    const clientValidation = asObject(dig(document.data, 'spec', 'tls', 'clientValidation'));
    if (!clientValidation) continue;
    const targets = [
      ...asList(dig(document.data, 'spec', 'targetRefs')),
      dig(document.data, 'spec', 'targetRef'),
    ]
      .filter((target) => asText(dig(target, 'kind')) === 'Gateway')
      .map((target) => asText(dig(target, 'name')) ?? '');
    const known = targets.filter((name) => gateways.has(name));
    findings.push(
      file.finding(
        document.lineOf(['spec', 'tls', 'clientValidation']),
        'gateway-api',
        clientValidation.optional === true ? 'optional' : 'required',
        'yaml',
        {
          hosts: known.flatMap((name) => gateways.get(name) ?? []),
          note:
            known.length < targets.length
              ? `Envoy Gateway ClientTrafficPolicy for Gateway ${targets.join(', ')} (not in this file: its listener hosts are not linked)`
              : 'Envoy Gateway ClientTrafficPolicy',
        },
      ),
    );
  }
  return findings;
}

function validationMode(validation: Record<string, unknown>): 'required' | 'optional' {
  return validation.mode === 'AllowInsecureFallback' ? 'optional' : 'required';
}
