import { loadConfig } from '../config/load.js';
import { resolveConfig, type ResolvedConfig } from '../config/resolve.js';

/** The values of the detection and config flags (src/cli/config-flags.ts), however they were parsed. */
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
