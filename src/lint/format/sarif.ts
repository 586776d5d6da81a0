import { createHash } from 'node:crypto';
import path from 'node:path';
import { formatSummary, type CheckedSummary, type LintHint } from '../checks.js';
import type { IgnoredResult, LintResult } from '../types.js';
import type { Location, Result } from 'sarif';
import { formatSarifLog, sarifLocation, sarifRule, sarifUri } from '../../util/sarif.js';

export interface RuleDescription {
  id: string;
  /** Human name, distinct from the id; the id is used when absent. */
  name?: string;
  description: string;
  documentationUrl?: string;
  severity: 'error' | 'warn' | 'info';
}

const LEVELS = ['error', 'warning', 'note', 'note'] as const satisfies readonly Result.level[];

/** The rule id of a file that could not be linted (src/lint/run.ts INPUT_RULE). */
const INPUT_RULE_ID = 'mtls-fix-input';

/**
 * SARIF 2.1.0 naming our tool and rules, with help text and a fingerprint built from rule, file and
 * operation (not the line), so code-scanning keeps a finding's identity when lines move.
 */
export function formatSarif(
  results: readonly LintResult[],
  rules: readonly RuleDescription[],
  tool: { version: string; informationUri: string },
  cwd: string,
  extras: {
    summary?: CheckedSummary;
    hints: readonly LintHint[];
    /** Suppressed findings: kept as results with `suppressions`. */
    ignored?: readonly IgnoredResult[];
  } = { hints: [] },
): string {
  const uriOf = (file: string): string => sarifUri(path.relative(cwd, file), path.sep);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const inputErrors = results.filter((result) => result.code === INPUT_RULE_ID);
  const at = (source: string, region: Parameters<typeof sarifLocation>[1]): Location =>
    sarifLocation(uriOf(source), region, '%SRCROOT%');
  const driverRules = rules.map((rule) =>
    sarifRule({
      id: rule.id,
      name: rule.name ?? rule.id,
      text: rule.description,
      help: helpText(rule),
      helpUri: rule.documentationUrl,
      level: rule.severity === 'error' ? 'error' : rule.severity === 'warn' ? 'warning' : 'note',
    }),
  );
  // Suppressed findings stay in the log with their justification (SARIF §3.35), as code scanning expects.
  const sarifResults = [...results, ...(extras.ignored ?? [])].map(
    (result: LintResult & Partial<IgnoredResult>): Result => {
      const index = ruleIndex.get(result.code);
      return {
        ruleId: result.code,
        ...(index === undefined ? {} : { ruleIndex: index }),
        level: LEVELS[result.severity],
        message: { text: result.message },
        locations: [
          at(result.source, {
            startLine: result.range.start.line + 1,
            startColumn: result.range.start.character + 1,
            endLine: result.range.end.line + 1,
            endColumn: result.range.end.character + 1,
          }),
        ],
        partialFingerprints: { 'mtlsFix/v1': fingerprint(result, uriOf(result.source)) },
        ...(result.ignored
          ? {
              suppressions: [
                {
                  kind: result.ignored.by === 'config' ? 'external' : 'inSource',
                  justification: result.ignored.reason,
                },
              ],
            }
          : {}),
      };
    },
  );
  return formatSarifLog(tool, driverRules, sarifResults, {
    // Files that could not be linted are results (so code scanning shows them) and error notifications;
    // hints are advice, not results: notes of the run's invocation.
    invocations: [
      {
        executionSuccessful: inputErrors.length === 0,
        toolExecutionNotifications: [
          ...inputErrors.map((result) => ({
            level: 'error' as const,
            message: { text: result.message },
            descriptor: { id: INPUT_RULE_ID },
            locations: [
              at(result.source, {
                startLine: result.range.start.line + 1,
                startColumn: result.range.start.character + 1,
              }),
            ],
          })),
          ...extras.hints.map((hint) => ({
            level: 'note' as const,
            descriptor: { id: 'mtls-hint' },
            message: { text: hint.message },
            locations: [at(hint.source, { startLine: hint.line })],
          })),
        ],
      },
    ],
    ...(extras.summary
      ? { properties: { checked: formatSummary(extras.summary), summary: { ...extras.summary } } }
      : {}),
    originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(cwd) } },
  });
}

function helpText(rule: RuleDescription): string {
  return (
    `${rule.description} Since iOS 9, URLSession reports an HTTP 403 received on a connection where the client ` +
    `presented a TLS client certificate as NSURLErrorDomain -1206 ("The server requires a client certificate"), ` +
    `so the app never sees the response. Answer the agreed status (401 by default, with WWW-Authenticate; or 404 ` +
    `per RFC 9110 §15.5.4) instead. Run \`mtls-fix fix\` to rename the response, \`mtls-fix migrate\` for the code.`
  );
}

function fingerprint(result: LintResult, uri: string): string {
  const subject = result.operation
    ? `${result.operation.method} ${result.operation.path}`
    : result.path.join('/');
  return createHash('sha256').update(`${result.code}\u0000${uri}\u0000${subject}`).digest('hex').slice(0, 32);
}

function pathToFileUri(folder: string): string {
  const normalized = folder.split(path.sep).join('/');
  return `file://${normalized.startsWith('/') ? '' : '/'}${encodeURI(normalized)}/`;
}
