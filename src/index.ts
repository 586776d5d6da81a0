/**
 * The programmatic API of mtls-fix: what the commands use, for tools and tests to use directly.
 * Library functions return data; they never print or exit.
 */
export { loadConfig, loadConfigSync, resolveConfig, configSchema, DEFAULT_STATUS } from './config/index.js';
export type { ConfigFile, ConfigOverrides, MtlsDetection, ResolvedConfig } from './config/index.js';
export { MtlsFixError, type ErrorCode, type ErrorLocation } from './errors.js';
export { lint, type LintOptions } from './lint/run.js';
export { resolveSpecFiles } from './lint/files.js';
export { formatResults, LINT_FORMATS } from './lint/format/index.js';
export type { LintReport, LintResult } from './lint/types.js';
export {
  analyzeDocument,
  classifyOperation,
  DocumentSet,
  listOperations,
  operationName,
  type DocumentAnalysis,
  type MtlsClassification,
  type Operation,
  type OperationAnalysis,
} from './openapi/index.js';
export * from './migrate/index.js';
export { fix, type FixOptions, type FixReport } from './fix/index.js';
export {
  detectMtls,
  buildProposal,
  hostPattern,
  type DetectOptions,
  type DetectReport,
  type DetectFinding,
  type DetectProposal,
} from './detect/index.js';
export { mergeProposal, type ConfigMerge } from './detect/write.js';
export {
  generateProxyConfig,
  PROXY_TARGETS,
  type ProxyConfig,
  type ProxyOptions,
  type ProxyTarget,
} from './proxy/index.js';
