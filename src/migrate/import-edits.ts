import ts from '../typescript.cjs';
import type { ImportMap } from './imports.js';
import type { Edit, ImportNeed } from './types.js';

/** What an import edit reads of a file: its imports, its tree and its text (a `FileAnalysis` is one). */
export interface ImportSource {
  readonly imports: ImportMap;
  readonly sourceFile: ts.SourceFile;
  readonly text: string;
  /** The edit that replaces `node` with `text` (a shorthand property keeps its key). */
  replace(node: ts.Node, text: string): Edit;
}

/**
 * The three ways to fix the named import of `from` when its uses become `to`; the planner picks one.
 * Undefined when `from` is not a plain named import (namespace forms need no import change).
 */
export function importNeed(analysis: ImportSource, from: string, to: string): ImportNeed | undefined {
  const binding = analysis.imports.get(from);
  const list = binding?.namedImports;
  if (!binding || !list) return undefined;
  const sf = analysis.sourceFile;
  const text = analysis.text;
  const elements: ts.NodeArray<ts.ImportSpecifier | ts.BindingElement> = list.elements;
  // A rest element (`const { A, ...rest } = require('x')`) must stay last: no name is added after it.
  if (elements.some((e) => ts.isBindingElement(e) && e.dotDotDotToken)) return undefined;
  // `from` is the local name: `Denied` in `ForbiddenException as Denied` / `{ Forbidden: Denied }` (the
  // rename drops the alias).
  const index = elements.findIndex((e) => ts.isIdentifier(e.name) && e.name.text === from);
  if (index < 0) return undefined;
  const element = elements[index];
  const last = elements[elements.length - 1];
  // Separator between specifiers as the file writes it: ", " on one line, ",\n    " in a multi-line list.
  const previous = elements[elements.length - 2];
  const separator = previous ? text.slice(previous.getEnd(), last.getStart(sf)) : ', ';
  const add: Edit = elements.hasTrailingComma
    ? { start: last.getEnd() + 1, end: last.getEnd() + 1, text: `${separator.slice(1)}${to},` }
    : {
        start: last.getEnd(),
        end: last.getEnd(),
        text: `${separator.startsWith(',') ? separator : ', '}${to}`,
      };
  return {
    module: binding.module,
    from,
    to,
    present: elements.some((e) => ts.isIdentifier(e.name) && e.name.text === to && !e.propertyName),
    rename: { start: element.getStart(sf), end: element.getEnd(), text: to },
    add,
    remove: removalEdit(elements, index, sf),
  };
}

function removalEdit(
  elements: ts.NodeArray<ts.ImportSpecifier | ts.BindingElement>,
  index: number,
  sf: ts.SourceFile,
): Edit {
  const element = elements[index];
  const next = elements[index + 1];
  if (next) return { start: element.getStart(sf), end: next.getStart(sf), text: '' };
  const previous = elements[index - 1];
  if (previous)
    return {
      start: previous.getEnd(),
      end: element.getEnd() + (elements.hasTrailingComma ? 0 : 0),
      text: '',
    };
  // The only specifier: the list empties (planImportEdits keeps the import for its side effects).
  return { start: element.getStart(sf), end: element.getEnd(), text: '' };
}

/**
 * Removals of several specifiers of one list as one edit each run: `{ A, B, C }` losing B and C becomes `{ A }`
 * (two separate removals would overlap on the comma between them), and an import whose list empties becomes a
 * side-effect import (`import './constants'`), so no unused name stays (TS6133/TS6192 under noUnusedLocals).
 */
function mergeRemovals(text: string, edits: Edit[]): Edit[] {
  const removals = edits.filter((e) => e.text === '' && e.end > e.start).sort((a, b) => a.start - b.start);
  const others = edits.filter((e) => !removals.includes(e));
  const merged: Edit[] = [];
  for (const removal of removals) {
    const last = merged[merged.length - 1];
    if (last && removal.start <= last.end) last.end = Math.max(last.end, removal.end);
    else merged.push({ ...removal });
  }
  for (const edit of merged) {
    const after = /^\s*\}/.exec(text.slice(edit.end));
    if (!after) continue;
    // The run ends the list: the comma before it goes too.
    const comma = /,\s*$/.exec(text.slice(0, edit.start));
    if (comma) edit.start -= comma[0].length;
    const open = /\{\s*$/.exec(text.slice(0, edit.start));
    const from = /^\s*\}\s*from\s*/.exec(text.slice(edit.end));
    if (open && from && /\bimport\s*$/.test(text.slice(0, edit.start - open[0].length))) {
      edit.start -= open[0].length;
      edit.end += from[0].length;
    }
  }
  return [...others, ...merged];
}

/**
 * Import edits for one file: `from` keeps its specifier while any use outside the rewritten tokens
 * remains (another, non-mTLS handler may still throw it); otherwise it is renamed or dropped.
 */
export function planImportEdits(text: string, needs: readonly ImportNeed[], edits: readonly Edit[]): Edit[] {
  const result: Edit[] = [];
  const seen = new Set<string>();
  for (const need of needs) {
    const key = `${need.module}:${need.from}:${need.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pattern = new RegExp(`(?<![\\w$.])${need.from}(?![\\w$])`, 'g');
    let uses = 0;
    for (const match of text.matchAll(pattern)) {
      const at = match.index;
      const rewritten = edits.some((e) => e.start <= at && at < e.end);
      const inImport = need.rename.start <= at && at < need.rename.end;
      if (!rewritten && !inImport) uses++;
    }
    if (uses > 0) {
      if (!need.present) result.push(need.add);
    } else {
      result.push(need.present ? need.remove : need.rename);
    }
  }
  return mergeRemovals(text, result);
}

/** How a renamed imported callee (`ForbiddenException` -> `UnauthorizedException`) is written, or why not. */
export type CalleeRename = { edits: Edit[]; imports: ImportNeed[] } | { manual: string };

/**
 * Renames the class or function a call uses (`new ForbiddenException()`, `Boom.forbidden()`, `forbidden()`),
 * with the named import following. `ns.X` renames the member only. An aliased import
 * (`ForbiddenException as Denied`) becomes a plain `to` import. When `to` already names something else in the
 * file (`import { UnauthorizedException } from './errors'`, a local class) the rename is refused with a reason:
 * adding the import would be a duplicate identifier (TS2300), reusing the name would throw the wrong class.
 */
export function renameCallee(analysis: ImportSource, callee: ts.Expression, to: string): CalleeRename {
  if (ts.isPropertyAccessExpression(callee))
    return { edits: [analysis.replace(callee.name, to)], imports: [] };
  if (!ts.isIdentifier(callee)) return { manual: `Rewrite ${callee.getText(analysis.sourceFile)} by hand.` };
  const binding = analysis.imports.get(callee.text);
  const existing = analysis.imports.get(to);
  const sameModule = Boolean(
    binding && existing && existing.module === binding.module && existing.name === to,
  );
  if (!sameModule && (existing || declaresName(analysis.sourceFile, to))) {
    const where = existing ? `imported from '${existing.module}'` : 'declared';
    return {
      manual: `${to} is already ${where} in this file: import ${binding ? `'${binding.module}'` : 'the'} ${to} under another name and use it here.`,
    };
  }
  const need = binding ? importNeed(analysis, callee.text, to) : undefined;
  if (binding?.namedImports && !need && !sameModule)
    return {
      manual: `Bind ${to} from '${binding.module}' next to '${callee.text}' (a destructuring with a rest element is not edited) and use it here.`,
    };
  return { edits: [analysis.replace(callee, to)], imports: need ? [need] : [] };
}

/** Whether any declaration in the file (import, class, function, variable, parameter, type) is named `name`. */
export function declaresName(sourceFile: ts.SourceFile, name: string): boolean {
  if (!sourceFile.text.includes(name)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const declared =
      ts.isClassDeclaration(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isVariableDeclaration(node) ||
      ts.isParameter(node) ||
      ts.isEnumDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isImportSpecifier(node) ||
      ts.isImportClause(node) ||
      ts.isNamespaceImport(node) ||
      ts.isImportEqualsDeclaration(node) ||
      ts.isBindingElement(node);
    if (declared && node.name && ts.isIdentifier(node.name) && node.name.text === name) found = true;
    else node.forEachChild(visit);
  };
  visit(sourceFile);
  return found;
}
