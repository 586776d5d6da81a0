import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { Site } from './types.js';
import { holds403 } from './census-occurrences.js';
import { enclosingStatement, previousStatement, tableOf } from './census-syntax.js';
import { scopeOf } from './scope.js';
import { isObjectFreeze, outerParent, skipOuter } from './analysis/syntax.js';
import { exportsOfLocal } from './analysis/export-names.js';
import { isExportsObject } from './declarations.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * A reason phrase held by a name (census-phrases.ts): `const MESSAGE = 'Forbidden'`, `const ERRORS = { DENIED:
 * 'Forbidden' }`, `enum Msg { Denied = 'Forbidden' }`. The text is sent where the name is read, so the census
 * looks for its reads in this file beside a status this run rewrites (the same statement or the one before).
 */

/**
 * The first read of the name holding `phrase` that stands beside a rewritten status (`res.status(403).send(
 * MESSAGE)`, `res.writeHead(403); res.end(ERRORS.DENIED)`): the read, its 1-based line, and whether it lies
 * inside the rewritten form itself. Undefined when the phrase is held by no name or no read stands there. A
 * read whose own name holds a 403 (`FORBIDDEN_MESSAGE`) inside a rewritten form is the census's own occurrence
 * (leftName reports it) and is not counted again.
 */
export function heldPhraseUse(
  analysis: FileAnalysis,
  phrase: ts.Node,
): { read: ts.Node; line: number; inside: boolean } | undefined {
  const reads = readsOf(analysis.sourceFile, phrase);
  if (!reads) return undefined;
  const rewrites = analysis.sites.filter((s) => s.kind === 'rewrite');
  const inRewrite = (n: ts.Node): boolean =>
    rewrites.some((s) => s.span.start <= n.getStart(analysis.sourceFile) && n.getEnd() <= s.span.end);
  const erased = (n: ts.Node): boolean =>
    rewrites.some((s) =>
      s.edits.some((e) => e.start <= n.getStart(analysis.sourceFile) && n.getEnd() <= e.end),
    );
  for (const read of reads) {
    const named = ts.isPropertyAccessExpression(read) ? read.name.text : read.getText(analysis.sourceFile);
    const inside = inRewrite(read);
    if (holds403(named) && inside) continue;
    // `res.status(CODES[K])` -> `res.status(401)` (session 36): the key's name is replaced with the read.
    if (erased(read)) continue;
    if (besideRewrite(analysis, read)) {
      const line = lineAndCharacterAt(analysis.sourceFile, read.getStart(analysis.sourceFile)).line;
      return { read, line: line + 1, inside };
    }
  }
  return undefined;
}

/**
 * Whether `node` stands beside a status this run rewrites: a rewrite site of the same function (or of the
 * module's top level) overlaps its statement or the statement right before it (`res.status(403).json({
 * message: 'Forbidden' })`, `res.writeHead(403); res.end('Forbidden')`). A rewrite inside a function declared
 * in the statement before (`function deny(res) { … }` above `const MESSAGE = …`) is not beside it.
 */
export function besideRewrite(analysis: FileAnalysis, node: ts.Node): boolean {
  return rewriteBeside(analysis, node) !== undefined;
}

/**
 * The rewrite site `besideRewrite` finds for `node` (in its statement, else in the one before, in the same
 * function), or undefined when there is none.
 */
export function rewriteBeside(analysis: FileAnalysis, node: ts.Node): Site | undefined {
  const statement = enclosingStatement(node);
  if (!statement) return undefined;
  const { sourceFile } = analysis;
  const own = scopeOf(node, sourceFile).functionStart;
  const previous = previousStatement(statement);
  const within = (n: ts.Node): Site | undefined =>
    analysis.sites.find(
      (s) =>
        s.kind === 'rewrite' &&
        s.scope.functionStart === own &&
        s.span.start < n.getEnd() &&
        s.span.end > n.getStart(sourceFile),
    );
  return within(statement) ?? (previous !== undefined ? within(previous) : undefined);
}

/**
 * The reads of the name that holds `phrase` in its file: identifiers spelling a `const`'s name, `T.KEY` /
 * `T['KEY']` of an entry of a constant object `T` or an enum member. Undefined when no name holds it.
 */
function readsOf(sourceFile: ts.SourceFile, phrase: ts.Node): ts.Node[] | undefined {
  const holder = outerParent(phrase);
  if (ts.isVariableDeclaration(holder) && valueOf(holder, phrase) && ts.isIdentifier(holder.name)) {
    const name = holder.name.text;
    return collect(
      sourceFile,
      (n) => ts.isIdentifier(n) && n.text === name && n !== holder.name && isRead(n),
    );
  }
  const member =
    (ts.isPropertyAssignment(holder) || ts.isEnumMember(holder)) && valueOf(holder, phrase)
      ? holder
      : undefined;
  if (!member || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) return undefined;
  const key = member.name.text;
  const owner = ts.isEnumMember(member) ? member.parent.name.text : tableOf(member.parent);
  if (!owner) return undefined;
  return collect(sourceFile, (n) => {
    if (ts.isPropertyAccessExpression(n)) return n.name.text === key && isNamed(n.expression, owner);
    if (ts.isElementAccessExpression(n))
      return (
        ts.isStringLiteralLike(n.argumentExpression) &&
        n.argumentExpression.text === key &&
        isNamed(n.expression, owner)
      );
    return false;
  });
}

function isNamed(expression: ts.Expression, name: string): boolean {
  return ts.isIdentifier(expression) && expression.text === name;
}

/** An identifier that reads a value: not a property name, a declaration's name or a key. */
function isRead(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isBindingElement(parent)) && parent.name === node) return false;
  if (ts.isVariableDeclaration(parent) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent)) return false;
  return true;
}

function collect(sourceFile: ts.SourceFile, wanted: (node: ts.Node) => boolean): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (wanted(node)) found.push(node);
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return found;
}

/**
 * The names an exported holder of `phrase` is read by in other files: `[MESSAGE]` of `export const MESSAGE =
 * 'Forbidden'` (also `export { MESSAGE }`, `exports.MESSAGE = MESSAGE`, `module.exports = { MESSAGE }`), `[MESSAGES,
 * DENIED]` of an entry of `export const MESSAGES = { DENIED: 'Forbidden' }` (frozen too), `[DENIED]` of an entry of
 * a table exported whole (`module.exports = { DENIED: 'Forbidden' }`, `module.exports = MESSAGES`, `export default
 * …`: importers name the table as they like), `[DENIED]` of `exports.DENIED = 'Forbidden'` / `module.exports.DENIED
 * = …`, `[Msg, Denied]` of a member of `export enum Msg`. Undefined when no exported name holds it.
 */
export function exportedHolder(phrase: ts.Node): { names: string[] } | undefined {
  const holder = outerParent(phrase);
  // `exports.DENIED = 'Forbidden'`, `module.exports.DENIED = 'Forbidden'`.
  if (
    ts.isBinaryExpression(holder) &&
    holder.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    skipOuter(holder.right) === phrase
  ) {
    const left = holder.left;
    return ts.isPropertyAccessExpression(left) && isExportsObject(left.expression)
      ? { names: [left.name.text] }
      : undefined;
  }
  if (ts.isVariableDeclaration(holder) && valueOf(holder, phrase) && ts.isIdentifier(holder.name)) {
    const [name] = exportsOf(holder, holder.name.text).names;
    return name === undefined ? undefined : { names: [name] };
  }
  if (!(ts.isPropertyAssignment(holder) || ts.isEnumMember(holder)) || !valueOf(holder, phrase))
    return undefined;
  if (!ts.isIdentifier(holder.name) && !ts.isStringLiteral(holder.name)) return undefined;
  const key = holder.name.text;
  const owner = ts.isEnumMember(holder) ? holder.parent : declarationOf(holder.parent);
  // `module.exports = { DENIED: 'Forbidden' }`, `export default Object.freeze({ … })`.
  if (!owner) return exportedWhole(holder.parent) ? { names: [key] } : undefined;
  const local = ts.isEnumDeclaration(owner) ? owner.name.text : tableOf(holder.parent);
  if (local === undefined) return undefined;
  const exported = exportsOf(owner, local);
  if (exported.whole) return { names: [key] };
  return exported.names.length ? { names: [exported.names[0], key] } : undefined;
}

/** Whether `phrase` is the value `holder` gives its name (through parentheses and casts: `'Forbidden' as const`). */
function valueOf(
  holder: ts.VariableDeclaration | ts.PropertyAssignment | ts.EnumMember,
  phrase: ts.Node,
): boolean {
  return holder.initializer !== undefined && skipOuter(holder.initializer) === phrase;
}

/** The variable declaration holding a table object (through parentheses, casts and `Object.freeze`). */
function declarationOf(object: ts.Node): ts.VariableDeclaration | undefined {
  const frozen = outerParent(object, true);
  const holder = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
  return ts.isVariableDeclaration(holder) ? holder : undefined;
}

/** An object exported as the module itself: `module.exports = {…}`, `export default {…}` (frozen too). */
function exportedWhole(object: ts.Node): boolean {
  const frozen = outerParent(object, true);
  const holder = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
  if (ts.isExportAssignment(holder)) return true;
  return (
    ts.isBinaryExpression(holder) &&
    holder.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    isExportsObject(holder.left)
  );
}

/**
 * The names `local` (a top-level const or enum of `declaration`'s file) is exported under, and whether it is
 * exported as the module itself: `export const` / `export enum`, `export { local as X }`, `export default local`,
 * `module.exports = local`, `module.exports = { local, X: local }`, `exports.X = local`, `module.exports.X = local`.
 */
function exportsOf(declaration: ts.Node, local: string): { names: string[]; whole: boolean } {
  const names: string[] = [];
  if (ts.isVariableDeclaration(declaration) ? isExportedConst(declaration) : hasExport(declaration))
    names.push(local);
  const exported = exportsOfLocal(declaration.getSourceFile(), local);
  names.push(...exported.names);
  const whole = exported.defaultExport || exported.exportEquals;
  return { names, whole };
}

function isExportedConst(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && ts.isVariableStatement(list.parent) && hasExport(list.parent);
}

function hasExport(node: ts.Node): boolean {
  return ts.canHaveModifiers(node)
    ? (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    : false;
}
