import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import { findMtlsFixError, type MtlsFixError } from '../errors.js';
import {
  DEFAULT_RANGE,
  decodePointer,
  isNotOpenApi,
  loadOpenApiDocument,
  type DocumentSet,
  type JsonPath,
  type SourceFile,
} from '../openapi/index.js';
import {
  analysisFor,
  findingsFor,
  registerDocumentSet,
  toEffectiveOptions,
  type MtlsFinding,
} from '../findings/findings.js';
import type { DocumentAnalysis } from '../openapi/analyze.js';
import { addToSummary, configWarnings, emptySummary, hintFor } from './checks.js';
import { RULES } from '../findings/meta.js';
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
  /**
   * Files a glob (or the config's `spec` glob) found rather than a name the user typed: one that is not an
   * OpenAPI document at all is skipped (listed in `skipped`) instead of being an input error.
   */
  globbed?: ReadonlySet<string>;
  /** Skip every file that is not an OpenAPI document at all, named or globbed (pre-commit hooks pass names). */
  skipNonOpenApi?: boolean;
}

/** The rule id of the result that stands for a file that could not be linted (read, parsed, shaped). */
export const INPUT_RULE = 'mtls-fix-input';

/**
 * Lints documents with the mtls-fix rules; results carry the operation and why it counts as mTLS.
 * Like Spectral, every file is linted: one that cannot be read, parsed or understood becomes an error result
 * with rule {@link INPUT_RULE} at the place named by its MtlsFixError (and is listed in `inputErrors`); a
 * file that is not OpenAPI at all and came from a glob (or any file, under `skipNonOpenApi`) is listed in
 * `skipped` instead. Throws only for programming errors.
 */
export async function lint(options: LintOptions): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const effective = toEffectiveOptions(options.config);
  const runSpectral = options.engine === 'spectral' ? await createSpectralRunner(options.config) : undefined;
  const results: LintResult[] = [];
  const skipped: LintReport['skipped'] = [];
  const inputErrors: MtlsFixError[] = [];
  const files = options.files.map((file) => path.resolve(cwd, file));
  const analyses: DocumentAnalysis[] = [];
  for (const file of files) {
    let findings: MtlsFinding[];
    let set: DocumentSet;
    try {
      set = loadOpenApiDocument(relativeName(cwd, file), {
        cwd,
        allowRemoteRefs: options.config.allowRemoteRefs,
      }).set;
      registerDocumentSet(set);
      findings = findingsFor(set.root.data as object, set.root.path, effective);
      prepareRanges(findings);
    } catch (error) {
      const inputError = findMtlsFixError(error);
      if (!inputError) throw error;
      if (isNotOpenApi(inputError) && (options.skipNonOpenApi || options.globbed?.has(file))) {
        skipped.push({ file, reason: inputError.message });
        continue;
      }
      inputErrors.push(inputError);
      results.push(inputResult(inputError, file, cwd));
      continue;
    }
    results.push(...(runSpectral ? await runSpectral(set, findings) : findings.map(toResult)));
    analyses.push(analysisFor(set, effective));
  }
  // What was checked, hints and dead-config warnings: a clean result must mean clean (issue 10).
  const summary = emptySummary();
  for (const analysis of analyses) addToSummary(summary, analysis);
  const hints = analyses.flatMap((analysis) => hintFor(analysis, cwd) ?? []);
  results.push(...configWarnings(analyses, options.config, cwd));
  return { files, results: results.sort(compareResults), skipped, inputErrors, summary, hints };
}

/** An input error as a Spectral-shaped error result, at the file, line and column the error names. */
function inputResult(error: MtlsFixError, file: string, cwd: string): LintResult {
  const location = error.location;
  const line = Math.max((location?.line ?? 1) - 1, 0);
  const character = Math.max((location?.column ?? 1) - 1, 0);
  let keyPath: JsonPath = [];
  try {
    keyPath = location?.key && location.key.startsWith('/') ? decodePointer(location.key) : [];
  } catch {
    keyPath = [];
  }
  return {
    code: INPUT_RULE,
    message: error.hint ? `${error.message} ${error.hint}` : error.message,
    path: keyPath,
    severity: 0,
    source: location ? path.resolve(cwd, location.file) : file,
    range: { start: { line, character }, end: { line, character } },
  };
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
