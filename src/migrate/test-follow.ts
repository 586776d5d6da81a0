import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { describeRoute } from './routes/decide.js';
import type { CodeRoute } from './routes/model.js';
import { extractNestRoutes } from './routes/nestjs.js';
import { extractNextRoutes } from './routes/nextjs.js';
import { compareRanks, compareSegments, formatSegments, parseCodePath } from './routes/paths.js';
import { Project, type Declaration, type ProjectFile } from './routes/project.js';
import { BrowserPackages } from './browser-packages.js';
import { nodeAt, Reach } from './routes/reach.js';
import { requestOf, type Resolve, type TestRequest } from './routes/requests.js';
import { extractRouterRoutes } from './routes/graph.js';
import { isFunctionLike } from './scope.js';
import { codeAround, denyingGuard, replacedFiles } from './test-doubles.js';
import {
  addCalledMembers,
  assignedValues,
  membersOf,
  thisTargets,
  type CalledMembers,
} from './test-units.js';
import type { Site, SiteDecision } from './types.js';

/** Names under which test runners register a test body (`it('x', fn)`, `test(...)`, `lab.test`, `t.test`). */
const TEST_CALLS = new Set(['it', 'test', 'specify', 'fit', 'xit', 'only', 'skip', 'todo', 'each']);

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
  for (let i = sites.length - 1; i >= 0; i--) {
    const site = sites[i];
    if (!site || site.framework === 'tests') continue;
    sites.splice(i, 1);
    analysis.notAnEmitRanges.push({ start: site.span.start, end: site.span.end, kind: 'test-fixture' });
  }
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
  };
  private readonly sitesByFile = new Map<string, Site[]>();
  private readonly testFiles: ReadonlySet<string>;
  /** Assertions left manual only because the 403 they check is one `--spec` leaves alone on purpose. */
  private readonly onLeftAlone = new WeakSet<Site>();
  /** Per test file: the project files it replaces with module mocks (their sites never run in its tests). */
  private readonly replaced = new Map<ProjectFile, Set<string>>();
  /** Per test file: the project files it imports (a test file's server serves only its importers). */
  private readonly imported = new Map<ProjectFile, Set<string>>();

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
   * The code routes of the project (router frameworks, NestJS, Next.js) and the server sites each reaches,
   * built on first use: only an assertion on a request needs them.
   */
  private get graph(): NonNullable<TestFollower['routeGraph']> {
    if (this.routeGraph) return this.routeGraph;
    const routes = [
      ...extractRouterRoutes(this.project, new Map()),
      ...extractNestRoutes(this.project),
      ...extractNextRoutes(this.project),
    ];
    const segments = new Map(routes.map((r) => [r, parseCodePath(r.path, r.syntax)]));
    const sitesByRoute = new Map<CodeRoute, Site[]>();
    const reach = new Reach(this.project, routes);
    for (const site of this.outcomes.keys())
      for (const route of reach.routesAt(site.file, site.start)) {
        const reached = sitesByRoute.get(route) ?? [];
        reached.push(site);
        sitesByRoute.set(route, reached);
      }
    return (this.routeGraph = { routes, segments, sitesByRoute });
  }

  /**
   * Decides every assertion site of one analysed test file (before its census): keeps it as a rewrite, turns
   * it into a manual site with a reason, or drops it as not-an-emit.
   */
  settle(analysis: FileAnalysis): void {
    const file = this.project.byRelative(analysis.file);
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
    const phraseOnly = site.edits.every((e) => /forbidden/i.test(analysis.text.slice(e.start, e.end)));
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
    const request =
      requestOf(file.sourceFile, position, skip, true, resolve) ??
      (isHelperCall(file.sourceFile, position)
        ? undefined
        : (this.heldRequest(file, position, skip, resolve) ??
          requestOf(file.sourceFile, position, skip, false, resolve)));
    if (request) {
      const routes = this.bestRoutes(request, file);
      const name = `${request.method} ${formatSegments(request.segments)}`;
      if (!routes.length)
        return { manual: `on ${name} whose server could not be found (no route of the code matches it)` };
      const replaced = this.replacedBy(file);
      const linked = unique(routes.flatMap((r) => this.graph.sitesByRoute.get(r) ?? [])).filter(
        (s) => !replaced.has(s.file),
      );
      const via = `route ${routes.map(describeRoute).join(', ')}`;
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
      this.decideByUnit(file, analysis, position, phraseOnly)?.verdict ?? {
        manual: 'whose server could not be found (no request or unit under test in its test)',
      }
    );
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
      if (!linked.length || !linked.every((s) => this.outcomes.get(s)))
        return {
          verdict: { notAnEmit: builtHere.range.kind === 'test-fixture' ? 'test-fixture' : 'mock' },
          found: true,
        };
      // Its own stand-in and a rewritten site both reach the assertion: which one it checks is for a person.
      // (A mocked upstream's 403 beside rewritten sites: the sites decide.)
      if (standIn) return { verdict: this.ownAndRewritten(standIn, linked), found: true };
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
    linked: Site[],
    phraseOnly: boolean,
    via: string,
  ): { keep: true } | { manual: string; leftAlone?: true } {
    if (!linked.length)
      return { manual: `whose server could not be found (no 403 site is reached from ${via})` };
    // A text left beside a rewritten status (`{ code: 'forbidden' }` in the call that now sends 401) sends no
    // status: it keeps a status assertion from following only when the assertion reads that text.
    const rewritten = linked.filter((s) => this.outcomes.get(s));
    const still = linked.filter(
      (s) => !this.outcomes.get(s) && (phraseOnly || !rewritten.some((r) => textBeside(s, r))),
    );
    if (still.length) {
      const first = still[0];
      const more = still.length > 1 ? ` and ${still.length - 1} more` : '';
      const manual = `that is still emitted by ${first.form} (${this.where(first)})${more}`;
      return rewritten.length || !still.every(this.leftAlone) ? { manual } : { manual, leftAlone: true };
    }
    // A body text ('Forbidden') follows only a server whose own edits changed such a text.
    if (phraseOnly && !linked.some((s) => this.changesPhrase(s) || this.bodyFromStatus(s)))
      return { manual: `body text whose server (${via}) keeps its text` };
    return { keep: true };
  }

  /** A status-only form (`ctx.status = 403`, `res.sendStatus(403)`): the framework writes the body from the status. */
  private bodyFromStatus(site: Site): boolean {
    const text = this.textOf(site.file);
    return text !== undefined && !/['"`]/.test(text.slice(site.span.start, site.span.end));
  }

  private changesPhrase(site: Site): boolean {
    const text = this.textOf(site.file);
    return text !== undefined && site.edits.some((e) => /forbidden/i.test(text.slice(e.start, e.end)));
  }

  /** The code routes a request matches best (method exact, `ALL` and GET-for-HEAD allowed). */
  private bestRoutes(request: TestRequest, from: ProjectFile): CodeRoute[] {
    let best: { routes: CodeRoute[]; rank: number[] } | undefined;
    const { routes, segments: routeSegments } = this.graph;
    for (const route of routes) {
      if (route.unresolved) continue;
      // A test file's own server (a fake backend, a stub app) serves that file's requests and those of the
      // files importing it, never another test file's requests to the product.
      if (
        route.file !== from.relative &&
        this.testFiles.has(route.file) &&
        !this.importsOf(from).has(route.file)
      )
        continue;
      if (route.method !== request.method && route.method !== 'ALL') continue;
      for (const segments of routeSegments.get(route) ?? []) {
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
   * The declarations in other places that the test body names (calls, `new`, values passed), through the
   * body's variables declared elsewhere in the file (`let guard; beforeEach(() => { guard = new Guard() })`).
   */
  private unitsOf(file: ProjectFile, body: ts.Node): { units: Declaration[]; truncated: boolean } {
    const out: Declaration[] = [];
    const seen = new Set<string>();
    // The members the test's own code uses on class instances: a class it names is a unit through them only.
    const called: CalledMembers = new Map();
    let truncated = false;
    const queue: { file: ProjectFile; node: ts.Node; depth: number }[] = [{ file, node: body, depth: 0 }];
    const enqueue = (declaration: Declaration, depth: number): void => {
      const key = `${declaration.file.relative}#${declaration.node.pos}`;
      if (seen.has(key)) return;
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
        if (seen.has(key)) continue;
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
        if (declaration.file === file && ts.isVariableDeclaration(declaration.node))
          for (const assignment of assignedValues(file.sourceFile, declaration.node))
            queue.push({ file, node: assignment, depth: depth + 1 });
      }
    }
    return { units: out, truncated: truncated || queue.length > 0 };
  }

  /** Declarations named inside `node` (identifiers, and `ns.member` of namespace imports). */
  private referencesIn(file: ProjectFile, node: ts.Node): Declaration[] {
    const out: Declaration[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child) && !isNameOnly(child)) {
        for (const d of this.project.lookup(file, child, child.text)) {
          if (ts.isParameter(d.node)) continue;
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

  /** Non-test sites lying inside a declaration (and the declarations it references, walked by `unitsOf`). */
  private sitesWithin(declaration: Declaration): Site[] {
    const start = declaration.node.getStart(declaration.file.sourceFile);
    const end = declaration.node.getEnd();
    return (this.sitesByFile.get(declaration.file.relative) ?? []).filter(
      (s) => s.start >= start && s.start < end,
    );
  }
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
    } else if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const target = statement.expression.left;
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
function testBody(node: ts.Node): ts.Node | undefined {
  let outermost: ts.Node | undefined;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    outermost = current;
    const call = current.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(current as ts.Expression)) {
      const callee = call.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression)
            ? callee.expression.name.text // it.each(table)('x', fn)
            : '';
      if (TEST_CALLS.has(name)) return current;
    }
  }
  return outermost;
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
