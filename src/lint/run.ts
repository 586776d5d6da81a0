import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import { DEFAULT_RANGE, DocumentSet, type SourceFile } from '../openapi/index.js';
import type { DocumentAnalysis } from '../openapi/analyze.js';
import { addToSummary, configWarnings, emptySummary, hintFor } from './checks.js';
import {
  analysisFor,
  findingsFor,
  registerDocumentSet,
  toEffectiveOptions,
  type MtlsFinding,
} from './findings.js';
import { RULES } from '../../rules/meta.js';
import { createSpectralRunner } from './spectral-engine.js';
import { SEVERITY_NUMBERS, type LintReport, type LintResult } from './types.js';

export interface LintOptions {
  /** Documents to lint (absolute, or relative to `cwd`). */
  files: string[];
  config: ResolvedConfig;
  cwd?: string;
  /**
   * `direct` (default) turns the rule findings into results without loading Spectral, whose import and
   * ruleset validation cost ~0.5 s per run; `spectral` runs the same ruleset through Spectral's runner.
   */
  engine?: 'direct' | 'spectral';
}

/** Lints documents with the mtls-fix rules; results carry the operation and why it counts as mTLS. */
export async function lint(options: LintOptions): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const effective = toEffectiveOptions(options.config);
  const runSpectral = options.engine === 'spectral' ? await createSpectralRunner(options.config) : undefined;
  const results: LintResult[] = [];
  const files = options.files.map((file) => path.resolve(cwd, file));
  const analyses: DocumentAnalysis[] = [];
  for (const file of files) {
    const set = DocumentSet.load(relativeName(cwd, file), {
      cwd,
      allowRemoteRefs: options.config.allowRemoteRefs,
    });
    registerDocumentSet(set);
    const findings = findingsFor(set.root.data as object, set.root.path, effective);
    prepareRanges(findings);
    results.push(...(runSpectral ? await runSpectral(set, findings) : findings.map(toResult)));
    analyses.push(analysisFor(set, effective));
  }
  // What was checked, hints and dead-config warnings: a clean result must mean clean (issue 10).
  const summary = emptySummary();
  for (const analysis of analyses) addToSummary(summary, analysis);
  const hints = analyses.flatMap((analysis) => hintFor(analysis, cwd) ?? []);
  results.push(...configWarnings(analyses, options.config, cwd));
  return { files, results: results.sort(compareResults), summary, hints };
}

function toResult(finding: MtlsFinding): LintResult {
  const { file, path: keyPath } = finding.location;
  return {
    code: finding.rule,
    message: finding.message,
    path: keyPath,
    severity: SEVERITY_NUMBERS[RULES[finding.rule].severity],
    source: file.path,
    range: file.rangeOf(keyPath, true) ?? DEFAULT_RANGE,
    operation: finding.operation,
    mtls: finding.mtls,
  };
}

/** One locating pass per file for all findings, instead of one per finding. */
function prepareRanges(findings: readonly MtlsFinding[]): void {
  const byFile = new Map<SourceFile, MtlsFinding['location']['path'][]>();
  for (const { location } of findings) {
    const paths = byFile.get(location.file) ?? [];
    paths.push(location.path);
    byFile.set(location.file, paths);
  }
  for (const [file, paths] of byFile) file.prepareRanges(paths);
}

function compareResults(a: LintResult, b: LintResult): number {
  return (
    a.source.localeCompare(b.source) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code)
  );
}

/** `specs/a.yaml` for messages when the file is under the working folder. */
function relativeName(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
