import { oas2, oas3 } from '@stoplight/spectral-formats';
import { mtls4xxRange } from './functions/mtls-4xx-range.js';
import { mtlsNo403 } from './functions/mtls-no-403.js';
import { mtlsUnchecked } from './functions/mtls-unchecked.js';
import { RULES, type RuleMeta } from '../src/findings/meta.js';
import type { MtlsRuleOptions } from './options.js';

/**
 * The mtls-fix Spectral ruleset with the given function options (`null`: everything from the config
 * file). Each rule runs once on the whole document (`given: $`) and follows only the refs it needs, so
 * Spectral never has to walk the document; `resolved: false` keeps results at the operation's own
 * response key instead of a shared `components/responses` entry.
 */
function buildRuleset(functionOptions: MtlsRuleOptions | null) {
  const options = functionOptions === null ? {} : { functionOptions };
  // Spectral's rule schema has no `name` (SARIF's human name): leave it out.
  const spectralMeta = ({ description, severity, documentationUrl }: RuleMeta) => ({
    description,
    severity,
    documentationUrl,
  });
  return {
    formats: [oas2, oas3],
    rules: {
      'mtls-no-403': {
        ...spectralMeta(RULES['mtls-no-403']),
        message: '{{error}}',
        recommended: true,
        given: '$',
        resolved: false,
        then: { function: mtlsNo403, ...options },
      },
      'mtls-4xx-range': {
        ...spectralMeta(RULES['mtls-4xx-range']),
        message: '{{error}}',
        recommended: true,
        given: '$',
        resolved: false,
        then: { function: mtls4xxRange, ...options },
      },
      // One result at the document's root when no operation is mTLS-secured: "No results" must mean checked.
      'mtls-unchecked': {
        ...spectralMeta(RULES['mtls-unchecked']),
        message: '{{error}}',
        recommended: true,
        given: '$',
        resolved: false,
        then: { function: mtlsUnchecked, ...options },
      },
    },
  };
}

const ruleset = buildRuleset(null);

/**
 * The ruleset with options inline, for `.spectral.js`:
 * `export default { extends: [mtlsRuleset({ schemes: ['clientCert'], status: 404 })] }`.
 * Options given here win over the config file, which is still read for the rest unless
 * `useConfigFile: false`. Invalid options are reported by Spectral when it loads the ruleset.
 */
export function mtlsRuleset(options: MtlsRuleOptions = {}): ReturnType<typeof buildRuleset> {
  return buildRuleset(options);
}

export default ruleset;
export { mtls4xxRange, mtlsNo403, mtlsUnchecked, RULES };
export type { MtlsRuleOptions };
