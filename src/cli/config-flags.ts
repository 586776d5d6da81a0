import { Flags } from '@oclif/core';

/** The detection and config flags shared by every command that reads an OpenAPI document. */
export const detectionFlags = {
  config: Flags.string({ description: 'Config file to use instead of searching for mtls-fix.config.* .' }),
  status: Flags.string({ description: 'The agreed status answered instead of 403 (default 401).' }),
  'mtls-scheme': Flags.string({
    description: 'Security scheme name that means mTLS (OAS 3.0 / Swagger 2.0). Repeatable.',
    multiple: true,
    multipleNonGreedy: true,
  }),
  'mtls-server': Flags.string({
    description: 'Regex on server URLs that are mTLS endpoints. Repeatable.',
    multiple: true,
    multipleNonGreedy: true,
  }),
  'mtls-everywhere': Flags.boolean({
    description: 'Treat every operation as mTLS-secured (FAPI, eIDAS/PSD2).',
  }),
  'allow-remote-refs': Flags.boolean({
    description: 'Accept remote http(s) $refs (they are skipped, never fetched) instead of failing.',
  }),
};

// The values side lives in config-from-flags.ts, which loads without oclif (the lean `lint` path).
export { configFromFlags, type DetectionFlagValues } from './config-from-flags.js';
