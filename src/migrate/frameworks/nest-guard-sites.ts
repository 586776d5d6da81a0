import ts from '../../typescript.cjs';
import { shorten, skipOuter, type FileAnalysis } from '../analysis.js';
import { normalizeModule } from '../imports.js';
import { remapHint } from '../remaps.js';
import { nodeAt } from '../routes/reach.js';
import type { NestException, Site } from '../types.js';
import {
  isRoute,
  NestFilterChains,
  routeOf,
  settleByRouteFilters,
  type RouteAnswer,
} from './nest-filter-chain.js';
import {
  classVerdict,
  guardText,
  guardVerdict,
  memberFunction,
  type Denial,
  type GuardScope,
} from './nest-guards.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * NestJS guards as implicit 403 sources (DESIGN §6 "Never guess"), reported once per guard class that can
 * return false, at its `canActivate`, with the routes that use it counted; guards that cannot return false
 * (passport's `AuthGuard`, guards that return true or throw) are not sources; a guard mtls-fix cannot read is
 * reported where it is used, named. Uses: `@UseGuards(...)` (also inside `applyDecorators`),
 * `app.useGlobalGuards(...)`, `{ provide: APP_GUARD, useClass | useExisting | useValue }`.
 */

const COMMON = ['@nestjs/common'];
const CORE = ['@nestjs/core'];
/** The 403 a guard that returns false answers: Nest throws a ForbiddenException (`Site.nestException`). */
const GUARD_403: NestException = { source: 'guard', exception: 'ForbiddenException' };

/** Where a guard is applied, and to how much. */
interface GuardUse {
  analysis: FileAnalysis;
  /** The guard expression as written (`RolesGuard`). */
  node: ts.Expression;
  /** On a GraphQL resolver: a falsy guard there becomes a GraphQL error, not an HTTP 403. */
  graphql: boolean;
  /** `routes`: the handlers guarded; `global`: every route; `composed`: inside a decorator factory (its uses are not counted). */
  applies:
    | { kind: 'routes'; handlers: readonly ts.MethodDeclaration[] }
    | { kind: 'global'; how: string }
    | { kind: 'composed'; via: string };
}

interface FileRecords {
  /** Guard classes reported in this file: the member's name node -> the site's start and its reason's first part. */
  classSites: Map<ts.Node, { start: number; finding: string }>;
  /** Uses whose guard can return false (reported at the class, or here when the class is not analysed). */
  denied: { use: GuardUse; denial: Denial }[];
  /** Uses of guards mtls-fix cannot read: reported here, once per guard text. */
  unknown: { use: GuardUse; why: string }[];
}

const records = new WeakMap<FileAnalysis, FileRecords>();

function recordsOf(analysis: FileAnalysis): FileRecords {
  let found = records.get(analysis);
  if (!found) {
    found = { classSites: new Map(), denied: [], unknown: [] };
    records.set(analysis, found);
  }
  return found;
}

function scopeOf(analysis: FileAnalysis): GuardScope {
  return { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
}

/**
 * Called by the nestjs module for every node: guard classes and guard uses. `graphql`: the node is inside a
 * GraphQL resolver class (its guards answer GraphQL errors, not HTTP statuses).
 */
export function visitGuards(node: ts.Node, analysis: FileAnalysis, graphql = false): void {
  // A test's guards are stand-ins for the real ones.
  if (analysis.options.testFile) return;
  if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) guardClass(node, analysis);
  else if (ts.isCallExpression(node)) {
    if (analysis.resolvesTo(node.expression, COMMON, 'UseGuards'))
      for (const argument of node.arguments) guardUse(argument, applies(node, analysis), analysis, graphql);
    else if (
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'useGlobalGuards' &&
      isNestFile(analysis)
    )
      for (const argument of node.arguments)
        guardUse(argument, { kind: 'global', how: 'useGlobalGuards' }, analysis);
  } else if (ts.isObjectLiteralExpression(node)) appGuard(node, analysis);
}

/**
 * A guard class in a Nest file, reported there when it can return false: its own `canActivate`, or a hook of a
 * library guard it overrides (ThrottlerGuard's `handleRequest`). Subclasses that inherit a project guard's
 * `canActivate` are reported at the parent's.
 */
function guardClass(cls: ts.ClassLikeDeclaration, analysis: FileAnalysis): void {
  const own = memberFunction(cls, 'canActivate');
  if ((!own && !memberFunction(cls, 'handleRequest')) || !isNestFile(analysis)) return;
  const verdict = classVerdict(cls, scopeOf(analysis));
  if (verdict.kind === 'allows') return;
  const name = cls.name?.text ?? 'This guard';
  let at: ts.Node;
  let reason: string;
  if (verdict.kind === 'denies') {
    // Reported where the falsy return is written: a parent's canActivate reports itself.
    if (!cls.members.some((m) => m.name === verdict.member)) return;
    at = verdict.member;
    reason = `Implicit 403: ${name}.${verdict.member.getText(analysis.sourceFile)} ${verdict.why} (line ${lineOf(verdict.at, analysis.sourceFile)}).`;
  } else {
    if (!own) return;
    at = own.name;
    reason = `Implicit 403?: ${name}.canActivate depends on code mtls-fix cannot read (${verdict.why}); if it can return false, Nest answers 403.`;
  }
  analysis.addSite({
    node: at,
    framework: 'nestjs',
    manual: true,
    reason: `${reason} ${remapHint('nest-guard', analysis.target)}`,
    nestException: GUARD_403,
  });
  recordsOf(analysis).classSites.set(at, { start: at.getStart(analysis.sourceFile), finding: reason });
}

/** `{ provide: APP_GUARD, useClass: RolesGuard }`: a global guard. */
function appGuard(object: ts.ObjectLiteralExpression, analysis: FileAnalysis): void {
  const value = (key: string): ts.Expression | undefined => {
    const property = object.properties.find(
      (p): p is ts.PropertyAssignment =>
        ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key,
    );
    return property?.initializer;
  };
  const provide = value('provide');
  if (!provide || !analysis.resolvesTo(skipOuter(provide), CORE, 'APP_GUARD')) return;
  const how = 'APP_GUARD';
  const factory = value('useFactory');
  // useFactory: () => new RolesGuard(reflector)
  const built =
    factory && (ts.isArrowFunction(factory) || ts.isFunctionExpression(factory))
      ? factoryResult(factory)
      : undefined;
  const guard = value('useClass') ?? value('useExisting') ?? value('useValue') ?? built;
  if (guard) {
    guardUse(guard, { kind: 'global', how }, analysis);
    return;
  }
  recordsOf(analysis).unknown.push({
    use: { analysis, node: provide, applies: { kind: 'global', how }, graphql: false },
    why: 'this APP_GUARD provider builds its guard in a factory (useFactory), which mtls-fix cannot read',
  });
}

/** The `new X(…)` a provider factory returns, when that is all it returns. */
function factoryResult(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return ts.isNewExpression(skipOuter(fn.body)) ? fn.body : undefined;
  const returns = fn.body.statements.filter(ts.isReturnStatement);
  const value = returns.length === 1 ? returns[0].expression : undefined;
  return value && ts.isNewExpression(skipOuter(value)) ? value : undefined;
}

function guardUse(
  expression: ts.Expression,
  use: GuardUse['applies'],
  analysis: FileAnalysis,
  graphql = false,
): void {
  if (ts.isSpreadElement(expression)) {
    if (graphql) return;
    recordsOf(analysis).unknown.push({
      use: { analysis, node: expression, applies: use, graphql },
      why: `the guards spread from ${shorten(expression.expression.getText(analysis.sourceFile))} cannot be read`,
    });
    return;
  }
  const verdict = guardVerdict(expression, scopeOf(analysis));
  if (verdict.kind === 'allows') return;
  const entry = { analysis, node: expression, applies: use, graphql };
  if (verdict.kind === 'denies') recordsOf(analysis).denied.push({ use: entry, denial: verdict });
  // An unreadable guard on a resolver answers GraphQL errors whatever it returns.
  else if (!graphql) recordsOf(analysis).unknown.push({ use: entry, why: verdict.why });
}

/** What a `UseGuards(...)` call applies to: one handler, a controller's handlers, or a decorator factory's users. */
function applies(call: ts.CallExpression, analysis: FileAnalysis): GuardUse['applies'] {
  const decorator = call.parent;
  if (ts.isDecorator(decorator)) {
    const target = decorator.parent;
    if (ts.isMethodDeclaration(target))
      return { kind: 'routes', handlers: isRoute(target, analysis) ? [target] : [] };
    if (ts.isClassLike(target))
      return {
        kind: 'routes',
        handlers: target.members.filter(
          (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && isRoute(m, analysis),
        ),
      };
  }
  for (let current: ts.Node | undefined = call.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) && current.name)
      return { kind: 'composed', via: current.name.text };
    if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name))
      return { kind: 'composed', via: current.name.text };
  }
  return { kind: 'composed', via: 'an expression' };
}

function isNestFile(analysis: FileAnalysis): boolean {
  return [...analysis.imports.values()].some((b) => normalizeModule(b.module).startsWith('@nestjs/'));
}

/**
 * After every file is analysed: each reported guard class's reason gets the routes that use it; a guard that
 * can return false whose class was not analysed (outside the scanned paths) is reported at its uses, once per
 * file; a guard mtls-fix cannot read is reported at its first use in each file, with the file's use count.
 *
 * @param only the files to settle (the test files a plain run reads aside, skipped-tests.ts): guard classes are
 *   found in every analysis, but only these get sites or reworded reasons. Every file when absent.
 */
export function settleNestGuards(analyses: readonly FileAnalysis[], only?: ReadonlySet<FileAnalysis>): void {
  let read: NestFilterChains | undefined;
  const filters = (): NestFilterChains =>
    (read ??= new NestFilterChains(analyses, analyses[0]?.target ?? 401));
  const classSites = new Map<ts.Node, { site: Site; finding: string; analysis: FileAnalysis }>();
  for (const analysis of analyses) {
    const found = records.get(analysis);
    for (const [member, { start, finding }] of found?.classSites ?? []) {
      const site = analysis.sites.find((s) => s.start === start && s.framework === 'nestjs');
      if (site) classSites.set(member, { site, finding, analysis });
    }
  }
  const usesOf = new Map<ts.Node, GuardUse[]>();
  for (const analysis of analyses) {
    const found = records.get(analysis);
    if (!found || (only && !only.has(analysis))) continue;
    const orphans = new Map<ts.Node, { uses: GuardUse[]; denial: Denial }>();
    for (const { use, denial } of found.denied) {
      if (classSites.has(denial.member)) {
        const list = usesOf.get(denial.member) ?? [];
        list.push(use);
        usesOf.set(denial.member, list);
      } else {
        const orphan = orphans.get(denial.member) ?? { uses: [], denial };
        orphan.uses.push(use);
        orphans.set(denial.member, orphan);
      }
    }
    for (const { uses: all, denial } of orphans.values()) {
      const uses = all.filter((u) => !u.graphql);
      if (!uses.length) continue;
      const where = `${denial.className}.canActivate (${denial.scope.sourceFile.fileName}:${lineOf(denial.member, denial.scope.sourceFile)})`;
      analysis.addSite({
        node: uses[0].node,
        framework: 'nestjs',
        manual: true,
        reason: `Implicit 403: ${where} ${denial.why}; its file is not among the scanned files. Applied here to ${describeUses(uses)}. ${remapHint('nest-guard', analysis.target)}`,
        nestException: GUARD_403,
      });
      coverLast(analysis, uses, filters);
    }
    const unknown = new Map<string, { uses: GuardUse[]; why: string }>();
    for (const { use, why } of found.unknown) {
      const key = guardText(use.node, { sourceFile: analysis.sourceFile, imports: analysis });
      const entry = unknown.get(key) ?? { uses: [], why };
      entry.uses.push(use);
      unknown.set(key, entry);
    }
    for (const { uses, why } of unknown.values()) {
      analysis.addSite({
        node: uses[0].node,
        framework: 'nestjs',
        manual: true,
        reason: `Implicit 403?: ${why}; if the guard can return false, Nest answers 403 on ${describeUses(uses)}. ${remapHint('nest-guard', analysis.target)}`,
        nestException: GUARD_403,
      });
      coverLast(analysis, uses, filters);
    }
  }
  for (const [member, { site, finding, analysis }] of classSites) {
    if (only && !only.has(analysis)) continue;
    const all = usesOf.get(member) ?? [];
    const uses = all.filter((u) => !u.graphql);
    // Used only on GraphQL resolvers: its false becomes a GraphQL error in a 200 answer, no HTTP 403.
    if (all.length && !uses.length) {
      analysis.sites.splice(analysis.sites.indexOf(site), 1);
      continue;
    }
    const applied = uses.length
      ? `Applied to ${describeUses(uses)}.`
      : 'No use found in the scanned files (it may be applied from files not scanned).';
    site.reason = `${finding} ${applied} ${remapHint('nest-guard', analysis.target)}`;
    settleGuardByFilters(site, uses, filters(), analysis.target);
  }
  for (const analysis of analyses)
    if (!analysis.options.testFile && (!only || only.has(analysis))) settleThrows(analysis, filters);
}

/** The site just added for `uses` (orphan or unreadable guard), settled by the run's filters. */
function coverLast(analysis: FileAnalysis, uses: readonly GuardUse[], filters: () => NestFilterChains): void {
  const site = analysis.sites[analysis.sites.length - 1];
  if (site?.nestException?.source === 'guard') settleGuardByFilters(site, uses, filters(), analysis.target);
}

/**
 * A guard's implicit 403 settled by the exception filters of every route it guards (nest-filter-chain.ts): covered
 * when each route's filter answers the agreed status, the filters that keep the 403 named otherwise. A guard used
 * for the whole app, through a decorator factory, or nowhere found is answered by the global filters only.
 */
function settleGuardByFilters(
  site: Site,
  uses: readonly GuardUse[],
  chains: NestFilterChains,
  target: number,
): void {
  const exception = site.nestException?.exception ?? 'ForbiddenException';
  const answers: RouteAnswer[] = [];
  if (!uses.length) answers.push(chains.global(exception));
  for (const use of uses) {
    if (use.applies.kind !== 'routes') answers.push(chains.global(exception));
    else
      for (const handler of use.applies.handlers)
        answers.push(chains.route(handler, use.analysis, exception));
  }
  settleByRouteFilters(site, answers, target, 'on every route this guard guards', true);
}

/**
 * The 403 exceptions a route handler of this file builds (`throw new ForbiddenException()`, frameworks/nestjs.ts)
 * that a filter of the route answers with the agreed status: covered, so not rewritten (the filter keeps answering
 * them as it did). Those a filter answers otherwise, or none, are rewritten as before.
 */
function settleThrows(analysis: FileAnalysis, filters: () => NestFilterChains): void {
  for (const site of analysis.sites) {
    const thrown = site.nestException;
    if (thrown?.source !== 'throw' || site.coveredBy) continue;
    const node = nodeAt(analysis.sourceFile, site.start);
    const route = node && routeOf(node, analysis, filters(), thrown.exception);
    if (!route) continue;
    // The filters of its route: a filter among none of them, nor registered for the whole app, never sees it.
    const classes = filters().routeFilterClasses(route.handler, analysis);
    if (classes) thrown.routeFilters = classes;
    const answer = filters().route(route.handler, analysis, thrown.exception);
    // A global filter answers every route's throws, a service's too: those are rewritten, so these are as well.
    if (answer.kind !== 'filter' || answer.global || answer.answer.kind !== 'remaps') continue;
    const on = route.handler.name.getText(analysis.sourceFile);
    settleByRouteFilters(site, [answer], analysis.target, `on the route ${on}`, false);
    if (!site.coveredBy) continue;
    site.kind = 'manual';
    site.edits = [];
    site.imports = [];
    site.replacement = null;
  }
}

/** "12 routes in 3 files (…), globally (APP_GUARD in app.module.ts), through RequiresScope()". */
function describeUses(uses: readonly GuardUse[]): string {
  const routes = new Set<ts.MethodDeclaration>();
  const files = new Set<string>();
  const global = new Set<string>();
  const composed = new Set<string>();
  for (const use of uses) {
    if (use.applies.kind === 'routes') {
      for (const handler of use.applies.handlers) routes.add(handler);
      files.add(use.analysis.file);
    } else if (use.applies.kind === 'global') global.add(`${use.applies.how} in ${use.analysis.file}`);
    else composed.add(`${use.applies.via}() in ${use.analysis.file}`);
  }
  const parts: string[] = [];
  if (files.size) {
    const list = [...files].sort();
    parts.push(
      `${routes.size} route${routes.size === 1 ? '' : 's'} in ${list.length} file${list.length === 1 ? '' : 's'} (${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})`,
    );
  }
  if (global.size) parts.push(`every route (${[...global].join('; ')})`);
  if (composed.size) parts.push(`the routes decorated through ${[...composed].join('; ')}`);
  return parts.join(', ');
}

function lineOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1;
}
