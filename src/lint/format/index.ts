import type { FailSeverity, LintFormat } from '../../config/schema.js';
import type { IgnoredResult, LintResult } from '../types.js';
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
  /** Suppressed findings: SARIF keeps them as results with `suppressions`. */
  ignored?: readonly IgnoredResult[];
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
      return formatSarif(results, context.rules, context.tool, context.cwd, context.ignored);
    case 'github-actions':
      return formatGithubActions(results, context.cwd);
    case 'stylish':
    case 'text':
    case 'junit': {
      // Loaded on demand: the formatters pull in chalk, lodash and more.
      const formatters = await import('@stoplight/spectral-formatters');
      const formatter =
        format === 'stylish' ? formatters.stylish : format === 'text' ? formatters.text : formatters.junit;
      type SpectralResults = Parameters<typeof formatter>[0];
      return formatter(results as unknown as SpectralResults, {
        failSeverity: SEVERITY_NUMBERS[context.failSeverity],
      });
    }
  }
}

export type { RuleDescription };
