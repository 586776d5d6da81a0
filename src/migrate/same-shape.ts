import ts from '../typescript.cjs';
import type { Edit } from './types.js';

/** The token kinds an edit may swap without a re-parse: the ones the rewrites write (status, phrase, name). */
const SWAPPABLE = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NumericLiteral,
]);

/** A plain decimal integer: no separator, exponent, fraction, legacy octal or suffix. */
const PLAIN_INTEGER = /^(?:0|[1-9][0-9]*)$/;

/**
 * Whether splicing `edits` into the text of `original` (a tree parsed with parent pointers and no syntax error)
 * provably gives a text that parses to a tree of the same shape with no syntax error, so that planFile
 * (transform.ts) need not re-parse it. True only when every edit swaps exactly one token of the tree for one
 * token of the same kind, under rules the TypeScript parser cannot tell apart:
 * - the token is an identifier, a string literal or a numeric literal of the tree (not text inside a comment,
 *   a template or JSX text), and the edit covers it exactly;
 * - the old and the new text each scan alone (TypeScript's scanner) as exactly that one token kind, with no
 *   scanner error, no escape (`\`) and no line break; an identifier neither old nor new is a keyword, not
 *   even a contextual one (`type`, `async`, `of`), whose meaning the parser decides by its text; a number is a
 *   plain decimal integer (`401`);
 * - the characters either side of the token cannot join it (no identifier character; no `.` beside a number,
 *   where `0x193.toString()` would become `401.toString()`);
 * - the parser reads nothing from the token's text there: not a directive (`'use strict'` changes the parse),
 *   not a class member's string name (`'constructor'` is the constructor), not `new.target`/`import.meta`,
 *   not inside a JSX tag (opening and closing tag names must match).
 * Anything else (an insertion, an import added, a comment edit, any other token) returns false: the caller
 * re-parses, as before.
 */
export function keepsShape(original: ts.SourceFile, edits: readonly Edit[]): boolean {
  const text = original.text;
  if (edits.some((edit) => edit.end <= edit.start || edit.text === '')) return false;
  const tokens = tokensAt(
    original,
    edits.map((edit) => edit.start),
  );
  for (const [index, edit] of edits.entries()) {
    const token = tokens[index];
    if (!token || !SWAPPABLE.has(token.kind)) return false;
    if (token.getStart(original) !== edit.start || token.end !== edit.end) return false;
    const kind = token.kind;
    if (!scansAs(text.slice(edit.start, edit.end), kind, original.languageVariant)) return false;
    if (!scansAs(edit.text, kind, original.languageVariant)) return false;
    if (kind === ts.SyntaxKind.NumericLiteral && !PLAIN_INTEGER.test(edit.text)) return false;
    if (!joinsNothing(text, edit.start - 1, kind) || !joinsNothing(text, edit.end, kind)) return false;
    if (!textFreeContext(token)) return false;
  }
  return true;
}

/** The deepest node of the tree whose span (leading trivia included) holds `position`. */
export function tokenAt(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  return tokensAt(sourceFile, [position])[0];
}

/**
 * {@link tokenAt} for each of `positions` (any order), in one walk down the tree: only the nodes holding one
 * of them are entered.
 */
export function tokensAt(sourceFile: ts.SourceFile, positions: readonly number[]): (ts.Node | undefined)[] {
  const found: (ts.Node | undefined)[] = positions.map(() => undefined);
  const order = positions.map((_, index) => index).sort((a, b) => positions[a] - positions[b]);
  // `order[from..to)`: the positions inside `node`, by position.
  const enter = (node: ts.Node, from: number, to: number): void => {
    let at = from;
    node.forEachChild((child) => {
      while (at < to && positions[order[at]] < child.pos) at++;
      let end = at;
      while (end < to && positions[order[end]] < child.end) end++;
      if (end > at) {
        for (let i = at; i < end; i++) found[order[i]] = child;
        enter(child, at, end);
      }
      at = end;
      return at >= to ? true : undefined;
    });
  };
  enter(sourceFile, 0, order.length);
  return found;
}

/** One scanner for every check (createScanner builds a closure set each time). */
let shared: ts.Scanner | undefined;
let scanFailed = false;

/** `text` scans alone as exactly one token of `kind`, with no error, escape or line break. */
function scansAs(text: string, kind: ts.SyntaxKind, variant: ts.LanguageVariant): boolean {
  if (/[\\\r\n\u2028\u2029]/.test(text)) return false;
  shared ??= ts.createScanner(ts.ScriptTarget.Latest, false, variant, undefined, () => (scanFailed = true));
  shared.setLanguageVariant(variant);
  shared.setText(text);
  scanFailed = false;
  if (shared.scan() !== kind || shared.getTokenEnd() !== text.length) return false;
  return shared.scan() === ts.SyntaxKind.EndOfFileToken && !scanFailed;
}

/** The character at `at` (outside the text counts as nothing) cannot extend a token of `kind` beside it. */
function joinsNothing(text: string, at: number, kind: ts.SyntaxKind): boolean {
  if (at < 0 || at >= text.length) return true;
  const code = text.codePointAt(at) ?? 0;
  if (at > 0 && code >= 0xdc00 && code <= 0xdfff) return false; // the second half of a pair: look no further
  if (ts.isIdentifierPart(code, ts.ScriptTarget.Latest) || code === 0x5c /* \ */) return false;
  return !(kind === ts.SyntaxKind.NumericLiteral && code === 0x2e /* . */);
}

/** No parser decision here depends on the token's text (see keepsShape). */
function textFreeContext(token: ts.Node): boolean {
  const parent = token.parent as ts.Node | undefined;
  if (!parent) return false;
  if (token.kind === ts.SyntaxKind.StringLiteral) {
    if (ts.isExpressionStatement(parent)) return false;
    if (ts.isClassElement(parent) && parent.name === token) return false;
  }
  if (ts.isMetaProperty(parent)) return false;
  for (let node: ts.Node | undefined = parent; node; node = node.parent) {
    // An expression inside `{...}` is parsed as any expression; a tag, attribute or text is not.
    if (ts.isJsxExpression(node) || ts.isJsxSpreadAttribute(node)) return true;
    if (
      ts.isJsxOpeningElement(node) ||
      ts.isJsxSelfClosingElement(node) ||
      ts.isJsxClosingElement(node) ||
      ts.isJsxAttribute(node) ||
      ts.isJsxAttributes(node) ||
      ts.isJsxNamespacedName(node) ||
      ts.isJsxElement(node) ||
      ts.isJsxFragment(node)
    )
      return false;
  }
  return true;
}
