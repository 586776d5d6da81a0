import type { FailSeverity, LintFormat } from '../../config/schema.js';
import { formatSummary, hintAsResult, type CheckedSummary, type LintHint } from '../checks.js';
import type { LintResult } from '../types.js';
import { SEVERITY_NUMBERS } from '../types.js';
import { formatGithubActions } from './github-actions.js';
import { formatJson } from './json.js';
import { formatSarif, type RuleDescription } from './sarif.js';

export const LINT_FORMATS: readonly LintFormat[] = [
  'stylish',
  'json',
  'sarif',
  'junit',
  'github-actions',
  'text',
];

export interface FormatContext {
  cwd: string;
  failSeverity: FailSeverity;
  rules: readonly RuleDescription[];
  tool: { version: string; informationUri: string };
  /** What was checked: a line in stylish/text, a run property in SARIF. */
  summary?: CheckedSummary;
  /** Shown in stylish/text, as notices in github-actions, as notifications in SARIF; not in json/junit. */
  hints?: readonly LintHint[];
}

/** Renders results in one of the DESIGN §4 formats; stylish, text and junit are Spectral's own. */
export async function formatResults(
  results: readonly LintResult[],
  format: LintFormat,
  context: FormatContext,
): Promise<string> {
  switch (format) {
    case 'json':
      return formatJson(results);
    case 'sarif':
      return formatSarif(results, context.rules, context.tool, context.cwd, {
        summary: context.summary,
        hints: context.hints ?? [],
      });
    case 'github-actions':
      return formatGithubActions([...results, ...(context.hints ?? []).map(hintAsResult)], context.cwd);
    case 'stylish':
    case 'text':
    case 'junit': {
      // Loaded on demand: the formatters pull in chalk, lodash and more.
      const formatters = await import('@stoplight/spectral-formatters');
      const formatter =
        format === 'stylish' ? formatters.stylish : format === 'text' ? formatters.text : formatters.junit;
      type SpectralResults = Parameters<typeof formatter>[0];
      const text = formatter(results as unknown as SpectralResults, {
        failSeverity: SEVERITY_NUMBERS[context.failSeverity],
      });
      if (format === 'junit') return text;
      // Never silent: what was checked, and the hints, follow the results.
      const tail = [
        ...(context.summary ? [`mtls-fix: checked ${formatSummary(context.summary)}`] : []),
        ...(context.hints ?? []).map((hint) => `hint: ${hint.message}`),
      ];
      return tail.length ? `${text.replace(/\n+$/, '')}\n\n${tail.join('\n')}` : text;
    }
  }
}

export type { RuleDescription };
