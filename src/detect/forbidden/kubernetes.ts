import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asObject, asText, dig } from '../yaml-documents.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';
const RANGES = ['whitelist-source-range', 'allowlist-source-range', 'denylist-source-range'];
const SNIPPETS = ['configuration-snippet', 'server-snippet'];

/**
 * 403s ingress-nginx answers itself on an `Ingress` with client-certificate annotations (the finding):
 * `whitelist-source-range` / `allowlist-source-range` / `denylist-source-range` (addresses refused get 403),
 * and `return 403` / `deny` lines inside `configuration-snippet` / `server-snippet`. Helm values and
 * templates are not read for these (their findings are listed as not checked).
 */
export function ingressForbidden(file: ScanFile, findings: DetectFinding[], status: number): ForbiddenResult {
  const result = noForbidden();
  const lines = file.text.split('\n');
  const remap = `add \`${PREFIX}server-snippet: "error_page 403 = @mtls_status; location @mtls_status { return ${status}; }"\` (snippets must be allowed by the controller)`;
  for (const document of file.yamlDocuments()) {
    if (asText(dig(document.data, 'kind')) !== 'Ingress') continue;
    const annotations = asObject(dig(document.data, 'metadata', 'annotations')) ?? {};
    const finding = findings.find((f) =>
      Object.keys(annotations).some((key) => document.lineOf(['metadata', 'annotations', key]) === f.line),
    );
    if (!finding) continue;
    const serverRemaps = /error_page\s+403\s+=(?!403)/.test(
      asText(annotations[`${PREFIX}server-snippet`]) ?? '',
    );
    for (const name of RANGES) {
      if (annotations[PREFIX + name] === undefined || serverRemaps) continue;
      const path = ['metadata', 'annotations', PREFIX + name];
      result.forbidden.push(
        forbiddenUnder(finding, {
          line: document.lineOf(path),
          source: 'kubernetes',
          evidence: document.evidence(path),
          paths: finding.paths,
          fix: `ingress-nginx answers 403 to ${name.startsWith('deny') ? 'the addresses listed' : 'addresses outside the range'}: ${remap}`,
        }),
      );
    }
    for (const name of SNIPPETS) {
      const snippet = asText(annotations[PREFIX + name]);
      if (!snippet) continue;
      const keyLine = document.lineOf(['metadata', 'annotations', PREFIX + name]);
      const remapped = serverRemaps || /error_page\s+403\s+=(?!403)/.test(snippet);
      for (const raw of snippet.split('\n')) {
        const text = raw.replace(/(^|\s)#.*$/, '').trim();
        const returns = /(^|[{;]\s*)return\s+403\b/.test(text);
        const denies = /(^|[{;]\s*)deny\s/.test(text);
        if (!returns && !(denies && !remapped)) continue;
        if (returns && remapped && !/return\s+403\s+\S/.test(text)) continue;
        const at = lines.findIndex((line, index) => index >= keyLine - 1 && line.includes(text));
        result.forbidden.push(
          forbiddenUnder(finding, {
            line: at === -1 ? keyLine : at + 1,
            source: 'kubernetes',
            evidence: text,
            paths: finding.paths,
            fix: returns
              ? text.replace(/return\s+403\b/, `return ${status}`)
              : `ngx_http_access_module answers 403: ${remap}`,
            note: `in the ${name} annotation`,
          }),
        );
      }
    }
  }
  return result;
}
