import type { IFunctionResult, RulesetFunctionContext } from '@stoplight/spectral-core';
import { findMtlsFixError } from '../src/errors.js';
import { findingsFor, type MtlsRuleId } from '../src/findings/findings.js';
import { effectiveRuleOptions, type MtlsRuleOptions } from './options.js';

/**
 * The body of both rule functions: the findings of one rule, computed once per document. A document mtls-fix
 * cannot read (a broken `$ref`, a bad config) becomes one result instead of an exception, so a stock Spectral
 * run with other rulesets still reports everything else.
 */
export function runRule(
  rule: MtlsRuleId,
  input: unknown,
  options: MtlsRuleOptions | null,
  context: RulesetFunctionContext,
): IFunctionResult[] {
  if (input === null || typeof input !== 'object') return [];
  try {
    // Under stock Spectral, Spectral decides about remote refs; ours only skip them unless told otherwise.
    const effective = effectiveRuleOptions({ allowRemoteRefs: true, ...options }, context.document.source);
    return findingsFor(input, context.document.source, effective)
      .filter((finding) => finding.rule === rule && !finding.ignored)
      .map((finding) => ({ message: finding.message, path: finding.spectralPath }));
  } catch (error) {
    const userError = findMtlsFixError(error);
    if (!userError) throw error;
    return [{ message: `mtls-fix could not check this document: ${userError.toLine()}`, path: [] }];
  }
}
