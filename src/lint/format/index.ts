import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Formatters from '@stoplight/spectral-formatters';
import type { FailSeverity, LintFormat } from '../../config/schema.js';
import { formatSummary, hintAsResult, type CheckedSummary, type LintHint } from '../checks.js';
import { hintTexts, SEPARATE_HINTS } from '../hint-digest.js';
import { groupDefaultOnly } from './group-default.js';
import { UNCHECKED_RULE } from '../../findings/unchecked.js';
import type { IgnoredResult, LintResult } from '../types.js';
import { SEVERITY_NUMBERS } from '../types.js';
import type { RuleDescription } from './sarif.js';

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
  /** What was checked: a line in stylish/text, a run property in SARIF. */
  summary?: CheckedSummary;
  /** Shown in stylish/text, as notices in github-actions, as notifications in SARIF; not in json/junit. */
  hints?: readonly LintHint[];
  /** --explain: a digest of many hints names every document (lint/hint-digest.ts). */
  explain?: boolean;
}

/**
 * Renders results in one of the DESIGN §4 formats; text and junit are Spectral's own, stylish is Spectral's
 * layout drawn by ./stylish.ts. Each format's module is loaded only when that format is chosen (start-up cost).
 */
export async function formatResults(
  results: readonly LintResult[],
  format: LintFormat,
  context: FormatContext,
): Promise<string> {
  // Human reports group many `default`-only warnings of one document (machine formats list each).
  const human = format === 'stylish' || format === 'text' || format === 'github-actions';
  if (human && !context.explain) results = groupDefaultOnly(results);
  ({ results, context } = uncheckedOnce(results, context, human));
  switch (format) {
    case 'json':
      return (await import('./json.js')).formatJson(results);
    case 'sarif':
      return (await import('./sarif.js')).formatSarif(results, context.rules, context.tool, context.cwd, {
        summary: context.summary,
        hints: context.hints ?? [],
        ignored: context.ignored ?? [],
      });
    case 'github-actions': {
      const { formatGithubActions, formatGithubNotice } = await import('./github-actions.js');
      // GitHub shows only the first few annotations of each kind per step: more documents with no mTLS-secured
      // operation than the digest threshold make one notice naming them (as the human report's digest does).
      const hints = context.hints ?? [];
      const digest = hints.filter((hint) => hint.noMtls).length > SEPARATE_HINTS;
      const annotated = digest ? hints.filter((hint) => !hint.noMtls) : hints;
      const annotations = formatGithubActions([...results, ...annotated.map(hintAsResult)], context.cwd);
      const notice = digest ? formatGithubNotice('mtls-hint', hintTexts(hints, context.explain)[0]) : '';
      // Never silent: what was checked, as a plain log line (not a workflow command, so no annotation).
      const checked = context.summary ? `mtls-fix: checked ${formatSummary(context.summary)}` : '';
      return [annotations, notice, checked].filter(Boolean).join('\n');
    }
    case 'stylish':
    case 'text':
    case 'junit': {
      let text: string;
      if (format === 'stylish') {
        const { formatStylish, stylishPainter } = await import('./stylish.js');
        text = formatStylish(results, await stylishPainter());
      } else {
        const formatter = await spectralFormatter(format);
        type SpectralResults = Parameters<typeof formatter>[0];
        text = formatter(results as unknown as SpectralResults, {
          failSeverity: SEVERITY_NUMBERS[context.failSeverity],
        });
      }
      if (format === 'junit') return text;
      // Never silent: what was checked, and the hints, follow the results.
      const tail = [
        ...(context.summary ? [`mtls-fix: checked ${formatSummary(context.summary)}`] : []),
        ...hintTexts(context.hints ?? [], context.explain).map((text) => `hint: ${text}`),
      ];
      // No results: the tail alone (Spectral's empty report is blank lines).
      const body = text.replace(/\n+$/, '');
      return tail.length ? `${body.trim() ? `${body}\n\n` : ''}${tail.join('\n')}` : text;
    }
  }
}

/**
 * Each document with no mTLS-secured operation is said once: as its `mtls-unchecked` result (every format, as
 * under stock Spectral), so its hint is dropped; except in a human report without --explain with more than
 * {@link SEPARATE_HINTS} of them, where the results give way to the hints' one digest (lint/hint-digest.ts).
 */
function uncheckedOnce(
  results: readonly LintResult[],
  context: FormatContext,
  human: boolean,
): { results: readonly LintResult[]; context: FormatContext } {
  const unchecked = results.filter((result) => result.code === UNCHECKED_RULE).length;
  const hints = context.hints ?? [];
  if (human && !context.explain && unchecked > SEPARATE_HINTS)
    return { results: results.filter((result) => result.code !== UNCHECKED_RULE), context };
  return { results, context: { ...context, hints: hints.filter((hint) => !hint.noMtls) } };
}

type SpectralFormatter = typeof Formatters.stylish;

/**
 * One of Spectral's formatters, loaded on demand and alone: the package index loads every formatter and with
 * them lodash, node-fetch and whatwg-url (about 110 modules; stylish alone is about 50, text 13). The package
 * exports only its index, so the formatter's own file is required by path; if a release moves it, the index.
 */
async function spectralFormatter(name: 'text' | 'junit'): Promise<SpectralFormatter> {
  try {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@stoplight/spectral-formatters'));
    const formatter = (require(path.join(dist, `${name}.js`)) as Record<string, unknown>)[name];
    if (typeof formatter === 'function') return formatter as SpectralFormatter;
  } catch {
    // fall through to the index
  }
  const formatters = await import('@stoplight/spectral-formatters');
  return formatters[name];
}

export type { RuleDescription };
