import { oas2, oas3 } from '@stoplight/spectral-formats';
import { mtls4xxRange } from './functions/mtls-4xx-range.js';
import { mtlsNo403 } from './functions/mtls-no-403.js';

const DOCS = 'https://github.com/mtls-fix/mtls-fix/blob/main/README.md';

/**
 * The mtls-fix Spectral ruleset. Each rule runs once on the whole document (`given: $`) and follows only
 * the refs it needs, so Spectral never has to walk the document; `resolved: false` keeps results at the
 * operation's own response key instead of a shared `components/responses` entry.
 */
const ruleset = {
  formats: [oas2, oas3],
  rules: {
    'mtls-no-403': {
      description: 'mTLS-secured operations must not document 403: iOS turns it into NSURLErrorDomain -1206.',
      message: '{{error}}',
      documentationUrl: `${DOCS}#mtls-no-403`,
      severity: 'error' as const,
      recommended: true,
      given: '$',
      resolved: false,
      then: { function: mtlsNo403 },
    },
    'mtls-4xx-range': {
      description: 'mTLS-secured operations documenting 4XX may send an undocumented 403.',
      message: '{{error}}',
      documentationUrl: `${DOCS}#mtls-4xx-range`,
      severity: 'warn' as const,
      recommended: true,
      given: '$',
      resolved: false,
      then: { function: mtls4xxRange },
    },
  },
};

export default ruleset;
export { mtls4xxRange, mtlsNo403 };
