import { parseLines, type Pair } from 'dot-properties';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode } from '../types.js';
import { asText, dig, type YamlDocument } from '../yaml-documents.js';

/** Spring Boot `server.ssl.client-auth`: `need` (required), `want` (optional), `none`. */
function springMode(value: string | undefined): DetectMode | undefined {
  const mode = value?.trim().toLowerCase();
  return mode === 'need' ? 'required' : mode === 'want' ? 'optional' : undefined;
}

export function isSpringFile(file: ScanFile): boolean {
  return /^(application|bootstrap)(-[\w.-]+)?\.(properties|ya?ml)$/.test(file.baseName);
}

/** `application*.properties`, parsed with dot-properties (relaxed binding: `client-auth`, `clientAuth`, `client_auth`). */
export function readSpringProperties(file: ScanFile): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const node of parseLines(file.text, true)) {
    if (node.type !== 'PAIR') continue;
    const pair = node as Pair & { range: [number, number, number, number] };
    if (!/^server\.ssl\.client[-_]?auth$/i.test(pair.key)) continue;
    const mode = springMode(pair.value);
    if (mode) findings.push(file.finding(file.lines.lineOf(pair.range[0]), 'spring', mode, 'dot-properties'));
  }
  return findings;
}

/** `application*.yml`: `server.ssl.client-auth` (nested or dotted keys). */
export function readSpringYaml(file: ScanFile, documents: YamlDocument[]): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    for (const key of ['client-auth', 'clientAuth', 'client_auth']) {
      const value = asText(dig(document.data, 'server', 'ssl', key));
      const mode = springMode(value);
      if (mode) findings.push(file.finding(document.lineOf(['server', 'ssl', key]), 'spring', mode, 'yaml'));
    }
  }
  return findings;
}
