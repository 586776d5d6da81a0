import ts from '../typescript.cjs';
import { numericValue, shorten, type FileAnalysis } from './analysis.js';
import { nodePath } from './node-path.js';
import { holds403Form, occurrenceMatches } from './occurrence-source.js';
import { foldConstant } from './analysis/fold.js';
import type { NotAnEmitKind } from './types.js';

/**
 * The census's first step: finding every 403 occurrence of a parsed file by text, each placed on the token (or
 * comment) that holds it; and the two position look-ups the census places its verdicts with.
 */

// The spellings a 403 takes in source text (occurrence-source.ts). Each match is placed on the token (or comment)
// holding it.

/**
 * Number tokens that may be 403 though OCCURRENCE does not spell them (`4.03e2`, `0x0193`, `4_0_3`, legacy octal
 * `0623`; session 32, breaker32 #04): each is an occurrence when its value is 403, as the analysis reads it.
 */
const ODD_NUMBER =
  /(?<![\w$.])(?:0[xob][\da-f_]+|0[0-7_]+|\d[\d_]*(?:\.\d*)?e[-+]?\d+|\d+(?:_\d+)+)(?![\w$])/gi;
/** Whether a text holds a 403 in one of its spellings (a name's definition linked to a 403, references.ts). */
export const holds403 = holds403Form;

/** How a 403 is written: a number token, a string, a name holding Forbidden, or a comment. */
export type OccurrenceForm = 'number' | 'string' | 'identifier' | 'comment';

/** One 403 occurrence: the token (or whole comment) that holds it. Offsets are in the file text. */
export interface Occurrence {
  start: number;
  end: number;
  /** The token as written, shortened. */
  text: string;
  form: OccurrenceForm;
  /** Set when the classifier decided it is not an emit. */
  kind?: NotAnEmitKind;
  /** Kind `reference`: the definition the name refers to (`src/errors.ts:3`), whose 403 is accounted there. */
  via?: string;
  /** Kind `comparison` in a server file: the status check it is part of (`error.status === 403`; status-checks.ts). */
  check?: string;
  /**
   * Set for a 403 written without a 403 token: an expression of literals that folds to 403 (`400 + 3`, `806 / 2`,
   * `` `${400 + 3}` ``, `parseInt('403px')`; analysis/fold.ts). Its range is the whole expression.
   */
  folded?: true;
}

/** Each analysed file's occurrences, found once (off-modules.ts reads them during the analysis, the census after). */
const FOUND = new WeakMap<FileAnalysis, readonly Occurrence[]>();

/**
 * Finds every 403 occurrence of a parsed file, one per token or comment. A number is an occurrence only when
 * its value is 403 (`1.403` is not); identifiers count when their name holds Forbidden/PermissionDenied. The
 * text is searched once per analysis; each call gets its own copies (the census writes their kinds).
 */
export function findOccurrences(analysis: FileAnalysis): Occurrence[] {
  let found = FOUND.get(analysis);
  if (!found) {
    found = searchOccurrences(analysis);
    FOUND.set(analysis, found);
  }
  return found.map((occurrence) => ({ ...occurrence }));
}

function searchOccurrences(analysis: FileAnalysis): Occurrence[] {
  const { text, sourceFile } = analysis;
  const seen = new Set<number>();
  const out: Occurrence[] = [];
  const positions = occurrenceMatches(text).map((m) => m.index);
  const odd = new Set([...text.matchAll(ODD_NUMBER)].map((m) => m.index));
  if (odd.size) positions.push(...odd);
  if (odd.size) positions.sort((a, b) => a - b);
  for (const position of positions) {
    const placed = place(sourceFile, text, position);
    if (!placed || seen.has(placed.start)) continue;
    seen.add(placed.start);
    if (placed.form === 'number' && placed.node && numericValue(placed.node as ts.NumericLiteral) !== 403)
      continue;
    // An odd number spelled in a string or comment is no occurrence: only a number token is read by value.
    if (odd.has(position) && placed.form !== 'number' && !holds403Form(text.slice(placed.start, placed.end)))
      continue;
    out.push({
      start: placed.start,
      end: placed.end,
      text: shorten(text.slice(placed.start, placed.end)),
      form: placed.form,
    });
  }
  const folded = foldedOccurrences(sourceFile, out, analysis.foldables);
  if (folded.length) return [...out, ...folded].sort((a, b) => a.start - b.start);
  return out;
}

/**
 * The expressions of literals alone that fold to 403 with no 403 token in them (session 33: `res.status(400 + 3)`
 * was a site with no census occurrence, so totals and sites disagreed): arithmetic, bitwise and `+` on strings,
 * templates, `Number` / `parseInt` / `parseFloat` / `String` (the global ones: not when the file binds the name),
 * `+'…'` (analysis/fold.ts, which the status slots read too). `parseInt('403px')` is 403 (it reads the leading
 * digits), `Number('403px')` is NaN. Outermost first: an expression of literals that folds to another value
 * (`(400 + 3) * 2`) holds no 403, and its parts are not looked at.
 */
function foldedOccurrences(
  sourceFile: ts.SourceFile,
  found: readonly Occurrence[],
  foldables?: readonly ts.Expression[],
): Occurrence[] {
  const out: Occurrence[] = [];
  let bound: ReadonlySet<string> | undefined;
  const shadowed = (name: string): boolean => (bound ??= boundConversions(sourceFile)).has(name);
  const holdsToken = (start: number, end: number): boolean =>
    found.some((o) => o.start >= start && o.end <= end);
  // True when `node` folded (its parts are not looked at).
  const fold = (node: ts.Expression): boolean => {
    const folded = foldConstant(node, undefined, shadowed);
    if (!folded?.pure) return false;
    const start = node.getStart(sourceFile);
    if ((folded.value === 403 || folded.value === '403') && !holdsToken(start, node.end))
      out.push({
        start,
        end: node.end,
        text: shorten(sourceFile.text.slice(start, node.end)),
        form: typeof folded.value === 'number' ? 'number' : 'string',
        folded: true,
      });
    return true;
  };
  if (foldables) {
    // Pre-order: a node starting before the end of the last one that folded is inside it.
    let foldedEnd = -1;
    for (const node of foldables) if (node.pos >= foldedEnd && fold(node)) foldedEnd = node.end;
    return out;
  }
  const visit = (node: ts.Node): void => {
    if (isFoldable(node) && fold(node)) return;
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return out;
}

/** The kinds a fold can make a value of from parts (a single literal is read by text above). */
export function isFoldable(node: ts.Node): node is ts.Expression {
  return (
    ts.isBinaryExpression(node) ||
    ts.isTemplateExpression(node) ||
    ts.isPrefixUnaryExpression(node) ||
    (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) ||
    (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression))
  );
}

const CONVERSION_NAMES = new Set(['Number', 'parseInt', 'parseFloat', 'String', 'Math']);

/** The global conversion names (`Number`, `parseInt`, …) the file binds itself (a parameter, a declaration, an import). */
function boundConversions(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (
      name &&
      ts.isIdentifier(name) &&
      CONVERSION_NAMES.has(name.text) &&
      (ts.isVariableDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isImportSpecifier(node) ||
        ts.isImportClause(node) ||
        ts.isNamespaceImport(node) ||
        ts.isBindingElement(node))
    )
      names.add(name.text);
    node.forEachChild(visit);
  };
  if (/\b(?:Number|parseInt|parseFloat|String)\b/.test(sourceFile.text)) visit(sourceFile);
  return names;
}

/** The expression a folded occurrence spans: the outermost node starting at its start and ending at its end. */
export function foldedNode(sourceFile: ts.SourceFile, occurrence: Occurrence): ts.Node | undefined {
  let node = tokenNode(sourceFile, occurrence.start);
  while (node && node.end < occurrence.end) node = node.parent;
  return node && node.end === occurrence.end && node.getStart(sourceFile) === occurrence.start
    ? node
    : undefined;
}

interface Placed {
  start: number;
  end: number;
  form: OccurrenceForm;
  node?: ts.Node;
}

/** The token or comment at `position`: descend to the innermost node; text outside every child is trivia. */
function place(sourceFile: ts.SourceFile, text: string, position: number): Placed | undefined {
  const node: ts.Node = tokenNode(sourceFile, position) ?? sourceFile;
  const start = node === sourceFile ? sourceFile.end : node.getStart(sourceFile);
  if (position < start || !isLeaf(node)) return comment(text, position);
  if (ts.isNumericLiteral(node)) return { start, end: node.end, form: 'number', node };
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node))
    return { start, end: node.end, form: 'identifier', node };
  return { start, end: node.end, form: 'string', node };
}

function isLeaf(node: ts.Node): boolean {
  return (
    ts.isNumericLiteral(node) ||
    ts.isBigIntLiteral(node) ||
    ts.isIdentifier(node) ||
    ts.isPrivateIdentifier(node) ||
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateHead(node) ||
    ts.isTemplateMiddle(node) ||
    ts.isTemplateTail(node) ||
    ts.isRegularExpressionLiteral(node) ||
    ts.isJsxText(node)
  );
}

/** The comment holding `position` (known to be in trivia): the nearest `/*` not closed before it, else `//`. */
function comment(text: string, position: number): Placed {
  const block = text.lastIndexOf('/*', position);
  const closed = block >= 0 ? text.indexOf('*/', block + 2) : -1;
  if (block >= 0 && (closed === -1 || closed + 2 > position)) {
    return { start: block, end: closed === -1 ? text.length : closed + 2, form: 'comment' };
  }
  const lineStart = text.lastIndexOf('\n', position) + 1;
  const slash = text.indexOf('//', lineStart);
  const start = slash >= 0 && slash < position ? slash : lineStart;
  const lineEnd = text.indexOf('\n', position);
  return { start, end: lineEnd === -1 ? text.length : lineEnd, form: 'comment' };
}

/** The innermost node holding `position`, its leading trivia included (a token); node-path.ts. */
export function tokenNode(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  const path = nodePath(sourceFile, position);
  return path.length > 1 ? path[path.length - 1] : undefined;
}

/** The first node that starts at or after `position` (what a JSDoc block documents). */
export function nodeAfter(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end <= position) return;
    if (node.getStart(sourceFile) >= position && node.kind !== ts.SyntaxKind.EndOfFileToken) {
      found = node;
      return;
    }
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return found;
}
