import path from 'node:path';
import type { FileAnalysis } from './analysis.js';
import type { DiscoveredFile } from './discover.js';
import { CANDIDATE_TEST } from './prefilter.js';
import type { RunFiles } from './run-files.js';
import { demoteTestFixtures, TestFollower, type ServerOutcomes } from './test-follow.js';
import type { SkippedTestAssertion } from './types.js';
import { compareText } from '../util/compare.js';

/**
 * A run without `--include-tests` (breaker31 #05): the assertions in the test files it skips that check a 403 this
 * run rewrites, as the test follower (test-follow.ts) would have rewritten them with `--include-tests`. Each now
 * fails (or would, once written), and once the server is written a later `--include-tests` run can no longer
 * pair it with its server, so the report names every one, with the change `--include-tests` would make.
 * Nothing is written to the test files and the run's counts do not change: the test files are looked at
 * aside (run-files.ts `analyzeAside`), only those whose text holds a 403 form, and only when this run rewrites
 * something.
 *
 * @param files every file of the run, tests included (their final flags).
 * @param outcomes the server sites of this run and whether each was rewritten (or would be).
 * @returns the assertions, by file, line and column; empty when none.
 */
export function skippedTestAssertions(
  run: RunFiles,
  files: readonly DiscoveredFile[],
  outcomes: ServerOutcomes,
): SkippedTestAssertion[] {
  if (![...outcomes.values()].some(Boolean)) return [];
  const aside = new Map<string, FileAnalysis>();
  for (const file of files) {
    if (!file.test) continue;
    let text: string;
    try {
      text = run.textOf(file.absolute);
    } catch {
      continue;
    }
    if (!CANDIDATE_TEST.test(text)) continue;
    const analysis = run.analyzeAside(file, text);
    if (!analysis) continue;
    demoteTestFixtures(analysis);
    if (analysis.sites.some((s) => s.framework === 'tests' && s.kind === 'rewrite'))
      aside.set(analysis.file, analysis);
  }
  if (!aside.size) return [];
  const analysisOf = (relative: string): FileAnalysis | undefined =>
    aside.get(relative) ?? run.analyses.get(path.resolve(run.cwd, relative));
  const follower = new TestFollower(
    run.cwd,
    files,
    outcomes,
    (relative) => analysisOf(relative)?.text,
    (site) => run.where(site),
    (relative) => analysisOf(relative)?.notAnEmitRanges ?? [],
    (absolute) => run.routeTree(absolute),
  );
  const found: SkippedTestAssertion[] = [];
  for (const analysis of [...aside.values()].sort((a, b) => compareText(a.file, b.file))) {
    follower.settle(analysis);
    for (const site of analysis.sites) {
      if (site.framework !== 'tests' || site.kind !== 'rewrite' || !site.edits.length) continue;
      const { line, character } = analysis.sourceFile.getLineAndCharacterOfPosition(site.start);
      found.push({
        file: site.file,
        line: line + 1,
        column: character + 1,
        form: site.form,
        replacement: site.replacement,
      });
    }
  }
  return found.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column);
}
