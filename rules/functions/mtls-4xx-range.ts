import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core';
import { findingsFor } from '../findings.js';
import { effectiveRuleOptions, ruleOptionsSchema, type MtlsRuleOptions } from '../options.js';

/** Reports each mTLS-secured operation that documents the 4XX range (a 403 may hide in it). */
export const mtls4xxRange = createRulesetFunction<unknown, MtlsRuleOptions | null>(
  { input: null, options: ruleOptionsSchema },
  function mtls4xxRange(input, options, context): IFunctionResult[] {
    if (input === null || typeof input !== 'object') return [];
    const findings = findingsFor(input, context.document.source, effectiveRuleOptions(options));
    return findings
      .filter((finding) => finding.rule === 'mtls-4xx-range')
      .map((finding) => ({ message: finding.message, path: finding.spectralPath }));
  },
);
