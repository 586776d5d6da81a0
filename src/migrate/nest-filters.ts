import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { literalNumber } from './analysis.js';
import { fixedStatus } from './declarations.js';
import { nodeAt } from './routes/reach.js';
import { extendsOf, resolveClass, type GuardScope } from './frameworks/nest-guards.js';
import { libraryClass } from './frameworks/error-library-table.js';
import { statusOfName } from './status-names.js';
import type { Site } from './types.js';
import { lineAndCharacterAt, linesOfText } from '../util/lines.js';

/**
 * NestJS exception filters that answer another status for a 403 error class (DESIGN §6 "Never guess", the remap
 * already in place): `@Catch(HttpForbiddenException) class F { catch(e, host) { …getResponse().status(401)… } }`
 * registered for the whole app (`app.useGlobalFilters(new F())`, `{ provide: APP_FILTER, useClass: F }`). A
 * throw of such a class never answers 403, so "answers 403 wherever it is thrown" (error-classes.ts) is not
 * true of it: the site stays manual (a person confirms the filter covers the mTLS routes) with a reason that
 * names the filter, its status and its registration. gitroomhq/postiz-app: 9 throws and the class.
 */
export interface CaughtClassInput {
  analyses: Iterable<FileAnalysis>;
  /**
   * The run's sites: the reasons of `error-classes` sites of caught classes are rewritten in place, and a
   * filter's "Dynamic status" that passes on the fixed statuses of the classes it catches is removed.
   */
  sites: Site[];
  /** Every non-test source file's relative path and text: where filters are registered. */
  texts: () => Iterable<{ file: string; text: string }>;
  target: number;
}

interface Filter {
  name: string;
  status: number;
  where: string;
  registered: string;
}

/**
 * Gives the sites of 403 classes (`error-classes` sites, and the `extends` sites of classes extending a framework's or
 * library's 403 class) that a registered Nest filter answers, by their own name or a project parent's, their true
 * reason.
 */
export function settleCaughtClasses(input: CaughtClassInput): void {
  // A project 403 class (error-classes.ts) and a class extending a framework's or library's 403 class (nestjs.ts,
  // error-libraries.ts), reported at its `extends`.
  const candidates = input.sites.filter(
    (s) => s.kind === 'manual' && (s.framework === 'error-classes' || s.form.startsWith('extends ')),
  );
  const byFile = new Map<string, FileAnalysis>();
  const found = new Map<string, Omit<Filter, 'registered'>>();
  for (const analysis of input.analyses) {
    byFile.set(analysis.file, analysis);
    if (analysis.options.testFile || !analysis.text.includes('Catch(')) continue;
    for (const [caught, filter] of filtersIn(analysis)) found.set(caught, filter);
  }
  for (const analysis of byFile.values())
    if (!analysis.options.testFile && analysis.text.includes('Catch('))
      dropKnownPassThroughs(analysis, input);
  if (!found.size) return;
  if (!candidates.length) return;
  const registered = registrations(input.texts(), new Set([...found.values()].map((f) => f.name)));
  for (const site of candidates) {
    const thrown = thrownClass(site);
    const caught = thrown
      ? { name: thrown, filter: found.get(thrown) }
      : caughtWithParents(byFile.get(site.file), site, found);
    const name = caught?.name;
    const filter = caught?.filter;
    const at = filter && registered.get(filter.name);
    if (!name || !filter || !at) continue;
    site.reason = `${name} is caught by the exception filter ${filter.name} (${filter.where}), registered for the whole app (${at}), which answers ${filter.status}: its throws never answer 403${filter.status === input.target ? '' : ` (check that ${filter.status} is what they should answer: the agreed status is ${input.target})`}. Nothing to change here; mark it // mtls-fix-ignore: <why> to close it.`;
  }
}

/** A Nest exception filter that answers one fixed status for ForbiddenException: a central remap (remaps.ts). */
export interface ForbiddenRemapFilter {
  /** The filter class's name. */
  name: string;
  /** The one status its `catch` writes. */
  status: number;
  /** `file:line` of the class. */
  where: string;
}

/**
 * The exception filters of the scanned (non-test) files that catch ForbiddenException (by name, or through
 * `HttpException`, which catches every HTTP exception) and answer one fixed status other than 403, by filter
 * class name: the filter migrate's own advice for a guard that returns false proposes (remaps.ts `nest-guard`).
 */
export function forbiddenRemapFilters(analyses: Iterable<FileAnalysis>): Map<string, ForbiddenRemapFilter> {
  const out = new Map<string, ForbiddenRemapFilter>();
  for (const analysis of analyses) {
    if (analysis.options.testFile || !analysis.text.includes('Catch(')) continue;
    for (const [caught, filter] of filtersIn(analysis))
      if (caught === 'ForbiddenException' || caught === 'HttpException') out.set(filter.name, filter);
  }
  return out;
}

/**
 * Where each named filter is registered for the whole app (`app.useGlobalFilters(new F())`, `{ provide:
 * APP_FILTER, useClass: F }`): filter name -> `file:line` of the registration.
 */
export function globalFilterRegistrations(
  texts: Iterable<{ file: string; text: string }>,
  names: ReadonlySet<string>,
): Map<string, string> {
  return registrations(texts, names);
}

/** `new C(...)`: the class a throw site builds. */
function thrownClass(site: Site): string | undefined {
  return /^new\s+([A-Za-z_$][\w$]*)\s*\(/.exec(site.form)?.[1];
}

/** The class a declaration site (its `super(…, 403)`, its `extends`) belongs to. */
function declaredClass(analysis: FileAnalysis, site: Site): ts.ClassDeclaration | undefined {
  for (let node = nodeAt(analysis.sourceFile, site.start); node; node = node.parent)
    if (ts.isClassDeclaration(node)) return node;
  return undefined;
}

/** How many project classes are followed up from a declared class to a filter's caught class. */
const MAX_PARENTS = 8;

/**
 * The class of a declaration site and the filter that catches it: one whose `@Catch` names the class itself, or
 * else a project class it extends (Nest matches a filter by `instanceof`, so `@Catch(NoAccess)` catches `class
 * PlanLimit extends NoAccess` too), followed through other files, aliases and barrels (nest-guards.ts
 * `resolveClass`). `filter` is undefined when none catches it; undefined when the site is in no class.
 */
function caughtWithParents(
  analysis: FileAnalysis | undefined,
  site: Site,
  found: ReadonlyMap<string, Omit<Filter, 'registered'>>,
): { name: string; filter?: Omit<Filter, 'registered'> } | undefined {
  const declared = analysis && declaredClass(analysis, site);
  const name = declared?.name?.text;
  if (!analysis || !declared || !name) return undefined;
  let cls: ts.ClassLikeDeclaration = declared;
  let scope: GuardScope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
  for (let depth = 0; depth < MAX_PARENTS; depth++) {
    const filter = cls.name && found.get(cls.name.text);
    if (filter) return { name, filter };
    const parent = extendsOf(cls);
    const next = parent && resolveClass(parent, scope);
    if (!next || 'why' in next) break;
    cls = next.cls;
    scope = next.scope;
  }
  return { name };
}

/** The filters of a file: caught class name -> the filter and the one status its `catch` writes. */
function filtersIn(analysis: FileAnalysis): Map<string, Omit<Filter, 'registered'>> {
  const out = new Map<string, Omit<Filter, 'registered'>>();
  const sourceFile = analysis.sourceFile;
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const caught = caughtClasses(statement);
    if (!caught.length) continue;
    const method = statement.members.find(
      (m): m is ts.MethodDeclaration =>
        ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === 'catch' && Boolean(m.body),
    );
    const status = method?.body && writtenStatus(method.body);
    if (status === undefined || status === 403) continue;
    const line = lineAndCharacterAt(sourceFile, statement.getStart(sourceFile)).line + 1;
    for (const name of caught)
      out.set(name, { name: statement.name.text, status, where: `${analysis.file}:${line}` });
  }
  return out;
}

/** `@Catch(A, B)`: the classes a filter catches, by name (none for `@Catch()`, which catches everything). */
function caughtClasses(cls: ts.ClassDeclaration): string[] {
  for (const decorator of ts.getDecorators(cls) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'Catch')
      continue;
    return call.arguments.filter(ts.isIdentifier).map((a) => a.text);
  }
  return [];
}

/** Status setters a filter's `catch` answers with (Express `res.status`, Fastify `reply.code`, `sendStatus`). */
const SETTERS = new Set(['status', 'code', 'sendStatus', 'writeHead']);

/**
 * The one status a `catch` body writes (`response.status(401)`, `.status(HttpStatus.UNAUTHORIZED)`); undefined
 * when it writes none, several, or one known only at run time (`exception.getStatus()`).
 */
function writtenStatus(body: ts.Block): number | undefined {
  const values = new Set<number>();
  let unknown = false;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      SETTERS.has(node.expression.name.text) &&
      node.arguments[0]
    ) {
      const value = statusValue(node.arguments[0]);
      if (value === undefined) unknown = true;
      else values.add(value);
    }
    node.forEachChild(visit);
  };
  visit(body);
  return !unknown && values.size === 1 ? [...values][0] : undefined;
}

function statusValue(argument: ts.Expression): number | undefined {
  const literal = literalNumber(argument);
  if (literal !== undefined) return literal;
  return ts.isPropertyAccessExpression(argument) && ts.isIdentifier(argument.expression)
    ? statusOfName(argument.name.text)
    : undefined;
}

/** Where each filter is registered for the whole app: `useGlobalFilters(… new F() …)`, `APP_FILTER … useClass: F`. */
function registrations(
  texts: Iterable<{ file: string; text: string }>,
  names: ReadonlySet<string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const { file, text } of texts) {
    if (!text.includes('useGlobalFilters') && !text.includes('APP_FILTER')) continue;
    for (const name of names) {
      if (out.has(name)) continue;
      const word = name.replace(/\$/g, '\\$');
      const match =
        new RegExp(`useGlobalFilters\\([^;]*?\\bnew\\s+${word}\\b`).exec(text) ??
        new RegExp(`APP_FILTER[\\s\\S]{0,200}?useClass:\\s*${word}\\b`).exec(text);
      // The line of the filter's name: the registration itself, not an import the pattern started from.
      if (match) out.set(name, `${file}:${linesOfText(text).line(match.index + match[0].length)}`);
    }
  }
  return out;
}

/**
 * `@Catch(SubscriptionException) class F { catch(exception, host) { response.status(exception.getStatus()) } }`:
 * the status is the caught exception's, and each caught class fixes one (`super(m, HttpStatus.PAYMENT_REQUIRED)`,
 * in this file or imported). When none of them is 403, the filter's "Dynamic status" sites are not true: they go.
 * A filter catching everything (`@Catch()`), or a class whose status is not known, keeps them.
 */
function dropKnownPassThroughs(analysis: FileAnalysis, input: CaughtClassInput): void {
  for (const statement of analysis.sourceFile.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const caught = caughtClasses(statement);
    if (!caught.length) continue;
    const statuses = caught.map((name) => classStatus(analysis, name));
    if (statuses.some((status) => status === undefined || status === 403)) continue;
    const method = statement.members.find(
      (m): m is ts.MethodDeclaration =>
        ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === 'catch' && Boolean(m.body),
    );
    const parameter = method?.parameters[0]?.name;
    if (!method?.body || !parameter || !ts.isIdentifier(parameter)) continue;
    if (!onlyCaughtStatus(method.body, parameter.text)) continue;
    const start = method.body.getStart(analysis.sourceFile);
    const end = method.body.getEnd();
    for (let i = input.sites.length - 1; i >= 0; i--) {
      const site = input.sites[i];
      if (
        site &&
        site.file === analysis.file &&
        site.kind === 'manual' &&
        site.start >= start &&
        site.end <= end &&
        /^Dynamic status/.test(site.reason ?? '')
      )
        input.sites.splice(i, 1);
    }
  }
}

/** The status a caught class fixes: declared in this file, or imported (the cross-file link). */
function classStatus(analysis: FileAnalysis, name: string): number | undefined {
  const local = analysis.sourceFile.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name,
  );
  if (local) return fixedStatus(local);
  const binding = analysis.imports.get(name);
  if (!binding) return undefined;
  return (
    libraryClass(binding.module, binding.name)?.status ?? analysis.options.link?.classStatus(binding)?.value
  );
}

/**
 * Whether every status the `catch` body writes is the caught exception's own (`exception.getStatus()`, directly
 * or through a `const status = exception.getStatus()`), and it writes at least one.
 */
function onlyCaughtStatus(body: ts.Block, exception: string): boolean {
  const fromException = new Set<string>();
  const isGetStatus = (e: ts.Expression): boolean =>
    ts.isCallExpression(e) &&
    ts.isPropertyAccessExpression(e.expression) &&
    e.expression.name.text === 'getStatus' &&
    ts.isIdentifier(e.expression.expression) &&
    e.expression.expression.text === exception;
  let writes = 0;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      isGetStatus(node.initializer) &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    )
      fromException.add(node.name.text);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      SETTERS.has(node.expression.name.text) &&
      node.arguments[0]
    ) {
      const argument = node.arguments[0];
      writes++;
      if (!isGetStatus(argument) && !(ts.isIdentifier(argument) && fromException.has(argument.text)))
        other = true;
    }
    node.forEachChild(visit);
  };
  visit(body);
  return writes > 0 && !other;
}
