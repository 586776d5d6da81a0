import { oas2, oas3 } from '@stoplight/spectral-formats';
import { mtls4xxRange } from './functions/mtls-4xx-range.js';
import { mtlsNo403 } from './functions/mtls-no-403.js';
import { RULES } from '../src/findings/meta.js';

/**
 * The mtls-fix Spectral ruleset. Each rule runs once on the whole document (`given: $`) and follows only
 * the refs it needs, so Spectral never has to walk the document; `resolved: false` keeps results at the
 * operation's own response key instead of a shared `components/responses` entry.
 */
const ruleset = {
  formats: [oas2, oas3],
  rules: {
    'mtls-no-403': {
      ...RULES['mtls-no-403'],
      message: '{{error}}',
      recommended: true,
      given: '$',
      resolved: false,
      then: { function: mtlsNo403 },
    },
    'mtls-4xx-range': {
      ...RULES['mtls-4xx-range'],
      message: '{{error}}',
      recommended: true,
      given: '$',
      resolved: false,
      then: { function: mtls4xxRange },
    },
  },
};

export default ruleset;
export { mtls4xxRange, mtlsNo403, RULES };
