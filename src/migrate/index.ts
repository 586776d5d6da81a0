export { migrate } from './engine.js';
export { formatHuman, checkFails, checkFailures } from './report.js';
export { FRAMEWORK_IDS } from './frameworks/index.js';
export type {
  MigrateOptions,
  MigrateReport,
  MigrateResult,
  MigrateSummary,
  ReportSite,
  SiteRead,
  ReportError,
  Site,
  SiteScope,
  SiteFilter,
  SiteDecision,
  SiteAction,
  Edit,
} from './types.js';
