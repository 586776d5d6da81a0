import { createRulesetFunction } from '@stoplight/spectral-core';
import { ruleOptionsSchema, type MtlsRuleOptions } from '../options.js';
import { runRule } from '../run-rule.js';

/** Reports each mTLS-secured operation that documents a 403, at that operation's own response key. */
export const mtlsNo403 = createRulesetFunction<unknown, MtlsRuleOptions | null>(
  { input: null, options: ruleOptionsSchema },
  function mtlsNo403(input, options, context) {
    return runRule('mtls-no-403', input, options, context);
  },
);
