import type { Location, Log, ReportingDescriptor, Result, Run } from 'sarif';

/**
 * The SARIF 2.1.0 envelope every mtls-fix report shares (lint and migrate --check): one run, our tool as its
 * driver, UTF-16 columns (what JavaScript strings and the TypeScript compiler count). Types from @types/sarif,
 * which follows the OASIS SARIF 2.1.0 schema (https://docs.oasis-open.org/sarif/sarif/v2.1.0/).
 */

/** Who made the log: `version` is the package version, `informationUri` its home page. */
export interface SarifTool {
  version: string;
  informationUri: string;
}

/** One rule of the driver: `text` is its one-sentence description; `help` defaults to `text`. */
export interface SarifRuleInput {
  id: string;
  name: string;
  text: string;
  help?: string;
  helpUri?: string;
  level: 'error' | 'warning' | 'note';
}

/** A reporting descriptor with short and full description, help (text and markdown) and default level. */
export function sarifRule(rule: SarifRuleInput): ReportingDescriptor {
  const help = rule.help ?? rule.text;
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.text },
    fullDescription: { text: rule.text },
    help: { text: help, markdown: help },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: rule.level },
  };
}

/**
 * A physical location: `uri` relative (slash-separated, each segment percent-encoded), `region` 1-based lines
 * and columns. `uriBaseId` names the run's `originalUriBaseIds` entry the uri is relative to, when there is one.
 */
export function sarifLocation(
  uri: string,
  region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number },
  uriBaseId?: string,
): Location {
  return {
    physicalLocation: {
      artifactLocation: { uri, ...(uriBaseId ? { uriBaseId } : {}) },
      region,
    },
  };
}

/** A relative path (`/` or the platform separator) as a SARIF uri: each segment percent-encoded. */
export function sarifUri(relative: string, separator: string = '/'): string {
  return relative.split(separator).map(encodeURIComponent).join('/');
}

/**
 * The whole log as JSON (2-space indent): one run whose driver is mtls-fix with `rules`, holding `results` and
 * the optional run members in `extra` (invocations, properties, originalUriBaseIds).
 */
export function formatSarifLog(
  tool: SarifTool,
  rules: readonly ReportingDescriptor[],
  results: readonly Result[],
  extra: Omit<Run, 'tool' | 'results' | 'columnKind'> = {},
): string {
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mtls-fix',
            version: tool.version,
            informationUri: tool.informationUri,
            rules: [...rules],
          },
        },
        ...extra,
        columnKind: 'utf16CodeUnits',
        results: [...results],
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
