import { createHash } from 'node:crypto';
import type { Result } from 'sarif';
import {
  formatSarifLog,
  sarifLocation,
  sarifRule,
  sarifUri,
  type SarifRuleInput,
  type SarifTool,
} from '../util/sarif.js';
import { UNCHECKED_ADVICE, uncheckedSpecs } from './report.js';
import { ALREADY_ANSWERS } from './test-target-places.js';
import type { MigrateReport, ReportSite } from './types.js';

/**
 * Renderings of a `migrate --check` report for people and CI (issue 12): every remaining site, not
 * counts. Reads only the public `MigrateReport` shape (DESIGN §4); the engine is not involved.
 */

/** The sites a check fails on: those that would be rewritten and those a person must decide. */
export function remainingSites(report: MigrateReport): ReportSite[] {
  return report.sites.filter(
    (site) => site.action === 'would-rewrite' || site.action === 'rewritten' || site.action === 'manual',
  );
}

/**
 * `file:line:col  form -> replacement`, one line per site still to rewrite. Manual sites are listed with
 * their reason by the human report itself (`formatHuman`); `manual: true` lists them here too.
 */
export function formatSiteList(report: MigrateReport, options: { manual?: boolean } = {}): string {
  const sites = remainingSites(report).filter((site) => options.manual || site.action !== 'manual');
  if (sites.length === 0) return '';
  const lines = sites.map((site) => `${siteLocation(site)}  ${siteText(site)}`);
  return [`To rewrite (${sites.length}):`, ...lines, ''].join('\n');
}

function siteLocation(site: ReportSite): string {
  return `${site.file}:${site.line}:${site.column}`;
}

function siteText(site: ReportSite): string {
  const operation = site.operation ? ` [${site.operation}]` : '';
  if (site.action === 'manual')
    return `${site.form}  (manual: ${site.reason ?? 'needs review'})${readsText(site)}${operation}`;
  return `${site.form} -> ${site.replacement ?? '?'}${readsText(site)}${operation}`;
}

/** How many reads of a declaration site the one-line texts name; then a count. */
const READS_NAMED = 3;

/**
 * ` (read as the status at app.ts:4:29 res.status(table.denied), …)` for a declaration site the run edits for
 * status slots elsewhere (`ReportSite.reads`); '' for any other site.
 */
export function readsText(site: ReportSite): string {
  const reads = site.reads ?? [];
  if (!reads.length) return '';
  const named = reads.slice(0, READS_NAMED).map((r) => `${r.file}:${r.line}:${r.column} ${r.form}`);
  const more = reads.length > READS_NAMED ? ` and ${reads.length - READS_NAMED} more` : '';
  return ` (read as the status at ${named.join(', ')}${more})`;
}

function siteMessage(site: ReportSite, status: number): string {
  // Under --spec a site belongs to an mTLS operation; without it, to the server code the run was given.
  const where = site.operation ? 'on an mTLS path' : 'in server code';
  if (site.action === 'manual') {
    return `403 ${where} needs review (answer ${status} instead): ${site.reason ?? 'needs review'}${readsText(site)}`;
  }
  return `403 ${where}: ${site.form} -> ${site.replacement ?? '?'}${readsText(site)} (run mtls-fix migrate)`;
}

/** A file a check fails on that the run could not scan, where it is and why (`level`: error or warning). */
export interface UnscannedFile {
  file: string;
  /** 1-based; absent when unknown. */
  line?: number;
  column?: number;
  level: 'error' | 'warning';
  message: string;
}

/**
 * The files a `--check` fails on although no site of theirs is listed: files that did not parse, could not be
 * read or written (`report.errors`), minified files that hold a 403 form (`report.minified`, not scanned), output-folder
 * files that hold one (`report.generated`), git-ignored files the scanned source loads that hold one
 * (`report.ignoredLoads`) and files
 * of another language that hold one (`report.unparsed`). Each must reach CI as a result of its own, or a check
 * that fails would show nothing to fix.
 */
export function unscannedFiles(report: MigrateReport): UnscannedFile[] {
  return [
    ...report.errors.map((error): UnscannedFile => ({
      file: error.file,
      level: 'error',
      message: error.message,
    })),
    ...(report.minified ?? []).map((minified): UnscannedFile => ({
      file: minified.file,
      line: minified.line,
      column: minified.column,
      level: 'warning',
      message:
        'holds a 403 form but reads as minified, so it was not scanned: rewrite the source it is built from ' +
        'and rebuild it, or list a vendored bundle in migrate.exclude.',
    })),
    ...(report.generated ?? []).map((generated): UnscannedFile => ({
      file: generated.file,
      line: generated.line,
      column: generated.column,
      level: 'warning',
      message:
        'holds a 403 form in an output folder, so it was not scanned: rewrite the source it is built from and ' +
        'rebuild it, name the folder if it is your source, or list it in migrate.exclude if it is never served.',
    })),
    ...(report.ignoredLoads ?? []).map((loaded): UnscannedFile => ({
      file: loaded.file,
      line: loaded.line,
      column: loaded.column,
      level: 'warning',
      message:
        `holds a 403 form in a file git ignores, so it was not scanned, but ${loaded.importer} loads it: ` +
        'regenerate it from its source or rewrite it, or list it in migrate.exclude if it is never served.',
    })),
    ...(report.unparsed ?? []).map((unparsed): UnscannedFile => ({
      file: unparsed.file,
      ...(unparsed.line === undefined ? {} : { line: unparsed.line }),
      level: 'warning',
      message: `holds ${unparsed.source ?? 'a 403 form'} in ${unparsed.language}, which mtls-fix migrate does not rewrite: review it by hand.`,
    })),
    // A --spec document that declares no mTLS while 403s were left alone: nothing in it was checked.
    ...(uncheckedSpecs(report)
      ? (report.coverage?.unchecked ?? []).map((unchecked): UnscannedFile => ({
          file: unchecked.document,
          line: 1,
          level: 'warning',
          message: `declares no mTLS (none of its ${unchecked.operations} operations is mTLS-secured), so the ${report.coverage?.notReached ?? 0} 403 sites --spec left alone were not checked: ${UNCHECKED_ADVICE}`,
        }))
      : []),
  ];
}

/**
 * A test assertion the human report lists without `--include-tests` (trial39 #06): one that checks a 403 this run
 * rewrites (`skippedTestAssertions`, with what `--include-tests` would write) or one that may fail once the server
 * is written or already fails (`skippedTestsMayFail`, with why: after a server-only write, those whose server
 * already answers the agreed status); or a stand-in in test code that copies a route this run rewrites
 * (`skippedTestStandIns`, with why), which the human report also lists.
 */
export interface TestItem {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

/**
 * Every test assertion and stand-in the human report names ({@link TestItem}), rewritten assertions first, then those
 * that may fail, then stand-ins, each by file and line.
 */
export function testItems(report: MigrateReport): TestItem[] {
  const status = report.status;
  return [
    ...(report.skippedTestAssertions ?? []).map((a): TestItem => ({
      file: a.file,
      line: a.line,
      column: a.column,
      message: `test asserts a 403 this run rewrites to ${status}: ${a.form}${a.replacement ? ` -> ${a.replacement}` : ''} (test files change only with --include-tests: run again with it before writing the server, or update the test by hand)`,
    })),
    ...(report.skippedTestsMayFail ?? []).map((a): TestItem => ({
      file: a.file,
      line: a.line,
      column: a.column,
      // After a server-only write the server already answers the agreed status: the test fails as things stand.
      message: a.reason.includes(ALREADY_ANSWERS)
        ? `test fails, its server already answers ${status}: ${a.form}: ${a.reason}`
        : `test may fail once the server answers ${status}: ${a.form}: ${a.reason}`,
    })),
    // A stand-in copying a route this run rewrites (session 49): `--check` fails on it, so CI must see it too.
    ...(report.skippedTestStandIns ?? []).map((a): TestItem => ({
      file: a.file,
      line: a.line,
      column: a.column,
      message: `stand-in in test code copies a route this run rewrites to ${status}, and still answers 403: ${a.form}: ${a.reason}`,
    })),
  ];
}

/**
 * GitHub workflow commands: an `error` annotation for a rewrite left to do, a `warning` for a manual site, and one
 * for each file not scanned ({@link unscannedFiles}) and each test assertion the human report names ({@link testItems}).
 */
export function formatMigrateGithubActions(report: MigrateReport): string {
  const lines = remainingSites(report).map((site) => {
    const command = site.action === 'manual' ? 'warning' : 'error';
    const title = site.action === 'manual' ? 'mtls-fix migrate: review' : 'mtls-fix migrate: rewrite';
    const properties = [
      `file=${escapeProperty(site.file)}`,
      `line=${site.line}`,
      `col=${site.column}`,
      `title=${escapeProperty(title)}`,
    ].join(',');
    return `::${command} ${properties}::${escapeData(siteMessage(site, report.status))}`;
  });
  for (const unscanned of unscannedFiles(report)) {
    const properties = [
      `file=${escapeProperty(unscanned.file)}`,
      ...(unscanned.line === undefined ? [] : [`line=${unscanned.line}`]),
      ...(unscanned.column === undefined ? [] : [`col=${unscanned.column}`]),
      `title=${escapeProperty('mtls-fix migrate: not scanned')}`,
    ].join(',');
    lines.push(`::${unscanned.level} ${properties}::${escapeData(unscanned.message)}`);
  }
  for (const item of testItems(report)) {
    const properties = [
      `file=${escapeProperty(item.file)}`,
      `line=${item.line}`,
      `col=${item.column}`,
      `title=${escapeProperty('mtls-fix migrate: test')}`,
    ].join(',');
    lines.push(`::warning ${properties}::${escapeData(item.message)}`);
  }
  return lines.join('\n');
}

const MIGRATE_RULES = [
  {
    id: 'mtls-migrate-rewrite',
    name: 'ForbiddenStatusInServerCode',
    text: 'Server code answers 403 where the agreed status is due; `mtls-fix migrate` rewrites it.',
    level: 'error',
  },
  {
    id: 'mtls-migrate-manual',
    name: 'ForbiddenStatusNeedsReview',
    text: 'Server code may answer 403 in a way mtls-fix cannot rewrite safely; a person must decide.',
    level: 'warning',
  },
  {
    id: 'mtls-migrate-not-scanned',
    name: 'FileNotScanned',
    text: 'A file that may answer 403 was not scanned (it did not parse, is not UTF-8, is minified, is in an output folder, is git-ignored but loaded by scanned source, or is in another language).',
    level: 'error',
  },
  {
    id: 'mtls-migrate-test',
    name: 'TestAssertsForbidden',
    text: 'A test asserts a 403 that this run rewrites or changes, or a stand-in in test code copies a route it rewrites (the test files were skipped: no --include-tests), so it fails or may fail once the server is written.',
    level: 'warning',
  },
] as const satisfies readonly SarifRuleInput[];

/**
 * SARIF 2.1.0 with one result per remaining site (rule `mtls-migrate-rewrite` or `mtls-migrate-manual`) and one per
 * file not scanned (`mtls-migrate-not-scanned`, {@link unscannedFiles}), and one per test assertion the human report
 * names (`mtls-migrate-test`, a warning: {@link testItems}).
 */
export function formatMigrateSarif(report: MigrateReport, tool: SarifTool): string {
  const results = remainingSites(report).map((site): Result => {
    const ruleIndex = site.action === 'manual' ? 1 : 0;
    return {
      ruleId: MIGRATE_RULES[ruleIndex].id,
      ruleIndex,
      level: MIGRATE_RULES[ruleIndex].level,
      message: { text: siteMessage(site, report.status) },
      locations: [sarifLocation(sarifUri(site.file), { startLine: site.line, startColumn: site.column })],
      // A declaration site: the status slots it serves, which the write leaves as they are.
      ...(site.reads?.length
        ? {
            relatedLocations: site.reads.map((read, id) => ({
              id,
              ...sarifLocation(sarifUri(read.file), { startLine: read.line, startColumn: read.column }),
              message: { text: `reads it as the status: ${read.form}` },
            })),
          }
        : {}),
      partialFingerprints: {
        'mtlsFixMigrate/v1': createHash('sha256')
          .update(`${ruleIndex}\u0000${site.file}\u0000${site.form}\u0000${site.operation ?? ''}`)
          .digest('hex')
          .slice(0, 32),
      },
    };
  });
  for (const unscanned of unscannedFiles(report)) {
    const region =
      unscanned.line === undefined
        ? undefined
        : { startLine: unscanned.line, startColumn: unscanned.column ?? 1 };
    results.push({
      ruleId: MIGRATE_RULES[2].id,
      ruleIndex: 2,
      level: unscanned.level,
      message: { text: `${unscanned.file} ${unscanned.message}` },
      locations: [
        region
          ? sarifLocation(sarifUri(unscanned.file), region)
          : { physicalLocation: { artifactLocation: { uri: sarifUri(unscanned.file) } } },
      ],
      partialFingerprints: {
        'mtlsFixMigrate/v1': createHash('sha256')
          .update(`2\u0000${unscanned.file}\u0000${unscanned.message}`)
          .digest('hex')
          .slice(0, 32),
      },
    });
  }
  for (const item of testItems(report)) {
    results.push({
      ruleId: MIGRATE_RULES[3].id,
      ruleIndex: 3,
      level: MIGRATE_RULES[3].level,
      message: { text: item.message },
      locations: [sarifLocation(sarifUri(item.file), { startLine: item.line, startColumn: item.column })],
      partialFingerprints: {
        'mtlsFixMigrate/v1': createHash('sha256')
          .update(`3\u0000${item.file}\u0000${item.message}`)
          .digest('hex')
          .slice(0, 32),
      },
    });
  }
  return formatSarifLog(tool, MIGRATE_RULES.map(sarifRule), results);
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
