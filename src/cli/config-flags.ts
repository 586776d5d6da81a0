import { Flags } from '@oclif/core';
import { loadConfig } from '../config/load.js';
import { resolveConfig, type ResolvedConfig } from '../config/resolve.js';

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

export interface DetectionFlagValues {
  config?: string;
  status?: string;
  'mtls-scheme'?: string[];
  'mtls-server'?: string[];
  'mtls-everywhere'?: boolean;
  'allow-remote-refs'?: boolean;
}

/** Loads the config file and lays the flags over it. */
export async function configFromFlags(flags: DetectionFlagValues, cwd: string): Promise<ResolvedConfig> {
  const loaded = await loadConfig({ cwd, configPath: flags.config });
  return resolveConfig(
    loaded.config,
    {
      status: flags.status,
      mtlsSchemes: flags['mtls-scheme'],
      mtlsServers: flags['mtls-server'],
      mtlsEverywhere: flags['mtls-everywhere'],
      allowRemoteRefs: flags['allow-remote-refs'],
    },
    loaded.filepath,
  );
}
