import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core';
import { findingsFor } from '../findings.js';
import { effectiveRuleOptions, ruleOptionsSchema, type MtlsRuleOptions } from '../options.js';

/** Reports each mTLS-secured operation that documents a 403, at that operation's own response key. */
export const mtlsNo403 = createRulesetFunction<unknown, MtlsRuleOptions | null>(
  { input: null, options: ruleOptionsSchema },
  function mtlsNo403(input, options, context): IFunctionResult[] {
    if (input === null || typeof input !== 'object') return [];
    const findings = findingsFor(input, context.document.source, effectiveRuleOptions(options));
    return findings
      .filter((finding) => finding.rule === 'mtls-no-403')
      .map((finding) => ({ message: finding.message, path: finding.spectralPath }));
  },
);
