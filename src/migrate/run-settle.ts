import path from 'node:path';
import { editorLinesPatch } from '../util/diff-lines.js';
import type { FileAnalysis } from './analysis.js';
import { isErrorRelay, nameRelayedErrorClasses } from './analysis/error-relays.js';
import type { Occurrence } from './census.js';
import type { DiscoveredFile } from './discover.js';
import type { SpecScope } from './routes/index.js';
import type { SettingDefault } from './routes/project.js';
import { censusTaker } from './run-census.js';
import { holdDeclarationsAheadOfHandlers } from './declarations-held.js';
import { settleDocumentedRoutes } from './doc-routes-settle.js';
import { editedPlaces, type EditedPlace } from './edited-places.js';
import type { RunFiles } from './run-files.js';
import { TestFollower } from './test-follow.js';
import { skippedTestAssertions } from './skipped-tests.js';
import { jsonValueSites } from './json-values.js';
import { hasSnapshot403 } from './test-snapshots.js';
import { ignoreReason, planFile } from './transform.js';
import type {
  MigrateOptions,
  Site,
  SiteDecision,
  SkippedTestAssertion,
  SkippedTestMayFail,
} from './types.js';
import { PlannedWrites } from './write-plans.js';
import { compareText } from '../util/compare.js';
import { markPhase } from '../util/phase-marks.js';
import { writeRefusal, type WriteRefusedError } from '../util/write-atomic.js';

/** The sites of a run once each is decided, planned and (in `write` mode) written. */
export interface SettledSites {
  /** Every site kept (in scope), server files' first, in file order. */
  sites: Site[];
  /** Sites a site filter or `--spec` left out (not reported as work). */
  outOfScope: Set<Site>;
  /** Rewrite sites whose edit was refused or whose file could not be written, with why. */
  refused: Map<Site, string>;
  /** Files changed (written, or that would be in `dry-run` / `check`). */
  changed: number;
  /** `dry-run`: the unified diff of every change; else ''. */
  diff: string;
  /** Relative path -> the file's occurrences of 403, each classified (census.ts). */
  occurrences: Map<string, Occurrence[]>;
  /**
   * Declarations, table entries and enum members a rewrite edits outside its own form (edited-places.ts), each a
   * site of its own for the report with the reads it serves; their 403s are counted as rewritten there.
   */
  places: EditedPlace[];
  /** Rewrites that change nothing in their own form (their edit moved to a place): reported through the place. */
  folded: Set<Site>;
  /** Settings whose written default the test follower took for a path (`--include-tests`); absent when none. */
  testDefaults?: SettingDefault[];
  /** Without `--include-tests`: the skipped tests' assertions on 403s this run rewrites (skipped-tests.ts). */
  skippedTests?: SkippedTestAssertion[];
  /** Without `--include-tests`: the skipped tests' assertions that may fail, not rewritten (skipped-tests.ts). */
  skippedMayFail?: SkippedTestMayFail[];
  skippedStandIns?: SkippedTestMayFail[];
}

/**
 * Decides, plans and writes every analysed file's sites: the census of each file (run-census.ts), each site's
 * ignore comment, the options' site filter and the `--spec` scope, then the file's plan (transform.ts `planFile`)
 * written as planned (write-plans.ts: the disk waits of one file overlap the planning of the next). Server files
 * first, in file order; test files after, so an assertion follows what the run decided for the site it checks
 * (`--include-tests`, test-follow.ts). A file that cannot be written is an error of the run (`run.errors`) and its
 * sites are refused; `dry-run` and `check` refuse what a write would (util/write-atomic.ts `writeRefusal`).
 * Mutates the sites (kind, reason, operation, ignore reason; the replacement of a rewrite whose edits the plan
 * moved, edited-places.ts).
 *
 * @param files the run's files (tests among them only with `--include-tests`, for the test follower).
 * @param scope the `--spec` scope, if any.
 */
export async function settleSites(
  run: RunFiles,
  options: MigrateOptions,
  files: readonly DiscoveredFile[],
  scope: SpecScope | undefined,
): Promise<SettledSites> {
  // Each server site is decided once (the --spec filter counts what it leaves alone): the census asks first
  // whether a rewrite is kept, since a rewrite the filter or --spec leaves out keeps reading the constants it
  // names (census-site-names.ts).
  const decided = new Map<Site, { decision: SiteDecision; spec: SiteDecision | undefined }>();
  const decide = (site: Site): { decision: SiteDecision; spec: SiteDecision | undefined } => {
    let known = decided.get(site);
    if (!known) {
      const decision = options.siteFilter?.(site) ?? { keep: true };
      known = { decision, spec: decision.keep ? scope?.filter(site) : undefined };
      decided.set(site, known);
    }
    return known;
  };
  const censusScope = (site: Site): boolean => {
    if (site.framework === 'tests') return true;
    const { decision, spec } = decide(site);
    return decision.keep && (spec?.keep ?? true);
  };
  const census = censusTaker(run, censusScope);
  const out: SettledSites = {
    sites: [],
    outOfScope: new Set(),
    refused: new Map(),
    changed: 0,
    diff: '',
    occurrences: new Map(),
    places: [],
    folded: new Set(),
  };
  const undecided = (site: Site): { decision: SiteDecision; spec: SiteDecision | undefined } => {
    const decision = options.siteFilter?.(site) ?? { keep: true };
    return { decision, spec: decision.keep ? scope?.filter(site) : undefined };
  };
  const planned = new PlannedWrites();
  let follows: ((site: Site, spec: SiteDecision) => SiteDecision) | undefined = undefined;
  const unproven = new Set(files.filter((f) => f.unproven).map((f) => f.absolute));
  const settle = (absolute: string, analysis: FileAnalysis): void => {
    const kept: Site[] = [];
    const inTestFolder = unproven.has(absolute) ? unprovenNote(analysis.file) : undefined;
    for (const site of analysis.sites) {
      if (inTestFolder && site.kind === 'rewrite') {
        site.kind = 'manual';
        site.reason = site.reason ? `${site.reason} ${inTestFolder}` : inTestFolder;
      }
      const reason = ignoreReason(analysis.text, analysis.sourceFile, site);
      if (reason) site.ignoreReason = reason;
      const { decision, spec } = site.framework === 'tests' ? undecided(site) : decide(site);
      // --include-tests under --spec: an assertion follows its server (test-follow.ts `scoped`).
      const scoped = spec ? (site.framework === 'tests' && follows ? follows(site, spec) : spec) : decision;
      if (!decision.keep || !scoped.keep) {
        out.outOfScope.add(site);
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
    out.sites.push(...kept);
    const rewrites = kept.filter((s) => s.kind === 'rewrite' && !s.ignoreReason);
    if (!rewrites.length) return;
    const analysed = new Map(rewrites.map((site) => [site, [...site.edits]]));
    const plan = planFile(analysis.text, analysis.file, rewrites, 0, analysis.sourceFile);
    for (const { site, reason } of plan.refused) out.refused.set(site, reason);
    // The report names what the write changes: a value moved to its declaration is reported there.
    const edited = editedPlaces({
      text: analysis.text,
      sourceFile: analysis.sourceFile,
      applied: plan.applied,
      analysed,
      occurrences: out.occurrences.get(analysis.file) ?? [],
    });
    out.places.push(...edited.places);
    for (const site of edited.folded) out.folded.add(site);
    if (plan.text === analysis.text) return;
    if (options.mode === 'write') {
      // Started now, awaited by flushWrites; the file must still hold what was analysed.
      planned.push({
        absolute,
        file: analysis.file,
        before: analysis.text,
        after: plan.text,
        sites: rewrites,
      });
      return;
    }
    // What the real run would refuse (a read-only file, one that is not UTF-8): refused here too.
    const refusal = writeRefusal({
      path: absolute,
      text: plan.text,
      display: analysis.file,
      original: analysis.text,
    });
    if (refusal) {
      refuse(analysis.file, rewrites, refusal);
      return;
    }
    out.changed++;
    if (options.mode === 'dry-run') out.diff += unifiedDiff(analysis.file, analysis.text, plan.text);
  };
  /** A file the writer refuses (or would): an error of the run, and its rewrites refused with why. */
  const refuse = (file: string, rewrites: readonly Site[], error: WriteRefusedError): void => {
    run.errors.push({ file, message: `${error.message} ${error.hint ?? ''}`.trim(), stage: 'not-written' });
    for (const site of rewrites) out.refused.set(site, `not written: ${error.message}`);
  };
  const settleAll = async (
    entries: readonly [string, FileAnalysis][],
    afterCensus?: (analysis: FileAnalysis, occurrences: Occurrence[]) => void,
  ): Promise<void> => {
    for (const [absolute, analysis] of entries) {
      const occurrences = census(absolute, analysis);
      // --include-tests: expected values a test builds from a name of the 403 (test-named-mirrors.ts).
      afterCensus?.(analysis, occurrences);
      out.occurrences.set(analysis.file, occurrences);
    }
    for (const [absolute, analysis] of entries) {
      settle(absolute, analysis);
      await planned.pace();
    }
    const { written, refused } = await planned.flush();
    out.changed += written;
    for (const { write, error } of refused) refuse(write.file, write.sites, error);
  };
  // In file order (phase 2 and on-demand analyses come later than their names); test files after the
  // server's files: an assertion follows what the run decided for the site it checks (test-follow.ts).
  // --include-tests: a test file whose stored snapshot holds a 403 is read although its own text holds none, so
  // that its snapshot matchers are decided (test-snapshots.ts).
  if (options.includeTests)
    for (const file of files) if (file.test && hasSnapshot403(file.absolute)) run.analysisOf(file.absolute);
  const ordered = [...run.analyses].sort((x, y) => compareText(x[1].file, y[1].file));
  const server = ordered.filter(([, a]) => !a.options.testFile);
  const tests = ordered.filter(([, a]) => a.options.testFile);
  // A route's documented 403 follows its handler only when the handler's 403s were all rewritten (breaker30 #02).
  holdDeclarationsAheadOfHandlers(new Map(server));
  // A documented 403 whose route holds no 403 site follows the middleware the registration names.
  settleDocumentedRoutes(
    new Map(server),
    (analysis, site) => site.kind === 'manual' && !ignoreReason(analysis.text, analysis.sourceFile, site),
  );
  // A handled error's status relayed: its reason names the project's error classes that carry 403.
  nameRelayedErrorClasses(server.map(([, analysis]) => analysis));
  await settleAll(server);
  // A 403 read from an imported JSON module by a rewritten site stays in the JSON: named there (breaker31 #06).
  const json = jsonValueSites(
    run.cwd,
    new Map(server),
    run.links,
    (site) =>
      site.kind === 'rewrite' && !site.ignoreReason && !out.outOfScope.has(site) && !out.refused.has(site),
    run.textOf,
    options.status,
  );
  out.sites.push(...json.sites);
  for (const [file, occurrences] of json.occurrences) out.occurrences.set(file, occurrences);
  markPhase('migrate/settle');
  if (!tests.length && options.includeTests) return out;
  const outcomes = new Map<Site, boolean>();
  for (const [, analysis] of server)
    for (const site of analysis.sites) {
      // A helper's own definition emits nothing: its callers are the sites. Nor does an error handler that
      // relays the status of the error it handles: the errors are sites where they are made.
      if (site.kind === 'manual' && (isHelperDefinition(analysis, site) || isErrorRelay(site))) continue;
      outcomes.set(
        site,
        site.kind === 'rewrite' && !site.ignoreReason && !out.outOfScope.has(site) && !out.refused.has(site),
      );
    }
  // Without --include-tests: the skipped tests that assert a 403 this run rewrites are named (breaker31 #05).
  if (!options.includeTests) {
    const skipped = skippedTestAssertions(run, files, outcomes, (aside) =>
      censusTaker(run, censusScope, aside),
    );
    if (skipped.rewritten.length) out.skippedTests = skipped.rewritten;
    if (skipped.mayFail.length) out.skippedMayFail = skipped.mayFail;
    if (skipped.standIns.length) out.skippedStandIns = skipped.standIns;
    return out;
  }
  const follower = new TestFollower(
    run.cwd,
    files.filter((f) => (f.test ? options.includeTests : true)),
    outcomes,
    (relative) => run.analyses.get(path.resolve(run.cwd, relative))?.text,
    (site) => run.where(site),
    (relative) => run.analyses.get(path.resolve(run.cwd, relative))?.notAnEmitRanges ?? [],
    (absolute) => run.routeTree(absolute),
    (site) => out.outOfScope.has(site),
  );
  follows = (site, spec) => follower.scoped(site, spec);
  for (const [, analysis] of tests) follower.settle(analysis);
  await settleAll(tests, (analysis, occurrences) => follower.settleNamedMirrors(analysis, occurrences));
  const defaults = follower.settingDefaults();
  if (defaults.length) out.testDefaults = defaults;
  return out;
}

/** A manual site inside a function whose parameter becomes the status (the `Shared helper` report). */
function isHelperDefinition(analysis: FileAnalysis, site: Site): boolean {
  return analysis.helpers.some((h) => h.fn.pos <= site.start && site.end <= h.fn.end);
}

/** A file's change as a unified diff with 3 lines of context, `a/` and `b/` prefixed as git prints them. */
function unifiedDiff(file: string, before: string, after: string): string {
  return editorLinesPatch(`a/${file}`, `b/${file}`, before, after, 'mtls-fix migrate', 3);
}

/**
 * Why a site of an `unproven` file (test-folders.ts `unprovenSources`) is reported by hand: the file sits in a test
 * folder, yet holds no test code and nothing imports it.
 */
export function unprovenNote(file: string): string {
  const folder = /(?:^|\/)((?:[^/]+\/)*?(?:test|tests|e2e|spec)\/)/.exec(file)?.[1] ?? 'a test folder';
  return (
    `It sits in a test folder (${folder}) but holds no test code and no file imports it, so mtls-fix cannot tell ` +
    'whether the server loads it (a folder of routes read at start-up) or a test does (a fixture): if it is served, ' +
    'change it by hand; if not, mark it // mtls-fix-ignore: <why> or leave it out with migrate.exclude.'
  );
}
