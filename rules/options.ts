import path from 'node:path';
import type { JSONSchema7 } from 'json-schema';
import { loadConfigSync } from '../src/config/load.js';
import { resolveConfig } from '../src/config/resolve.js';
import { configSchema } from '../src/config/schema.js';
import { toEffectiveOptions, type EffectiveRuleOptions } from '../src/findings/findings.js';

/** Options the ruleset functions accept; anything left out comes from the mtls-fix config file. */
export interface MtlsRuleOptions {
  status?: number;
  schemes?: string[];
  servers?: string[];
  everywhere?: boolean;
  allowRemoteRefs?: boolean;
  /** A config file to read instead of searching from the working folder. */
  config?: string;
}

export const ruleOptionsSchema: JSONSchema7 = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    // The agreed status has one definition: the config schema's.
    status: configSchema.properties.status as JSONSchema7,
    schemes: { type: 'array', items: { type: 'string' } },
    servers: { type: 'array', items: { type: 'string' } },
    everywhere: { type: 'boolean' },
    allowRemoteRefs: { type: 'boolean' },
    config: { type: 'string' },
  },
};

/**
 * Merges function options over the config file, so `extends: [mtls-fix/ruleset]` in a stock
 * `.spectral.yaml` reads the same `mtls-fix.config.*` as `mtls-fix lint`.
 */
export function effectiveRuleOptions(options: MtlsRuleOptions | null): EffectiveRuleOptions {
  const given = options ?? {};
  const cwd = process.cwd();
  const loaded = loadConfigSync({
    cwd,
    configPath: given.config ? path.resolve(cwd, given.config) : undefined,
  });
  const config = resolveConfig(
    loaded.config,
    {
      status: given.status,
      mtlsSchemes: given.schemes,
      mtlsServers: given.servers,
      mtlsEverywhere: given.everywhere,
      allowRemoteRefs: given.allowRemoteRefs,
    },
    loaded.filepath,
  );
  return toEffectiveOptions(config);
}
