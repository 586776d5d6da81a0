import { createRulesetFunction } from '@stoplight/spectral-core';
import { ruleOptionsSchema, type MtlsRuleOptions } from '../options.js';
import { hasOptions, runRule } from '../run-rule.js';

/**
 * Reports a document none of whose operations is mTLS-secured (none of its 403s was checked), at its root.
 * Given no options of its own, it waits one turn so that the ruleset's other rules have run on the document, and
 * reads it with their options (a YAML/JSON ruleset may give `functionOptions` to `mtls-no-403` alone; Spectral
 * runs a rule redefined there after the inherited ones).
 */
export const mtlsUnchecked = createRulesetFunction<unknown, MtlsRuleOptions | null>(
  { input: null, options: ruleOptionsSchema },
  async function mtlsUnchecked(input, options, context) {
    if (!hasOptions(options)) await new Promise((resolve) => setTimeout(resolve, 0));
    return runRule('mtls-unchecked', input, options, context);
  },
);
