import { namedRouteCall } from './routes/japa-client.js';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { Project, type ProjectFile, type SettingDefault } from './routes/project.js';
import { BrowserPackages } from './browser-packages.js';
import { nodeAt } from './routes/reach.js';
import { requestOf, UNREAD_METHOD, type Resolve, type TestRequest } from './routes/requests.js';
import type { CodeRoute } from './routes/model.js';
import { phraseEdits, readsErrorKey, textsBesideStatus, withoutEdits } from './test-phrases.js';
import {
  heldRequest,
  chainHelperRequest,
  readsHelperResult,
  isHelperCall,
  isReassigned,
  mirrorUses,
  testBody,
  type Reassigned,
} from './test-assertion-place.js';
import { builtAround, type SupportFiles, isMockCall, type NotAnEmitRange } from './test-built.js';
import { TestFileLinks } from './test-file-links.js';
import { runnerSetups } from './test-setup-scopes.js';
import type { FollowContext } from './test-follow-context.js';
import { decideByCallers } from './test-follow-callers.js';
import { decideByUnit, stoppedLooking, stubbedRoutes } from './test-follow-units.js';
import { unreadModuleMocks } from './test-doubles.js';
import { addImportedHelperCalls } from './test-imported-helpers.js';
import { addMatcherCalls } from './test-matchers.js';
import { fixedString } from './test-fixed-values.js';
import {
  readsRow,
  splitsPath,
  tableRowsAt,
  usesOf,
  valueIn,
  type TableRow,
  type TestTable,
} from './test-tables.js';
import { lineOf } from './test-nodes.js';
import { decideEachRow } from './test-table-bodies.js';
import { ownFrameworkNote, requestName, routesVia, TestRoutes, unreadMethod } from './test-route-graph.js';
import {
  TestVerdicts,
  type PhraseRead,
  type ServerOutcomes,
  type SiteWhere,
  type Verdict,
} from './test-verdicts.js';
import type { Site, SiteDecision } from './types.js';
import { snapshotAssertions, wholeLiteralEdits } from './test-snapshots.js';
import { statusTypeUses } from './test-status-types.js';
import { ALREADY_ANSWERS, alreadyAnswers } from './test-target-places.js';
import { unprovenAnswer, unreadHandlerReason } from './test-answered.js';
import { sitesAnswering } from './test-method-sites.js';
import { namedMirrors, settleNamedMirror } from './test-named-mirrors.js';
import type { Occurrence } from './census.js';
import type { SiteInput } from './analysis/types.js';
import { kindAssertions } from './frameworks/tests/response-kinds.js';
import { hasOwnVerdict } from './frameworks/tests/own-verdicts.js';
import { cypressAlias } from './test-cypress-aliases.js';
import { isUnreadRequest, unreadRequestCall, type UnreadRequest } from './test-unread-requests.js';
import { unitInputVerdict } from './test-unit-inputs.js';
import { statusTexts } from './test-status-texts.js';
import { shorten } from './analysis/syntax.js';

export { demoteTestFixtures } from './test-demote.js';
import { demotedServerSite } from './test-demote.js';
export type { NotAnEmitRange } from './test-built.js';
export type { ServerOutcomes, SiteWhere } from './test-verdicts.js';

/**
 * `--include-tests`: an assertion on a 403 follows the server, never leads it (issue 9 §1). Each `tests`
 * site is linked to the code it checks:
 * - a request in the test (supertest `request(app).get('/x')`, Fastify/hapi `inject`, `fetch` to a started
 *   server, Nest e2e) to the code routes it matches, and from each route to the sites its handlers reach
 *   (the `--spec` route graph, test-route-graph.ts);
 * - else the unit under test: project functions and classes the test body names (through its local
 *   variables), followed downwards through the references they make (test-unit-walk.ts).
 *
 * The assertion is rewritten only when at least one linked site exists and every linked site was rewritten
 * by this run; otherwise it becomes `manual` naming the site that still emits 403, or saying that its server
 * could not be found (test-verdicts.ts). An assertion in a test that builds its 403 itself (a mocked upstream,
 * a test-built error or server, test-built.ts) and links to no rewritten server becomes not-an-emit (`mock` /
 * `test-fixture`).
 */
export class TestFollower {
  private readonly project: Project;
  private readonly sitesByFile = new Map<string, Site[]>();
  /** Which files are tests, what each imports and mocks. */
  private readonly links: TestFileLinks;
  /** The routes a test's request reaches and the sites behind them. */
  private readonly routes: TestRoutes;
  /** The verdict from the linked sites. */
  private readonly verdicts: TestVerdicts;
  /** Said of a request no route matches in a framework's own repository (`ownFrameworkNote`). */
  private readonly ownFramework: string;
  /** Assertions left manual only because the 403 they check is one `--spec` leaves alone on purpose. */
  private readonly onLeftAlone = new WeakSet<Site>();
  /**
   * Assertions made manual that may fail after this run (`mayFail`): their server could not be found, or it is
   * one this run rewrote (a snapshot, a response kind mtls-fix cannot write), or some of what they reach changed.
   */
  private readonly mayFailSites = new WeakSet<Site>();
  private readonly standIns = new WeakSet<Site>();
  /** The suite's test files, where a test's imported stand-ins live (test-built.ts `builtAround`). */
  private readonly support: SupportFiles;
  /** What the deciding modules share (test-follow-context.ts). */
  private readonly ctx: FollowContext;
  /** The non-test sites of this run and whether each was rewritten. */
  private readonly outcomes: ServerOutcomes;
  /** `file:line` of a site, for reasons. */
  private readonly where: SiteWhere;

  /**
   * @param cwd the working folder (file paths in sites are relative to it)
   * @param files every discovered source file, tests included (`test`: a test file)
   * @param outcomes the non-test sites of this run and whether each was rewritten
   * @param textOf the text of an analysed file by relative path (to see which edits changed a phrase)
   * @param where `file:line` of a site, for reasons
   * @param marksOf the not-an-emit ranges of an analysed file (a test helper's fake upstream, its mocks)
   * @param parsed the engine's parsed trees (each file parsed once per run); files it cannot give are parsed here
   * @param leftAlone whether a non-test site stays 403 on purpose (`--spec`: reached from no mTLS operation)
   */
  constructor(
    private readonly cwd: string,
    files: readonly { absolute: string; relative: string; test: boolean }[],
    outcomes: ServerOutcomes,
    textOf: (relative: string) => string | undefined,
    where: SiteWhere,
    private readonly marksOf: (relative: string) => readonly NotAnEmitRange[] = () => [],
    parsed?: (absolute: string) => ts.SourceFile | undefined,
    leftAlone: (site: Site) => boolean = () => false,
  ) {
    // Files are parsed as the follower reaches them: a suite of unit tests reads the units it names, never the
    // whole project; the route graph (a test with a request) reads every file, once.
    // A browser app's files, its tests included (a monorepo's frontend), are not walked: they register no
    // server route and serve no request (their own mocked backends are not routes).
    const browser = new BrowserPackages(cwd);
    this.project = new Project(cwd, files, parsed, undefined, {
      lazy: true,
      walked: (f) => !browser.isBrowserFile(f.absolute),
    });
    const testFiles = new Set(files.filter((f) => f.test).map((f) => f.relative));
    // A setup file counts for the test files its runner configuration runs (`mocha -r setup.js test/unit`).
    let setup: { file: ProjectFile; runs?: (testFile: string) => boolean }[] | undefined;
    const setupFiles = (testFile: ProjectFile): ProjectFile[] =>
      (setup ??= runnerSetups(cwd).flatMap((s) => {
        const file = this.project.byRelative(s.file);
        return file ? [{ file, runs: s.runs }] : [];
      }))
        .filter((s) => !s.runs || s.runs(testFile.relative))
        .map((s) => s.file)
        .filter((file, i, all) => all.indexOf(file) === i);
    const allSetups = (): ProjectFile[] =>
      (setup ??= runnerSetups(cwd).flatMap((s) => {
        const file = this.project.byRelative(s.file);
        return file ? [{ file, runs: s.runs }] : [];
      })).map((s) => s.file);
    this.outcomes = outcomes;
    this.where = where;
    this.links = new TestFileLinks(this.project, testFiles, textOf, setupFiles, allSetups);
    this.routes = new TestRoutes(this.project, this.links, [...outcomes.keys()]);
    this.ownFramework = ownFrameworkNote(cwd);
    this.verdicts = new TestVerdicts(this.project, outcomes, textOf, where, leftAlone);
    this.support = { isTest: (relative) => this.links.isTest(relative), marksOf, setup: setupFiles };
    for (const site of outcomes.keys()) {
      const list = this.sitesByFile.get(site.file) ?? [];
      list.push(site);
      this.sitesByFile.set(site.file, list);
    }
    this.ctx = {
      project: this.project,
      sitesByFile: this.sitesByFile,
      links: this.links,
      routes: this.routes,
      verdicts: this.verdicts,
      ownFramework: this.ownFramework,
      support: this.support,
      marksOf: this.marksOf,
      stringOf: (file, expression) => this.stringOf(file, expression),
    };
  }

  /**
   * Settings read at run time whose written default the follower took for a path (a route's prefix, a request's
   * URL: routes/project.ts `settingDefaults`), in the order they were met: named in the report, never silently.
   */
  settingDefaults(): SettingDefault[] {
    return [...this.project.settingDefaults.values()];
  }

  /**
   * Decides every assertion site of one analysed test file (before its census): keeps it as a rewrite, turns
   * it into a manual site with a reason, or drops it as not-an-emit.
   */
  settle(analysis: FileAnalysis): void {
    const file = this.project.byRelative(analysis.file);
    if (file) addImportedHelperCalls(this.ctx, file, analysis);
    // expect(res).toRespondWith(403), expect(res).toBeForbidden(): custom matchers of the suite (test-matchers.ts)
    if (file) addMatcherCalls(this.ctx, file, analysis);
    for (const site of [...analysis.sites]) {
      if (site.framework !== 'tests') continue;
      // expect(statusCodeMessage(403)).toBe('Forbidden'): 403 is the unit's input (test-unit-inputs.ts).
      const input = file && !site.ignoreReason ? unitInputVerdict(this.ctx, file, analysis, site) : undefined;
      if (input && 'notAnEmit' in input) {
        analysis.sites.splice(analysis.sites.indexOf(site), 1);
        analysis.notAnEmitRanges.push({ start: site.span.start, end: site.span.end, kind: input.notAnEmit });
        continue;
      }
      if (input) {
        this.mayFailSites.add(site);
        site.kind = 'manual';
        site.edits = [];
        site.imports = [];
        site.replacement = null;
        site.reason = `Asserts a 403 ${input.manual}, or keep it on purpose with // mtls-fix-ignore: <why>.`;
        continue;
      }
      if (site.kind === 'manual' && file) this.settleManual(file, analysis, site);
      if (site.kind !== 'rewrite') continue;
      const verdict: Verdict = file
        ? this.decide(file, analysis, site)
        : { manual: 'whose test file could not be read again' };
      if ('keep' in verdict) {
        site.edits = wholeLiteralEdits(analysis.sourceFile, site.edits);
        if (phraseEdits(analysis.sourceFile, site.edits).length < site.edits.length) {
          const node = nodeAt(analysis.sourceFile, site.start);
          textsBesideStatus(analysis, site, node ? testBody(node) : undefined);
        }
        continue;
      }
      if ('leftAlone' in verdict) this.onLeftAlone.add(site);
      if ('notAnEmit' in verdict) {
        analysis.sites.splice(analysis.sites.indexOf(site), 1);
        analysis.notAnEmitRanges.push({
          start: site.span.start,
          end: site.span.end,
          kind: verdict.notAnEmit,
        });
        continue;
      }
      if (!('leftAlone' in verdict) && !('unchanged' in verdict)) this.mayFailSites.add(site);
      site.kind = 'manual';
      site.edits = [];
      site.imports = [];
      site.replacement = null;
      site.reason = `Asserts a 403 ${verdict.manual}: change it together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
    }
    if (file) this.settleSnapshots(file, analysis);
    if (file) this.settleKinds(file, analysis);
    if (file) this.settleStatusTexts(file, analysis);
    this.settleStubCopies(analysis);
  }

  /** Whether `site` is a stand-in settleStubCopies named (a test-code copy of a route this run rewrote). */
  isStandIn(site: Site): boolean {
    return this.standIns.has(site);
  }

  /**
   * The 403s a test file's own stand-ins answer (test-demote.ts: `test-fixture`) in the code of a route the test
   * code registers with the method and path of a product route that reaches a site this run rewrote (a stub app
   * in a test helper, `app.get('/admin', fakeHandler)`): a copy of the server's answer that now differs from it.
   * mtls-fix never rewrites a stand-in as if it were the server; each is a manual site naming the server site it
   * copies. Stand-ins that copy no rewritten route stay not-an-emit.
   */
  private settleStubCopies(analysis: FileAnalysis): void {
    const ranges = analysis.notAnEmitRanges;
    for (let i = ranges.length - 1; i >= 0; i--) {
      const range = ranges[i];
      const demoted = range.kind === 'test-fixture' ? demotedServerSite(range) : undefined;
      if (!demoted) continue;
      const copied = this.routes
        .copiedRoutes(analysis.file, demoted.start)
        .flatMap(({ stub, server, sites }) =>
          sites.filter((site) => this.outcomes.get(site) === true).map((site) => ({ stub, server, site })),
        );
      const first = copied[0];
      if (!first) continue;
      const { stub, server, site } = first;
      const more = copied.length > 1 ? ` (and ${copied.length - 1} more)` : '';
      ranges.splice(i, 1);
      const standIn: Site = {
        ...demoted,
        framework: 'tests',
        kind: 'manual',
        edits: [],
        imports: [],
        replacement: null,
        reason: `A stand-in in test code (${stub.method} ${stub.path}, ${stub.file}:${stub.line}) answers 403 as ${site.form} (${this.where(site)}) of the route ${server.method} ${server.path} did${more}, which this run rewrote to answer ${analysis.target}: mtls-fix never rewrites a stand-in as if it were the server. If it stands in for that server, change it to ${analysis.target} by hand together with the assertions on it; if it must answer 403, keep it on purpose with // mtls-fix-ignore: <why>.`,
      };
      analysis.sites.push(standIn);
      this.standIns.add(standIn);
    }
  }

  /**
   * The texts of a test file's assertions that hold 403 (`expect(String(res.status)).toBe('403')`, `toMatch(/403/)`,
   * `'Request failed with status code 403'`, `expect.stringMatching(/403/)`; test-status-texts.ts), each decided
   * like a status assertion at its place: one that spells only the status of a reply (`String(res.status)`
   * compared with `'403'`) follows a server this run rewrote; any other text whose server this run rewrote is
   * manual (mtls-fix cannot tell what the text becomes); one whose server still answers 403, or could not be
   * found, is manual naming it; one about a 403 the test builds itself is not an emit.
   */
  private settleStatusTexts(file: ProjectFile, analysis: FileAnalysis): void {
    for (const { literal, edit, negated, code, version } of statusTexts(
      analysis.sourceFile,
      analysis.target,
    )) {
      const start = literal.getStart(analysis.sourceFile);
      if (analysis.sites.some((s) => s.span.start <= start && literal.end <= s.span.end)) continue;
      // `'v1.403'`, `'1.2.403'`: a version or build number, whatever the server answers (session 50).
      if (version) {
        analysis.notAnEmitRanges.push({ start, end: literal.end, kind: 'version' });
        continue;
      }
      // An error code spelling the status (`t.equal(er.code, 'E403')`) in a test that makes no request: the code
      // of a client's own error, one the test sets itself, a unit's output (`toMessage(403)` gives 'E403'). No
      // server to check: it stays a string, as before session 49.
      if (code && !this.requestAt(file, analysis, start, (e) => this.stringOf(file, e))) {
        analysis.notAnEmitRanges.push({ start, end: literal.end, kind: 'string' });
        continue;
      }
      const verdict = this.decideAt(file, analysis, start, false);
      if ('notAnEmit' in verdict) {
        analysis.notAnEmitRanges.push({ start, end: literal.end, kind: verdict.notAnEmit });
        continue;
      }
      const raw = shorten(literal.getText(analysis.sourceFile));
      if (code && 'keep' in verdict) {
        const server = verdict.server ? ` (${verdict.server})` : '';
        const reason = `Asserts the error code ${raw}, which spells the status, on a reply whose server this run rewrote${server} to answer ${analysis.target}: mtls-fix rewrites statuses, not the codes a server sends beside them (a code the server spells is listed at its site), so check which code that server now sends and change this one with it, or keep it on purpose with // mtls-fix-ignore: <why>.`;
        this.addMayFail(analysis, verdict, { node: literal, framework: 'tests', manual: true, reason });
        continue;
      }
      if ('keep' in verdict && edit) {
        analysis.addSite({ node: literal, framework: 'tests', edits: [edit] });
        continue;
      }
      const reason =
        'keep' in verdict && negated
          ? `A negated assertion on a text holding 403 (${raw}) on a reply whose server this run rewrote to answer ${analysis.target}: mtls-fix does not rewrite it (asserting not ${analysis.target} would test something else); decide by hand what it means, or keep it on purpose with // mtls-fix-ignore: <why>.`
          : 'keep' in verdict
            ? `Asserts a text holding 403 (${raw}) on a reply whose server this run rewrote to answer ${analysis.target}: mtls-fix cannot tell what that text becomes, so change the expected text by hand.`
            : `Asserts a text holding 403 (${raw}) ${verdict.manual}: change it together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
      this.addMayFail(analysis, verdict, { node: literal, framework: 'tests', manual: true, reason });
    }
  }

  /**
   * A test's assertion on a 403 that mtls-fix cannot write (an expected error its library has no class for, a
   * `Boom.forbidden(m, data)` built as the server builds it, a Nest class a barrel does not hand on): it follows
   * its server as a rewritable one does. Where every server it reaches was rewritten it keeps its own reason and
   * may fail once they are written; where one still answers the 403 it reads (or `--spec` leaves it alone) it
   * passes, and its reason names that site; one the test builds itself is not an emit. A site whose verdict is
   * its own (a negated assertion, frameworks/tests/own-verdicts.ts) or kept on purpose is left as it is.
   */
  private settleManual(file: ProjectFile, analysis: FileAnalysis, site: Site): void {
    if (hasOwnVerdict(site) || site.ignoreReason) return;
    const verdict = this.decideSite(file, analysis, site, false);
    if ('keep' in verdict) {
      this.mayFailSites.add(site);
      return;
    }
    if ('notAnEmit' in verdict) {
      analysis.sites.splice(analysis.sites.indexOf(site), 1);
      analysis.notAnEmitRanges.push({ start: site.span.start, end: site.span.end, kind: verdict.notAnEmit });
      return;
    }
    if ('leftAlone' in verdict) this.onLeftAlone.add(site);
    if (verdict.leftAlone || verdict.unchanged)
      site.reason = `Asserts a 403 ${verdict.manual}: change it together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
    else this.mayFailSites.add(site);
  }

  /**
   * The assertions of a test file that expect a 403 response by its `kind` (`toMatchObject({ kind:
   * "IResponseErrorForbiddenNotAuthorized" })`, frameworks/tests/response-kinds.ts): each a manual site, decided
   * like a status assertion at the same place, as mtls-fix cannot write the kind of the response that replaces
   * it. One whose 403 the test builds itself, or one `--spec` leaves alone, stays as it is (a string).
   */
  private settleKinds(file: ProjectFile, analysis: FileAnalysis): void {
    for (const { literal, form } of kindAssertions(analysis)) {
      const start = literal.getStart(analysis.sourceFile);
      if (analysis.sites.some((s) => s.start <= start && start < s.end)) continue;
      const verdict = this.decideAt(file, analysis, start, false);
      if ('notAnEmit' in verdict || ('manual' in verdict && verdict.leftAlone)) continue;
      const kind = `the kind ${literal.getText(analysis.sourceFile)} (a 403 response)`;
      const reason =
        'keep' in verdict
          ? `Asserts a 403 by ${kind}, whose server this run rewrote to answer ${analysis.target}: mtls-fix does not know the kind of the response that answers ${analysis.target} there, so change the expected kind by hand.`
          : `Asserts a 403 by ${kind} ${verdict.manual}: change it together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
      this.addMayFail(analysis, verdict, {
        node: form,
        at: literal,
        framework: 'tests',
        manual: true,
        reason,
      });
    }
  }

  /**
   * After the census of a test file: the expected values it builds from a name of the 403 that the census
   * could place nowhere (test-named-mirrors.ts), each decided as a body-text assertion at its place is. Each
   * that may fail once the server is written is recorded for `mayFail` (a plain run lists it, skipped-tests.ts).
   */
  settleNamedMirrors(analysis: FileAnalysis, occurrences: Occurrence[]): void {
    const file = this.project.byRelative(analysis.file);
    if (!file) return;
    for (const site of namedMirrors(analysis, occurrences)) {
      const verdict = this.decideAt(file, analysis, site.start, true);
      if ('leftAlone' in verdict) this.onLeftAlone.add(site);
      settleNamedMirror(analysis, occurrences, site, verdict);
      // Kept: its server now answers the agreed status, which the name in the test does not say (breaker36 #02).
      if (!('notAnEmit' in verdict) && !('manual' in verdict && (verdict.leftAlone || verdict.unchanged)))
        this.mayFailSites.add(site);
    }
  }

  /**
   * The snapshot matcher calls of a test file whose stored snapshot holds a status 403 (test-snapshots.ts:
   * `toMatchSnapshot()` with its `.snap` entry, node:test `t.assert.snapshot`, `toMatchFileSnapshot`), each a
   * manual site naming the snapshot file and key: mtls-fix writes no snapshot file, and one whose server this
   * run rewrote would fail the suite until it is updated. A snapshot whose server still answers 403 is reported
   * as any assertion on it is (naming what still emits it); one behind a 403 `--spec` leaves alone, or one the
   * test builds itself, is not listed.
   */
  private settleSnapshots(file: ProjectFile, analysis: FileAnalysis): void {
    for (const { call, entries, unplaced } of snapshotAssertions(this.cwd, file.absolute, file.sourceFile)) {
      const verdict = this.decideAt(file, analysis, unplaced ?? call.getStart(file.sourceFile), false);
      if ('notAnEmit' in verdict || ('manual' in verdict && verdict.leftAlone)) continue;
      // An entry taken by a matcher this file does not hold (a helper of another file): named at its test.
      const named =
        entries
          .map((e) => (e.key ? `\`${e.key}\` in ${e.file}:${e.line}` : `${e.file}:${e.line}`))
          .join(', ') + (unplaced === undefined ? '' : ', taken by a matcher outside this test file');
      const reason =
        'keep' in verdict
          ? `Asserts a 403 through its stored snapshot (${named}), whose server this run rewrote to answer ${analysis.target}: mtls-fix does not write snapshot files, so update that entry (re-run the suite with -u, or --test-update-snapshots for node:test, and review the diff).`
          : `Asserts a 403 through its stored snapshot (${named}) ${verdict.manual}: update the snapshot together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
      this.addMayFail(analysis, verdict, { node: call, framework: 'tests', manual: true, reason });
    }
  }

  /**
   * Whether a manual assertion this follower settled may fail once the run's server changes are written (see
   * `mayFailSites`): false for one whose every server still answers the 403 it reads, one `--spec` leaves alone,
   * and any site the follower did not decide (a negated assertion, one that accepts both statuses).
   */
  mayFail(site: Site): boolean {
    return this.mayFailSites.has(site);
  }

  /** Adds a manual site decided by `verdict`, recorded in `mayFailSites` unless its server is unchanged. */
  private addMayFail(analysis: FileAnalysis, verdict: Verdict, input: SiteInput): void {
    const before = analysis.sites.length;
    analysis.addSite(input);
    const added = analysis.sites.length > before ? analysis.sites[analysis.sites.length - 1] : undefined;
    if (added && !('manual' in verdict && (verdict.leftAlone || verdict.unchanged)))
      this.mayFailSites.add(added);
  }

  /**
   * `--spec`: the decision for an assertion this follower settled, given what the document says of its
   * request (`spec`: kept when the request matches an mTLS operation). Tests follow the server:
   * - an assertion whose every linked site this run rewrote is rewritten, whatever the document says of its
   *   request (the server it runs against now answers the new status; an assertion with no request the
   *   document can read, such as a Next.js route handler called directly, included);
   * - one whose 403 is still emitted only by sites `--spec` leaves alone (public operations) stays as it is,
   *   not listed, as those sites are;
   * - any other manual one stays manual (listed): its server could not be found, or it still emits a 403
   *   this run did not decide to leave alone.
   */
  scoped(site: Readonly<Site>, spec: SiteDecision): SiteDecision {
    if (site.kind === 'rewrite') return spec.keep ? spec : { keep: true };
    if (this.onLeftAlone.has(site)) return { keep: false };
    return spec.keep ? spec : { keep: true };
  }

  private decide(file: ProjectFile, analysis: FileAnalysis, site: Site): Verdict {
    const phrase = phraseEdits(analysis.sourceFile, site.edits);
    const phraseOnly = phrase.length === site.edits.length;
    // The `error` key of a framework-shaped body follows the class or status, not the message beside it.
    const errorKeys = phrase.filter((e) => readsErrorKey(analysis.sourceFile, e));
    const others = phrase.filter((e) => !errorKeys.includes(e));
    const verdict = this.decideSite(file, analysis, site, phraseOnly);
    if (phraseOnly && !('keep' in verdict) && errorKeys.length) {
      // Only body texts: the `error` keys may follow where the other texts cannot (they stay as they are).
      const byError = this.decideSite(file, analysis, site, 'error');
      if ('keep' in byError && others.length)
        withoutEdits(site, others, analysis, 'manual' in verdict ? verdict.manual : undefined);
      if ('keep' in byError) return byError;
      return verdict;
    }
    // A status assertion with the body text beside it (`expect(res.text).toBe('Forbidden')` on the next line):
    // the status follows its server; the text follows only a server whose own text changes, else the test
    // would expect 'Unauthorized' from a server that still sends 'Forbidden' (hono's ip-restriction).
    const byText =
      'keep' in verdict && !phraseOnly && phrase.length
        ? this.decideSite(file, analysis, site, true)
        : undefined;
    if (byText && !('keep' in byText))
      withoutEdits(
        site,
        errorKeys.length && 'keep' in this.decideSite(file, analysis, site, 'error') ? others : phrase,
        analysis,
        'manual' in byText ? byText.manual : undefined,
      );
    return verdict;
  }

  /**
   * Whether a site lies in a declaration the test file's loader calls stub (`stubbedBy`): the stub runs in its
   * place, so its 403 is not what the test's request meets.
   */
  private inStubbed(site: Site, stubbed: ReadonlySet<ts.Node>): boolean {
    if (!stubbed.size) return false;
    const at = this.project.byRelative(site.file);
    for (let node = at && nodeAt(at.sourceFile, site.start); node; node = node.parent)
      if (stubbed.has(node)) return true;
    return false;
  }

  /**
   * A test file's static string: its own never rewritten `var` / `let` names too (test-fixed-values.ts); a URL
   * built from a route's name, its route's path.
   */
  private stringOf(file: ProjectFile, expression: ts.Expression): string | undefined {
    // `route('users.show', { id })`: the path of the route the app names so (japa-client.ts).
    const named = namedRouteCall(expression, (e) => this.stringOf(file, e));
    if (named) return named.name === undefined ? undefined : this.routes.namedPath(named.name);
    return fixedString(expression, (e) => this.project.stringOf(file, e));
  }

  private decideSite(file: ProjectFile, analysis: FileAnalysis, site: Site, phraseOnly: PhraseRead): Verdict {
    const rows = tableRowsAt(file.sourceFile, site.start);
    if (rows.length) return this.decideRows(file, analysis, rows, phraseOnly);
    // A 403 written as a type (`Promise<TypedResponse<'Forbidden', 403>>`): it follows the code it annotates.
    const typed = statusTypeUses(file.sourceFile, site.start);
    if (typed && !typed.length) return { manual: 'in a type that annotates no code of the test file' };
    const uses = typed ?? mirrorUses(file.sourceFile, site.start);
    if (!uses)
      return (
        decideEachRow(
          file,
          site.start,
          (resolve) => this.requestAt(file, analysis, site.start, resolve),
          (resolve) => this.decideAt(file, analysis, site.start, phraseOnly, resolve),
          (expression) => this.stringOf(file, expression),
        ) ?? this.decideAt(file, analysis, site.start, phraseOnly)
      );
    // An expected object declared once: it follows only when every assertion reading it does.
    if (!uses.length) return { manual: 'in an expected value no assertion reads' };
    let found: Verdict = { keep: true };
    for (const use of uses) {
      const verdict = this.decideAt(file, analysis, use, phraseOnly);
      if ('manual' in verdict) return verdict;
      if ('notAnEmit' in verdict) found = verdict;
    }
    return found;
  }

  /**
   * A 403 in a row of a test table (`it.each([['/admin', 403]])`, `for (const c of cases)`; test-tables.ts): the
   * row follows its own request, read with the row's values for the names the body binds (`request(app)
   * .get(path)` with the row's path), at every assertion of the body that reads the row's status. A body whose
   * request the row does not spell out (a path computed from the row, a template after an origin) is manual:
   * another row's request must never carry it. A table used by more than one body follows all of them.
   */
  private decideRows(
    file: ProjectFile,
    analysis: FileAnalysis,
    rows: readonly { table: TestTable; row: TableRow; path: string[] }[],
    phraseOnly: PhraseRead,
  ): Verdict {
    let found: Verdict = { keep: true };
    for (const { table, row, path } of rows) {
      const uses = usesOf(table, path);
      if (!uses.length) return { manual: `in a test table row (line ${row.line}) that no assertion reads` };
      const fromRow = (expression: ts.Expression): string | undefined => {
        const value = valueIn(table, row, expression);
        if (value) return ts.isStringLiteralLike(value) ? value.text : this.stringOf(file, value);
        return readsRow(table, expression) ? undefined : this.stringOf(file, expression);
      };
      for (const use of uses) {
        const position = use.getStart(file.sourceFile);
        // The request the body makes for any row, its row-read parts standing for a parameter.
        const anyRow = (expression: ts.Expression): string | undefined =>
          valueIn(table, row, expression) || readsRow(table, expression) ? '/{p}' : undefined;
        const request = this.requestAt(file, analysis, position, fromRow);
        if ((!request && this.requestAt(file, analysis, position, anyRow)) || splitsPath(table, row))
          return {
            manual: `in a test table row (line ${row.line}) whose request the row does not spell out (line ${lineOf(file.sourceFile, use)} reads it for every row)`,
          };
        const verdict = this.decideAt(file, analysis, position, phraseOnly, fromRow);
        if ('manual' in verdict) return { ...verdict, manual: `in a test table row ${verdict.manual}` };
        if ('notAnEmit' in verdict) found = verdict;
      }
    }
    return found;
  }

  /**
   * The request an assertion at `position` checks: its own chain's request; else the request whose reply the
   * assertion reads (`expect(relayed.status)` with `const relayed = await request(app).get('/relay')`); else the
   * last request before it in the test. An assertion helper's call checks only a request among its arguments
   * (or a reply held in a variable it is handed: `expectStatus(res, 403)`). With `unread`, a request whose URL
   * is not read (`request(app).delete(saveduri)`, test-unread-requests.ts) is one too: the assertion on its
   * reply is its, never an earlier request's of the same test.
   */
  private requestAt(
    file: ProjectFile,
    analysis: FileAnalysis,
    position: number,
    resolve: Resolve,
    unread = false,
  ): TestRequest | undefined {
    const found = this.requestOrReassigned(file, analysis, position, resolve, unread);
    return isReassigned(found) ? undefined : found;
  }

  /** `requestAt`, or the variable it reads when more than one of its writes may reach the assertion. */
  private requestOrReassigned(
    file: ProjectFile,
    analysis: FileAnalysis,
    position: number,
    resolve: Resolve,
    unread: boolean,
  ): TestRequest | Reassigned | undefined {
    const skip = (call: ts.CallExpression): boolean => isMockCall(analysis, call);
    const other = unread ? (call: ts.CallExpression) => unreadRequestCall(call, file.sourceFile) : undefined;
    // `cy.get('@denied')`: the reply of the command named `.as('denied')`, never the last request before it.
    const alias = cypressAlias(file.sourceFile, position);
    if (alias)
      return 'at' in alias ? requestOf(file.sourceFile, alias.at, skip, true, resolve, other) : undefined;
    return (
      requestOf(file.sourceFile, position, skip, true, resolve, other) ??
      chainHelperRequest(this.project, file, position, skip, resolve) ??
      heldRequest(this.project, file, position, skip, resolve, unread) ??
      (isHelperCall(file.sourceFile, position) || readsHelperResult(this.project, file, position)
        ? undefined
        : requestOf(file.sourceFile, position, skip, false, resolve, other))
    );
  }

  private decideAt(
    file: ProjectFile,
    analysis: FileAnalysis,
    position: number,
    phraseOnly: PhraseRead,
    resolve: Resolve = (expression) => this.stringOf(file, expression),
  ): Verdict {
    const alias = cypressAlias(file.sourceFile, position);
    if (alias && 'stub' in alias) return { notAnEmit: 'test-fixture' };
    if (alias && 'intercept' in alias)
      return {
        manual: `on the app's requests that ${alias.intercept} watches (a Cypress alias: mtls-fix does not link an intercepted request to a route)`,
      };
    if (alias && 'undefinedAlias' in alias)
      return {
        manual: `on the alias ${alias.undefinedAlias}, which no .as('${alias.undefinedAlias.slice(1)}') of this file defines, so its server could not be found`,
      };
    const found = this.requestOrReassigned(file, analysis, position, resolve, true);
    if (isReassigned(found))
      return {
        manual: `on the reply held in ${found.reassigned}, whose request could not be told (more than one of its writes may reach the assertion: lines ${found.lines.join(', ')})`,
      };
    if (found && isUnreadRequest(found))
      return this.decideUnread(file, analysis, position, phraseOnly, found);
    return this.decideRequest(file, analysis, position, phraseOnly, found);
  }

  /**
   * A request whose URL is not read (test-unread-requests.ts): linked by its method only when exactly one route
   * of the test's app with that method reaches a 403 (the assertion expects a 403, so it is that route's);
   * otherwise named with the routes it may reach, or, when none of them reaches a 403, through the unit under
   * test like any request no route answers. Never another request of the same test.
   */
  private decideUnread(
    file: ProjectFile,
    analysis: FileAnalysis,
    position: number,
    phraseOnly: PhraseRead,
    request: UnreadRequest,
  ): Verdict {
    const method = request.methods
      ? request.methods.join('|')
      : request.method === UNREAD_METHOD
        ? 'any method'
        : request.method;
    const url = request.unreadUrl.startsWith('`') ? request.unreadUrl : `\`${request.unreadUrl}\``;
    // Options read but for the part that hides the URL: that part is named (test-request-options.ts).
    const name = request.why
      ? `${method} <unknown path> (its URL is not read: ${request.why})`
      : `${method} <unknown path> (its URL ${url} is not read)`;
    // A URL built from a route's name no single route has: which route it asserts is not proven by its method.
    if (request.named)
      return { manual: `on ${name}, so its server could not be found: check by hand which route it asserts` };
    const candidates = this.routes.routesByMethod(request, file, position);
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (only) return this.decideRequest(file, analysis, position, phraseOnly, only.request, name);
    if (candidates.length)
      return {
        manual: `on ${name}, which may reach any of ${candidates.length} routes that reach a 403: ${routesVia(candidates.map((c) => c.route))}; check by hand which one it asserts`,
      };
    // What the request may run: the routes of its method (its path is not known), not every route's code.
    const methods = request.methods ?? [request.method];
    const ofMethod = (route: CodeRoute): boolean =>
      route.method === 'ALL' || methods.some((m) => m === UNREAD_METHOD || m === route.method);
    const byUnit = decideByUnit(this.ctx, file, analysis, position, phraseOnly, false, ofMethod);
    if (byUnit?.found || byUnit?.stopped) return byUnit.verdict;
    return {
      manual: `on ${name} whose server could not be found (no route of its method reaches a 403): check by hand`,
    };
  }

  private decideRequest(
    file: ProjectFile,
    analysis: FileAnalysis,
    position: number,
    phraseOnly: PhraseRead,
    request: TestRequest | undefined,
    named?: string,
  ): Verdict {
    if (request) {
      const routes = this.routes.bestRoutes(request, file, position);
      const name = named ?? requestName(request);
      // A route whose function mtls-fix cannot read (a CDK stack prop) may answer it: its 403s are unknown.
      const unreadHandler = this.routes.unreadHandlerMayServe(request, file, routes);
      // The code it reaches may already send the agreed status (an earlier run wrote it): said (test-answered.ts).
      if (unreadHandler)
        return {
          manual: unreadHandlerReason(this.ctx, file, position, name, unreadHandler, analysis.target),
        };
      if (!routes.length) {
        // No route answers it: the server is one the route graph does not read (`http.createServer(handler)`
        // built by the test, app-level middleware); the unit under test finds the code that answers.
        const unread = this.routes.unreadRouteMayServe(request);
        // A request no route serves runs no route's code (one the graph cannot place may serve it: all of it).
        const byUnit = decideByUnit(
          this.ctx,
          file,
          analysis,
          position,
          phraseOnly,
          !unread,
          unread ? undefined : () => false,
        );
        if (byUnit?.found || byUnit?.stopped) return byUnit.verdict;
        const own = this.ownFramework;
        return {
          manual: unread
            ? `on ${name} whose server could not be found (no route whose path mtls-fix reads matches it, and one it cannot place may: ${unread}${own ? `; ${own}` : ''})`
            : `on ${name} whose server could not be found (no route of the code matches it${own ? `: ${own}` : ''})`,
        };
      }
      const apps = this.routes.severalApps(routes, file);
      if (apps.length)
        return {
          manual: `on ${name} whose server could not be found (its app could not be resolved, and routes of several apps match it: ${routesVia(routes)} in ${apps.join(', ')})`,
        };
      const unread = unreadMethod(request, routes);
      if (unread) return { manual: unread };
      const replaced = this.links.replacedBy(file);
      const stubbed = this.links.stubbedBy(file);
      const linked = sitesAnswering(
        this.routes.sitesOf(routes).filter((s) => !replaced.has(s.file) && !this.inStubbed(s, stubbed)),
        request,
        analysis.target,
      );
      const via = routesVia(routes);
      // Its routes' code is loaded with stubs mtls-fix cannot read: their sites are no proof of its 403.
      const unreadStubs = linked.length ? stubbedRoutes(this.ctx, file, position, routes, linked) : undefined;
      if (unreadStubs) return unreadStubs;
      // A module mock of the file whose module mtls-fix cannot read may replace one its routes' code reads.
      const unreadMock = linked.length ? unreadModuleMocks(file.sourceFile)[0] : undefined;
      if (unreadMock) return { manual: stoppedLooking({ kind: 'mock', file, call: unreadMock }, []) };
      if (linked.length) {
        const verdict = this.verdicts.verdict(linked, phraseOnly, via);
        const node = nodeAt(file.sourceFile, position);
        const body = node ? testBody(node) : undefined;
        // A mock of another service (nock) never answers this request; a stand-in for product code may.
        const own =
          'keep' in verdict && body
            ? builtAround(this.project, file, analysis, body, ['test-fixture'], this.support)
            : undefined;
        // A stand-in app's handler in a hook runs for that app's requests only, not for this one's routes.
        if (own && !this.routes.otherAppsOnly(own.file.relative, own.range.start, routes))
          return this.verdicts.ownAndRewritten(own, linked);
        // "Still emitted" only by statuses handed at run time (`res.status(parseInt(header))`) while the route
        // sends the agreed status elsewhere (an earlier run's rewrite): the test may already fail.
        return unprovenAnswer(this.ctx, routes, linked, verdict, via, analysis.target) ?? verdict;
      }
      // The route reaches no 403 site: the 403 comes from what the test wires around it (a plugin it registers
      // whose hook runs for every route, hapi crumb's `onPostAuth`), which the unit under test finds. The code
      // of the other routes the app registers never runs for this request: the walk does not read it.
      const byUnit = decideByUnit(this.ctx, file, analysis, position, phraseOnly, false, (route) =>
        routes.includes(route),
      );
      // The unit's places of the agreed status (all the code its walk reads) give way to the route's own.
      const unitAnswers =
        byUnit !== undefined &&
        'manual' in byUnit.verdict &&
        byUnit.verdict.manual.startsWith(ALREADY_ANSWERS);
      if ((byUnit?.found || byUnit?.stopped) && !unitAnswers) return byUnit.verdict;
      // The route answers the agreed status instead: an earlier run wrote the server without its tests.
      const places = this.routes.targetPlaces(routes, analysis.target);
      if (places.length) return { manual: alreadyAnswers(places, analysis.target, via) };
      if (byUnit?.found) return byUnit.verdict;
      return this.verdicts.verdict([], phraseOnly, via);
    }
    // A helper that holds its own test and makes the request its callers spell out (`notAdmin('put', url)`
    // with `it(..., () => request(app)[method](url)...)` inside): each call's request, unless the unit
    // under test already rests on a 403.
    const byUnit = decideByUnit(this.ctx, file, analysis, position, phraseOnly);
    if (byUnit?.found) return byUnit.verdict;
    return (
      decideByCallers(this.ctx, file, position, phraseOnly, analysis.target) ??
      byUnit?.verdict ?? {
        manual: 'whose server could not be found (no request or unit under test in its test)',
      }
    );
  }
}
