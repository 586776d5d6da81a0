import path from 'node:path';
import { MtlsFixError } from '../errors.js';
import type { MtlsDetection } from '../openapi/classify.js';
import type { ConfigFile } from './schema.js';
import { DEFAULT_STATUS, parseStatus } from './status.js';

/** The model owns the shape (src/openapi/classify.ts); config produces values of it. Re-exported for callers. */
export type { MtlsDetection };

export interface ResolvedConfig {
  status: number;
  mtls: MtlsDetection;
  spec: string[];
  allowRemoteRefs: boolean;
  configPath?: string;
  raw: ConfigFile;
}

/** Flags that override config keys; undefined means "not given". */
export interface ConfigOverrides {
  status?: string | number;
  mtlsSchemes?: string[];
  mtlsServers?: string[];
  mtlsEverywhere?: boolean;
  allowRemoteRefs?: boolean;
}

/** Flags override the file; lists given on the command line replace the file's lists. */
export function resolveConfig(
  file: ConfigFile,
  overrides: ConfigOverrides = {},
  configPath?: string,
): ResolvedConfig {
  const status =
    overrides.status !== undefined
      ? parseStatus(overrides.status, '--status')
      : file.status !== undefined
        ? parseStatus(file.status, `${configPath ?? 'config'} (status)`)
        : DEFAULT_STATUS;
  const serverPatterns = overrides.mtlsServers?.length ? overrides.mtlsServers : (file.mtls?.servers ?? []);
  return {
    status,
    mtls: {
      schemes: overrides.mtlsSchemes?.length ? overrides.mtlsSchemes : (file.mtls?.schemes ?? []),
      servers: serverPatterns.map((pattern) => compileServerPattern(pattern, overrides.mtlsServers?.length)),
      everywhere: overrides.mtlsEverywhere || (file.mtls?.everywhere ?? false),
    },
    spec: specPaths(file.spec, configPath),
    allowRemoteRefs: overrides.allowRemoteRefs || (file.allowRemoteRefs ?? false),
    configPath,
    raw: file,
  };
}

/** Config `spec` entries are relative to the config file, so a command run from a sub-folder finds them. */
function specPaths(spec: ConfigFile['spec'], configPath: string | undefined): string[] {
  const entries = spec === undefined ? [] : Array.isArray(spec) ? spec : [spec];
  if (!configPath) return entries;
  const base = path.dirname(configPath);
  return entries.map((entry) => (/[*?[\]{}]/.test(entry) ? entry : path.resolve(base, entry)));
}

function compileServerPattern(pattern: string, fromFlag: number | undefined): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    const where = fromFlag ? '--mtls-server' : 'config mtls.servers';
    throw new MtlsFixError(
      'EUSAGE',
      `${where}: '${pattern}' is not a valid regular expression (${(error as Error).message}).`,
      'Escape special characters, e.g. ^https://mtls\\.',
    );
  }
}
