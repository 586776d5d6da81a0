import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import type { FunctionLike } from '../scope.js';
import type { HelperParam } from './types.js';
import type { Site } from '../types.js';
import { helperNote, helperNoteHead } from './helper-note-text.js';
import { argumentIndex } from './syntax.js';
import { settledForbidden } from './deferred-candidates.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * The note of a shared helper (a function whose parameter becomes the status, call-sites.ts), worded from what
 * the run did (session 33, breaker33 #06): it said "call sites that pass 403 are rewritten" before any call was
 * matched, and stayed so when none was (nodeclub's `res.renderError = function (msg, statusCode)` installed by a
 * middleware and called as `res.renderError('…', 403)` in other files: no import links those calls to it; since
 * session 34 installed-helpers.ts links them when every installation of the name takes the status there).
 */

/** A call linked to a helper: where it is (`file:line`), the call and the analysis of its file. */
interface LinkedCall {
  place: string;
  call: ts.Node;
  analysis: FileAnalysis;
}

/** The calls rewritten through each helper function, by parameter (`index:property`). */
const LINKED = new WeakMap<FunctionLike, Map<string, LinkedCall[]>>();
/** The note site of each helper, once found (its reason is reworded by each `settleHelperNotes`). */
const NOTE_SITES = new WeakMap<HelperParam, Site>();
/** Every call rewritten through some helper (a call of another helper of the same name is no unlinked call). */
const LINKED_CALLS = new WeakSet<ts.Node>();

/** Records that `call` of `analysis` passes 403 to a status parameter of `fn` and is rewritten through it. */
export function noteLinkedCall(helper: HelperParam, analysis: FileAnalysis, call: ts.Node): void {
  const line = lineAndCharacterAt(analysis.sourceFile, call.getStart(analysis.sourceFile)).line + 1;
  const place = `${analysis.file}:${line}`;
  const byParameter = LINKED.get(helper.fn) ?? new Map<string, LinkedCall[]>();
  const key = parameterKey(helper);
  const calls = byParameter.get(key) ?? [];
  if (!calls.some((c) => c.call === call)) calls.push({ place, call, analysis });
  byParameter.set(key, calls);
  LINKED.set(helper.fn, byParameter);
  LINKED_CALLS.add(call);
}

/** Whether `call` was rewritten through some helper this run (installed-helpers.ts names the others). */
export function isLinkedCall(call: ts.Node): boolean {
  return LINKED_CALLS.has(call);
}

const SHOWN = 4;

function parameterKey(helper: HelperParam): string {
  return `${helper.index}:${helper.property ?? ''}`;
}

/**
 * Rewords every shared helper's note once the helper calls of the run are settled (run-helpers.ts): the calls
 * rewritten through it (`file:line`, at most four shown), or that none was, with the calls passing 403 to a
 * function of its name that were not linked to it (`res.renderError('…', 403)`), to change by hand. Mutates
 * the helper sites' `reason`. Called again once the run has decided its sites (engine.ts, house37b): a linked
 * call whose site is no longer a rewrite the run makes (a test's own call demoted to a test fixture under
 * `--include-tests`, one marked `// mtls-fix-ignore`, left out by `--spec`, refused) is not counted as
 * rewritten.
 *
 * @param rewritten whether a site of the run is rewritten (or would be); every linked call's site is, unless told.
 */
export function settleHelperNotes(
  analyses: Iterable<FileAnalysis>,
  rewritten: (site: Site) => boolean = () => true,
): void {
  const all = [...analyses];
  const known = new Set(all);
  for (const analysis of all) {
    for (const helper of analysis.helpers) {
      const trpc = helper.framework === 'trpc';
      const before = helperNote(helper.name, trpc);
      const site =
        NOTE_SITES.get(helper) ??
        analysis.sites.find(
          (s) =>
            s.kind === 'manual' && s.reason === before && helper.fn.pos <= s.start && s.end <= helper.fn.end,
        );
      if (!site || !analysis.sites.includes(site)) continue;
      NOTE_SITES.set(helper, site);
      // Calls of the files read aside (skipped-tests.ts) are no calls of this run.
      const calls = (LINKED.get(helper.fn)?.get(parameterKey(helper)) ?? []).filter((c) =>
        known.has(c.analysis),
      );
      const linked = places(calls.filter((c) => callRewritten(c, rewritten)));
      const left = places(calls).filter((place) => !linked.includes(place));
      const what = trpc ? "'FORBIDDEN'" : '403';
      const head = helperNoteHead(helper.name, trpc);
      // A linked call the run does not rewrite: a test's own call (a fixture), ignored, out of scope, refused.
      const leftNote = left.length
        ? ` ${linked.length ? `${left.length} more linked call${left.length === 1 ? ' is' : 's are'}` : `The ${left.length} call${left.length === 1 ? '' : 's'} passing ${what} that this run links to it ${left.length === 1 ? 'is' : 'are'}`} not rewritten (${shown(left)}: a test's own code, an ignored, out-of-scope or refused call).`
        : '';
      if (linked.length) {
        site.reason = `${head} The ${linked.length} call${linked.length === 1 ? '' : 's'} passing ${what} that this run links to it ${linked.length === 1 ? 'is' : 'are'} rewritten (${shown(linked)});${leftNote ? `${leftNote.slice(0, -1)};` : ''} check the other callers${trpc ? '' : ' and any default value'}.`;
        continue;
      }
      if (left.length) {
        site.reason = `${head}${leftNote} None is rewritten through it: find its other callers and change those that pass ${what} by hand${trpc ? '' : '; check any default value'}.`;
        continue;
      }
      const unlinked = unlinkedCalls(all, memberName(helper.fn), argumentIndex(helper.fn, helper.index));
      // `class ForbiddenError extends HttpError { constructor() { super(403, …) } }`: the 403 reaches this
      // constructor through a subclass, named at the subclass (error-classes): say so, not "no call".
      const subclasses = unlinked.length ? [] : subclassCalls(all, helper);
      if (subclasses.length) {
        site.reason = `${head} ${subclasses.length === 1 ? 'A subclass passes' : `${subclasses.length} subclasses pass`} ${what} to it through super(…) (${shown(subclasses)}), named there; no other call passing ${what} was linked to it: find its other callers and change those that pass ${what} by hand; check any default value.`;
        continue;
      }
      if (!unlinked.length && isServerEntry(analysis, helper)) {
        site.reason = serverEntryNote(helper.name);
        continue;
      }
      site.reason = unlinked.length
        ? `${head} No call passing ${what} was linked to it, so none is rewritten through it; calls of a function or method of its name that pass ${what} (${shown(unlinked)}) were NOT rewritten: change them to ${analysis.target} by hand${trpc ? '' : ', and check any default value'}.`
        : `${head} No call passing ${what} was linked to it, so none is rewritten through it: find its callers and change those that pass ${what} by hand${trpc ? '' : '; check any default value'}.`;
    }
  }
}

/** Whether a linked call is still a site of its file that `rewritten` accepts (not demoted or dropped). */
function callRewritten(linked: LinkedCall, rewritten: (site: Site) => boolean): boolean {
  const { call, analysis } = linked;
  const start = call.getStart(analysis.sourceFile);
  const end = call.getEnd();
  return analysis.sites.some((s) => s.kind === 'rewrite' && start <= s.start && s.end <= end && rewritten(s));
}

/** The places of linked calls, each once. */
function places(calls: readonly LinkedCall[]): string[] {
  return [...new Set(calls.map((c) => c.place))];
}

function shown(places: readonly string[]): string {
  return places.length > SHOWN
    ? `${places.slice(0, SHOWN).join(', ')} and ${places.length - SHOWN} more`
    : places.join(', ');
}

/** The name a helper is called by: its own, or the property it is assigned to (`res.renderError = function`). */
function memberName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  let value: ts.Node = fn;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const holder = value.parent;
  if (ts.isBinaryExpression(holder) && holder.right === value && ts.isPropertyAccessExpression(holder.left))
    return holder.left.name.text;
  if (ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  return undefined;
}

/**
 * The subclasses of the run whose constructor passes the status parameter of `helper` (a class's constructor)
 * through `super(…)` where a site of the run covers that argument (`super(403, msg)`, named at the subclass):
 * `Name (file:line)` of each `super` call. Only files whose text says `extends Name` are walked.
 */
function subclassCalls(analyses: readonly FileAnalysis[], helper: HelperParam): string[] {
  const fn = helper.fn;
  const owner = ts.isConstructorDeclaration(fn) ? fn.parent : undefined;
  const name = owner && ts.isClassLike(owner) ? owner.name?.text : undefined;
  if (!name || helper.property !== undefined) return [];
  const index = argumentIndex(fn, helper.index);
  const extendsName = new RegExp(`\\bextends\\s+(?:[\\w$]+\\.)*${name.replace(/\$/g, '\\$')}\\b`);
  const out: string[] = [];
  for (const analysis of analyses) {
    if (!extendsName.test(analysis.sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassLike(node) && extendsNamed(node, name)) {
        const call = superCall(node);
        const argument = call?.arguments[index];
        if (call && argument && coveredBySite(analysis, argument)) {
          const line = lineAndCharacterAt(analysis.sourceFile, call.getStart(analysis.sourceFile)).line + 1;
          out.push(`${node.name?.text ?? 'a class'} at ${analysis.file}:${line}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(analysis.sourceFile);
  }
  return out;
}

/** Whether a class's `extends` clause names `name` (`extends HttpError`, `extends errors.HttpError`). */
function extendsNamed(cls: ts.ClassLikeDeclaration, name: string): boolean {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const base = clause?.types[0]?.expression;
  if (!base) return false;
  const last = ts.isPropertyAccessExpression(base) ? base.name : base;
  return ts.isIdentifier(last) && last.text === name;
}

/** The `super(…)` call of a class's constructor, at its top level; undefined when none. */
function superCall(cls: ts.ClassLikeDeclaration): ts.CallExpression | undefined {
  const constructor = cls.members.find(ts.isConstructorDeclaration);
  for (const statement of constructor?.body?.statements ?? []) {
    const expression = ts.isExpressionStatement(statement) ? statement.expression : undefined;
    if (
      expression &&
      ts.isCallExpression(expression) &&
      expression.expression.kind === ts.SyntaxKind.SuperKeyword
    )
      return expression;
  }
  return undefined;
}

/**
 * Whether a site of the file that names a 403 covers `node`: the subclass's own (a rewrite, or a manual site such
 * as "Custom error class ForbiddenError answers 403"), never another helper's note (`super(status)` forwarding).
 */
function coveredBySite(analysis: FileAnalysis, node: ts.Node): boolean {
  const start = node.getStart(analysis.sourceFile);
  return analysis.sites.some(
    (s) =>
      s.file === analysis.file &&
      s.span.start <= start &&
      node.end <= s.span.end &&
      !(s.reason ?? '').startsWith('Shared helper:'),
  );
}

/** Calls of the run (`name(…)`, `x.name(…)`) that pass a 403 at `index` (candidate calls no helper took). */
function unlinkedCalls(analyses: readonly FileAnalysis[], name: string | undefined, index: number): string[] {
  if (!name) return [];
  const out: string[] = [];
  for (const analysis of analyses)
    for (const candidate of analysis.candidateCalls) {
      if (candidate.forward || candidate.index !== index) continue;
      const callee = candidate.callee.split('.').pop();
      if (callee !== name) continue;
      // A call another helper of that name rewrote.
      if (LINKED_CALLS.has(candidate.call) || !settledForbidden(analysis, candidate)) continue;
      const start = candidate.call.getStart(analysis.sourceFile);
      const line = lineAndCharacterAt(analysis.sourceFile, start).line + 1;
      const place = `${analysis.file}:${line}`;
      if (!out.includes(place)) out.push(place);
    }
  return out;
}

/** A Remix or React Router server entry: `app/entry.server.tsx` (`.ts`, `.jsx`, `.js`), by its file name. */
const SERVER_ENTRY = /(?:^|\/)entry\.server\.[cm]?[jt]sx?$/;

/**
 * Whether the helper is the status parameter (the second, `responseStatusCode`) of the default export of a Remix
 * or React Router server entry: the framework calls it with the status it chose for the request, so no project
 * call passes it. Breaker50 (b0b4456/remix-mini): it read "No call passing 403 was linked to it … find its
 * callers", and a user has none to find.
 */
function isServerEntry(analysis: FileAnalysis, helper: HelperParam): boolean {
  if (!SERVER_ENTRY.test(analysis.file) || helper.index !== 1 || helper.property !== undefined) return false;
  const fn = helper.fn;
  const modifiers = ts.canHaveModifiers(fn) ? (ts.getModifiers(fn) ?? []) : [];
  if (ts.isFunctionDeclaration(fn))
    return (
      modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
      modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
    );
  // `export default async (request, status, …) => …`, `export default function (…)` as an expression.
  return ts.isExportAssignment(fn.parent) && !fn.parent.isExportEquals;
}

/** The note of a server entry's status parameter: who chooses it, and where its 403s are decided. */
export function serverEntryNote(name: string): string {
  return `Remix / React Router server entry: the framework calls it with the status it chose for the request (parameter '${name}'). A 403 reaches it only from a loader, an action or a thrown Response, each a site of its own in this report (rewritten or named): change those, not this line; once they are done, mark this line // mtls-fix-ignore: <why>.`;
}
