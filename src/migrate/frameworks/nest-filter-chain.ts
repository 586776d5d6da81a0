import ts from '../../typescript.cjs';
import { shorten, skipOuter, type FileAnalysis } from '../analysis.js';
import {
  catchesException,
  filterClass,
  type CaughtClasses,
  type FilterAnswer,
} from '../nest-filter-answers.js';
import { namedClass } from '../remaps-handlers.js';
import { writtenValue } from '../local-values.js';
import { globalFilters } from '../remaps-nest.js';
import { readGuardOptions, RUNTIME_MODULES } from '../remaps-runtime.js';
import type { NestException, Site } from '../types.js';
import { lineAt } from '../../util/lines.js';

/**
 * The exception filters that answer a NestJS route's HttpExceptions, in the order Nest tries them (session 41;
 * NestJS "Exception filters", @nestjs/core RouterExceptionFilters: the handler's `@UseFilters(…)`, then its
 * controller's, then those registered for the whole app, each list from its last entry to its first); the first
 * whose `@Catch` takes the exception answers it (nest-filter-answers.ts). Read:
 * - `@UseFilters(F)` / `@UseFilters(new F(…))` on a route handler or its controller, `F` declared in the file or
 *   imported (followed to its file), or held by a local; mtls-fix's own `MtlsGuardFilter` (`mtls-fix/runtime`),
 *   whose status is its `status` option (else the config file's);
 * - `app.useGlobalFilters(new F())`, `{ provide: APP_FILTER, useClass: F }` in the scanned files (remaps-nest.ts);
 *   a global `MtlsGuardFilter` is settled later (remaps-covered.ts), where every file is read.
 * A filter whose class mtls-fix cannot read (a package's, an expression) stops the chain: what it answers is named
 * as unknown, never guessed. A guard's 403 is settled here for every route that uses it (nest-guard-sites.ts), and
 * so is a `new ForbiddenException(…)` / `new HttpException(…, 403)` written in a route handler (or a private method
 * of its controller): a route filter that answers the agreed status covers it, and it is not rewritten.
 */

const COMMON = ['@nestjs/common'];
/** Route decorators of @nestjs/common: a decorated method is a route handler. */
const ROUTE_DECORATORS = ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Search', 'Sse'];

/** A filter where a route or the app applies it. */
export interface AppliedFilter {
  /** How the report names it: `the exception filter F (src/f.ts:4, in @UseFilters on AppController in src/a.ts)`. */
  named: string;
  /** Its class name as written. */
  name: string;
  /** `file:line` of its class, when read. */
  where?: string;
  /** The classes its `@Catch` names; undefined when its class cannot be read. */
  catches?: CaughtClasses;
  answer(exception: NestException['exception']): FilterAnswer;
  /** mtls-fix's `MtlsGuardFilter`: it answers only clients with a verified certificate. */
  runtime?: { trustHeader?: string; statusUnread?: string };
  /** A global registration: `app.useGlobalFilters(…)` or an `APP_FILTER` provider, its file and offset. */
  registered?: { kind: 'useGlobalFilters' | 'APP_FILTER'; file: string; at: number };
}

/** What answers a 403 exception on one route. */
export type RouteAnswer =
  /**
   * `global`: a filter registered for the whole app; else the handler's or its controller's. `pending`: the filter
   * writes 403 itself in a site this run rewrites, so it answers the agreed status once written (`answer` says so).
   */
  | {
      kind: 'filter';
      filter: AppliedFilter;
      answer: FilterAnswer;
      global?: true;
      pending?: { site: Site; line: number };
    }
  /** Several filters registered for the whole app catch it and answer differently; which runs first is not read. */
  | { kind: 'several'; filters: readonly AppliedFilter[] }
  /** No filter read catches it: Nest's own handler answers 403 (a global filter read later may remap it). */
  | { kind: 'none' };

/** Whether a method is a route handler (a @nestjs/common route decorator on it). */
export function isRoute(method: ts.MethodDeclaration, analysis: FileAnalysis): boolean {
  return (ts.getDecorators(method) ?? []).some((d) => {
    const expression = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    return ROUTE_DECORATORS.some((name) => analysis.resolvesTo(expression, COMMON, name));
  });
}

/** The route filters and global filters of a run, each read once (see the module comment). */
export class NestFilterChains {
  private globalList: AppliedFilter[] | undefined;
  private readonly scopedLists = new Map<ts.Node, AppliedFilter[]>();

  /**
   * @param analyses the run's analyses (test files are skipped: a test's filters are stand-ins)
   * @param target the agreed status (a `MtlsGuardFilter` with no `status` option answers it)
   */
  constructor(
    private readonly analyses: readonly FileAnalysis[],
    private readonly target: number,
  ) {}

  /** What answers `exception` on the route `handler` (a method of a controller class in `analysis`). */
  route(
    handler: ts.MethodDeclaration,
    analysis: FileAnalysis,
    exception: NestException['exception'],
  ): RouteAnswer {
    const cls = handler.parent;
    const scoped = [
      ...this.scoped(handler, analysis),
      ...(ts.isClassLike(cls) ? this.scoped(cls, analysis) : []),
    ];
    return this.answer(scoped, exception);
  }

  /** What answers `exception` where only the global filters apply (a global guard, a guard of composed decorators). */
  global(exception: NestException['exception']): RouteAnswer {
    return this.answer([], exception);
  }

  /**
   * The `file:line` of the class of each filter a route applies itself (its handler's and its controller's
   * `@UseFilters`); undefined when one of them cannot be read (it may be any class).
   */
  routeFilterClasses(handler: ts.MethodDeclaration, analysis: FileAnalysis): string[] | undefined {
    const cls = handler.parent;
    const all = [
      ...this.scoped(handler, analysis),
      ...(ts.isClassLike(cls) ? this.scoped(cls, analysis) : []),
    ];
    const wheres = all.map((f) => (f.runtime ? 'mtls-fix/runtime' : f.where));
    return wheres.every((w): w is string => w !== undefined) ? wheres : undefined;
  }

  /** Whether `node` (a handler or a controller) has a `@UseFilters(…)` whose filters may take `exception`. */
  hasOwn(node: ts.Node, analysis: FileAnalysis, exception: NestException['exception']): boolean {
    return this.scoped(node, analysis).some((f) => !f.catches || catchesException(f.catches, exception));
  }

  private answer(scoped: readonly AppliedFilter[], exception: NestException['exception']): RouteAnswer {
    const found = this.chain(scoped, exception);
    if (found.kind !== 'filter' || found.answer.kind !== 'passes' || !found.answer.written) return found;
    const pending = this.rewriteAt(found.answer.written);
    return pending ? { ...found, answer: { kind: 'remaps', status: this.target }, pending } : found;
  }

  /**
   * The rewrite of this run at a filter's `response.status(403)` (the site whose span holds `written.start`), when
   * the file holds no mtls-fix-ignore marker (which could leave it as it is); undefined otherwise.
   */
  private rewriteAt(written: { file: string; start: number }): { site: Site; line: number } | undefined {
    const analysis = this.analyses.find((a) => a.file === written.file && !a.options.testFile);
    if (!analysis || analysis.text.includes('mtls-fix-ignore')) return undefined;
    const site = analysis.sites.find(
      (s) => s.kind === 'rewrite' && s.span.start <= written.start && written.start < s.span.end,
    );
    return site && { site, line: lineAt(analysis.sourceFile, site.start) };
  }

  private chain(scoped: readonly AppliedFilter[], exception: NestException['exception']): RouteAnswer {
    for (const filter of scoped)
      if (!filter.catches || catchesException(filter.catches, exception))
        return { kind: 'filter', filter, answer: filter.answer(exception) };
    const globals = this.globals().filter((f) => !f.catches || catchesException(f.catches, exception));
    const [first] = globals;
    if (!first) return { kind: 'none' };
    const key = (f: AppliedFilter): string => JSON.stringify(f.answer(exception));
    if (globals.some((f) => key(f) !== key(first))) {
      // `app.useGlobalFilters(A); app.useGlobalFilters(B)` in one file: Nest tries B first. Registrations in several
      // files, or APP_FILTER providers (added as their modules are set up), are in no order mtls-fix reads.
      const ordered = globals.every(
        (f) => f.registered?.kind === 'useGlobalFilters' && f.registered.file === first.registered?.file,
      );
      if (!ordered) return { kind: 'several', filters: globals };
      const last = globals.reduce((a, b) => ((b.registered?.at ?? 0) > (a.registered?.at ?? 0) ? b : a));
      return { kind: 'filter', filter: last, answer: last.answer(exception), global: true };
    }
    return { kind: 'filter', filter: first, answer: first.answer(exception), global: true };
  }

  /** The filters of `@UseFilters(…)` on a node, in the order Nest tries them (last decorator entry first). */
  private scoped(node: ts.Node, analysis: FileAnalysis): AppliedFilter[] {
    let found = this.scopedLists.get(node);
    if (found) return found;
    found = [];
    const on =
      (ts.isClassLike(node) || ts.isMethodDeclaration(node)) && node.name
        ? node.name.getText(analysis.sourceFile)
        : 'this handler';
    // Decorators run from the last to the first, each appending its list; Nest tries the whole list backwards.
    const lists: ts.Expression[][] = [];
    for (const decorator of ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : []) {
      const call = decorator.expression;
      if (ts.isCallExpression(call) && analysis.resolvesTo(call.expression, COMMON, 'UseFilters'))
        lists.push([...call.arguments]);
      else {
        // A project decorator that applies filters itself (`applyDecorators(UseGuards(G), UseFilters(F))`, `const
        // Filtered = UseFilters(F)`): which of them Nest tries first is not read, so it stops the chain, named.
        const composed = composedFilters(call, analysis);
        if (composed) {
          const answer: FilterAnswer = {
            kind: 'unread',
            why: 'mtls-fix does not read the filters a decorator of the project applies',
          };
          found.push({
            named: `the filters the decorator ${composed} applies (on ${on} in ${analysis.file})`,
            name: composed,
            answer: () => answer,
          });
        }
      }
    }
    for (const list of lists)
      for (const argument of [...list].reverse())
        found.push(this.applied(argument, analysis, `in @UseFilters on ${on} in ${analysis.file}`));
    this.scopedLists.set(node, found);
    return found;
  }

  /** The filters registered for the whole app in the scanned files, but mtls-fix's own (remaps-covered.ts). */
  private globals(): AppliedFilter[] {
    if (this.globalList) return this.globalList;
    const out: AppliedFilter[] = [];
    for (const analysis of this.analyses) {
      if (analysis.options.testFile) continue;
      for (const registration of globalFilters(analysis)) {
        if (analysis.resolvesTo(registration.filterClass, RUNTIME_MODULES, 'MtlsGuardFilter')) continue;
        const at = registration.filterClass.getStart(analysis.sourceFile);
        const line = lineAt(analysis.sourceFile, at);
        out.push({
          ...this.applied(
            registration.filterClass,
            analysis,
            `registered for the whole app at ${analysis.file}:${line}`,
          ),
          registered: { kind: registration.kind, file: analysis.file, at },
        });
      }
    }
    return (this.globalList = out);
  }

  /** A filter as written in `@UseFilters(…)` or a global registration (`F`, `new F(o)`, a local holding one). */
  private applied(argument: ts.Expression, analysis: FileAnalysis, how: string): AppliedFilter {
    const sourceFile = analysis.sourceFile;
    const value = writtenValue(argument, sourceFile) ?? argument;
    const made = ts.isNewExpression(value) ? value : undefined;
    const callee = skipOuter(made ? made.expression : value);
    const text = shorten(callee.getText(sourceFile));
    if (analysis.resolvesTo(callee, RUNTIME_MODULES, 'MtlsGuardFilter')) {
      const read = readGuardOptions(
        writtenValue(made?.arguments?.[0], sourceFile),
        sourceFile,
        this.target,
        (e) => analysis.statusValue(e),
      );
      const answer: FilterAnswer = { kind: 'remaps', status: read.status };
      return {
        named: `mtls-fix/runtime MtlsGuardFilter (${how})`,
        name: 'MtlsGuardFilter',
        catches: ['HttpException'],
        answer: () => answer,
        runtime: {
          ...(read.trustHeader ? { trustHeader: read.trustHeader } : {}),
          ...(read.statusUnread ? { statusUnread: read.statusUnread } : {}),
        },
      };
    }
    const found = ts.isIdentifier(callee) ? namedClass(callee.text, analysis) : undefined;
    const filter = found && filterClass(found.declaration, found.file);
    if (filter)
      return {
        named: `the exception filter ${filter.name} (${filter.where}, ${how})`,
        name: filter.name,
        where: filter.where,
        catches: filter.catches,
        answer: (exception) => filter.answer(exception),
      };
    const binding = ts.isIdentifier(callee) ? analysis.imports.get(callee.text) : undefined;
    const why = found
      ? 'its class has no @Catch decorator'
      : binding
        ? `its class, imported from '${binding.module}', is not read`
        : 'its class is not read';
    const answer: FilterAnswer = { kind: 'unread', why };
    return { named: `the exception filter ${text} (${how})`, name: text, answer: () => answer };
  }
}

/**
 * The name and place of a project decorator `expression` calls or names whose declaration applies exception filters
 * (its text holds `UseFilters`): declared in the file, or imported from a project file (followed through the link).
 * Undefined for any other decorator (a package's, one with no filters).
 */
function composedFilters(expression: ts.Expression, analysis: FileAnalysis): string | undefined {
  const callee = skipOuter(ts.isCallExpression(expression) ? expression.expression : expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const name = callee.text;
  const binding = analysis.imports.get(name);
  const declared = binding ? analysis.options.link?.declaration?.(binding) : undefined;
  if (binding && !declared) return undefined;
  const sourceFile = declared?.sourceFile ?? analysis.sourceFile;
  const local = declared?.name ?? name;
  for (const statement of sourceFile.statements) {
    const declaration = ts.isFunctionDeclaration(statement)
      ? statement.name?.text === local && statement
      : ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === local)
        : undefined;
    if (!declaration) continue;
    if (!/\bUseFilters\b/.test(declaration.getText(sourceFile))) return undefined;
    const file = declared
      ? (analysis.options.link?.relative?.(declared.file) ?? declared.file)
      : analysis.file;
    return `${name} (${file}:${lineAt(sourceFile, declaration.getStart(sourceFile))})`;
  }
  return undefined;
}

/**
 * A site settled by what answers it on each of its routes (`answers`, one per route): covered when each is a filter
 * that answers the agreed status; otherwise the filters that keep the 403 (another status, passed on, unread) are
 * named in the reason (`name`: true) and the site is marked decided (`Site.nestException.filtersDecided`). Routes
 * no filter read answers leave it to the global filters read later. `where`: the routes, for the cover's text
 * (`on every route this guard guards`).
 */
export function settleByRouteFilters(
  site: Site,
  answers: readonly RouteAnswer[],
  target: number,
  where: string,
  name: boolean,
): void {
  if (!answers.length) return;
  const covering = new Set<AppliedFilter>();
  let pending: { site: Site; line: number } | undefined;
  const problems: string[] = [];
  const others: AppliedFilter[] = [];
  let open = false;
  const exception = site.nestException?.exception ?? 'ForbiddenException';
  for (const answer of answers) {
    if (answer.kind === 'none') open = true;
    else if (answer.kind === 'several')
      problems.push(
        `${capital(answer.filters.map((f) => f.named).join(' and '))} all catch ${exception} and answer differently; mtls-fix does not read which of them answers first, so none counts.`,
      );
    else {
      const { filter, answer: said } = answer;
      if (said.kind === 'remaps' && filter.runtime?.statusUnread)
        problems.push(
          `${capital(filter.named)} is given ${filter.runtime.statusUnread}, which mtls-fix cannot read, so it counts for no status: write the agreed ${target} in place.`,
        );
      else if (said.kind === 'remaps' && said.status === target) {
        covering.add(filter);
        pending ??= answer.pending;
      } else if (said.kind === 'remaps') {
        covering.add(filter);
        if (!others.includes(filter)) others.push(filter);
      } else if (said.kind === 'passes')
        problems.push(
          `${capital(filter.named)} catches ${exception} but ${said.how}, so the 403 stands${said.written ? ` until that status answers ${target} (it is a site of its own: once it is rewritten, a run reads the filter as covering this)` : ''}.`,
        );
      else
        problems.push(
          `mtls-fix cannot read what ${filter.named} answers for ${exception} (${said.why}), so it counts for no status.`,
        );
    }
  }
  const named = [...covering].map((f) => f.named);
  if (others.length)
    problems.unshift(
      `The guarded routes are remapped by ${named.join(' and ')}, but ${others.map((f) => `${f.name} answers ${statusOf(f, exception)}`).join(', ')}, not the agreed ${target}: make it answer ${target}.`,
    );
  if (problems.length) {
    if (!site.nestException) return;
    site.nestException.filtersDecided = true;
    if (name) site.reason = `${site.reason ?? ''} ${[...new Set(problems)].join(' ')}`;
    return;
  }
  if (open || !covering.size) return;
  const runtime = [...covering].find((f) => f.runtime);
  const trust = runtime?.runtime?.trustHeader;
  const once = pending
    ? ` once its ${pending.site.form} at ${pending.site.file}:${pending.line} is rewritten, as this run does`
    : '';
  site.coveredBy = `${named.join(' and ')}, which answers ${target} for ${exception} ${where}${once}${runtime ? ` (mtls-fix/runtime MtlsGuardFilter: to clients with a verified certificate${trust ? `, or with the header ${trust} its trustHeader names, which your proxy must set on every request` : ''})` : ''}`;
  if (!site.nestException) return;
  site.nestException.filtersDecided = true;
  if (pending) site.nestException.pendingRewrite = { file: pending.site.file, start: pending.site.start };
  // A bootstrap file's useGlobalFilters does not run in a test app made from the module; the others do.
  if (
    answers.every(
      (a) =>
        a.kind === 'filter' && !a.filter.runtime && (!a.global || a.filter.registered?.kind === 'APP_FILTER'),
    )
  )
    site.nestException.coveredInTests = true;
}

function statusOf(filter: AppliedFilter, exception: NestException['exception']): string {
  const answer = filter.answer(exception);
  return answer.kind === 'remaps' ? String(answer.status) : 'another status';
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The route a 403 exception written at `node` is thrown on: the route handler it is written in, or a private
 * method of a controller none of whose handlers has filters of its own that may take it (then the controller's
 * filters answer it on every route that calls the method). Undefined elsewhere (a service, a guard, a function).
 */
export function routeOf(
  node: ts.Node,
  analysis: FileAnalysis,
  chains: NestFilterChains,
  exception: NestException['exception'],
): { handler: ts.MethodDeclaration } | undefined {
  let method: ts.MethodDeclaration | undefined;
  for (let up: ts.Node | undefined = node.parent; up; up = up.parent)
    if (ts.isMethodDeclaration(up) && ts.isClassLike(up.parent)) {
      method = up;
      break;
    }
  if (!method?.body || !ts.isClassDeclaration(method.parent)) return undefined;
  if (isRoute(method, analysis)) return { handler: method };
  const isPrivate =
    ts.isPrivateIdentifier(method.name) ||
    (ts.getModifiers(method) ?? []).some(
      (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
    );
  if (!isPrivate) return undefined;
  const routes = method.parent.members.filter(
    (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && isRoute(m, analysis),
  );
  if (!routes.length || routes.some((r) => chains.hasOwn(r, analysis, exception))) return undefined;
  return { handler: method };
}
