import ts from '../typescript.cjs';
import type { ImportMap } from './imports.js';
import { nodePath } from './node-path.js';
import type { Edit, ImportNeed } from './types.js';

/** What an import edit reads of a file: its imports, its tree and its text (a `FileAnalysis` is one). */
export interface ImportSource {
  readonly imports: ImportMap;
  readonly sourceFile: ts.SourceFile;
  readonly text: string;
  /** The edit that replaces `node` with `text` (a shorthand property keeps its key). */
  replace(node: ts.Node, text: string): Edit;
  /**
   * The package and name `name` of the project module `module` comes from when that module only re-exports it
   * (ImportLink `origin`); undefined for a package's own specifier or a name the project declares. Optional.
   */
  originOf?(module: string, name: string): { module: string; name: string } | undefined;
}

/**
 * Why `from`, imported from a project module that only hands a package's class on (`export {
 * ForbiddenException } from '@nestjs/common'` in `src/common.ts`), cannot become `to` there: that module does
 * not hand `to` on from the same package. Undefined when the rename can stay in the import (a package import,
 * or a module that hands on both, `export *` of the package included).
 */
export function handedOnRename(analysis: ImportSource, from: string, to: string): string | undefined {
  const binding = analysis.imports.get(from);
  const handed = binding && analysis.originOf?.(binding.module, binding.name);
  if (!binding || !handed) return undefined;
  if (analysis.originOf?.(binding.module, to)?.module === handed.module) return undefined;
  return `${from} comes from '${handed.module}' through '${binding.module}', which does not export ${to}: export ${to} there too (or import it from '${handed.module}') and use it here.`;
}

/**
 * The three ways to fix the named import of `from` when its uses become `to`; the planner picks one.
 * `imported`: the name `to` is exported under, when `to` is an alias (`UnauthorizedException as
 * NestUnauthorizedException`, see {@link localNameFor}). `from === to` is a drop: the import goes once unused.
 * Undefined when `from` is not a plain named import (namespace forms need no import change).
 */
export function importNeed(
  analysis: ImportSource,
  from: string,
  to: string,
  imported: string = to,
): ImportNeed | undefined {
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
  // `UnauthorizedException as U` in an import, `Unauthorized: U` in a destructuring.
  const specifier =
    imported === to ? to : ts.isImportSpecifier(element) ? `${imported} as ${to}` : `${imported}: ${to}`;
  // Separator between specifiers as the file writes it: ", " on one line, ",\n    " in a multi-line list.
  const previous = elements[elements.length - 2];
  const separator = previous ? text.slice(previous.getEnd(), last.getStart(sf)) : ', ';
  const add: Edit = elements.hasTrailingComma
    ? { start: last.getEnd() + 1, end: last.getEnd() + 1, text: `${separator.slice(1)}${specifier},` }
    : {
        start: last.getEnd(),
        end: last.getEnd(),
        text: `${separator.startsWith(',') ? separator : ', '}${specifier}`,
      };
  // Present anywhere in the file (another import of the module too), under the local name `to`.
  const bound = analysis.imports.get(to);
  return {
    module: binding.module,
    from,
    to,
    present: from === to || (bound?.module === binding.module && bound.name === imported),
    rename: { start: element.getStart(sf), end: element.getEnd(), text: specifier },
    add,
    remove: removalEdit(elements, index, sf),
  };
}

/**
 * The local name a rewrite writes for `exported` of `module` in this file: the name it is already imported
 * under (`UnauthorizedException as Unauthorized` is reused), else `exported` when nothing in the file declares
 * that name, else an alias no declaration uses (`NestUnauthorizedException` for '@nestjs/common' when the file
 * has its own `UnauthorizedException`). The same answer for every site of a file, so they share one import.
 */
export function localNameFor(analysis: ImportSource, module: string, exported: string): string {
  const bound = boundLocalName(analysis.imports, module, exported);
  if (bound !== undefined) return bound;
  const taken = (name: string): boolean =>
    analysis.imports.has(name) || declaresName(analysis.sourceFile, name);
  if (!taken(exported)) return exported;
  const prefix = modulePrefix(module);
  const base = /^[A-Z]/.test(exported)
    ? `${prefix}${exported}`
    : `${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}${exported.charAt(0).toUpperCase()}${exported.slice(1)}`;
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}${n}`;
  return name;
}

/** The local name under which the file imports `exported` of `module` by name (`U` of `{ Unauthorized as U }`), if any. */
export function boundLocalName(imports: ImportMap, module: string, exported: string): string | undefined {
  for (const [local, binding] of imports)
    if (binding.module === module && binding.name === exported && binding.namedImports) return local;
  return undefined;
}

/** `Nest` for '@nestjs/common', `Feathers` for '@feathersjs/errors', `HttpErrors` for 'http-errors', `Errors` for './errors'. */
function modulePrefix(module: string): string {
  const segments = module.split('/').filter((s) => s && s !== '.' && s !== '..');
  const scoped = segments[0]?.startsWith('@');
  const word =
    (scoped ? segments[0].slice(1) : module.startsWith('.') ? segments[segments.length - 1] : segments[0]) ??
    '';
  const stem = word.replace(/\.[cm]?[jt]sx?$/, '').replace(/(?<=.{3})js$/i, '');
  const pascal = stem
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `Imported${pascal}`;
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
  // The only specifier: the list empties (planImportEdits removes the whole declaration, emptiedList).
  return { start: element.getStart(sf), end: element.getEnd(), text: '' };
}

/**
 * Removals of several specifiers of one list as one edit each run: `{ A, B, C }` losing B and C becomes `{ A }`
 * (two separate removals would overlap on the comma between them), and an import or `require` destructuring
 * whose list empties goes whole ({@link emptiedList}): no unused name stays (TS6133/TS6192 under
 * noUnusedLocals), and no side-effect import the user never wrote (`import '@nestjs/common';`) appears.
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
    // A trailing comma after the last specifiers (`{\n  A,\n}`) goes with them.
    const trailing = /^\s*,(?=\s*\})/.exec(text.slice(edit.end));
    if (trailing) edit.end += trailing[0].length;
    const after = /^\s*\}/.exec(text.slice(edit.end));
    if (!after) continue;
    // The run ends the list: the comma before it goes too.
    const comma = /,\s*$/.exec(text.slice(0, edit.start));
    if (comma) edit.start -= comma[0].length;
    const open = /\{\s*$/.exec(text.slice(0, edit.start));
    if (open) emptiedList(text, edit, edit.start - open[0].length);
  }
  return [...others, ...merged];
}

/** `import {`, `const {` / `let {` / `var {` before an emptied list (the `{` excluded), and the statement's start. */
const LIST_OPENERS = /(?:^|[\s;])((?:import|const|let|var)\s*)$/;
/** After an emptied import list's `}`: `from 'module';` (the string's quote matched). */
const IMPORT_TAIL = /^\s*\}\s*from\s*(['"])[^'"\n]*\1\s*;?/;
/**
 * After an emptied destructuring's `}`: `= require('module');`, or `= await import('module');` (a lazy load of the
 * module, only for the names the rewrite replaced: it goes as a `require` does, never `const {  } = …`).
 */
const REQUIRE_TAIL = /^\s*\}\s*=\s*(?:require|await\s+import)\(\s*(['"])[^'"\n]*\1\s*\)\s*;?/;
/** `import D, {` before an emptied list: the `, {` goes, `import D from 'm'` stays. */
const DEFAULT_BEFORE = /\bimport\s+[\w$]+\s*,\s*$/;

/**
 * Widens the removal of a named list's last specifiers (`edit`, whose list opens at `open`) so that no empty
 * list stays: `import { A } from 'm';`, `const { A } = require('m');` and `const { default: A } = await
 * import('m');` go whole, with their line when nothing
 * else is on it (a comment beside the statement stays); `import D, { A } from 'm'` keeps `import D from 'm'`.
 * The module is still loaded by the import that binds the new name (the rename only empties a list when
 * another declaration of the same module binds it) or was only read for the names the rewrite replaced.
 * Anything else (a list inside a longer destructuring) is left as it is.
 */
function emptiedList(text: string, edit: Edit, open: number): void {
  const before = text.slice(0, open);
  const rest = text.slice(edit.end);
  const withDefault = DEFAULT_BEFORE.exec(before);
  const importTail = IMPORT_TAIL.exec(rest);
  if (withDefault && importTail) {
    const comma = /\s*,\s*$/.exec(before);
    edit.start = open - (comma ? comma[0].length : 0);
    edit.end += /^\s*\}/.exec(rest)?.[0].length ?? 0;
    return;
  }
  const opener = LIST_OPENERS.exec(before);
  if (!opener) {
    if (!emptiedNested(text, edit, open)) emptiedDeclaration(text, edit, open);
    return;
  }
  const keyword = opener[1].trimEnd();
  const tail = keyword === 'import' ? importTail : REQUIRE_TAIL.exec(rest);
  if (!tail) {
    if (keyword !== 'import') emptiedDeclaration(text, edit, open);
    return;
  }
  wholeLines(text, edit, open - opener[1].length, edit.end + tail[0].length);
}

/** Sets `edit` to remove `[start, end)`, with its line when nothing else is on it (indentation and line break). */
function wholeLines(text: string, edit: Edit, start: number, end: number): void {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = /^[ \t]*(?:\r?\n|$)/.exec(text.slice(end));
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && lineEnd) {
    start = lineStart;
    end += lineEnd[0].length;
  } else end += /^[ \t]*/.exec(text.slice(end))?.[0].length ?? 0;
  edit.start = start;
  edit.end = end;
}

/**
 * An emptied destructuring the patterns of {@link emptiedList} do not read, on the syntax tree: a module load in
 * another spelling (`(await import('./deny.js'))`, a comment in the call, `require('m').StatusCodes`) or one
 * declaration among several (`const m = 1, { default: D } = await import('m')`). When the value destructured is
 * a module load (`require`, `import()`, awaited or not, a member of it), the declaration goes (the whole
 * statement when it is the only one), as `const { A } = require('m')` does: the module was read only for the
 * names the rewrite replaced. Anything else (`const { A } = await load()`: the call may do more) is left as it is.
 */
function emptiedDeclaration(text: string, edit: Edit, open: number): void {
  const sourceFile = ts.createSourceFile('emptied.ts', text, ts.ScriptTarget.Latest, true);
  const pattern = nodePath(sourceFile, open).find(
    (node): node is ts.ObjectBindingPattern =>
      ts.isObjectBindingPattern(node) && node.getStart(sourceFile) === open,
  );
  const declaration = pattern?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return;
  if (!isModuleLoad(declaration.initializer)) return;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list)) return;
  const statement = list.parent;
  if (list.declarations.length === 1 && ts.isVariableStatement(statement)) {
    wholeLines(text, edit, statement.getStart(sourceFile), statement.end);
    return;
  }
  const index = list.declarations.indexOf(declaration);
  const previous = list.declarations[index - 1];
  const next = list.declarations[index + 1];
  if (previous) {
    edit.start = previous.end;
    edit.end = declaration.end;
  } else if (next) {
    edit.start = declaration.getStart(sourceFile);
    edit.end = next.getStart(sourceFile);
  }
}

/** `require('m')`, `import('m')`, awaited, in parentheses, or a member of one (`require('m').StatusCodes`). */
function isModuleLoad(node: ts.Expression): boolean {
  let current: ts.Expression = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current)) current = current.expression;
    else if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current))
      current = current.expression;
    else break;
  }
  if (!ts.isCallExpression(current)) return false;
  const callee = current.expression;
  const loads =
    callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
  const first = current.arguments[0];
  return loads && first !== undefined && ts.isStringLiteralLike(first);
}

/** `constants: ` (or `'constants': `) before a nested list's `{`: the key of the element that holds it. */
const NESTED_KEY = /(?:[A-Za-z_$][\w$]*|'[^'\n]*'|"[^"\n]*")\s*:\s*$/;

/**
 * A nested destructuring list emptied (`const { constants: { HTTP_STATUS_FORBIDDEN } } = require('http2')` once
 * its only name is dropped): the element holding it goes too (`constants: {}` would stay, a pattern binding
 * nothing), with its comma; when it was its list's only element, that list is emptied in turn (the statement
 * goes whole, {@link emptiedList}). Left as it is when the list is no element of an outer list (returns false).
 */
function emptiedNested(text: string, edit: Edit, open: number): boolean {
  const key = NESTED_KEY.exec(text.slice(0, open));
  const close = /^\s*\}/.exec(text.slice(edit.end));
  if (!key || !close) return false;
  const start = open - key[0].length;
  const end = edit.end + close[0].length;
  const before = text.slice(0, start);
  const after = text.slice(end);
  const next = /^\s*,\s*(?=[^\s}])/.exec(after);
  if (next) {
    edit.start = start;
    edit.end = end + next[0].length;
    return true;
  }
  const trailing = /^\s*,/.exec(after)?.[0].length ?? 0;
  const previous = /,\s*$/.exec(before);
  if (previous) {
    edit.start = start - previous[0].length;
    edit.end = end + trailing;
    return true;
  }
  const outer = /\{\s*$/.exec(before);
  if (!outer) return false;
  edit.start = start;
  edit.end = end + trailing;
  emptiedList(text, edit, start - outer[0].length);
  return true;
}

/**
 * Import edits for one file, one plan for every site: `from` keeps its specifier while any use outside the
 * rewritten tokens remains (another, non-mTLS handler may still throw it); otherwise it is renamed or dropped.
 * The needs that bind the same local name from the same module (two sites, two aliases of the old class:
 * `ForbiddenException as Denied, ForbiddenException`) give that name once: the first unused old specifier is
 * renamed to it, the other unused ones dropped, or it is added once when every old name is still used; never
 * when the file already imports it (TS2300 Duplicate identifier otherwise).
 */
export function planImportEdits(text: string, needs: readonly ImportNeed[], edits: readonly Edit[]): Edit[] {
  const groups = new Map<string, ImportNeed[]>();
  for (const need of needs) {
    const key = `${need.module}\u0000${need.to}`;
    const group = groups.get(key) ?? [];
    if (!group.some((n) => n.from === need.from)) group.push(need);
    groups.set(key, group);
  }
  // A specifier being edited is no use of the names it spells (`ForbiddenException as Denied`).
  const specifiers = needs.map((n) => n.rename);
  // Drops made so far: a name read only inside a dropped statement (`const L = StatusCodes` once `L` goes) is unused.
  const dropped: Edit[] = [];
  // A name in a comment (`// StatusCodes.FORBIDDEN was sent here`) or a string (a test's title, `it('throws
  // ForbiddenException')`) is no use: those ranges are read once, when asked.
  let unread: { start: number; end: number }[] | undefined;
  const inComment = (at: number): boolean =>
    (unread ??= unreadRanges(text)).some((c) => c.start <= at && at < c.end);
  const used = (need: ImportNeed): boolean => {
    const pattern = new RegExp(`(?<![\\w$.])${need.from}(?![\\w$])`, 'g');
    for (const match of text.matchAll(pattern)) {
      const at = match.index;
      const rewritten = edits.some((e) => e.start <= at && at < e.end);
      const inImport = specifiers.some((s) => s.start <= at && at < s.end);
      const inDropped = dropped.some((e) => e.start <= at && at < e.end);
      if (!rewritten && !inImport && !inDropped && !inComment(at)) return true;
    }
    return false;
  };
  // The drops of present names, until none is added: each may leave another name unread (an alias chain).
  const drops = new Set<ImportNeed>();
  for (let added = true; added;) {
    added = false;
    for (const group of groups.values()) {
      if (!group.some((need) => need.present)) continue;
      for (const need of group) {
        if (drops.has(need) || used(need)) continue;
        drops.add(need);
        dropped.push(need.remove);
        added = true;
      }
    }
  }
  const result: Edit[] = [];
  for (const group of groups.values()) {
    if (group.some((need) => need.present)) {
      for (const need of group) if (drops.has(need)) result.push(need.remove);
      continue;
    }
    const unused = group.filter((need) => !used(need));
    const [renamed, ...rest] = unused;
    if (renamed) result.push(renamed.rename, ...rest.map((need) => need.remove));
    else result.push(group[0].add);
  }
  return mergeRemovals(text, result);
}

/** How a renamed imported callee (`ForbiddenException` -> `UnauthorizedException`) is written, or why not. */
export type CalleeRename = { edits: Edit[]; imports: ImportNeed[] } | { manual: string };

/**
 * Renames the class or function a call uses (`new ForbiddenException()`, `Boom.forbidden()`, `forbidden()`),
 * with the named import following ({@link importedRename}). `ns.X` (also `ns['X']`, `ns[K]`) renames the member only. An aliased import
 * (`ForbiddenException as Denied`) becomes a plain `to` import. When `to` already names something else in the
 * file (`import { UnauthorizedException } from './errors'`, a local class) the new class is imported under an
 * alias ({@link localNameFor}); a callee that is no import is refused then, with a reason.
 */
export function renameCallee(analysis: ImportSource, callee: ts.Expression, to: string): CalleeRename {
  if (ts.isPropertyAccessExpression(callee))
    return { edits: [analysis.replace(callee.name, to)], imports: [] };
  // `ns['X']` keeps its own quotes; `ns[K]` (a key the file fixes) becomes `ns.to`, `K` left for its other reads.
  if (ts.isElementAccessExpression(callee)) {
    const key = callee.argumentExpression;
    if (ts.isStringLiteralLike(key)) {
      const raw = key.getText(analysis.sourceFile);
      return { edits: [analysis.replace(key, `${raw[0]}${to}${raw[raw.length - 1]}`)], imports: [] };
    }
    const dot = callee.questionDotToken ? '?.' : '.';
    return {
      edits: [{ start: callee.expression.getEnd(), end: callee.getEnd(), text: `${dot}${to}` }],
      imports: [],
    };
  }
  if (!ts.isIdentifier(callee)) return { manual: `Rewrite ${callee.getText(analysis.sourceFile)} by hand.` };
  const imported = importedRename(analysis, callee.text, to);
  if (imported && 'manual' in imported) return imported;
  if (imported) return { edits: [analysis.replace(callee, imported.local)], imports: imported.imports };
  const handedOn = handedOnRename(analysis, callee.text, to);
  if (handedOn) return { manual: handedOn };
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
  return { edits: [analysis.replace(callee, to)], imports: [] };
}

/**
 * For a use of the named import `from` (`{ ForbiddenException }`, `{ Forbidden: F }` of a require()) that
 * becomes `to` of the same module: the local name to write ({@link localNameFor}: an existing import of `to`
 * under any alias is reused, a name the file already uses otherwise is aliased) and the import need, shared by
 * every site of the file through {@link planImportEdits}. Undefined when `from` is no named import; manual when
 * the list cannot take a name (a destructuring with a rest element).
 */
export function importedRename(
  analysis: ImportSource,
  from: string,
  to: string,
): { local: string; imports: ImportNeed[] } | { manual: string } | undefined {
  const binding = analysis.imports.get(from);
  if (!binding?.namedImports) return undefined;
  const handedOn = handedOnRename(analysis, from, to);
  if (handedOn) return { manual: handedOn };
  const local = localNameFor(analysis, binding.module, to);
  const need = importNeed(analysis, from, local, to);
  if (need) return { local, imports: [need] };
  const bound = analysis.imports.get(local);
  if (bound?.module === binding.module && bound.name === to) return { local, imports: [] };
  return {
    manual: `Bind ${to} from '${binding.module}' next to '${from}' (a destructuring with a rest element is not edited) and use it here.`,
  };
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

/**
 * The comments of a file's text (`//` and `/* *\/` ranges), read from its parsed tree: the trivia before and after
 * every node, and before the end of the file. Comments between tokens that are no node (a line comment alone
 * before a closing `}`) are missed, so a name there still reads as a use (the safe side: the import stays).
 */
export function commentRanges(text: string): { start: number; end: number }[] {
  return textRanges(text, false);
}

/**
 * The ranges of a file's text where a name is no use of a binding: its comments ({@link commentRanges}) and the
 * text of its string and template literals (`it('throws ForbiddenException', …)`, `` `a ${x} ForbiddenError` ``:
 * the text parts only, never a template's `${…}` expressions).
 */
export function unreadRanges(text: string): { start: number; end: number }[] {
  return textRanges(text, true);
}

function textRanges(text: string, strings: boolean): { start: number; end: number }[] {
  const kind = /<\/[A-Za-z]|\/>/.test(text) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile('comments.ts', text, ts.ScriptTarget.Latest, false, kind);
  const seen = new Set<number>();
  const out: { start: number; end: number }[] = [];
  const add = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? [])
      if (!seen.has(range.pos)) {
        seen.add(range.pos);
        out.push({ start: range.pos, end: range.end });
      }
  };
  const visit = (node: ts.Node): void => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    if (
      strings &&
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node))
    )
      out.push({ start: node.getStart(sourceFile), end: node.end });
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  add(ts.getLeadingCommentRanges(text, sourceFile.endOfFileToken.pos));
  return out;
}
