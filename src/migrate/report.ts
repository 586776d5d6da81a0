import { formatCoverage } from './routes/coverage.js';
import type { MigrateReport, MigrateResult, ReportError, ReportSite, Site, SiteAction } from './types.js';

interface ReportInput {
  status: number;
  mode: 'write' | 'dry-run' | 'check';
  filesScanned: number;
  filesParsed: number;
  filesChanged: number;
  sites: readonly Site[];
  /** Rewrite sites whose edits were refused (overlap, syntax), with the reason. */
  refused: ReadonlyMap<Site, string>;
  errors: ReportError[];
  lineOf: (site: Site) => { line: number; column: number; text: string };
}

/** The DESIGN §4 report, sorted by file, line, column; plus the source lines of sites for the human listing. */
export function buildReport(input: ReportInput): {
  report: MigrateReport;
  sourceLines: Record<string, string>;
} {
  const sourceLines: Record<string, string> = {};
  const sites: ReportSite[] = input.sites.map((site) => {
    const { line, column, text } = input.lineOf(site);
    sourceLines[`${site.file}:${line}`] = text;
    const refused = input.refused.get(site);
    const action = actionOf(site, refused, input.mode);
    return {
      file: site.file,
      line,
      column,
      framework: site.framework,
      form: site.form,
      action,
      replacement: action === 'rewritten' || action === 'would-rewrite' ? site.replacement : null,
      operation: site.operation,
      reason: action === 'ignored' ? `mtls-fix-ignore: ${site.ignoreReason ?? ''}` : (refused ?? site.reason),
    };
  });
  sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const count = (...actions: SiteAction[]) => sites.filter((s) => actions.includes(s.action)).length;
  return {
    report: {
      status: input.status,
      summary: {
        filesScanned: input.filesScanned,
        filesParsed: input.filesParsed,
        filesChanged: input.filesChanged,
        rewritten: count('rewritten', 'would-rewrite'),
        manual: count('manual'),
        ignored: count('ignored'),
        errors: input.errors.length,
      },
      sites,
      errors: [...input.errors].sort((a, b) => (a.file < b.file ? -1 : 1)),
    },
    sourceLines,
  };
}

function actionOf(site: Site, refused: string | undefined, mode: ReportInput['mode']): SiteAction {
  if (site.ignoreReason) return 'ignored';
  if (site.kind === 'manual' || refused) return 'manual';
  return mode === 'write' ? 'rewritten' : 'would-rewrite';
}

/** Whether `--check` fails: anything would change, or needs a person (ignored sites do not count). */
export function checkFails(report: MigrateReport): boolean {
  return report.summary.rewritten > 0 || report.summary.manual > 0;
}

/** The human summary and manual list (`file:line:col` with the source line under it). */
export function formatHuman(result: MigrateResult, mode: 'write' | 'dry-run' | 'check'): string {
  const { report } = result;
  const s = report.summary;
  const verb = mode === 'write' ? 'rewritten' : 'to rewrite';
  const seconds = (result.elapsedMs / 1000).toFixed(2);
  const lines: string[] = [];
  const manual = report.sites.filter((site) => site.action === 'manual');
  if (manual.length) {
    lines.push(`Needs review (${manual.length}):`, '');
    for (const site of manual) {
      lines.push(`${site.file}:${site.line}:${site.column}  ${site.framework}  ${site.reason ?? ''}`);
      const source = result.sourceLines[`${site.file}:${site.line}`];
      if (source !== undefined) lines.push(`    ${source.trim()}`);
      lines.push('');
    }
  }
  if (report.errors.length) {
    lines.push(`Not parsed (${report.errors.length}):`);
    for (const error of report.errors) lines.push(`  ${error.file}: ${error.message}`);
    lines.push('');
  }
  lines.push(
    `mtls-fix migrate: 403 -> ${report.status}`,
    `  files  ${s.filesScanned} scanned, ${s.filesParsed} parsed, ${s.filesChanged} ${mode === 'write' ? 'changed' : 'would change'}`,
    `  sites  ${s.rewritten} ${verb}, ${s.manual} manual, ${s.ignored} ignored, ${s.errors} errors`,
    `  time   ${seconds} s`,
  );
  if (report.coverage) lines.push('', formatCoverage(report.coverage));
  return lines.join('\n');
}
