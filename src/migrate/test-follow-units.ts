import ts from '../typescript.cjs';
import { isExpectedValue } from './frameworks/tests/inputs.js';
import { decoratedMembers } from './middleware-403-table.js';
import type { FileAnalysis } from './analysis.js';
import type { CodeRoute } from './routes/model.js';
import type { Declaration, ProjectFile } from './routes/project.js';
import { nodeAt } from './routes/reach.js';
import { testBody } from './test-assertion-place.js';
import { BUILT_KINDS, builtAround, builtWithin, type BuiltHere } from './test-built.js';
import type { FollowContext } from './test-follow-context.js';
import { unique, unitNames } from './test-nodes.js';
import { assertionFocus } from './test-trpc-callers.js';
import {
  alreadyAnswers,
  targetPlacesWithin,
  type PlaceOptions,
  type TargetPlace,
} from './test-target-places.js';
import { stubbedLoadReached, unitsOf, type WalkStop } from './test-unit-walk.js';
import type { PhraseRead, Verdict } from './test-verdicts.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';
import { loaderCallText } from './module-loaders.js';

// An assertion decided by the unit under test: the project code its test names (test-follow.ts).

/**
 * The verdict from the unit under test (the project code the test body names); `found` when it rests on a
 * 403 (a linked site, or one the test builds itself). Undefined when the test names no unit and builds no 403.
 */
export function decideByUnit(
  ctx: FollowContext,
  file: ProjectFile,
  analysis: FileAnalysis,
  position: number,
  phraseOnly: PhraseRead,
  /** The test's request reaches no route: the path-less middleware of the app it requests is all that runs. */
  unrouted = false,
  /**
   * The routes the test's request may reach, when it is known (those it matches, or those of its method for
   * a request whose URL is not read; none for one no route serves): the code of every other route is not
   * walked, nor are its sites linked. Undefined for a test whose request is not known.
   */
  reaches?: (route: CodeRoute) => boolean,
): { verdict: Verdict; found: boolean; stopped?: true } | undefined {
  const node = nodeAt(file.sourceFile, position);
  const body = node ? testBody(node) : undefined;
  if (!body) return undefined;
  // A tRPC caller: the procedures the assertion's own statement calls (or the variables it reads hold) run.
  const focus = node ? assertionFocus(body, node) : undefined;
  const { units, named, stopped } = unitsOf(
    ctx.project,
    { files: ctx.links.replacedBy(file), declarations: ctx.links.stubbedBy(file) },
    file,
    body,
    unrouted ? (at, node) => ctx.routes.routeArgument(at, node) : undefined,
    focus,
    reaches ? (at, node) => ctx.routes.otherRoutesCode(at, node, reaches) : undefined,
  );
  if (stopped)
    return {
      verdict: { manual: stoppedLooking(stopped, named.length ? named : units) },
      found: false,
      stopped: true,
    };
  const replaced = ctx.links.replacedBy(file);
  // A request no route serves runs no route's own code, though the unit holding it runs (a `build()` factory).
  // A package that decorates the app (fastify-guard's `guard`) answers only the routes that read its member, which
  // the route graph links (test-route-graph.ts): registering it runs no check for a route that does not (trial39 01:
  // such a route's test was named as still answered by the guard).
  // A decorator's body (`fastify.decorate('authenticate', …)`) runs only for the routes that read its name.
  const routeOnly = (s: Site): boolean =>
    (unrouted && inRouteArgument(ctx, s)) ||
    (reaches !== undefined &&
      (inOtherRoute(ctx, s, reaches) ||
        decoratedMembers(s.form).length > 0 ||
        ctx.routes.otherRoutesDecorator(s.file, s.start, reaches)));
  const linked = unique(units.flatMap((d) => sitesWithin(ctx, d))).filter(
    (s) => !replaced.has(s.file) && !routeOnly(s),
  );
  // A 403 the test builds itself: in its body, its hooks and mocks, or in a test helper it calls (a fake
  // upstream server). A stand-in for product code (a mocked service or middleware, a test's own server or
  // error: `test-fixture`) may be what the assertion checks, whatever else it reaches.
  const inHelpers = (kinds: readonly string[]): BuiltHere | undefined =>
    units
      .filter((d) => d.file !== file && ctx.links.isTest(d.file.relative))
      .map((d) => {
        const range = builtWithin(
          ctx.marksOf(d.file.relative),
          d.node.getStart(d.file.sourceFile),
          d.node.getEnd(),
          kinds,
        );
        return range && { range, file: d.file };
      })
      .find(Boolean);
  const standIn =
    builtAround(ctx.project, file, analysis, body, ['test-fixture'], ctx.support) ??
    inHelpers(['test-fixture']);
  const builtHere =
    standIn ??
    builtAround(ctx.project, file, analysis, body, BUILT_KINDS, ctx.support) ??
    inHelpers(BUILT_KINDS);
  if (builtHere) {
    // The assertion checks the test's own 403 only when nothing it reaches was rewritten: one rewritten site
    // among manual ones (an exception filter's `status(403)` beside a helper named for 403, fhir-server) is a
    // 403 that becomes 401, and the test would lag its server. A rewritten site that only documents a 403
    // (a decorator, a JSDoc block) sends nothing: it never outweighs the test's own 403.
    const rewritten = linked.filter((s) => ctx.verdicts.rewrote(s) && !ctx.verdicts.documentsOnly(s));
    // The expected side of an assertion (`toBeCalledWith(403)`, a table's expected column read there) is never
    // the test's own 403 only: when the unit still answers a 403 of its own (a manual site), it may be that one
    // (breaker34 #05: a mocked upstream's 403 beside the middleware's ResponseErrorForbiddenNotAuthorized).
    // A site that passes on a status it is handed ("Dynamic status": `res.status(Number(req.query.status))`)
    // answers the test's own 403 when the test hands it one: that one stays the test's.
    const still = linked.filter(
      (s) =>
        !ctx.verdicts.rewrote(s) && !ctx.verdicts.documentsOnly(s) && !/^Dynamic status/.test(s.reason ?? ''),
    );
    if (!rewritten.length && still.length && node && expectsAt(node)) {
      const verdict = ctx.verdicts.verdict(
        still,
        phraseOnly,
        `unit ${unitNames(named.length ? named : units)}`,
      );
      if ('manual' in verdict) return { verdict: mayBeOwn(builtHere, verdict), found: true };
    }
    if (!rewritten.length)
      return {
        verdict: { notAnEmit: builtHere.range.kind === 'test-fixture' ? 'test-fixture' : 'mock' },
        found: true,
      };
    // Its own stand-in and a rewritten site both reach the assertion: which one it checks is for a person.
    // (A mocked upstream's 403 beside rewritten sites: the sites decide.)
    if (standIn) return { verdict: ctx.verdicts.ownAndRewritten(standIn, rewritten), found: true };
  }
  if (!units.length) return undefined;
  // The unit answers the agreed status instead: an earlier run wrote it without its tests.
  // Only where the request may run it: a decorator's body answers the routes that read it, not a route of the same
  // app that does not (routes.otherRoutesDecorator).
  const places = linked.length
    ? []
    : targetPlacesWithin(units, analysis.target, (relative) => ctx.links.isTest(relative), {
        keep: reaches && ((at, position) => !ctx.routes.otherRoutesDecorator(at.relative, position, reaches)),
      });
  if (places.length)
    return {
      verdict: {
        manual: alreadyAnswers(places, analysis.target, `unit ${unitNames(named.length ? named : units)}`),
      },
      found: true,
    };
  return {
    // Named by what the test itself names (a suite's controller reaches some 90 declarations in turn).
    verdict: ctx.verdicts.verdict(linked, phraseOnly, `unit ${unitNames(named.length ? named : units)}`),
    found: linked.length > 0,
  };
}

/**
 * The verdict for an assertion whose request reaches `routes` and their 403 sites `linked`, when its test loads a
 * module with stubs mtls-fix cannot read (`const { guard } = proxyquire('../app/guard', makeStubs())`, then
 * `app.get('/teams', guard)`) and that module is where the routes are registered, or one whose imports lead to a
 * linked site (test-unit-walk.ts `stubbedLoadReached`): manual, naming the loader call, since the 403 those sites
 * send may come from a stub instead. Undefined otherwise.
 */
export function stubbedRoutes(
  ctx: FollowContext,
  file: ProjectFile,
  position: number,
  routes: readonly CodeRoute[],
  linked: readonly Site[],
): { manual: string } | undefined {
  const node = nodeAt(file.sourceFile, position);
  const body = node ? testBody(node) : undefined;
  if (!body) return undefined;
  const files = new Set(routes.flatMap((r) => [r.file, r.app, ...r.handlers.map((h) => h.file)]));
  const sites = new Set(linked.map((s) => s.file));
  const stop = stubbedLoadReached(
    ctx.project,
    file,
    body,
    (loaded) => files.has(loaded.relative) || importsReach(ctx, loaded, sites),
  );
  return stop && { manual: stoppedLooking(stop, []) };
}

/** How many modules {@link importsReach} reads from the loaded one before it gives up (and answers yes). */
const MAX_IMPORTED = 200;

/**
 * Whether a module, or a module its imports lead to (test-file-links.ts `importsOf`, at most `MAX_IMPORTED` read), is
 * one of `files` (project-relative paths). Past the bound it answers yes: a stub mtls-fix cannot read is not proven
 * harmless.
 */
function importsReach(ctx: FollowContext, from: ProjectFile, files: ReadonlySet<string>): boolean {
  const seen = new Set<string>([from.relative]);
  const queue = [from];
  while (queue.length) {
    const at = queue.shift() as ProjectFile;
    if (files.has(at.relative)) return true;
    if (seen.size > MAX_IMPORTED) return true;
    for (const relative of ctx.links.importsOf(at)) {
      const target = seen.has(relative) ? undefined : ctx.project.byRelative(relative);
      if (target) {
        seen.add(relative);
        queue.push(target);
      }
    }
  }
  return false;
}

/**
 * The places naming the agreed status `target` (test-target-places.ts) in the code the test at `position` reaches as its
 * unit under test (the walk `decideByUnit` makes, whole: no route's code is left out), at most three; none when
 * the test names no unit or the walk stopped short. For a request whose server mtls-fix cannot read in full (a
 * route whose handler it cannot read may serve it): what the code it can read already answers.
 */
export function unitTargetPlaces(
  ctx: FollowContext,
  file: ProjectFile,
  position: number,
  target: number,
  options?: PlaceOptions,
): TargetPlace[] {
  const node = nodeAt(file.sourceFile, position);
  const body = node ? testBody(node) : undefined;
  if (!node || !body) return [];
  const replaced = ctx.links.replacedBy(file);
  const { units, stopped } = unitsOf(
    ctx.project,
    { files: replaced, declarations: ctx.links.stubbedBy(file) },
    file,
    body,
    undefined,
    assertionFocus(body, node),
  );
  if (stopped) return [];
  return targetPlacesWithin(
    units.filter((d) => !replaced.has(d.file.relative)),
    target,
    (relative) => ctx.links.isTest(relative),
    options,
  );
}

/**
 * Whether the assertion at `node` is on its expected side: `node` is an expected value itself (a table column read
 * in `toBeCalledWith(expectedResponseStatus)`), or `node` starts an assertion statement whose expected side holds a
 * literal 403 (`expect(res.status).toBeCalledWith(403)`, where the follower asks at the statement's start;
 * breaker34 #05). Function bodies inside the statement (`expect(() => f(403)).toThrow()`) are not its expected side.
 */
function expectsAt(node: ts.Node): boolean {
  if (isExpectedValue(node)) return true;
  let statement: ts.Node | undefined = node;
  while (statement && !ts.isExpressionStatement(statement)) {
    if (ts.isBlock(statement) || ts.isSourceFile(statement) || ts.isFunctionLike(statement)) return false;
    statement = statement.parent;
  }
  if (!statement) return false;
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || ts.isFunctionLike(child)) return;
    if (
      (ts.isNumericLiteral(child) || ts.isStringLiteral(child)) &&
      child.text === '403' &&
      isExpectedValue(child)
    )
      found = true;
    else child.forEachChild(visit);
  };
  statement.forEachChild(visit);
  return found;
}

/** A manual verdict on a server 403 that the test's own 403 (`own`) may stand for too: both named. */
function mayBeOwn(own: BuiltHere, verdict: { manual: string }): { manual: string } {
  const where = `${own.file.relative}:${lineAndCharacterAt(own.file.sourceFile, own.range.start).line + 1}`;
  const text = own.file.sourceFile.text
    .slice(own.range.start, own.range.end)
    .replace(/\s+/g, ' ')
    .slice(0, 60);
  return {
    manual: `that may be the test's own (${text}, ${where}) or the one ${verdict.manual.replace(/^that (is )?/, '')}; check which of the two it asserts`,
  };
}

/**
 * The reason for an assertion whose unit walk stopped before reading all the code its test reaches: what stopped
 * it (the declaration limit, or the `this.…` use whose class it cannot read, with its place), so that it never
 * reads as a server that is not there.
 */
export function stoppedLooking(stopped: WalkStop, named: readonly Declaration[]): string {
  const from = named.length ? ` from unit ${unitNames(named)}` : '';
  if (stopped.kind === 'limit')
    return `whose unit under test reaches more code than mtls-fix follows: the walk${from} stopped at its limit of ${stopped.declarations} declarations before it had read all the code the test reaches, so a 403 may lie beyond it; check its server`;
  if (stopped.kind === 'load') {
    const { file, call } = stopped;
    const line = lineAndCharacterAt(file.sourceFile, call.getStart(file.sourceFile)).line + 1;
    return `whose unit under test is loaded by ${loaderCallText(call, file.sourceFile)} (${file.relative}:${line}), whose module mtls-fix cannot read (its path is not written out), so a 403 may lie there; check its server`;
  }
  if (stopped.kind === 'mock') {
    const { file, call } = stopped;
    const line = lineAndCharacterAt(file.sourceFile, call.getStart(file.sourceFile)).line + 1;
    return `whose test file registers a module mock whose module mtls-fix cannot read: ${loaderCallText(call, file.sourceFile)} (${file.relative}:${line}; its specifier is not a string literal, a const string of the file, a template of literal parts or path.join(__dirname, '…')): a module of the code it reaches may be replaced, so the test is not rewritten on the strength of the real modules; write the specifier out, or review by hand`;
  }
  if (stopped.kind === 'stubs') {
    const { file, call, why } = stopped;
    const line = lineAndCharacterAt(file.sourceFile, call.getStart(file.sourceFile)).line + 1;
    return `whose unit under test is loaded by ${loaderCallText(call, file.sourceFile, true)} (${file.relative}:${line}), whose stubs mtls-fix does not read (${why}): what answers the 403 may be a stub in place of a module it reads, so the test is not rewritten on the strength of the real modules; review by hand`;
  }
  const { file, node } = stopped;
  const call = ts.isCallExpression(node.parent) && node.parent.expression === node ? node.parent : node;
  const line = lineAndCharacterAt(file.sourceFile, call.getStart(file.sourceFile)).line + 1;
  const text = call.getText(file.sourceFile).replace(/\s+/g, ' ');
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `whose unit under test reaches more code than mtls-fix follows: the walk${from} stopped at ${shown} (${file.relative}:${line}), whose class it cannot read (a field typed by an interface no class implements, or a computed member), so a 403 may lie beyond it; check its server`;
}

/** Whether a site lies in an argument of a route registration (test-route-graph.ts `routeArgument`). */
function inRouteArgument(ctx: FollowContext, site: Site): boolean {
  const file = ctx.project.byRelative(site.file);
  if (!file) return false;
  for (let node: ts.Node | undefined = nodeAt(file.sourceFile, site.start); node; node = node.parent)
    if (ctx.routes.routeArgument(file, node)) return true;
  return false;
}

/** Whether a site lies in the code of routes `reaches` refuses only (test-route-graph.ts `otherRoutesCode`). */
function inOtherRoute(ctx: FollowContext, site: Site, reaches: (route: CodeRoute) => boolean): boolean {
  const file = ctx.project.byRelative(site.file);
  const node = file && nodeAt(file.sourceFile, site.start);
  return node !== undefined && ctx.routes.otherRoutesCode(file as ProjectFile, node, reaches);
}

/** Non-test sites lying inside a declaration (and the declarations it references, walked by `unitsOf`). */
function sitesWithin(ctx: FollowContext, declaration: Declaration): Site[] {
  const start = declaration.node.getStart(declaration.file.sourceFile);
  const end = declaration.node.getEnd();
  return (ctx.sitesByFile.get(declaration.file.relative) ?? []).filter(
    (s) => s.start >= start && s.start < end,
  );
}
