import ts from '../typescript.cjs';
import { replacementOf } from './analysis/sites.js';
import { shorten } from './analysis/syntax.js';
import type { Occurrence } from './census.js';
import { nodePath } from './node-path.js';
import { scopeOf } from './scope.js';
import { splice } from './splice.js';
import type { Edit, Site } from './types.js';

/**
 * A place a rewrite edits outside its own form: the declaration, table entry or enum member its value moved to
 * (analysis/kept-names.ts: `const table = { denied: 403 }` read only by `res.status(table.denied)` becomes
 * `denied: 401`, the reads stay as written). `site` is a site of its own at that place (its form and replacement
 * as written there, its edits those that land there); `reads` are the rewrites whose edits land there.
 */
export interface EditedPlace {
  site: Site;
  /** The rewrite sites (status slots) whose edits land at this place, in file order. */
  reads: Site[];
}

/** One file's places (see {@link editedPlaces}). */
export interface FileEditedPlaces {
  places: EditedPlace[];
  /** Reads no edit of which lands in their own form: their place is what the report names. */
  folded: Site[];
}

/** Declarations a moved value is reported at, innermost first: a table entry, an enum member, a variable. */
function isPlaceNode(node: ts.Node): boolean {
  return (
    ts.isPropertyAssignment(node) ||
    ts.isShorthandPropertyAssignment(node) ||
    ts.isEnumMember(node) ||
    ts.isBindingElement(node) ||
    ts.isVariableDeclaration(node) ||
    ts.isPropertyDeclaration(node)
  );
}

/**
 * The places the applied rewrites of one file edit outside their own forms: where the plan moved a rewrite's
 * value (analysis/kept-names.ts), or where an edit changes a 403 the census had classified as not an emit (a
 * declaration). Each such occurrence loses its kind (it is counted by its place's site, so the census says it is
 * rewritten). Also sets the `replacement` of every applied site whose
 * edits changed after the analysis (analysis/kept-names.ts renames `res.status(FORBIDDEN)` to
 * `res.status(UNAUTHORIZED)`) or that edits a place: the form as written after its own edits, never the value
 * the analysis first planned there. Edits outside a site's form that touch no 403 (a binding added to a
 * destructuring) stay in that site's replacement (`+ line 5: …`), as the analysis wrote them.
 *
 * @param analysed each applied site's edits as the analysis made them (before the plan moved any).
 * @param occurrences the census's occurrences of the file (their `kind` is cleared where a place edits them).
 */
export function editedPlaces(input: {
  text: string;
  sourceFile: ts.SourceFile;
  applied: readonly Site[];
  analysed: ReadonlyMap<Site, readonly Edit[]>;
  occurrences: readonly Occurrence[];
}): FileEditedPlaces {
  const { text, sourceFile, applied } = input;
  const outside = (site: Site, edit: Edit): boolean =>
    edit.end <= site.span.start
      ? !(edit.start === edit.end && edit.start === site.span.start)
      : edit.start >= site.span.end && !(edit.start === edit.end && edit.start === site.span.end);
  // Foreign edits grouped by the declaration that holds them.
  const byNode = new Map<ts.Node, { edits: Edit[]; reads: Set<Site>; moved: boolean }>();
  for (const site of applied)
    for (const edit of site.edits) {
      if (!outside(site, edit)) continue;
      // An edit inside another rewrite's form is that rewrite's to report.
      if (applied.some((other) => other !== site && !outside(other, edit))) continue;
      const node = placeNode(sourceFile, edit);
      const entry = byNode.get(node) ?? { edits: [], reads: new Set<Site>(), moved: false };
      if (!entry.edits.some((e) => sameEdit(e, edit))) entry.edits.push(edit);
      entry.reads.add(site);
      // Moved there by the plan (kept-names.ts), not made there by the analysis.
      if (!(input.analysed.get(site) ?? []).some((e) => sameEdit(e, edit))) entry.moved = true;
      byNode.set(node, entry);
    }
  const places: EditedPlace[] = [];
  const placed = new Set<Edit>();
  for (const [node, { edits, reads, moved }] of byNode) {
    const edited = input.occurrences.filter(
      (o) => o.kind !== undefined && edits.some((e) => e.start < o.end && o.start < e.end),
    );
    if (!edited.length && !moved) continue;
    for (const occurrence of edited) {
      delete occurrence.kind;
      delete occurrence.via;
    }
    edits.sort((a, b) => a.start - b.start);
    for (const site of reads)
      for (const edit of site.edits) if (edits.some((e) => sameEdit(e, edit))) placed.add(edit);
    const shown = shownNode(node);
    const from = shown.getStart(sourceFile);
    const formText = text.slice(from, shown.end);
    const start = edits[0]?.start ?? from;
    const end = Math.max(...edits.map((e) => e.end));
    const ordered = [...reads].sort((a, b) => a.start - b.start);
    places.push({
      site: {
        file: ordered[0]?.file ?? '',
        start,
        end,
        span: { start, end },
        framework: ordered[0]?.framework ?? '',
        form: shorten(formText),
        kind: 'rewrite',
        edits,
        imports: [],
        replacement: shorten(
          splice(
            formText,
            edits.map((e) => ({ start: e.start - from, end: e.end - from, text: e.text })),
          ),
        ),
        reason: null,
        scope: scopeOf(node, sourceFile),
        operation: null,
      },
      reads: ordered,
    });
  }
  const folded: Site[] = [];
  for (const site of applied) {
    const own = site.edits.filter((e) => !outside(site, e));
    const moved = site.edits.some((e) => placed.has(e));
    if (moved && !own.length) {
      folded.push(site);
      continue;
    }
    const before = input.analysed.get(site) ?? [];
    const changed = before.length !== site.edits.length || before.some((e, i) => !sameEdit(e, site.edits[i]));
    if (!moved && !changed) continue;
    const form = formRange(sourceFile, site);
    site.replacement = replacementOf(
      text,
      form.start,
      form.end,
      site.edits.filter((e) => !placed.has(e)),
    );
  }
  places.sort((a, b) => a.site.start - b.site.start);
  return { places, folded };
}

/**
 * The innermost declaration holding the edit (table entry, enum member, variable), else the innermost node that
 * holds all of it (the token edited).
 */
function placeNode(sourceFile: ts.SourceFile, edit: Edit): ts.Node {
  const path = nodePath(sourceFile, edit.start);
  const holds = (node: ts.Node): boolean => node.getStart(sourceFile) <= edit.start && edit.end <= node.end;
  for (let i = path.length - 1; i > 0; i--) {
    const node = path[i];
    if (node && isPlaceNode(node) && holds(node)) return node;
  }
  for (let i = path.length - 1; i > 0; i--) {
    const node = path[i];
    if (node && holds(node)) return node;
  }
  return sourceFile;
}

/**
 * Where the site's form is written: the node around the site whose text, shortened, is its `form`
 * (`res.status(FORBIDDEN)`); the site's span when none is (the span also holds the companions it changes).
 */
function formRange(sourceFile: ts.SourceFile, site: Site): { start: number; end: number } {
  const path = nodePath(sourceFile, site.start);
  for (let i = path.length - 1; i > 0; i--) {
    const node = path[i];
    if (!node) continue;
    const start = node.getStart(sourceFile);
    if (start > site.start || node.end < site.end) continue;
    if (shorten(sourceFile.text.slice(start, node.end)) === site.form) return { start, end: node.end };
  }
  return site.span;
}

/** A variable shown with its keyword when it is its statement's only one (`const code = 403;`). */
function shownNode(node: ts.Node): ts.Node {
  if (
    ts.isVariableDeclaration(node) &&
    ts.isVariableDeclarationList(node.parent) &&
    node.parent.declarations.length === 1 &&
    ts.isVariableStatement(node.parent.parent)
  )
    return node.parent.parent;
  return node;
}

function sameEdit(a: Edit, b: Edit | undefined): boolean {
  return b !== undefined && a.start === b.start && a.end === b.end && a.text === b.text;
}
