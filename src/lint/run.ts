import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { resolveConfig, type ConfigOverrides, type ResolvedConfig } from '../config/resolve.js';
import { findMtlsFixError, MtlsFixError } from '../errors.js';
import {
  DEFAULT_RANGE,
  decodePointer,
  isNotOpenApi,
  loadOpenApiDocument,
  type DocumentSet,
  type JsonPath,
  prepareRangesOf,
} from '../openapi/index.js';
import {
  analysisFor,
  findingsFor,
  registerDocumentSet,
  toEffectiveOptions,
  type EffectiveRuleOptions,
  type MtlsFinding,
  uncheckedFor,
} from '../findings/findings.js';
import { UNCHECKED_RULE, type UncheckedReport } from '../findings/unchecked.js';
import type { DocumentAnalysis } from '../openapi/analyze.js';
import { addToSummary, configWarnings, emptySummary, hintsFor } from './checks.js';
import { RULES } from '../findings/meta.js';
import { createSpectralRunner } from './spectral-engine.js';
import { brokenRefs, remoteRefsNotFollowedHint } from './broken-refs.js';
import { remoteRefsSkipped } from '../openapi/remote.js';
import { FragmentRoots, fragmentHas403 } from './fragment-roots.js';
import {
  SEVERITY_NUMBERS,
  type IgnoredResult,
  type LintHint,
  type LintReport,
  type LintResult,
} from './types.js';
import { compareText } from '../util/compare.js';
import { displayName } from '../openapi/display-name.js';
import { spectralRootRange } from '../openapi/root-range.js';

export interface LintOptions {
  /** Documents to lint (absolute, or relative to `cwd`). */
  files: string[];
  /**
   * One config for every document. Without it each document gets the config file found upward from
   * its own folder to the repository root (DESIGN §4), with `overrides` laid over it.
   */
  config?: ResolvedConfig;
  /** Flag values laid over each discovered config file (ignored when `config` is given). */
  overrides?: ConfigOverrides;
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
  /**
   * A gate run (`lint --quiet` in pre-commit hooks and lint-staged, `lint --fail-unchecked` in CI): a document's
   * `mtls-unchecked` result is an error (it fails the run) when an operation of it documents a 403 that a
   * declaration of mTLS would report, unless its config `rules` sets that rule's severity. Default false: the
   * rule's own severity (info).
   */
  gate?: boolean;
}

/** The rule id of the result that stands for a file that could not be linted (read, parsed, shaped). */
export const INPUT_RULE = 'mtls-fix-input';

/**
 * Lints documents with the mtls-fix rules; results carry the operation and why it counts as mTLS.
 * Like Spectral, every file is linted: one that cannot be read, parsed or understood becomes an error result
 * with rule {@link INPUT_RULE} at the place named by its MtlsFixError (and is listed in `inputErrors`); a
 * file that is not OpenAPI at all and came from a glob (or any file, under `skipNonOpenApi`) is listed in
 * `skipped` instead; when such a file is a fragment that OpenAPI documents of its repository `$ref` (a split,
 * Redocly-style document), those documents are linted in its place (added to `files`), and a fragment that
 * documents a 403 but that no document uses is an input error (it could not be checked). Throws only for
 * programming errors.
 */
export async function lint(options: LintOptions): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const given = options.config;
  const configFor = given ? () => Promise.resolve(given) : discoveredConfigs(options.overrides);
  const runners = new Map<string, Awaited<ReturnType<typeof createSpectralRunner>>>();
  const results: LintResult[] = [];
  const ignored: IgnoredResult[] = [];
  const skipped: LintReport['skipped'] = [];
  const inputErrors: MtlsFixError[] = [];
  const files = [...new Set(options.files.map((file) => path.resolve(cwd, file)))];
  const queued = new Set(files);
  const fragments = new FragmentRoots(cwd);
  const analyses: DocumentAnalysis[] = [];
  const byConfig = new Map<ResolvedConfig, DocumentAnalysis[]>();
  const hints: LintHint[] = [];
  // `files` grows while it is walked: the documents that use a skipped fragment are linted after it.
  for (let index = 0; index < files.length; index++) {
    const file = files[index];
    const config = await configFor(file);
    const effective = toEffectiveOptions(config);
    let findings: MtlsFinding[];
    let set: DocumentSet;
    let analysis: DocumentAnalysis;
    let documentHints: LintHint[];
    let unchecked: UncheckedReport | undefined;
    try {
      set = loadOpenApiDocument(relativeName(cwd, file), {
        cwd,
        allowRemoteRefs: config.allowRemoteRefs,
      }).set;
      registerDocumentSet(set);
      const all = findingsFor(set.root.data as object, set.root.path, effective);
      // One locating pass per file for all findings, instead of one per finding.
      prepareRangesOf(all.map((finding) => finding.location));
      findings = all.filter((finding) => !finding.ignored);
      // The hints read parts the findings did not (the 403s of operations that are not mTLS-secured): a broken
      // one is this document's input error, never the end of the run for the others.
      analysis = analysisFor(set, effective);
      // A document with parts that cannot be read gets their errors, not advice read from what is left.
      documentHints = analysis.operationsUnread > 0 ? [] : hintsFor(analysis, cwd, effective);
      unchecked = uncheckedFor(set.root.data as object, set.root.path, effective);
      for (const finding of all) {
        if (finding.ignored) ignored.push({ ...toResult(finding, effective), ignored: finding.ignored });
      }
    } catch (error) {
      const inputError = findMtlsFixError(error);
      if (!inputError) throw error;
      if (isNotOpenApi(inputError) && (options.skipNonOpenApi || options.globbed?.has(file))) {
        const roots = await fragments.rootsOf(file);
        if (roots.length === 0 && fragmentHas403(file)) {
          const unchecked = uncheckedFragment(file, cwd, inputError.message);
          inputErrors.push(unchecked);
          results.push(inputResult(unchecked, file, cwd));
          continue;
        }
        const through = roots.map((root) => relativeName(cwd, root)).join(', ');
        skipped.push({
          file,
          reason:
            roots.length === 0 ? inputError.message : `${inputError.message} Linted through ${through}.`,
        });
        for (const root of roots.filter((root) => !queued.has(root))) {
          queued.add(root);
          files.push(root);
        }
        continue;
      }
      inputErrors.push(inputError);
      results.push(inputResult(inputError, file, cwd));
      continue;
    }
    if (options.engine === 'spectral') {
      let runSpectral = runners.get(effective.key);
      if (!runSpectral) {
        runSpectral = await createSpectralRunner(config);
        runners.set(effective.key, runSpectral);
      }
      const spectralResults = await runSpectral(set, findings);
      // Spectral gives the ruleset's severity; a gate raises an unconfigured mtls-unchecked as the direct engine does.
      results.push(
        ...spectralResults.map((result) =>
          result.code === UNCHECKED_RULE && options.gate && gateFails(unchecked, effective)
            ? { ...result, severity: SEVERITY_NUMBERS.error }
            : result,
        ),
      );
    } else {
      results.push(...findings.map((finding) => toResult(finding, effective)));
      if (unchecked) results.push(uncheckedResult(unchecked, set, effective, options.gate ?? false));
    }
    // `$ref`s that lead nowhere (local or into other files), as stock Spectral reports them (invalid-ref); remote
    // ones are not fetched, and named as not followed unless the readers' --allow-remote-refs hint names them.
    const broken = brokenRefs(set);
    results.push(...broken.results);
    const named = new Set(remoteRefsSkipped(set).map((skip) => `${skip.source}:${skip.line ?? 0}`));
    const notFollowed = remoteRefsNotFollowedHint(
      broken.remote.filter((ref) => !named.has(`${ref.source}:${ref.line}`)),
      (source) => displayName(cwd, source),
    );
    if (notFollowed) documentHints.push(notFollowed);
    // Responses the verdict does not read but that cannot be read either (a `404` whose `$ref` leads nowhere):
    // input errors (exit 2) beside the document's findings, which they cannot change.
    // Path items and operations that cannot be read: each one named (the others were still checked).
    for (const unread of [...analysis.unreadOperations, ...analysis.unreadResponses]) {
      inputErrors.push(unread);
      results.push(inputResult(unread, file, cwd));
    }
    analyses.push(analysis);
    hints.push(...documentHints);
    // Config warnings ("selects nothing") are read from documents read whole.
    if (analysis.operationsUnread > 0) continue;
    const sharing = byConfig.get(config) ?? [];
    sharing.push(analysis);
    byConfig.set(config, sharing);
  }
  // What was checked, hints and dead-config warnings: a clean result must mean clean (issue 10).
  const summary = emptySummary();
  for (const analysis of analyses) addToSummary(summary, analysis);
  // Each config is checked against the documents it applies to (one per config file found upward).
  for (const [config, sharing] of byConfig) results.push(...configWarnings(sharing, config, cwd));
  return {
    files,
    results: results.sort(compareResults),
    ignored: ignored.sort(compareResults),
    skipped,
    inputErrors,
    summary,
    hints,
  };
}

/** A fragment with a 403 response that no OpenAPI document of its repository `$ref`s: nothing checked it. */
function uncheckedFragment(file: string, cwd: string, why: string): MtlsFixError {
  return new MtlsFixError(
    'EREF',
    `${why.replace(/\.$/, '')}, and no OpenAPI document of the repository $refs it, yet it documents a 403: not checked.`,
    'Lint the document that uses it (or name it in `spec`), so the 403 is checked.',
    { file: relativeName(cwd, file) },
  );
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

/**
 * Each document's config: the file found upward from its folder, cached per folder, flags laid over it.
 * Folders that find the same file share one resolved config (its dead-config warnings are given once).
 */
function discoveredConfigs(overrides: ConfigOverrides = {}): (file: string) => Promise<ResolvedConfig> {
  const byFolder = new Map<string, ResolvedConfig>();
  const byFile = new Map<string, ResolvedConfig>();
  return async (file) => {
    const folder = path.dirname(file);
    let config = byFolder.get(folder);
    if (!config) {
      const loaded = await loadConfig({ cwd: folder });
      const key = loaded.filepath ?? '';
      config = byFile.get(key) ?? resolveConfig(loaded.config, overrides, loaded.filepath);
      byFile.set(key, config);
      byFolder.set(folder, config);
    }
    return config;
  };
}

function toResult(finding: MtlsFinding, options: EffectiveRuleOptions): LintResult {
  const { file, path: keyPath } = finding.location;
  const setting = options.rules[finding.rule];
  return {
    code: finding.rule,
    message: finding.message,
    path: keyPath,
    severity:
      SEVERITY_NUMBERS[setting === 'warn' || setting === 'error' ? setting : RULES[finding.rule].severity],
    source: file.path,
    range: file.rangeOf(keyPath, true) ?? DEFAULT_RANGE,
    operation: finding.operation,
    mtls: finding.mtls,
  };
}

/**
 * The `mtls-unchecked` result of a document: at its root, as the ruleset reports it under stock Spectral; its
 * severity the config `rules` setting (`info`, `warn`, `error`), else `error` in a gate run (a hook's exit 0 must
 * not stand for a document nobody checked), else the rule's own (info).
 */
function uncheckedResult(
  report: UncheckedReport,
  set: DocumentSet,
  options: EffectiveRuleOptions,
  gate: boolean,
): LintResult {
  const setting = options.rules[UNCHECKED_RULE];
  return {
    code: UNCHECKED_RULE,
    message: report.message,
    path: [],
    severity:
      SEVERITY_NUMBERS[
        setting && setting !== 'off'
          ? setting
          : gate && gateFails(report, options)
            ? 'error'
            : RULES[UNCHECKED_RULE].severity
      ],
    source: set.root.path,
    range: spectralRootRange(set.root),
  };
}

/**
 * Whether a gate run fails on a document's `mtls-unchecked` result: config `rules` does not set the rule, and an
 * operation documents a 403, or a gateway the document configures answers one, that a declaration of mTLS would
 * report (an error then). A document with no such 403
 * reads the same whether its endpoints are mTLS or not, so its "clean" is true either way.
 */
function gateFails(report: UncheckedReport | undefined, options: EffectiveRuleOptions): boolean {
  return (
    !options.rules[UNCHECKED_RULE] && (report?.forbidden.length ?? 0) + (report?.gateway.length ?? 0) > 0
  );
}

function compareResults(a: LintResult, b: LintResult): number {
  return (
    compareText(a.source, b.source) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    compareText(a.code, b.code)
  );
}

/** `specs/a.yaml` for messages when the file is under the working folder. */
function relativeName(cwd: string, file: string): string {
  return displayName(cwd, file);
}
