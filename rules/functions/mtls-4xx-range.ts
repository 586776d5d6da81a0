import { createRulesetFunction } from '@stoplight/spectral-core';
import { ruleOptionsSchema, type MtlsRuleOptions } from '../options.js';
import { runRule } from '../run-rule.js';

/** Reports each mTLS-secured operation that documents the 4XX range, or only `default` (a 403 may hide in it). */
export const mtls4xxRange = createRulesetFunction<unknown, MtlsRuleOptions | null>(
  { input: null, options: ruleOptionsSchema },
  function mtls4xxRange(input, options, context) {
    return runRule('mtls-4xx-range', input, options, context);
  },
);
