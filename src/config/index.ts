export {
  loadConfig,
  loadConfigSync,
  validateConfig,
  CONFIG_SEARCH_PLACES,
  type LoadedConfig,
} from './load.js';
export { resolveConfig, type ResolvedConfig, type ConfigOverrides, type MtlsDetection } from './resolve.js';
export {
  configSchema,
  type ConfigFile,
  type FailSeverity,
  type IgnoreEntry,
  type LintFormat,
  type RuleSetting,
  type RuleSettings,
  type UncheckedSetting,
  uncheckedFailsCheck,
} from './schema.js';
export { DEFAULT_STATUS, parseStatus } from './status.js';
