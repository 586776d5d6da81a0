import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { MtlsFixError } from '../errors.js';
import type { FileAnalysis, HelperParam } from './analysis.js';
import { dependenciesAbove, discoverFiles, type DiscoveredFile } from './discover.js';
import { selectFrameworks, FRAMEWORK_IDS, type Framework } from './frameworks/index.js';
import { assertCleanWorkTree } from './git.js';
import { takeCensus, wordsOf, type Occurrence } from './census.js';
import { firstErrorMessage, syntaxErrors } from './parse.js';
import { mayHoldSite } from './prefilter.js';
import { buildReport } from './report.js';
import { buildSpecScope } from './routes/index.js';
import { analyzeSource, ignoreReason, localHelpers, planFile, rewriteHelperCalls } from './transform.js';
import type { MigrateOptions, MigrateResult, ReportError, Site } from './types.js';
import { writeFilesAtomic, WriteRefusedError } from '../util/write-atomic.js';

/**
 * The codemod: discover -> prefilter -> parse -> find sites -> (scope) -> plan edits -> splice -> verify ->
 * write. Returns data; prints nothing. Throws MtlsFixError for usage errors (before any file is touched).
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async: callers await it; spec loading may become async.
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const unknown = (options.frameworks ?? []).filter((f) => !FRAMEWORK_IDS.includes(f));
  if (unknown.length) {
    throw new MtlsFixError(
      'EUSAGE',
      `unknown framework '${unknown[0]}'.`,
      `Known: ${FRAMEWORK_IDS.join(', ')}.`,
    );
  }
  // Checked first: a dirty tree means no work at all, not a half-done run.
  if (options.mode === 'write' && !options.force) assertCleanWorkTree(cwd);

  const discovery = discoverFiles(cwd, options.paths?.length ? options.paths : ['.'], options.exclude ?? []);
  const files = discovery.files;
  const skipped = { ...discovery.skipped };
  if (!files.length) {
    const reasons = Object.entries(discovery.skipped).map(([reason, n]) => `${n} ${reason}`);
    throw new MtlsFixError(
      'ENOENT',
      `no source files (${'.ts .tsx .mts .cts .js .jsx .mjs .cjs'}) under ${(options.paths ?? ['.']).join(', ')}${reasons.length ? ` (skipped: ${reasons.join(', ')})` : ''}.`,
      'Check the paths; declaration files, minified files, output folders and git-ignored files are never rewritten.',
    );
  }
  // Modules per file: from what the file imports and the package.json files above it (DESIGN §6).
  const dependencyCache = new Map<string, ReadonlySet<string>>();
  const frameworksFor =
    (file: DiscoveredFile) =>
    (imports: readonly string[]): Framework[] =>
      selectFrameworks(
        options.frameworks,
        dependenciesAbove(path.dirname(file.absolute), dependencyCache),
        imports,
      );
  // --spec: routes are read from every non-test source file (mounts and handlers need not hold a 403).
  const scope = options.spec
    ? buildSpecScope({ ...options.spec, cwd, sources: files.filter((f) => !f.test) })
    : undefined;
  const errors: ReportError[] = [];
  const analyses = new Map<string, FileAnalysis>();
  const byAbsolute = new Map(files.map((f) => [f.absolute, f]));

  const analyze = (file: DiscoveredFile, text: string): FileAnalysis | undefined => {
    const analysis = analyzeSource(file.relative, text, {
      target: options.status,
      frameworks: frameworksFor(file),
      testFile: file.test,
      wwwAuthenticate: options.wwwAuthenticate,
    });
    if (syntaxErrors(analysis.sourceFile).length) {
      errors.push({
        file: file.relative,
        message: `does not parse (${firstErrorMessage(analysis.sourceFile)}); skipped.`,
      });
      return undefined;
    }
    analyses.set(file.absolute, analysis);
    return analysis;
  };

  let scanned = 0;
  files.forEach((file, index) => {
    if (file.test && !options.includeTests) {
      skipped.test = (skipped.test ?? 0) + 1;
      return;
    }
    scanned++;
    const text = readFileSync(file.absolute, 'utf8');
    if (mayHoldSite(text)) analyze(file, text);
    options.onProgress?.(index + 1, files.length);
  });

  // Helper call sites: same file first, then helpers exported from a relative import (parsed on demand).
  const exported = (absolute: string, name: string): HelperParam[] => {
    let analysis = analyses.get(absolute);
    const file = byAbsolute.get(absolute);
    if (!analysis && file) analysis = analyze(file, readFileSync(absolute, 'utf8'));
    return analysis?.helpers.filter((h) => h.exportName === name) ?? [];
  };
  for (const [absolute, analysis] of [...analyses]) {
    const local = localHelpers(analysis);
    rewriteHelperCalls(analysis, (callee) => {
      const here = local(callee);
      if (here.length) return here;
      const binding = analysis.imports.get(callee);
      if (!binding?.module.startsWith('.')) return [];
      const target = resolveModule(path.dirname(absolute), binding.module, byAbsolute);
      return target ? exported(target, binding.name) : [];
    });
  }

  // The census: every 403 occurrence of every parsed file is classified now that all sites are known.
  const siteWords = new Set<string>();
  for (const analysis of analyses.values())
    for (const word of wordsOf(analysis.sites, () => analysis.text)) siteWords.add(word);
  const occurrences = new Map<string, Occurrence[]>();
  for (const analysis of analyses.values())
    occurrences.set(
      analysis.file,
      takeCensus(analysis, (name) => siteWords.has(name)),
    );

  const sites: Site[] = [];
  const outOfScope = new Set<Site>();
  const refusedReasons = new Map<Site, string>();
  let changed = 0;
  let diff = '';
  for (const [absolute, analysis] of analyses) {
    const kept: Site[] = [];
    for (const site of analysis.sites) {
      const reason = ignoreReason(analysis.text, analysis.sourceFile, site);
      if (reason) site.ignoreReason = reason;
      const decision = options.siteFilter?.(site) ?? { keep: true };
      const scoped = decision.keep ? (scope?.filter(site) ?? decision) : decision;
      if (!decision.keep || !scoped.keep) {
        outOfScope.add(site);
        continue;
      }
      if (decision.operation) site.operation = decision.operation;
      if (scoped !== decision && scoped.operation) site.operation = scoped.operation;
      if (scoped.manual) {
        site.kind = 'manual';
        site.reason = site.reason ? `${site.reason} ${scoped.manual}` : scoped.manual;
      }
      kept.push(site);
    }
    sites.push(...kept);
    const rewrites = kept.filter((s) => s.kind === 'rewrite' && !s.ignoreReason);
    if (!rewrites.length) continue;
    const plan = planFile(analysis.text, analysis.file, rewrites, 0);
    for (const { site, reason } of plan.refused) refusedReasons.set(site, reason);
    if (plan.text === analysis.text) continue;
    if (options.mode === 'write') {
      try {
        // original: the file must still hold what was analysed (never lose an edit made meanwhile).
        writeFilesAtomic([
          { path: absolute, text: plan.text, display: analysis.file, original: analysis.text },
        ]);
      } catch (error) {
        if (!(error instanceof WriteRefusedError)) throw error;
        errors.push({ file: analysis.file, message: `${error.message} ${error.hint ?? ''}`.trim() });
        for (const site of rewrites) refusedReasons.set(site, `not written: ${error.message}`);
        continue;
      }
    }
    changed++;
    if (options.mode === 'dry-run') diff += unifiedDiff(analysis.file, analysis.text, plan.text);
  }

  const report = buildReport({
    status: options.status,
    mode: options.mode,
    filesScanned: scanned,
    filesParsed: analyses.size + errors.length,
    filesChanged: changed,
    sites,
    refused: refusedReasons,
    errors,
    lineOf: (site) => lineAndColumn(analyses, cwd, site),
    occurrences,
    outOfScope,
    positionOf: (file, offset) => position(analyses, cwd, file, offset),
    explain: options.explain ?? false,
  });
  report.report.frameworks = [...new Set([...analyses.values()].flatMap((a) => a.frameworks))].sort();
  report.report.skipped = Object.fromEntries(Object.entries(skipped).sort(([a], [b]) => (a < b ? -1 : 1)));
  report.report.warnings = discovery.warnings;
  if (scope) report.report.coverage = scope.coverage(report.report);
  return {
    report: report.report,
    diff,
    elapsedMs: performance.now() - started,
    sourceLines: report.sourceLines,
  };
}

function position(
  analyses: Map<string, FileAnalysis>,
  cwd: string,
  file: string,
  offset: number,
): { line: number; column: number } {
  const analysis = analyses.get(path.resolve(cwd, file));
  if (!analysis) return { line: 1, column: 1 };
  const { line, character } = analysis.sourceFile.getLineAndCharacterOfPosition(offset);
  const bom = line === 0 && analysis.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { line: line + 1, column: character + 1 - bom };
}

function lineAndColumn(
  analyses: Map<string, FileAnalysis>,
  cwd: string,
  site: Site,
): { line: number; column: number; text: string } {
  const analysis = analyses.get(path.resolve(cwd, site.file));
  if (!analysis) return { line: 1, column: 1, text: '' };
  const sf = analysis.sourceFile;
  const { line, character } = sf.getLineAndCharacterOfPosition(site.start);
  const bom = line === 0 && analysis.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const starts = sf.getLineStarts();
  const text = analysis.text
    .slice(starts[line], starts[line + 1] ?? analysis.text.length)
    .replace(/\r?\n$/, '')
    .replace(/^\uFEFF/, '');
  return { line: line + 1, column: character + 1 - bom, text };
}

function resolveModule(
  from: string,
  specifier: string,
  known: Map<string, DiscoveredFile>,
): string | undefined {
  const base = path.resolve(from, specifier);
  const stem = base.replace(/\.[cm]?js$/, '');
  const candidates = [
    base,
    ...['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'].flatMap((e) => [
      stem + e,
      path.join(base, `index${e}`),
    ]),
  ];
  return candidates.find((c) => known.has(c));
}

function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
}
