import path from 'node:path';
import type { IFunctionResult, RulesetFunctionContext } from '@stoplight/spectral-core';
import { findMtlsFixError } from '../src/errors.js';
import { decodePointer } from '../src/openapi/pointer.js';
import { findingsFor, UNREAD_PREFIX, unreadFor, type MtlsRuleId } from '../src/findings/findings.js';
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
    const source = context.document.source;
    const results: IFunctionResult[] = findingsFor(input, source, effective)
      .filter((finding) => finding.rule === rule && !finding.ignored)
      .map((finding) => ({ message: finding.message, path: finding.spectralPath }));
    // What could not be read is named (once, under mtls-no-403, an error), never passed as clean.
    if (rule !== 'mtls-no-403') return results;
    for (const error of unreadFor(input, effective)) {
      const inRoot = error.location && source && path.resolve(error.location.file) === path.resolve(source);
      results.push({
        message: `${UNREAD_PREFIX}${error.toLine()}`,
        path: inRoot ? pointerPath(error.location?.key) : [],
      });
    }
    return results;
  } catch (error) {
    const userError = findMtlsFixError(error);
    if (!userError) throw error;
    return [{ message: `mtls-fix could not check this document: ${userError.toLine()}`, path: [] }];
  }
}

/** The JSON path of a pointer written in the root file (`/paths/~1a/get`), else the document itself. */
function pointerPath(key: string | undefined): (string | number)[] {
  if (!key?.startsWith('/')) return [];
  try {
    return decodePointer(key);
  } catch {
    return [];
  }
}
