import type { FileAnalysis } from './analysis.js';
import { HANDED_ENTRY } from './census-handed-entries.js';
import { generatedReason } from './census-generated.js';
import { classify } from './census-classify.js';
import { findOccurrences, tokenNode, type Occurrence } from './census-occurrences.js';
import { codeInForm, comparedInForm, leftPhrase, statusTextSlot } from './census-phrases.js';
import type { ClassifyContext } from './census-verdicts.js';
import type { ImportedDeclarations } from './references.js';
import type { InstalledMethods } from './installed-methods.js';
import type { NotAnEmitKind, Site } from './types.js';
import { statusCheckAt } from './status-checks.js';
import { siteNames, type SiteNames } from './census-site-names.js';
import { nameAliasedUses } from './census-aliases.js';
import { isCallInput } from './frameworks/tests/inputs.js';
import { lineAndCharacterAt } from '../util/lines.js';
import { isBrowserCode } from './browser-code.js';

/**
 * The census (DESIGN §4, §6 "Nothing silent"): every 403 occurrence in a parsed file's text ends in exactly one
 * class. Occurrences are found by text (so nothing the parser or a framework module overlooks can escape), then
 * placed on the syntax tree:
 * - inside a site's `span`: the site's class (rewritten, manual, ignored; out of scope under `--spec`);
 * - inside a range a module marked with `FileAnalysis.notAnEmit()`: that kind;
 * - else a syntactic classifier decides a not-an-emit kind (comparison, import, declaration, type, comment...),
 *   or adds a **manual** site: an unknown use of a 403 is never dropped.
 *
 * Modules: census-occurrences.ts finds the occurrences; census-classify.ts sends each uncovered one to
 * census-comments.ts, census-names.ts, census-phrases.ts or census-values.ts (shapes in census-syntax.ts,
 * verdicts in census-verdicts.ts); this module places them and adds the manual sites.
 */

export { findOccurrences };
export type { Occurrence, OccurrenceForm } from './census-occurrences.js';

/** Whether the range is inside a site's span (the innermost such site, when several). */
export function siteAt(sites: readonly Site[], start: number, end: number): Site | undefined {
  let best: Site | undefined;
  for (const site of sites) {
    if (site.file === undefined || site.span.start > start || site.span.end < end) continue;
    if (!best || site.span.end - site.span.start < best.span.end - best.span.start) best = site;
  }
  return best;
}

/**
 * Classifies the occurrences of one analysed file (after every module and the helper-call pass ran): those no
 * site covers get a not-an-emit kind, or a manual site is added to `analysis.sites`. `names`: what the sites read
 * (of every file of the run; census-site-names.ts), by default this file's.
 * Returns the occurrences;
 * their final class (for those under a site) is read off the sites once the run has decided them.
 */
export function takeCensus(
  analysis: FileAnalysis,
  names: SiteNames = siteNames([analysis]),
  imported?: ImportedDeclarations,
  installed?: InstalledMethods,
): Occurrence[] {
  const occurrences = findOccurrences(analysis);
  // The modules' sites, before the census adds its own: what a name's definition is linked to.
  const moduleSites = [...analysis.sites];
  const context: ClassifyContext = {
    usedBySite: names.used,
    usedByRewrite: names.keptByRewrite,
    replacedAt: names.replacedAt,
    memberGoneAt: names.memberGoneAt,
    fieldGoneAt: names.fieldGoneAt,
    fieldReadInRun: names.fieldReadInRun,
    readInRun: names.readInRun,
    keyedReadAt: names.keyedReadAt,
    importedInRun: names.importedInRun,
    moduleSites,
    imported,
    installed,
  };
  // Browser code sends no status (browser-code.ts): what the census would name there is read, never sent.
  // The census's own manual sites of this file, for a later one that owns their form (unknownNamesInto).
  const madeHere = new Set<Site>();
  let browser: boolean | undefined;
  const inBrowser = (): boolean => (browser ??= !analysis.options.testFile && isBrowserCode(analysis));
  for (const occurrence of occurrences) {
    const site = siteAt(analysis.sites, occurrence.start, occurrence.end);
    const left = site && leftStatus(analysis, occurrence, site);
    if (
      site &&
      !left &&
      (editedInTest(analysis, site, occurrence) ||
        (!comparedInForm(analysis, occurrence) && !codeInForm(analysis, occurrence, site)))
    ) {
      if (!sentByTest(analysis, occurrence, site)) leftPhrase(analysis, occurrence, site);
      continue;
    }
    const range = rangeAt(analysis, occurrence);
    const mark = range?.kind;
    if (mark && !(mark === 'body' && statusKeyed(analysis, occurrence))) {
      occurrence.kind = mark;
      if (range.via) occurrence.via = range.via;
      continue;
    }
    const verdict = classify(analysis, occurrence, context);
    if (typeof verdict === 'string') {
      occurrence.kind = verdict;
      if (verdict === 'comparison' && !analysis.options.testFile) checkAt(analysis, occurrence);
      continue;
    }
    if ('via' in verdict) {
      occurrence.kind = 'reference';
      occurrence.via = verdict.via;
      continue;
    }
    // `const [forbidden, setForbidden] = useState(false)` of a `'use client'` component (heliostar's access guard):
    // a name in browser code is `client`, as the modules' own sites there are (demoteBrowserSites), not a manual
    // site that fails `--check`. A 403 value there stays named (`{ 403: new ApiError(…) }`: a client's handling of
    // the answer, which the server's 401 no longer reaches).
    if (!left && occurrence.form === 'identifier' && inBrowser()) {
      occurrence.kind = 'client';
      continue;
    }
    const before = analysis.sites.length;
    analysis.addSite({
      node: verdict.node,
      at: verdict.at,
      framework: verdict.framework ?? 'unknown',
      manual: true,
      reason: generatedReason(
        analysis.sourceFile,
        left ? leftReason(analysis, occurrence, site) : verdict.reason,
      ),
      range: verdict.range,
      replacedUses: verdict.replacedUses,
      cover: verdict.cover ?? { start: occurrence.start, end: occurrence.end },
    });
    const made = analysis.sites.length > before ? analysis.sites[before] : undefined;
    if (made && verdict.cover) unknownNamesInto(analysis, made, madeHere);
    if (made) madeHere.add(made);
    // addSite declines only a mock in a test file, which it marks: take that kind. 'unclassified' is a bug
    // the census test catches.
    if (!siteAt(analysis.sites, occurrence.start, occurrence.end))
      occurrence.kind = markAt(analysis, occurrence) ?? 'unclassified';
  }
  // `throw new Denied()` of `import { Forbidden as Denied }`: no occurrence of its own; the import's is written
  // off as counted where used, so each use nothing else counts is named (census-aliases.ts).
  nameAliasedUses(analysis);
  return occurrences;
}

/**
 * `M.jsonErr(errors.ForbiddenErrorResponse, 403)`: a name the census named as an unknown shape before it came to
 * the 403 whose form holds it. That earlier site is dropped and its occurrence counted with `owner` (no kind: the
 * class of an occurrence under a site is read off the site), so the order of the two does not make two items.
 */
function unknownNamesInto(analysis: FileAnalysis, owner: Site, madeHere: Set<Site>): void {
  const inside = [...madeHere].filter(
    (s) =>
      s !== owner &&
      s.span.start >= owner.span.start &&
      s.span.end <= owner.span.end &&
      (s.reason?.includes('names a 403 in a shape mtls-fix does not know') === true ||
        s.reason?.includes(HANDED_ENTRY) === true),
  );
  if (!inside.length) return;
  const gone = new Set(inside);
  for (const s of inside) madeHere.delete(s);
  const kept = analysis.sites.filter((s) => !gone.has(s));
  analysis.sites.splice(0, analysis.sites.length, ...kept);
}

/**
 * A test assertion's text that its site's own edit rewrites (`assert.ok(res.text.includes('Forbidden'))`,
 * frameworks/tests/phrase-texts.ts), or that its site is placed at (the expected `kind` of a 403 response,
 * frameworks/tests/response-kinds.ts): counted with the site, though it sits in a check.
 */
function editedInTest(analysis: FileAnalysis, site: Site, occurrence: Occurrence): boolean {
  return (
    analysis.options.testFile &&
    ((site.kind === 'rewrite' &&
      site.edits.some((e) => e.start <= occurrence.start && occurrence.end <= e.end)) ||
      (site.framework === 'tests' && site.start === occurrence.start))
  );
}

/**
 * A 403 or Forbidden a test assertion's form holds in what the test sends (`request(app).get('/403')`,
 * `.set('X-Reason', 'Forbidden')` before `.expect(403)`; frameworks/tests/inputs.ts `isCallInput`), no edit
 * changes: no part of the answer the assertion checks, so not a text left beside the new status (`leftPhrase`);
 * counted with the form, as before.
 */
function sentByTest(analysis: FileAnalysis, occurrence: Occurrence, site: Site): boolean {
  if (site.framework !== 'tests' || editedInTest(analysis, site, occurrence)) return false;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  return node !== undefined && isCallInput(node);
}

/**
 * A 403 value (a number, `'403'`) inside a rewritten form that no edit of this run changes: the inner
 * `status: 403` of `new HTTPException(403, { res: c.text('Forbidden', { status: 403 }) })` when only the outer
 * status is a known slot. Counted under the rewrite it would read as done while the response still says 403;
 * the census classifies it as if no site covered it (a comparison stays a read, an unknown shape is reported).
 */
function leftStatus(analysis: FileAnalysis, occurrence: Occurrence, site: Site): boolean {
  if (site.kind !== 'rewrite') return false;
  if (occurrence.form === 'string') {
    const raw = analysis.text.slice(occurrence.start + 1, occurrence.end - 1);
    if (raw.trim() !== '403') return false;
  } else if (occurrence.form !== 'number') return false;
  return !analysis.sites.some(
    (s) =>
      s.kind === 'rewrite' && s.edits.some((e) => e.start <= occurrence.start && occurrence.end <= e.end),
  );
}

/** The reason for a 403 value a rewritten form leaves (leftStatus): the form, and what still answers 403. */
function leftReason(analysis: FileAnalysis, occurrence: Occurrence, site: Site): string {
  const line = lineAndCharacterAt(analysis.sourceFile, site.start).line + 1;
  return `A 403 inside a form this run rewrites (line ${line}: ${site.form}) that no edit changes (${occurrence.text}): what it sends still answers 403. If it is a response status, change it to ${analysis.target} by hand; if not, mark it // mtls-fix-ignore: <why>.`;
}

/** Sets `occurrence.check` when its comparison reads a response status (status-checks.ts). */
function checkAt(analysis: FileAnalysis, occurrence: Occurrence): void {
  if (occurrence.form === 'comment') return;
  const token = tokenNode(analysis.sourceFile, occurrence.start);
  const check = token && statusCheckAt(token, analysis.sourceFile);
  if (check) occurrence.check = check;
}

function markAt(analysis: FileAnalysis, occurrence: Occurrence): NotAnEmitKind | undefined {
  return rangeAt(analysis, occurrence)?.kind;
}

/** The range a module marked (`FileAnalysis.notAnEmit`) that holds the occurrence, with its kind and `via`. */
function rangeAt(
  analysis: FileAnalysis,
  occurrence: Occurrence,
): { kind: NotAnEmitKind; via?: string } | undefined {
  return analysis.notAnEmitRanges.find((r) => r.start <= occurrence.start && occurrence.end <= r.end);
}

/**
 * A 403 given to a status-named key inside a body a module marked (`res.json({ entry: [{ response: { status: '403
 * Forbidden' } }] })`, `res.send({ statusCode: 403 })`): the body is not the call's status, but such a key is a
 * status the client reads, classified as the same key in a Koa `ctx.body` or a returned object is.
 */
function statusKeyed(analysis: FileAnalysis, occurrence: Occurrence): boolean {
  if (occurrence.form !== 'string' && occurrence.form !== 'number') return false;
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  return node !== undefined && statusTextSlot(node)?.endsWith(':') === true;
}
