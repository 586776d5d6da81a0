import { readFileSync } from 'node:fs';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { describeRoute } from './routes/decide.js';
import type { CodeRoute } from './routes/model.js';
import { extractNestRoutes } from './routes/nestjs.js';
import { extractNextRoutes } from './routes/nextjs.js';
import {
  compareRanks,
  compareSegments,
  formatSegments,
  OPTIONAL_WILDCARD,
  parseCodePath,
} from './routes/paths.js';
import {
  assignmentLinks,
  isFunctionNode,
  Project,
  unwrap,
  type Declaration,
  type ProjectFile,
} from './routes/project.js';
import { BrowserPackages } from './browser-packages.js';
import { nodeAt, Reach } from './routes/reach.js';
import { requestOf, UNREAD_METHOD, type Resolve, type TestRequest } from './routes/requests.js';
import { extractRouterRoutes } from './routes/graph.js';
import { extractClassAndFileRoutes } from './routes/index.js';
import { findOccurrences, type Occurrence } from './census.js';
import { relaysAnError } from './status-relays.js';
import { documentsOnly } from './test-doc-sites.js';
import { isFunctionLike } from './scope.js';
import { setupCalls, variableOf } from './test-setup-calls.js';
import { phraseEdits, statusOnlyForm, withoutEdits } from './test-phrases.js';
import { importedHelperCall, isExpectedValue, statusParameterIndexes } from './frameworks/tests.js';
import { contextHooks } from './test-context.js';
import { codeAround, denyingGuard, replacedFiles } from './test-doubles.js';
import { lineStart, runnerCallName, servedRange, TEST_CALLS, type TextRange } from './test-scopes.js';
import {
  addCalledMembers,
  allMemberAssignedValues,
  assignedValues,
  memberAssignedValues,
  membersOf,
  prototypeAssignedValues,
  specifierCandidates,
  thisTargets,
  type CalledMembers,
} from './test-units.js';
import type { Site, SiteDecision } from './types.js';

/** How far the unit-under-test walk follows references from the test body (declarations visited). */
const MAX_DECLARATIONS = 400;
const MAX_DEPTH = 8;

/**
 * What the server side of the run decided, for the test follower: each non-test site and whether this run
 * rewrote it (rewritten or would-rewrite). Sites that stay 403 (manual, ignored, refused, out of scope) are
 * `false`.
 */
export type ServerOutcomes = ReadonlyMap<Site, boolean>;

/** Where a site is, for a reason a person reads: `src/app.ts:12`. */
export type SiteWhere = (site: Site) => string;

/**
 * A test file's own servers and errors (`app.get('/x', (req, res) => res.status(403))` in a test,
 * `new BadInput('nope', 403)`, a fake upstream in a test helper) are the test's scaffolding, never the product:
 * their sites become not-an-emit (`test-fixture`) before the census, and assertions on them stay as they are.
 * Only the `tests` module's assertion sites remain; they are decided by `TestFollower`.
 */
export function demoteTestFixtures(analysis: FileAnalysis): void {
  if (!analysis.options.testFile) return;
  const sites = analysis.sites;
  const occurrences = findOccurrences(analysis);
  for (let i = sites.length - 1; i >= 0; i--) {
    const site = sites[i];
    if (!site || site.framework === 'tests') continue;
    // The error an assertion expects, built as the server builds it (`rejects.toThrowError(Boom.forbidden(m))`,
    // `toHaveBeenCalledWith(createError(403, m))`, `rejects.toEqual(new AppError(403))`): a mirror of the
    // server's 403, decided as the test's other assertions are (it follows the unit or request it checks); one
    // in a shape that cannot be rewritten stays manual with its reason, never a silent test fixture.
    const token = nodeAt(analysis.sourceFile, site.start);
    if (token && isExpectedValue(token)) {
      site.framework = 'tests';
      continue;
    }
    sites.splice(i, 1);
    // A status the test's server relays from the error the product hands it (pillarjs/serve-index's
    // `res.statusCode = err ? (err.status || 500) : 404` in its `createServer`, an error handler's
    // `res.status(err.status || 500)`, Koa's `ctx.status = err.status`) holds no 403 of its own: it sends what
    // the product throws, so it builds nothing the test's assertions could be checking instead.
    if (
      site.kind === 'manual' &&
      !holds403(occurrences, site) &&
      relaysAnError(analysis.sourceFile, site.span.start, site.span.end)
    )
      continue;
    analysis.notAnEmitRanges.push({ start: site.span.start, end: site.span.end, kind: 'test-fixture' });
  }
}

/** Whether a 403 occurrence (a literal, a `Forbidden` name or phrase) lies inside the site's whole form. */
function holds403(occurrences: readonly Occurrence[], site: Site): boolean {
  return occurrences.some((o) => o.start >= site.span.start && o.end <= site.span.end);
}

/**
 * `--include-tests`: an assertion on a 403 follows the server, never leads it (issue 9 §1). Each `tests`
 * site is linked to the code it checks:
 * - a request in the test (supertest `request(app).get('/x')`, Fastify/hapi `inject`, `fetch` to a started
 *   server, Nest e2e) to the code routes it matches, and from each route to the sites its handlers reach
 *   (the `--spec` route graph: router frameworks, NestJS, Next.js; test files included, so a test's own app
 *   that mounts product middleware counts);
 * - else the unit under test: project functions and classes the test body names (through its local
 *   variables), followed downwards through the references they make.
 *
 * The assertion is rewritten only when at least one linked site exists and every linked site was rewritten
 * by this run; otherwise it becomes `manual` naming the site that still emits 403, or saying that its server
 * could not be found. An assertion in a test that builds its 403 itself (a mocked upstream, a test-built
 * error or server) and links to no rewritten server becomes not-an-emit (`mock` / `test-fixture`).
 */
export class TestFollower {
  private readonly project: Project;
  /** The route graph's answers, built when a test's request is first linked (`graph`). */
  private routeGraph?: {
    routes: CodeRoute[];
    segments: Map<CodeRoute, string[][]>;
    sitesByRoute: Map<CodeRoute, Site[]>;
    /** The NestJS routes with the bootstrap's global prefix and versioning (the app main.ts starts). */
    nestRoutes: ReadonlySet<CodeRoute>;
    /** The same routes as a testing module's own app serves them (no global prefix, no versioning). */
    bareNestRoutes: CodeRoute[];
    /**
     * Whether the Nest apps the project's tests build (in a spec or a test helper) are all built without the
     * bootstrap's prefix: then a test file that builds none itself (`async function check(app) {...}` handed
     * the app by its caller) reaches the bare paths too.
     */
    testAppsBare: boolean;
  };
  private readonly sitesByFile = new Map<string, Site[]>();
  private readonly testFiles: ReadonlySet<string>;
  /** Assertions left manual only because the 403 they check is one `--spec` leaves alone on purpose. */
  private readonly onLeftAlone = new WeakSet<Site>();
  /** Per test file: the project files it replaces with module mocks (their sites never run in its tests). */
  private readonly replaced = new Map<ProjectFile, Set<string>>();
  /** Per test file: the project files it imports (a test file's server serves only its importers). */
  private readonly imported = new Map<ProjectFile, Set<string>>();
  /** Per route a test file registers: the stretch of the file whose requests it serves (null: all of it). */
  private readonly served = new Map<CodeRoute, TextRange | null>();

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
    cwd: string,
    files: readonly { absolute: string; relative: string; test: boolean }[],
    private readonly outcomes: ServerOutcomes,
    private readonly textOf: (relative: string) => string | undefined,
    private readonly where: SiteWhere,
    private readonly marksOf: (relative: string) => readonly NotAnEmitRange[] = () => [],
    parsed?: (absolute: string) => ts.SourceFile | undefined,
    private readonly leftAlone: (site: Site) => boolean = () => false,
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
    this.testFiles = new Set(files.filter((f) => f.test).map((f) => f.relative));
    for (const site of outcomes.keys()) {
      const list = this.sitesByFile.get(site.file) ?? [];
      list.push(site);
      this.sitesByFile.set(site.file, list);
    }
  }

  /**
   * The code routes of the project (router frameworks, NestJS, Next.js, tsoa, routing-controllers, Egg.js) and the server sites each reaches,
   * built on first use: only an assertion on a request needs them.
   */
  private get graph(): NonNullable<TestFollower['routeGraph']> {
    if (this.routeGraph) return this.routeGraph;
    const nest = extractNestRoutes(this.project);
    const routes = [
      // Path-scoped middleware too: `app.use('/files/:name', serveFile)` answers requests no route matches.
      ...extractRouterRoutes(this.project, new Map(), { scopedMiddleware: true }),
      ...nest,
      ...extractNextRoutes(this.project),
      ...extractClassAndFileRoutes(this.project),
    ];
    // An e2e test that builds its Nest app from a testing module runs none of the bootstrap's calls: its app
    // answers the controllers' paths without the global prefix (or versions) that main.ts sets.
    const testAppsBare = nest.length > 0 && this.bareTestApps();
    const bareNestRoutes =
      nest.length &&
      (testAppsBare || this.project.files.some((f) => this.testFiles.has(f.relative) && buildsNestApp(f)))
        ? extractNestRoutes(this.project, new Map(), { appSettings: false })
        : [];
    const all = [...routes, ...bareNestRoutes];
    // Middleware under a path runs for that path and every path below it.
    const segments = new Map(
      all.map((r) => [
        r,
        parseCodePath(r.path, r.syntax).map((s) => (r.prefix ? [...s, OPTIONAL_WILDCARD] : s)),
      ]),
    );
    const sitesByRoute = new Map<CodeRoute, Site[]>();
    const reach = new Reach(this.project, all);
    for (const site of this.outcomes.keys())
      for (const route of reach.routesAt(site.file, site.start)) {
        const reached = sitesByRoute.get(route) ?? [];
        reached.push(site);
        sitesByRoute.set(route, reached);
      }
    return (this.routeGraph = {
      routes,
      segments,
      sitesByRoute,
      nestRoutes: new Set(nest),
      bareNestRoutes,
      testAppsBare,
    });
  }

  /**
   * Decides every assertion site of one analysed test file (before its census): keeps it as a rewrite, turns
   * it into a manual site with a reason, or drops it as not-an-emit.
   */
  settle(analysis: FileAnalysis): void {
    const file = this.project.byRelative(analysis.file);
    if (file) this.addImportedHelperCalls(file, analysis);
    for (const site of [...analysis.sites]) {
      if (site.framework !== 'tests' || site.kind !== 'rewrite') continue;
      const verdict: Verdict = file
        ? this.decide(file, analysis, site)
        : { manual: 'whose test file could not be read again' };
      if ('keep' in verdict) continue;
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
      site.kind = 'manual';
      site.edits = [];
      site.imports = [];
      site.replacement = null;
      site.reason = `Asserts a 403 ${verdict.manual}: change it together with its server, or keep it on purpose with // mtls-fix-ignore: <why>.`;
    }
  }

  /**
   * A 403 passed to an assertion helper another test file exports (`expectStatus(res, 403)`, the helper
   * comparing its parameter with the reply's status) becomes a `tests` site of this file, decided like the
   * others: the analysis of one file cannot see the helper, the follower's project can.
   */
  private addImportedHelperCalls(file: ProjectFile, analysis: FileAnalysis): void {
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        analysis.importOf(node.expression.text) &&
        node.arguments.some((a) => /\b403\b|FORBIDDEN/.test(a.getText(file.sourceFile)))
      )
        calls.push(node);
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
    for (const call of calls) {
      const callee = call.expression as ts.Identifier;
      const start = call.getStart(file.sourceFile);
      if (analysis.sites.some((s) => s.start >= start && s.end <= call.getEnd())) continue;
      for (const declaration of this.project.lookup(file, callee, callee.text)) {
        if (declaration.file === file || !this.testFiles.has(declaration.file.relative)) continue;
        const fn = helperFunction(declaration.node);
        const indexes = fn ? statusParameterIndexes(fn) : [];
        if (!indexes.length) continue;
        importedHelperCall(analysis, call, indexes);
        break;
      }
    }
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
    const phrase = phraseEdits(analysis.text, site.edits);
    const phraseOnly = phrase.length === site.edits.length;
    const verdict = this.decideSite(file, analysis, site, phraseOnly);
    // A status assertion with the body text beside it (`expect(res.text).toBe('Forbidden')` on the next line):
    // the status follows its server; the text follows only a server whose own text changes, else the test
    // would expect 'Unauthorized' from a server that still sends 'Forbidden' (hono's ip-restriction).
    if (
      'keep' in verdict &&
      !phraseOnly &&
      phrase.length &&
      !('keep' in this.decideSite(file, analysis, site, true))
    )
      withoutEdits(site, phrase, analysis);
    return verdict;
  }

  private decideSite(file: ProjectFile, analysis: FileAnalysis, site: Site, phraseOnly: boolean): Verdict {
    const uses = mirrorUses(file.sourceFile, site.start);
    if (!uses) return this.decideAt(file, analysis, site.start, phraseOnly);
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

  private decideAt(
    file: ProjectFile,
    analysis: FileAnalysis,
    position: number,
    phraseOnly: boolean,
  ): Verdict {
    const skip = (call: ts.CallExpression): boolean => isMockCall(analysis, call);
    const resolve = (expression: ts.Expression): string | undefined =>
      this.project.stringOf(file, expression);
    // Its own chain's request; else the request whose reply the assertion reads (`expect(relayed.status)` with
    // `const relayed = await request(app).get('/relay')`); else the last request before it in the test. An
    // assertion helper's call checks only a request among its arguments.
    // (or a reply held in a variable it is handed: `expectStatus(res, 403)`).
    const request =
      requestOf(file.sourceFile, position, skip, true, resolve) ??
      this.heldRequest(file, position, skip, resolve) ??
      (isHelperCall(file.sourceFile, position)
        ? undefined
        : requestOf(file.sourceFile, position, skip, false, resolve));
    if (request) {
      const routes = this.bestRoutes(request, file, position);
      const name = requestName(request);
      if (!routes.length) {
        // No route answers it: the server is one the route graph does not read (`http.createServer(handler)`
        // built by the test, app-level middleware); the unit under test finds the code that answers.
        const byUnit = this.decideByUnit(file, analysis, position, phraseOnly);
        return byUnit?.found
          ? byUnit.verdict
          : { manual: `on ${name} whose server could not be found (no route of the code matches it)` };
      }
      const unread = unreadMethod(request, routes);
      if (unread) return { manual: unread };
      const replaced = this.replacedBy(file);
      const linked = unique(routes.flatMap((r) => this.graph.sitesByRoute.get(r) ?? [])).filter(
        (s) => !replaced.has(s.file),
      );
      const via = routesVia(routes);
      if (linked.length) {
        const verdict = this.verdict(linked, phraseOnly, via);
        const node = nodeAt(file.sourceFile, position);
        const body = node ? testBody(node) : undefined;
        // A mock of another service (nock) never answers this request; a stand-in for product code may.
        const own =
          'keep' in verdict && body ? this.builtAround(file, analysis, body, ['test-fixture']) : undefined;
        return own ? this.ownAndRewritten(own, linked) : verdict;
      }
      // The route reaches no 403 site: the 403 comes from what the test wires around it (a plugin it registers
      // whose hook runs for every route, hapi crumb's `onPostAuth`), which the unit under test finds.
      const byUnit = this.decideByUnit(file, analysis, position, phraseOnly);
      return byUnit?.found ? byUnit.verdict : this.verdict([], phraseOnly, via);
    }
    return (
      this.decideByUnit(file, analysis, position, phraseOnly)?.verdict ??
      this.decideByCallers(file, position, phraseOnly) ?? {
        manual: 'whose server could not be found (no request or unit under test in its test)',
      }
    );
  }

  /**
   * An assertion inside a test helper (`export const expectForbidden = (res) => expect(res.status).toBe(403)`,
   * in the test file or another one): it checks the reply each caller hands it, so it follows only when every
   * call's request reaches rewritten sites alone; a call with no request it can read, or whose test builds a
   * 403 of its own, keeps it manual. Undefined when `position` is not in such a helper.
   */
  private decideByCallers(file: ProjectFile, position: number, phraseOnly: boolean): Verdict | undefined {
    const node = nodeAt(file.sourceFile, position);
    const helper = node ? enclosingHelper(node) : undefined;
    if (!helper) return undefined;
    const calls = this.callsOf(file, helper.declaration, helper.name);
    const at = `the assertion helper ${helper.name} (${file.relative}:${lineOf(file.sourceFile, helper.declaration)})`;
    if (!calls.length) return { manual: `in ${at}, which no test calls` };
    let kept = 0;
    for (const call of calls) {
      const where = `${call.file.relative}:${lineOf(call.file.sourceFile, call.node)}`;
      const start = call.node.getStart(call.file.sourceFile);
      const skip = (c: ts.CallExpression): boolean => isMockCallIn(this.project, call.file, c);
      const resolve = (expression: ts.Expression): string | undefined =>
        this.project.stringOf(call.file, expression);
      const request =
        requestOf(call.file.sourceFile, start, skip, true, resolve) ??
        this.heldRequest(call.file, start, skip, resolve) ??
        requestOf(call.file.sourceFile, start, skip, false, resolve);
      if (!request) return { manual: `in ${at}, whose call at ${where} makes no request mtls-fix can read` };
      const routes = this.bestRoutes(request, call.file, start);
      const name = requestName(request);
      if (!routes.length)
        return {
          manual: `in ${at}, called at ${where} on ${name} whose server could not be found (no route of the code matches it)`,
        };
      const unread = unreadMethod(request, routes);
      if (unread) return { manual: `in ${at}, called at ${where}, ${unread}` };
      const replaced = this.replacedBy(call.file);
      const linked = unique(routes.flatMap((r) => this.graph.sitesByRoute.get(r) ?? [])).filter(
        (s) => !replaced.has(s.file),
      );
      const verdict = this.verdict(linked, phraseOnly, routesVia(routes));
      if ('manual' in verdict) return { manual: `in ${at}, called at ${where}, ${verdict.manual}` };
      const body = testBody(call.node);
      const nodes = body ? [body, ...codeAround(this.project, call.file, body)] : [];
      const marks = this.marksOf(call.file.relative);
      const own = nodes.some(
        (n) =>
          builtWithin(marks, n.getStart(call.file.sourceFile), n.getEnd()) !== undefined ||
          denyingGuard(n) !== undefined,
      );
      if (own)
        return {
          manual: `in ${at}, called at ${where} by a test that may build a 403 itself while its request reaches sites this run rewrote; check which of the two it asserts`,
        };
      kept++;
    }
    return kept === calls.length ? { keep: true } : undefined;
  }

  /** Whether a file's text holds `name` (the engine's text when it analysed the file, else read from disk). */
  private mentions(file: ProjectFile, name: string): boolean {
    let text = this.textOf(file.relative);
    if (text === undefined)
      try {
        text = readFileSync(file.absolute, 'utf8');
      } catch {
        return false;
      }
    return text.includes(name);
  }

  /** The calls of a helper declared at `declaration`, in every test file that can name it. */
  private callsOf(
    file: ProjectFile,
    declaration: ts.Node,
    name: string,
  ): { file: ProjectFile; node: ts.CallExpression }[] {
    const out: { file: ProjectFile; node: ts.CallExpression }[] = [];
    for (const candidate of this.project.files) {
      // The text first: a test file that never names the helper is not parsed for it.
      if (!this.testFiles.has(candidate.relative) || !this.mentions(candidate, name)) continue;
      if (candidate !== file && !this.importsOf(candidate).has(file.relative)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
          const found = this.project.lookup(candidate, node.expression, name);
          if (found.some((d) => d.file === file && d.node === declaration))
            out.push({ file: candidate, node });
        }
        node.forEachChild(visit);
      };
      visit(candidate.sourceFile);
    }
    return out;
  }

  /**
   * The verdict from the unit under test (the project code the test body names); `found` when it rests on a
   * 403 (a linked site, or one the test builds itself). Undefined when the test names no unit and builds no 403.
   */
  private decideByUnit(
    file: ProjectFile,
    analysis: FileAnalysis,
    position: number,
    phraseOnly: boolean,
  ): { verdict: Verdict; found: boolean } | undefined {
    const node = nodeAt(file.sourceFile, position);
    const body = node ? testBody(node) : undefined;
    if (!body) return undefined;
    const { units, truncated } = this.unitsOf(file, body);
    if (truncated)
      return {
        verdict: {
          manual: 'whose unit under test reaches more code than mtls-fix follows; check its server',
        },
        found: false,
      };
    const replaced = this.replacedBy(file);
    const linked = unique(units.flatMap((d) => this.sitesWithin(d))).filter((s) => !replaced.has(s.file));
    // A 403 the test builds itself: in its body, its hooks and mocks, or in a test helper it calls (a fake
    // upstream server). A stand-in for product code (a mocked service or middleware, a test's own server or
    // error: `test-fixture`) may be what the assertion checks, whatever else it reaches.
    const inHelpers = (kinds: readonly string[]): BuiltHere | undefined =>
      units
        .filter((d) => d.file !== file && this.testFiles.has(d.file.relative))
        .map((d) => {
          const range = builtWithin(
            this.marksOf(d.file.relative),
            d.node.getStart(d.file.sourceFile),
            d.node.getEnd(),
            kinds,
          );
          return range && { range, file: d.file };
        })
        .find(Boolean);
    const standIn = this.builtAround(file, analysis, body, ['test-fixture']) ?? inHelpers(['test-fixture']);
    const builtHere = standIn ?? this.builtAround(file, analysis, body) ?? inHelpers(BUILT_KINDS);
    if (builtHere) {
      // The assertion checks the test's own 403 only when nothing it reaches was rewritten: one rewritten site
      // among manual ones (an exception filter's `status(403)` beside a helper named for 403, fhir-server) is a
      // 403 that becomes 401, and the test would lag its server. A rewritten site that only documents a 403
      // (a decorator, a JSDoc block) sends nothing: it never outweighs the test's own 403.
      const rewritten = linked.filter((s) => this.outcomes.get(s) && !this.documentsOnly(s));
      if (!rewritten.length)
        return {
          verdict: { notAnEmit: builtHere.range.kind === 'test-fixture' ? 'test-fixture' : 'mock' },
          found: true,
        };
      // Its own stand-in and a rewritten site both reach the assertion: which one it checks is for a person.
      // (A mocked upstream's 403 beside rewritten sites: the sites decide.)
      if (standIn) return { verdict: this.ownAndRewritten(standIn, rewritten), found: true };
    }
    if (!units.length) return undefined;
    return {
      verdict: this.verdict(linked, phraseOnly, `unit ${unitNames(units)}`),
      found: linked.length > 0,
    };
  }

  /**
   * The request whose reply an assertion reads through a variable of the test file: `relayed` in
   * `expect(relayed.status).toBe(403)` or `status` in `expect(status)` when the variable's initializer makes a
   * request (`const { status } = await request(app).get('/x')`, `let req = agent.post(url)`). Undefined when the
   * assertion reads no such variable, or replies of more than one request.
   */
  private heldRequest(
    file: ProjectFile,
    position: number,
    skip: (call: ts.CallExpression) => boolean,
    resolve: Resolve,
  ): TestRequest | undefined {
    const node = nodeAt(file.sourceFile, position);
    if (!node) return undefined;
    let top: ts.Node = node;
    while (
      top.parent &&
      (ts.isCallExpression(top.parent) ||
        ts.isPropertyAccessExpression(top.parent) ||
        ts.isElementAccessExpression(top.parent) ||
        ts.isParenthesizedExpression(top.parent) ||
        ts.isAwaitExpression(top.parent))
    )
      top = top.parent;
    const found = new Map<ts.Node, TestRequest>();
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child) && !isNameOnly(child)) {
        for (const d of this.project.lookup(file, child, child.text)) {
          if (d.file !== file) continue;
          let declaration: ts.Node = d.node;
          while (
            ts.isBindingElement(declaration) ||
            ts.isObjectBindingPattern(declaration) ||
            ts.isArrayBindingPattern(declaration)
          )
            declaration = declaration.parent;
          if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || found.has(declaration))
            continue;
          const held = requestOf(
            file.sourceFile,
            declaration.initializer.getStart(file.sourceFile),
            skip,
            true,
            resolve,
          );
          if (held) found.set(declaration, held);
        }
      }
      child.forEachChild(visit);
    };
    visit(top);
    return found.size === 1 ? [...found.values()][0] : undefined;
  }

  /** The project files a test file imports or requires (relative paths), resolved once. */
  private importsOf(file: ProjectFile): Set<string> {
    let found = this.imported.get(file);
    if (found) return found;
    found = new Set<string>();
    const add = (specifier: ts.Expression | undefined): void => {
      if (!specifier || !ts.isStringLiteralLike(specifier)) return;
      const resolved = this.project.resolveModule(file, specifier.text);
      if (resolved) found?.add(resolved.relative);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
      else if (
        ts.isCallExpression(node) &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
      )
        add(node.arguments[0]);
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
    this.imported.set(file, found);
    return found;
  }

  /** The test files' module mocks of one test file, resolved once. */
  private replacedBy(file: ProjectFile): Set<string> {
    let found = this.replaced.get(file);
    if (!found) {
      found = replacedFiles(this.project, file);
      this.replaced.set(file, found);
    }
    return found;
  }

  /**
   * A 403 the test builds itself and that runs for the test whose body is `body`: in the body, in the hooks
   * around it, in the file's module mocks, or in the file's helpers those name (a mocked service throwing
   * `ForbiddenException`, a mocked middleware answering 403, a nock reply).
   */
  private builtAround(
    file: ProjectFile,
    analysis: FileAnalysis,
    body: ts.Node,
    kinds: readonly string[] = BUILT_KINDS,
  ): BuiltHere | undefined {
    const nodes = [body, ...codeAround(this.project, file, body)];
    for (const node of nodes) {
      const range =
        builtWithin(analysis.notAnEmitRanges, node.getStart(file.sourceFile), node.getEnd(), kinds) ??
        (kinds.includes('mock') ? mockedIn(analysis, node) : undefined);
      if (range) return { range, file };
    }
    // A stand-in guard that returns false: NestJS answers 403 for it, with no 403 written in the test.
    if (kinds.includes('test-fixture'))
      for (const node of nodes) {
        const guard = denyingGuard(node);
        if (guard) return { range: { ...guard, kind: 'test-fixture' }, file };
      }
    return undefined;
  }

  /** The assertion may check the test's own 403 or the rewritten server's: manual, naming both. */
  private ownAndRewritten(own: BuiltHere, linked: readonly Site[]): { manual: string } {
    const where = `${own.file.relative}:${ts.getLineAndCharacterOfPosition(own.file.sourceFile, own.range.start).line + 1}`;
    const text = own.file.sourceFile.text
      .slice(own.range.start, own.range.end)
      .replace(/\s+/g, ' ')
      .slice(0, 60);
    const first = linked[0];
    return {
      manual: `that the test may build itself (${text}, ${where}) while it also reaches ${first.form} (${this.where(first)}), which this run rewrote; check which of the two it asserts`,
    };
  }

  private verdict(
    reached: Site[],
    phraseOnly: boolean,
    via: string,
  ): { keep: true } | { manual: string; leftAlone?: true } {
    if (!reached.length)
      return { manual: `whose server could not be found (no 403 site is reached from ${via})` };
    // A 403 that is only documented (`@ApiForbiddenResponse`, `responses: { 403 }`) sends nothing: the 403 the
    // test receives comes from code mtls-fix did not link, so a documented site never carries the test alone.
    const linked = reached.filter((s) => !this.documentsOnly(s));
    if (!linked.length)
      return {
        manual: `whose server could not be found (from ${via} only documentation of a 403 is reached, such as ${reached[0]?.form} (${reached[0] ? this.where(reached[0]) : ''}), no code that sends it)`,
      };
    // A text left beside a rewritten status (`{ code: 'forbidden' }` in the call that now sends 401) sends no
    // status: it keeps a status assertion from following only when the assertion reads that text.
    const rewritten = linked.filter((s) => this.outcomes.get(s));
    const still = linked.filter(
      // A text left beside a rewritten status (a manual site the census makes) sends no 403: for an assertion on
      // the body it means the server keeps its text (below), not that it still answers 403.
      (s) => !this.outcomes.get(s) && !rewritten.some((r) => textBeside(s, r)),
    );
    if (still.length) {
      // Name a site whose form is known before one in a shape nobody knows (a documentation decorator).
      const first = still.find((s) => s.framework !== 'unknown') ?? still[0];
      const more = still.length > 1 ? ` and ${still.length - 1} more` : '';
      // A 403 in a shape nobody knows has no form worth naming (its form is the bare token): name its place.
      const named = /[A-Za-z]/.test(first.form);
      const name =
        first.framework !== 'unknown' && named
          ? `${first.form} (${this.where(first)})`
          : named
            ? `${first.form} (${this.where(first)}, its status could not be proven)`
            : `${this.where(first)} (its status could not be proven)`;
      // Sites this run rewrote reach it too: the test may fail after the run although a 403 is still sent.
      const also = rewritten.length
        ? `, and by ${rewritten[0].form} (${this.where(rewritten[0])})${rewritten.length > 1 ? ` and ${rewritten.length - 1} more` : ''} that this run rewrote`
        : '';
      const manual = `that is still emitted by ${name}${more}${also}`;
      return rewritten.length || !still.every(this.leftAlone) ? { manual } : { manual, leftAlone: true };
    }
    // A body text ('Forbidden') follows only a server whose own edits changed such a text.
    const texts = linked.filter((s) => rewritten.some((r) => textBeside(s, r)));
    if (phraseOnly && (texts.length || !linked.some((s) => this.changesPhrase(s) || this.bodyFromStatus(s))))
      return { manual: `body text whose server (${via}) keeps its text` };
    return { keep: true };
  }

  /** A status-only form (`ctx.status = 403`, `res.sendStatus(403)`): the framework writes the body from the status. */
  private bodyFromStatus(site: Site): boolean {
    const text = this.textOf(site.file);
    return text !== undefined && statusOnlyForm(text.slice(site.span.start, site.span.end));
  }

  private changesPhrase(site: Site): boolean {
    const text = this.textOf(site.file);
    return text !== undefined && site.edits.some((e) => /forbidden/i.test(text.slice(e.start, e.end)));
  }

  /** The code routes a request matches best (method exact, `ALL` and GET-for-HEAD allowed). */
  private bestRoutes(request: TestRequest, from: ProjectFile, position: number): CodeRoute[] {
    let best: { routes: CodeRoute[]; rank: number[] } | undefined;
    const graph = this.graph;
    const candidates =
      graph.bareNestRoutes.length && this.reachesBareApp(from)
        ? [...graph.routes.filter((r) => !graph.nestRoutes.has(r)), ...graph.bareNestRoutes]
        : graph.routes;
    for (const route of candidates) {
      if (route.unresolved) continue;
      // A route one test (or suite) of this file registers serves only that test's (suite's) requests.
      if (route.file === from.relative && this.testFiles.has(route.file)) {
        const served = this.servedBy(from, route);
        if (served && (position < served.start || position >= served.end)) continue;
      }
      // A test file's own server (a fake backend, a stub app) serves that file's requests and those of the
      // files importing it, never another test file's requests to the product.
      if (
        route.file !== from.relative &&
        this.testFiles.has(route.file) &&
        !this.importsOf(from).has(route.file)
      )
        continue;
      if (route.method !== request.method && route.method !== 'ALL' && request.method !== UNREAD_METHOD)
        continue;
      for (const segments of graph.segments.get(route) ?? []) {
        const rank = compareSegments(segments, request.segments);
        if (!rank) continue;
        const order = best ? compareRanks(rank, best.rank) : -1;
        if (order < 0) best = { routes: [route], rank };
        else if (order === 0 && best && !best.routes.includes(route)) best.routes.push(route);
      }
    }
    return best?.routes ?? [];
  }

  /**
   * Whether every Nest app the tests build (`createNestApplication` in a test file or test helper) lacks a
   * global prefix and versioning: neither set in the builder itself nor in a project file it imports (a
   * shared `setupApp(app)` that main.ts calls too). False when no test builds one.
   */
  private bareTestApps(): boolean {
    const builders = this.project.files.filter(
      (f) => this.testFiles.has(f.relative) && f.sourceFile.text.includes('createNestApplication'),
    );
    if (!builders.length) return false;
    return builders.every(
      (f) =>
        buildsNestApp(f) &&
        [...this.importsOf(f)].every((relative) => {
          const text = this.project.byRelative(relative)?.sourceFile.text ?? '';
          return !text.includes('setGlobalPrefix') && !text.includes('enableVersioning');
        }),
    );
  }

  /** Whether a test file's requests go to a Nest app built from a testing module without the bootstrap's prefix. */
  private reachesBareApp(file: ProjectFile): boolean {
    const text = file.sourceFile.text;
    if (text.includes('createNestApplication')) return buildsNestApp(file);
    return this.graph.testAppsBare && !text.includes('setGlobalPrefix') && !text.includes('enableVersioning');
  }

  /** Where in its own test file a route the file registers serves requests (undefined: the whole file). */
  private servedBy(file: ProjectFile, route: CodeRoute): TextRange | undefined {
    let served = this.served.get(route);
    if (served === undefined) {
      served = servedRange(file.sourceFile, lineStart(file.sourceFile, route.line)) ?? null;
      this.served.set(route, served);
    }
    return served ?? undefined;
  }

  /**
   * The declarations in other places that the test body names (calls, `new`, values passed), through the
   * body's variables declared elsewhere in the file (`let guard; beforeEach(() => { guard = new Guard() })`).
   */
  private unitsOf(file: ProjectFile, body: ts.Node): { units: Declaration[]; truncated: boolean } {
    const out: Declaration[] = [];
    const seen = new Set<string>();
    // The members the test's own code uses on class instances: a class it names is a unit through them only.
    const called: CalledMembers = new Map();
    let truncated = false;
    // A module the test file replaces (`vi.mock('../portal-backend/get-entity.js', () => ...)`) runs none of its
    // code in these tests: the walk does not go through it to what it calls (an upstream fetcher's 403).
    const replaced = this.replacedBy(file);
    const queue: { file: ProjectFile; node: ts.Node; depth: number }[] = [{ file, node: body, depth: 0 }];
    // What its hooks put on the runner's context for it (`t.context.request = getApp()`, `this.app = build()`).
    for (const hook of contextHooks(body)) queue.push({ file, node: hook, depth: 1 });
    const enqueue = (declaration: Declaration, depth: number): void => {
      const key = `${declaration.file.relative}#${declaration.node.pos}`;
      if (seen.has(key) || replaced.has(declaration.file.relative)) return;
      seen.add(key);
      out.push(declaration);
      if (depth < MAX_DEPTH) queue.push({ file: declaration.file, node: declaration.node, depth: depth + 1 });
    };
    while (queue.length && seen.size < MAX_DECLARATIONS) {
      const { file: at, node, depth } = queue.shift() as { file: ProjectFile; node: ts.Node; depth: number };
      addCalledMembers(this.project, at, node, called);
      // A member of a class: its `this.m()` / `this.dependency.m()` calls lead to the next members.
      if (isClassMember(node)) {
        const targets = thisTargets(this.project, at, node);
        if (targets.unknown) truncated = true;
        for (const member of targets.members) enqueue(member, depth);
      }
      for (const declaration of this.referencesIn(at, node)) {
        const key = `${declaration.file.relative}#${declaration.node.pos}`;
        if (seen.has(key) || replaced.has(declaration.file.relative)) continue;
        const inside =
          declaration.file === file && declaration.node.pos >= body.pos && declaration.node.end <= body.end;
        if (inside) {
          seen.add(key);
          continue;
        }
        // A class runs only the members the walked code uses (`service.remove(id)`, `new C()`: its
        // constructor); one only named (a type, a testing-module token, a spy target) runs none of its code.
        // Members are keyed one by one, so a class met again with more members used adds those.
        if (declaration.file !== file && ts.isClassDeclaration(declaration.node)) {
          const names = called.get(declaration.node);
          if (!names) continue;
          const members = membersOf(this.project, declaration.node, names);
          if (members) {
            for (const member of members) enqueue(member, depth);
            continue;
          }
        }
        seen.add(key);
        if (declaration.file !== file) out.push(declaration);
        if (depth < MAX_DEPTH)
          queue.push({ file: declaration.file, node: declaration.node, depth: depth + 1 });
        // A variable of the test file: what is assigned to it elsewhere in the file counts too.
        // A name a destructuring binds (`const { port } = fastify.server.address()`): what it is read from,
        // unless that is a module (`const { relay } = require('../lib/guard')` holds that export alone).
        const variable = declaration.file === file ? variableOf(declaration.node) : undefined;
        if (variable?.initializer && variable !== declaration.node && !loadsModule(variable.initializer))
          queue.push({ file, node: variable.initializer, depth: depth + 1 });
        if (declaration.file === file && ts.isVariableDeclaration(declaration.node)) {
          for (const assignment of assignedValues(file.sourceFile, declaration.node))
            queue.push({ file, node: assignment, depth: depth + 1 });
          // And what the file sets up on it outside the test (`app.use('*', csrf())` in its describe block,
          // `fastify.register(plugin)` in the outer test of node:test subtests).
          for (const call of setupCalls(file.sourceFile, declaration.node, body))
            queue.push({ file, node: call, depth: depth + 1 });
        }
      }
    }
    return { units: out, truncated: truncated || queue.length > 0 };
  }

  /** Declarations named inside `node` (identifiers, and `ns.member` of namespace imports). */
  private referencesIn(file: ProjectFile, node: ts.Node): Declaration[] {
    const out: Declaration[] = [];
    // A module assigned to a variable of the test file (`handler = require('../src/connect')` in a
    // `beforeEach` after `jest.resetModules()`): whatever it exports may run.
    const required = requiredModule(node);
    const module = required === undefined ? undefined : this.project.resolveModule(file, required.module);
    if (module && module !== file) {
      // One member read off it (`(await import('../src/x.js')).check`): that export; else (or when the member
      // is no export of its own, `require('./cjs').default`) whatever the module exports may run.
      const member = required?.member ? this.project.exportOf(module, required.member) : [];
      if (member.length) out.push(...member);
      else
        for (const name of exportedNames(module.sourceFile)) out.push(...this.project.exportOf(module, name));
    }
    const visit = (child: ts.Node): void => {
      // `require(libpath + '/index')` with `const libpath = process.env.COV ? '../lib-cov' : '../lib'`: the
      // modules its spelled-out specifiers name (those that exist), whatever they export.
      if (ts.isCallExpression(child))
        for (const target of this.computedRequire(file, child))
          for (const name of exportedNames(target.sourceFile))
            out.push(...this.project.exportOf(target, name));
      // `internals.onPreHandler` of a module-level namespace object (`const internals = {}`): the values the
      // file assigns to that member.
      if (ts.isPropertyAccessExpression(child) && ts.isIdentifier(child.expression))
        for (const d of this.project.lookup(file, child.expression, child.expression.text)) {
          if (!isMemberHolder(d.node)) continue;
          for (const value of memberAssignedValues(d.file.sourceFile, child.expression.text, child.name.text))
            out.push({ file: d.file, node: value });
        }
      // `lusca[key](config)` over `Object.keys(lusca)`: a computed member of an object the project fills
      // member by member (`lusca.csrf = require('./lib/csrf')`) may be any of those members.
      if (
        ts.isElementAccessExpression(child) &&
        ts.isIdentifier(child.expression) &&
        !ts.isStringLiteralLike(child.argumentExpression) &&
        !ts.isNumericLiteral(child.argumentExpression)
      )
        for (const d of this.project.lookup(file, child.expression, child.expression.text))
          if (isMemberHolder(d.node))
            for (const value of allMemberAssignedValues(d.file.sourceFile, child.expression.text))
              out.push({ file: d.file, node: value });
      if (ts.isIdentifier(child) && !isNameOnly(child)) {
        for (const d of this.project.lookup(file, child, child.text)) {
          if (ts.isParameter(d.node)) continue;
          // `new SendStream(req, path)` of an ES5 constructor (also one held in a variable, fastify-guard's
          // `const Guard = function (options) {...}`): the methods its prototype is given.
          if (
            isFunctionDeclarationOrValue(d.node) &&
            ts.isNewExpression(child.parent) &&
            child.parent.expression === child
          )
            for (const value of prototypeAssignedValues(d.file.sourceFile, child.text))
              out.push({ file: d.file, node: value });
          // `const { guard } = require(`${root}/lib/guard`)`: the export it names.
          const bound = ts.isBindingElement(d.node) ? boundRequire(d.node) : undefined;
          if (bound)
            for (const target of this.computedRequire(d.file, bound.call))
              out.push(...this.project.exportOf(target, bound.name));
          if (ts.isSourceFile(d.node)) {
            const parent: ts.Node = child.parent;
            if (ts.isPropertyAccessExpression(parent) && parent.expression === child)
              out.push(...this.project.exportOf(d.file, parent.name.text));
            // The module itself handed to code (`server.register({ plugin: Crumb })` with
            // `const Crumb = require('..')`): whatever it exports may run.
            else
              for (const name of exportedNames(d.file.sourceFile))
                out.push(...this.project.exportOf(d.file, name));
            continue;
          }
          out.push(d);
        }
      }
      child.forEachChild(visit);
    };
    visit(node);
    return out;
  }

  /**
   * The project modules a `require()` with a computed specifier may load (`require(libpath + '/index')`,
   * ``require(`${root}/lib/guard`)``), read from the parts the file spells out; none for any other call.
   */
  private computedRequire(file: ProjectFile, call: ts.CallExpression): ProjectFile[] {
    if (
      !ts.isIdentifier(call.expression) ||
      call.expression.text !== 'require' ||
      call.arguments.length !== 1 ||
      requiredModule(call) !== undefined
    )
      return [];
    const out: ProjectFile[] = [];
    for (const specifier of specifierCandidates(this.project, file, call.arguments[0])) {
      const target = this.project.resolveModule(file, specifier);
      if (target && target !== file && !out.includes(target)) out.push(target);
    }
    return out;
  }

  /** Non-test sites lying inside a declaration (and the declarations it references, walked by `unitsOf`). */
  /** Whether a server site only documents its 403 (test-doc-sites.ts). */
  private documentsOnly(site: Site): boolean {
    const file = this.project.byRelative(site.file);
    return file ? documentsOnly(file.sourceFile, site.start) : false;
  }

  private sitesWithin(declaration: Declaration): Site[] {
    const start = declaration.node.getStart(declaration.file.sourceFile);
    const end = declaration.node.getEnd();
    return (this.sitesByFile.get(declaration.file.relative) ?? []).filter(
      (s) => s.start >= start && s.start < end,
    );
  }
}

/** For `{ name }` (or `{ name: alias }`) destructured from a `require(...)` call: that call and the name. */
function boundRequire(element: ts.BindingElement): { call: ts.CallExpression; name: string } | undefined {
  const declaration = element.parent.parent;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const call = unwrap(declaration.initializer);
  const name = element.propertyName ?? element.name;
  return ts.isCallExpression(call) && ts.isIdentifier(name) ? { call, name: name.text } : undefined;
}

/**
 * The specifier of `require('x')` or `import('x')` (also awaited), and the one member read off it
 * (`(await import('x')).check`, `require('x').check`): undefined for anything else.
 */
function requiredModule(node: ts.Node): { module: string; member?: string } | undefined {
  let call = node;
  while (ts.isAwaitExpression(call) || ts.isParenthesizedExpression(call)) call = call.expression;
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(call) && ts.isIdentifier(call.name)) {
    member = call.name.text;
    call = call.expression;
    while (ts.isAwaitExpression(call) || ts.isParenthesizedExpression(call)) call = call.expression;
  }
  if (!ts.isCallExpression(call) || call.arguments.length !== 1) return undefined;
  const callee = call.expression;
  const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
  if (!isRequire && callee.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  const specifier = call.arguments[0];
  return ts.isStringLiteral(specifier) || ts.isNoSubstitutionTemplateLiteral(specifier)
    ? { module: specifier.text, member }
    : undefined;
}

/** Whether an expression loads a module (`require(x)`, `await import(x)`, `require(x).member`), whatever `x` is. */
function loadsModule(node: ts.Node): boolean {
  let call = node;
  while (
    ts.isAwaitExpression(call) ||
    ts.isParenthesizedExpression(call) ||
    ts.isPropertyAccessExpression(call)
  )
    call = call.expression;
  if (!ts.isCallExpression(call)) return false;
  const callee = call.expression;
  return (
    (ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword
  );
}

/**
 * The names a module exports at its top level: ES exports (`default` for a default export) and CommonJS
 * `exports.x = ...` / `module.exports.x = ...` (`module.exports = ...` is `default`).
 */
function exportedNames(sourceFile: ts.SourceFile): string[] {
  const names = new Set<string>();
  const exported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    Boolean(ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  const isDefault = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    Boolean(ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) names.add('default');
    else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    )
      for (const element of statement.exportClause.elements) names.add(element.name.text);
    else if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      exported(statement)
    ) {
      if (isDefault(statement)) names.add('default');
      else if (statement.name) names.add(statement.name.text);
    } else {
      // `module.exports = x`, `exports.a = x`, and chained: `exports = module.exports = x`,
      // `var lusca = module.exports = function () {...}`.
      const links = ts.isExpressionStatement(statement)
        ? assignmentLinks(statement.expression)
        : ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.flatMap((d) =>
              d.initializer ? assignmentLinks(d.initializer) : [],
            )
          : [];
      for (const link of links) {
        const target = link.left;
        if (!ts.isPropertyAccessExpression(target)) continue;
        const owner = target.expression;
        if (ts.isIdentifier(owner) && owner.text === 'module' && target.name.text === 'exports')
          names.add('default');
        else if (
          (ts.isIdentifier(owner) && owner.text === 'exports') ||
          (ts.isPropertyAccessExpression(owner) &&
            ts.isIdentifier(owner.expression) &&
            owner.expression.text === 'module' &&
            owner.name.text === 'exports')
        )
          names.add(target.name.text);
      }
    }
  }
  return [...names];
}

/** A range of a file that the analysis marked as not an emit (`FileAnalysis.notAnEmitRanges`). */
export interface NotAnEmitRange {
  start: number;
  end: number;
  kind: string;
}

/** Not-an-emit kinds that are a 403 a test builds itself: a test's own server or error, a mock, client code. */
const BUILT_KINDS: readonly string[] = ['mock', 'test-fixture', 'client'];

function builtWithin(
  ranges: readonly NotAnEmitRange[],
  start: number,
  end: number,
  kinds: readonly string[] = BUILT_KINDS,
): NotAnEmitRange | undefined {
  return ranges.find((r) => kinds.includes(r.kind) && r.start >= start && r.end <= end);
}

/** Libraries whose calls mock another service (`nock(url).get('/x').reply(403)`): never a request to ours. */
const MOCK_LIBRARIES = new Set([
  'nock',
  'msw',
  'msw/node',
  'fetch-mock',
  'jest-fetch-mock',
  'undici',
  'axios-mock-adapter',
]);

function isMockCall(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  let root: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  if (ts.isNewExpression(root)) root = root.expression; // new MockAdapter(axios).onGet('/x')
  if (!ts.isIdentifier(root)) return false;
  const module = analysis.importOf(root.text)?.module;
  return module ? MOCK_LIBRARIES.has(module) : ['nock', 'fetchMock', 'mockAgent'].includes(root.text);
}

/** A mock of another service answering 403 inside the test body (`nock(url).get('/x').reply(403)`). */
function mockedIn(analysis: FileAnalysis, body: ts.Node): NotAnEmitRange | undefined {
  let found: NotAnEmitRange | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      isMockCall(analysis, node) &&
      /\b403\b|forbidden/i.test(node.getText(analysis.sourceFile))
    ) {
      found = { start: node.getStart(analysis.sourceFile), end: node.getEnd(), kind: 'mock' };
      return;
    }
    node.forEachChild(visit);
  };
  visit(body);
  return found;
}

type Verdict = { keep: true } | { manual: string; leftAlone?: true } | { notAnEmit: string };

/** A 403 a test builds itself (a not-an-emit range of a test file) and the file it is in. */
interface BuiltHere {
  range: NotAnEmitRange;
  file: ProjectFile;
}

/**
 * For an expected object held by a variable (`const expected = { statusCode: 403 }`): the positions where
 * the variable is read in its scope; undefined for any other site.
 */
function mirrorUses(sourceFile: ts.SourceFile, position: number): number[] | undefined {
  const node = nodeAt(sourceFile, position);
  const declaration = node?.parent;
  if (!node || !ts.isObjectLiteralExpression(node) || !declaration || !ts.isVariableDeclaration(declaration))
    return undefined;
  if (!ts.isIdentifier(declaration.name)) return undefined;
  const name = declaration.name.text;
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const uses: number[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && child.text === name && child !== declaration.name && !isNameOnly(child))
      uses.push(child.getStart(sourceFile));
    child.forEachChild(visit);
  };
  visit(scope);
  return uses;
}

/** Assertion functions called by name (`expect`, node:assert's named exports): never a test-file helper. */
const ASSERTION_FUNCTIONS = new Set([
  'expect',
  'assert',
  'ok',
  'equal',
  'strictEqual',
  'deepEqual',
  'deepStrictEqual',
  'is',
  'same',
  'equals',
  'throws',
  'rejects',
]);

/**
 * Whether the assertion at `position` is a call of a test-file assertion helper (`expectFailsWith(p, 403)`,
 * frameworks/tests.ts `statusParameters`): a plain function call that is neither `expect` nor an assert.
 */
function isHelperCall(sourceFile: ts.SourceFile, position: number): boolean {
  const node = nodeAt(sourceFile, position);
  const call = node?.parent;
  return Boolean(
    node &&
    ts.isIdentifier(node) &&
    call &&
    ts.isCallExpression(call) &&
    call.expression === node &&
    !ASSERTION_FUNCTIONS.has(node.text),
  );
}

/** The function registered as a test (`it('x', async () => {...})`), else the outermost function around `node`. */
/** `function C() {}`, or `const C = function () {}` / `var C = () => {}`: a function under a name. */
function isFunctionDeclarationOrValue(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node)) return true;
  return ts.isVariableDeclaration(node) && !!node.initializer && isFunctionNode(unwrap(node.initializer));
}

/**
 * A module-level object its file gives members one by one: `const internals = {}` (hapi's style), or a function
 * that carries them, `var lusca = module.exports = function (options) {...}` with `lusca.csrf = require(...)`.
 */
function isMemberHolder(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node)) return true;
  if (!ts.isVariableDeclaration(node) || !node.initializer) return false;
  let value = unwrap(node.initializer);
  // `var lusca = module.exports = function () {...}`
  while (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    value = unwrap(value.right);
  return ts.isObjectLiteralExpression(value) || isFunctionNode(value);
}

function testBody(node: ts.Node): ts.Node | undefined {
  let outermost: ts.Node | undefined;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    outermost = current;
    const call = current.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(current as ts.Expression)) {
      if (TEST_CALLS.has(runnerCallName(call.expression))) return current;
    }
  }
  return outermost;
}

/**
 * The named helper function around `node` that is not itself a test or a hook body: `function expectForbidden(res)`,
 * `const expectForbidden = (res) => ...`, `exports.expectForbidden = ...`. Its declaration node is what a call's
 * name resolves to.
 */
function enclosingHelper(node: ts.Node): { declaration: ts.Node; name: string } | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const parent: ts.Node | undefined = current.parent;
    if (ts.isFunctionDeclaration(current))
      return current.name ? { declaration: current, name: current.name.text } : undefined;
    if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
      return { declaration: parent, name: parent.name.text };
    if (
      parent &&
      ts.isBinaryExpression(parent) &&
      ts.isPropertyAccessExpression(parent.left) &&
      parent.right === current
    )
      return { declaration: parent, name: parent.left.name.text };
    // A function handed to a call (a test, a hook, a callback): not a helper of its own.
    return undefined;
  }
  return undefined;
}

function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/** `isMockCall` for a file the follower has no analysis of: its import of the call's root, read from its tree. */
function isMockCallIn(project: Project, file: ProjectFile, call: ts.CallExpression): boolean {
  let root: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  if (ts.isNewExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  if (['nock', 'fetchMock', 'mockAgent'].includes(root.text)) return true;
  return project
    .lookup(file, root, root.text)
    .some((d) => ts.isSourceFile(d.node) === false && importedFrom(d.node, MOCK_LIBRARIES));
}

/** Whether an import or require declaration binds a name from one of `modules`. */
function importedFrom(node: ts.Node, modules: ReadonlySet<string>): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isImportDeclaration(current) && ts.isStringLiteral(current.moduleSpecifier))
      return modules.has(current.moduleSpecifier.text);
    if (ts.isVariableDeclaration(current)) {
      const init = current.initializer;
      return Boolean(
        init &&
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        init.expression.text === 'require' &&
        init.arguments[0] &&
        ts.isStringLiteral(init.arguments[0]) &&
        modules.has(init.arguments[0].text),
      );
    }
  }
  return false;
}

/** `GET /x`, or `/x (its method could not be read)` for a request whose options do not show it. */
function requestName(request: TestRequest): string {
  const path = formatSegments(request.segments);
  return request.method === UNREAD_METHOD
    ? `${path} (its method could not be read)`
    : `${request.method} ${path}`;
}

/**
 * A request whose method the test does not spell out matches the routes of every method on its path: when
 * they are not all of one method, which one it reaches is for a person.
 */
function unreadMethod(request: TestRequest, routes: readonly CodeRoute[]): string | undefined {
  if (request.method !== UNREAD_METHOD) return undefined;
  const methods = [...new Set(routes.map((r) => r.method))];
  if (methods.length <= 1) return undefined;
  return `on ${formatSegments(request.segments)} whose method could not be read: it may reach ${unique(routes.map(describeRoute)).join(', ')}`;
}

/** The function a helper's declaration holds: `function f() {}`, `const f = () => {}`, `exports.f = function () {}`. */
function helperFunction(node: ts.Node): (ts.SignatureDeclaration & { body?: ts.Node }) | undefined {
  if (ts.isFunctionDeclaration(node)) return node;
  const value = ts.isVariableDeclaration(node)
    ? node.initializer
    : ts.isBinaryExpression(node)
      ? node.right
      : ts.isPropertyAssignment(node)
        ? node.initializer
        : undefined;
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
}

/**
 * Whether a test file builds its own NestJS app from a testing module (`moduleFixture.createNestApplication()`)
 * and sets neither a global prefix nor versioning on it: its requests go to the controllers' bare paths.
 */
function buildsNestApp(file: ProjectFile): boolean {
  const text = file.sourceFile.text;
  return (
    text.includes('createNestApplication') &&
    !text.includes('setGlobalPrefix') &&
    !text.includes('enableVersioning')
  );
}

/** A method, accessor, constructor or property of a class (the unit a test reaches through an instance). */
function isClassMember(node: ts.Node): boolean {
  return (
    (ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isPropertyDeclaration(node)) &&
    (ts.isClassDeclaration(node.parent) || ts.isClassExpression(node.parent))
  );
}

/** An identifier that only names something (a property name, a declaration's own name), never a use. */
function isNameOnly(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return true;
  if (ts.isPropertyAssignment(parent) && parent.name === identifier) return true;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return true;
  return (
    (ts.isVariableDeclaration(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent)) &&
    parent.name === identifier
  );
}

function unitNames(units: readonly Declaration[]): string {
  const names = unique(
    units.map((d) => {
      const named = d.node as ts.Node & { name?: ts.Node };
      let name = named.name && ts.isIdentifier(named.name) ? named.name.text : 'default';
      // A class member: `FarmsService.remove`, `Reports.constructor`
      if (isClassMember(d.node)) {
        const owner = (d.node.parent as ts.ClassLikeDeclaration).name?.text ?? 'class';
        name = `${owner}.${ts.isConstructorDeclaration(d.node) ? 'constructor' : name}`;
      }
      return `${name} (${d.file.relative})`;
    }),
  );
  return names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
}

/** What a request reaches, for reasons: `route GET /a (app.ts:3)`, `middleware under /files (app.ts:5)`. */
function routesVia(routes: readonly CodeRoute[]): string {
  return unique(routes.map((r) => (r.prefix ? describeRoute(r) : `route ${describeRoute(r)}`))).join(', ');
}

function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

/** A manual site inside the form of a rewritten one (a companion text the rewrite left for a person). */
function textBeside(site: Site, rewritten: Site): boolean {
  return (
    site !== rewritten &&
    site.kind === 'manual' &&
    site.file === rewritten.file &&
    rewritten.span.start <= site.start &&
    site.end <= rewritten.span.end
  );
}
