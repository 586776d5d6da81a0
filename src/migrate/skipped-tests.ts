import path from 'node:path';
import type { FileAnalysis } from './analysis.js';
import type { DiscoveredFile } from './discover.js';
import { CANDIDATE_TEST } from './prefilter.js';
import type { RunFiles } from './run-files.js';
import type { CensusTaker } from './run-census.js';
import { ignoreReason } from './transform.js';
import { hasSnapshot403 } from './test-snapshots.js';
import { demoteTestFixtures, TestFollower, type ServerOutcomes } from './test-follow.js';
import type { Site, SkippedTestAssertion, SkippedTestMayFail } from './types.js';
import { POSTMAN_REASON } from './frameworks/tests/postman.js';
import { compareText } from '../util/compare.js';
import { installedHelpers } from './analysis/installed-helpers.js';
import { helperLookup, producerLookup } from './run-helpers.js';
import { rewriteHelperCalls } from './transform.js';
import { addCodeMapSites } from './code-maps.js';
import { settleNestGuards } from './frameworks/nest-guard-sites.js';
import { settleResultReads } from './result-producers.js';
import type { NotAnEmitRange } from './test-built.js';
import { lineAndCharacterAt } from '../util/lines.js';
import { EARLIER_RUN } from './test-target-places.js';

/**
 * A run without `--include-tests` (breaker31 #05): the assertions in the test files it skips that check a 403 this
 * run changes or names.
 *
 * - `rewritten`: those that check a 403 this run rewrites, as the test follower (test-follow.ts) would have
 *   rewritten them with `--include-tests`. Each now fails (or would, once written), and once the server is
 *   written a later `--include-tests` run can no longer pair it with its server, so the report names every one,
 *   with the change `--include-tests` would make.
 * - `mayFail`: those `--include-tests` would name for a person instead (lead35 #3: a plain run said only "skipped
 *   1 test"): the follower found no server for them, or one this run changes that it cannot write into the test
 *   (a stored snapshot, read even when the test file's own text holds no 403; a response kind), or a Postman
 *   script's (frameworks/tests/postman.ts), whose request the file does not name, or a 403 of the test file in a
 *   shape mtls-fix does not know. Each may fail once the server is written. One whose every server still
 *   answers the 403 it reads (not rewritten), or one `--spec` leaves alone, is not listed; nor a negated
 *   assertion (`not.toBe(403)`), which passes on the new status.
 *
 * A test may newly fail only where a server's answer changes: a run that rewrites no server site (a `--spec` run
 * whose document has no mTLS operation) lists none that may fail (trial39 #03), only those that fail already.
 *
 * Nothing is written to the test files and the run's counts do not change: the test files are looked at aside
 * (run-files.ts `analyzeAside`), only those whose text holds a 403 form. When the run rewrites no server site
 * (after a write without `--include-tests`, trial39 #06; a `--spec` run with no mTLS operation, trial39 #03), only
 * `mayFail` assertions whose server already answers the agreed status are listed (test-target-places.ts
 * `alreadyAnswers`): they fail as the code stands; and, since session 41, those that may: the code they reach
 * sends the agreed status beside a status mtls-fix cannot prove (`mayAlreadyAnswer`: a `res.status(parseInt(…))`
 * the run leaves) or beside a handler it cannot read (`reachedCodeAnswers`). Each such reason says
 * `EARLIER_RUN`.
 *
 * @param files every file of the run, tests included (their final flags).
 * @param outcomes the server sites of this run and whether each was rewritten (or would be).
 * @param census the run's census (run-census.ts), which adds a test file's 403s of unknown shape as manual sites.
 * @returns the three lists (`standIns`: the stand-ins in test code that copy a route this run rewrites, named as
 *   `--include-tests` names them), each by file, line and column; empty when none.
 */
export function skippedTestAssertions(
  run: RunFiles,
  files: readonly DiscoveredFile[],
  outcomes: ServerOutcomes,
  census: (aside: ReadonlyMap<string, FileAnalysis>) => CensusTaker,
): { rewritten: SkippedTestAssertion[]; mayFail: SkippedTestMayFail[]; standIns: SkippedTestMayFail[] } {
  const none = { rewritten: [], mayFail: [], standIns: [] };
  // A run that rewrites no server site (a run after a server-only write, trial39 #06; a --spec run whose document
  // has no mTLS operation, trial39 #03) changes no server's answer, so no assertion may newly fail: the test files
  // are still read, when their text holds a 403 form, for the assertions whose server already answers the agreed
  // status, which fail as the code stands.
  const changes = [...outcomes.values()].some(Boolean);
  const answeredOnly = !changes;
  // By absolute path, as the run keeps its own analyses. Every test file whose text may hold a 403 form: an
  // assertion on a name of the 403 that the modules do not read (`toBe(Response.STATUS_CODES.FORBIDDEN)`) is
  // found only by the census, as it is with --include-tests (breaker36 #02).
  const aside = new Map<string, FileAnalysis>();
  for (const file of files) {
    if (!file.test) continue;
    let text: string;
    try {
      text = run.textOf(file.absolute);
    } catch {
      continue;
    }
    // As --include-tests reads them (run-settle.ts): a test whose stored snapshot holds a 403 though its own
    // text holds none (test-snapshots.ts).
    if (!CANDIDATE_TEST.test(text) && !hasSnapshot403(file.absolute)) continue;
    const analysis = run.analyzeAside(file, text);
    if (!analysis) continue;
    aside.set(file.absolute, analysis);
  }
  if (!aside.size) return none;
  // As the run settles its own files before it demotes a test's fixtures (engine.ts): a call passing a 403 to a
  // project helper or error class (`new AppError('nope', 403)` built in the test) is a site of the test file.
  const lookup = asideLookup(run, aside);
  settleAsideHelperCalls(run, aside, lookup);
  // And the other steps the run takes on its files before it demotes a test's fixtures (engine.ts): sends of a
  // project function's result, error codes a code map turns into 403, NestJS guards (house37b).
  const decided = settleAsideSites(run, aside, lookup);
  for (const analysis of aside.values()) demoteTestFixtures(analysis);
  const byRelative = new Map([...aside.values()].map((a) => [a.file, a]));
  const analysisOf = (relative: string): FileAnalysis | undefined =>
    byRelative.get(relative) ?? run.analyses.get(path.resolve(run.cwd, relative));
  // Readied before the follower decides, as the run's own census is (it keeps installed methods' calls).
  const takeCensus = census(aside);
  const follower = new TestFollower(
    run.cwd,
    files,
    outcomes,
    (relative) => analysisOf(relative)?.text,
    (site) => run.where(site),
    (relative) => [...(analysisOf(relative)?.notAnEmitRanges ?? []), ...(decided.get(relative) ?? [])],
    (absolute) => run.routeTree(absolute),
  );
  const rewritten: SkippedTestAssertion[] = [];
  const mayFail: SkippedTestMayFail[] = [];
  const standIns: SkippedTestMayFail[] = [];
  const ordered = [...aside].sort((a, b) => compareText(a[1].file, b[1].file));
  // The same steps as --include-tests (run-settle.ts), in its order: every file decided, then each one's census
  // and the expected values it builds from a name of the 403 (test-named-mirrors.ts).
  for (const [, analysis] of ordered) follower.settle(analysis);
  for (const [absolute, analysis] of ordered) {
    follower.settleNamedMirrors(analysis, takeCensus(absolute, analysis));
    for (const site of analysis.sites) {
      if (site.framework !== 'tests' && !isUnknownShape(site)) continue;
      const { line, character } = lineAndCharacterAt(analysis.sourceFile, site.start);
      const at = { file: site.file, line: line + 1, column: character + 1, form: site.form };
      // A stand-in copying a route this run rewrites (test-follow.ts settleStubCopies): named, never rewritten.
      if (follower.isStandIn(site)) {
        if (site.reason && !ignoreReason(analysis.text, analysis.sourceFile, site))
          standIns.push({ ...at, reason: site.reason });
      } else if (
        site.kind === 'rewrite' &&
        site.edits.length &&
        !ignoreReason(analysis.text, analysis.sourceFile, site)
      )
        rewritten.push({ ...at, replacement: site.replacement });
      else if (
        site.kind === 'manual' &&
        site.reason &&
        !site.ignoreReason &&
        !ignoreReason(analysis.text, analysis.sourceFile, site) &&
        (follower.mayFail(site) || isPostmanSite(site))
      )
        mayFail.push({ ...at, reason: site.reason });
      else if (isUnknownShape(site) && site.reason && !site.ignoreReason)
        mayFail.push({ ...at, reason: site.reason });
    }
  }
  const order = (
    a: SkippedTestAssertion | SkippedTestMayFail,
    b: SkippedTestAssertion | SkippedTestMayFail,
  ) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
  // With no server site rewritten, only an assertion whose server already answers the agreed status, or may (the
  // code it reaches sends it beside a status mtls-fix cannot prove, or beside code it cannot read), is named.
  const named = answeredOnly ? mayFail.filter((a) => a.reason.includes(EARLIER_RUN)) : mayFail;
  return {
    rewritten: changes ? rewritten.sort(order) : [],
    mayFail: named.sort(order),
    standIns: standIns.sort(order),
  };
}

/**
 * The analysis of a file for the aside pass, by absolute path: a test file read aside, else the run's own, else
 * a run file analysed aside here (kept for the pass; the run's analyses are never added to).
 */
function asideLookup(
  run: RunFiles,
  aside: ReadonlyMap<string, FileAnalysis>,
): (absolute: string) => FileAnalysis | undefined {
  const more = new Map<string, FileAnalysis | undefined>();
  return (absolute) => {
    const known = aside.get(absolute) ?? run.analyses.get(absolute);
    if (known || more.has(absolute)) return known ?? more.get(absolute);
    const file = run.file(absolute);
    let found: FileAnalysis | undefined;
    try {
      found = file && run.analyzeAside(file, run.textOf(absolute));
    } catch {
      found = undefined;
    }
    more.set(absolute, found);
    return found;
  };
}

/**
 * The calls of the aside test files that pass a 403 to a helper whose parameter becomes the status (a project
 * error class's constructor, a shared `deny(res, 403)`): each a site of its test file, as in a run with
 * `--include-tests` (run-helpers.ts `settleHelperCalls`). A helper is looked for as `asideLookup` finds files;
 * the run's own analyses (and their shared helpers' notes) are not changed.
 */
function settleAsideHelperCalls(
  run: RunFiles,
  aside: Map<string, FileAnalysis>,
  analysisOf: (absolute: string) => FileAnalysis | undefined,
): void {
  const installed = installedHelpers(run.analyses.values());
  const helpersOf = helperLookup(run, analysisOf, () => installed);
  for (const [absolute, analysis] of aside) rewriteHelperCalls(analysis, helpersOf(absolute, analysis));
}

/**
 * The steps the run takes on its analyses after the helper calls (engine.ts), taken on the test files read aside
 * so that they hold the sites `--include-tests` gives them: a sent result of a project function
 * (`res.status(check().status)`, result-producers.ts, found as the run finds it: run-helpers.ts
 * `producerLookup`), the codes a code map turns into 403 (`new ApiError({ code: 'forbidden' })`, code-maps.ts)
 * and NestJS guards (nest-guard-sites.ts). The run's own analyses are not changed: a 403 of a run file that a
 * test's read decides (`result-read`) goes into the returned ranges by relative path, which the aside follower
 * reads beside that file's own.
 */
function settleAsideSites(
  run: RunFiles,
  aside: Map<string, FileAnalysis>,
  analysisOf: (absolute: string) => FileAnalysis | undefined,
): Map<string, NotAnEmitRange[]> {
  const files = new Set(aside.values());
  const runOwn = new Set(run.analyses.values());
  const decided = new Map<string, NotAnEmitRange[]>();
  const reads = new Map([...files].filter((a) => a.resultReads.length).map((a) => [a, a.resultReads]));
  const target = [...files][0]?.target;
  if (reads.size && target !== undefined)
    settleResultReads(reads, producerLookup(run, aside, analysisOf), target, (analysis, value) => {
      if (!runOwn.has(analysis)) return analysis.notAnEmit(value, 'result-read');
      const ranges = decided.get(analysis.file) ?? [];
      ranges.push({ start: value.getStart(analysis.sourceFile), end: value.getEnd(), kind: 'result-read' });
      decided.set(analysis.file, ranges);
    });
  const all = [...run.analyses.values(), ...files];
  addCodeMapSites(all, files);
  settleNestGuards(all, files);
  return decided;
}

/**
 * A 403 of a test file in a shape mtls-fix does not know (`expect(codes).toContain(refusals.admin)` with
 * `refusals = { admin: 403 }`): `--include-tests` names it manual; a plain run lists it as may-fail.
 */
function isUnknownShape(site: Site): boolean {
  return site.framework === 'unknown' && site.kind === 'manual';
}

/** A Postman script's assertion (frameworks/tests/postman.ts), which names no request of its own. */
function isPostmanSite(site: Site): boolean {
  return site.kind === 'manual' && site.reason?.startsWith(POSTMAN_REASON) === true;
}
