import path from 'node:path';
import type { JSONSchema7 } from 'json-schema';
import { loadConfigSync } from '../src/config/load.js';
import { resolveConfig } from '../src/config/resolve.js';
import { configSchema, type ConfigFile } from '../src/config/schema.js';
import { toEffectiveOptions, type EffectiveRuleOptions } from '../src/findings/findings.js';

/**
 * Options the ruleset functions accept (`functionOptions` in a ruleset, or `mtlsRuleset(options)` in
 * `.spectral.js`); anything left out comes from the mtls-fix config file, when one can be read.
 */
export interface MtlsRuleOptions {
  /** The agreed status: a 4xx other than 403 (default 401). */
  status?: number;
  /** Security scheme names that mean mTLS (OAS 3.0 / Swagger 2.0). */
  schemes?: string[];
  /** Regular expressions on effective server URLs. */
  servers?: string[];
  /** Every operation is mTLS-secured. */
  everywhere?: boolean;
  allowRemoteRefs?: boolean;
  /** A config file to read instead of searching upward from the document's folder. */
  config?: string;
  /** `false`: never read a config file (the options above are all there is). */
  useConfigFile?: boolean;
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
    useConfigFile: { type: 'boolean' },
  },
};

/**
 * True where files can be read: under Node. The Spectral VS Code extension bundles rulesets for a
 * sandbox without `node:fs`; there the function options are all the rules get.
 */
function canReadFiles(): boolean {
  const host = globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: unknown } };
  return (
    typeof host.process?.versions?.node === 'string' && typeof host.process.getBuiltinModule === 'function'
  );
}

/**
 * Merges function options over the config file, so `extends: [mtls-fix/ruleset]` in a stock
 * `.spectral.yaml` reads the same `mtls-fix.config.*` as `mtls-fix lint`: found by searching upward from
 * the document's folder (`documentSource`, absolute), else from the working folder.
 * @throws MtlsFixError when the config file is invalid or an option is (a bad status or regex).
 */
export function effectiveRuleOptions(
  options: MtlsRuleOptions | null,
  documentSource?: string | null,
): EffectiveRuleOptions {
  const given = options ?? {};
  let file: ConfigFile = {};
  let filepath: string | undefined;
  if (given.useConfigFile !== false && canReadFiles()) {
    const cwd = process.cwd();
    const from = documentSource && path.isAbsolute(documentSource) ? path.dirname(documentSource) : cwd;
    const loaded = loadConfigSync({
      cwd: from,
      configPath: given.config ? path.resolve(cwd, given.config) : undefined,
    });
    file = loaded.config;
    filepath = loaded.filepath;
  }
  const config = resolveConfig(
    file,
    {
      status: given.status,
      mtlsSchemes: given.schemes,
      mtlsServers: given.servers,
      mtlsEverywhere: given.everywhere,
      allowRemoteRefs: given.allowRemoteRefs,
    },
    filepath,
  );
  return toEffectiveOptions(config);
}
