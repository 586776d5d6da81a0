import ts from '../../typescript.cjs';
import {
  AXIOS_STATUS_NAMES,
  CONSTANT_NAMES,
  DENO_STATUS_NAMES,
  ERROR_CLASS_NAMES,
  statusOfName,
} from '../status-names.js';
import { nodePath } from '../node-path.js';
import type { Edit, Site } from '../types.js';
import { bindsName, literalNumber, objectLiteralOf, skipOuter } from './syntax.js';
import { foldConstant } from './fold.js';
import { declaringStatement, isStatementScope } from './block-declarations.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * Names the user gave a status are kept. A status slot reading a constant of this file (`const code = 403;
 * res.status(code)`, `const opts = { status: 403 }; res.status(opts.status)`, `enum Http { Forbidden = 403 }`)
 * is rewritten at the use (`res.status(401)`); when every read of that declaration is such a rewritten use, the
 * declaration would be left unread (TS6133 under noUnusedLocals) and its name lost. Then the declaration's value
 * is edited instead (`const code = 401`) and the uses stay as written. A declaration read anywhere else (another
 * slot kept as it is, an export, a type) keeps its 403 and the uses keep their rewrite: the name is still read.
 * A name that says a status is never given another value (`const FORBIDDEN_CODE = 401` would lie). A variable
 * whose name says 403 (`FORBIDDEN`, `HTTP_FORBIDDEN`, `kForbidden`, `FORBIDDEN_CODE`, `HTTP_403`) and whose every
 * read is rewritten is renamed with its value, in its own spelling (`const UNAUTHORIZED = 401;
 * res.status(UNAUTHORIZED)`): inlining left it unread (TS6133) and the name gone from the uses. When the new
 * name is taken in the file, or another read keeps it, the uses keep their rewrite and the name its 403. A
 * table member (`Codes.forbidden`, `Http.Forbidden`) is not renamed: a key may be sent or read elsewhere.
 *
 * Mutates the edits of `sites` (the rewrites a plan applies, in `sourceFile`'s text).
 */
export function keepDeclaredNames(sourceFile: ts.SourceFile, sites: readonly Site[]): void {
  type Declared = ts.VariableDeclaration | ts.EnumDeclaration;
  const uses = new Map<Declared, { slot: ts.Expression; reads: Map<ts.Node, Edit[]>; named: boolean }>();
  const all = sites.flatMap((s) => s.edits);
  for (const edit of all) {
    const node = readEdited(sourceFile, edit);
    if (!node) continue;
    const read = constantRead(node);
    if (!read) continue;
    const entry = uses.get(read.declaration) ?? {
      slot: read.slot,
      reads: new Map<ts.Node, Edit[]>(),
      named: read.named,
    };
    entry.reads.set(read.reference, [...(entry.reads.get(read.reference) ?? []), edit]);
    uses.set(read.declaration, entry);
  }
  for (const [declaration, { slot, reads, named }] of uses) {
    const references = referencesOf(declaration, sourceFile);
    if (!references || references.some((r) => !reads.has(r))) continue;
    const start = slot.getStart(sourceFile);
    // The value may already be someone's edit (a `status: 403` key a module rewrote): nothing to move then.
    const digits = numberOf(reads.values().next().value?.[0]);
    if (!digits || all.some((e) => e.start < slot.end && start < e.end)) continue;
    // `const DENIED = StatusCodes.FORBIDDEN`: the library's name for the target (`StatusCodes.UNAUTHORIZED`).
    // Else a literal, or literals alone that fold to 403 (`400 + 3`), replaced by the target's number.
    const library = !ts.isLiteralExpression(slot) && libraryMember(slot) !== undefined;
    const member = library ? libraryMemberFor(slot, Number(digits)) : undefined;
    if (library && !member) continue;
    const text = digits;
    const moved: Edit = member ?? { start, end: slot.end, text };
    const replaced = new Set([...reads.values()].flat());
    if (!named) {
      for (const site of sites) site.edits = site.edits.map((e) => (replaced.has(e) ? moved : e));
      continue;
    }
    const name = declaration.name.getText(sourceFile);
    const renamed = renamedFor(name, Number(text));
    if (!renamed || new RegExp(`(?<![\\w$])${renamed}(?![\\w$])`).test(sourceFile.text)) continue;
    const declared: Edit = {
      start: declaration.name.getStart(sourceFile),
      end: declaration.name.end,
      text: renamed,
    };
    for (const site of sites) {
      const before = site.edits;
      site.edits = before.map((e) => (replaced.has(e) ? { start: e.start, end: e.end, text: renamed } : e));
      if (before.some((e) => replaced.has(e))) site.edits.push(declared, moved);
    }
  }
  keepComputedKeys(sourceFile, sites);
}

/**
 * `CODES[K]` with `const K = 'FORBIDDEN'` (a key this file fixes, constant-keys.ts) is rewritten to the target's
 * literal; when every read of K is such a rewritten read, K would be left unread (TS6133 under noUnusedLocals).
 * Then (session 37), when the same table has a row holding the target (`UNAUTHORIZED: 401`) and K's name does
 * not say 403, K's value is edited to that row's key instead (`const K = 'UNAUTHORIZED'`) and the reads stay as
 * written; otherwise the rewrite stays and its site says that K is no longer read, for the user to delete or keep.
 * Mutates the edits and reasons of `sites`.
 */
function keepComputedKeys(sourceFile: ts.SourceFile, sites: readonly Site[]): void {
  const reads = new Map<
    ts.VariableDeclaration,
    { edits: Edit[]; references: Set<ts.Node>; sibling?: string }
  >();
  const siteOf = new Map<Edit, Site>();
  for (const site of sites)
    for (const edit of site.edits) {
      if (!/^\d+$/.test(edit.text)) continue;
      const node = nodeSpanning(sourceFile, edit.start, edit.end);
      const access = node && skipOuter(node as ts.Expression);
      if (!access || !ts.isElementAccessExpression(access)) continue;
      const key = skipOuter(access.argumentExpression);
      if (!ts.isIdentifier(key)) continue;
      const declaration = declarationOf(key);
      if (
        !declaration ||
        !ts.isVariableDeclaration(declaration) ||
        exported(declaration) ||
        !declaration.initializer ||
        !ts.isStringLiteralLike(skipOuter(declaration.initializer))
      )
        continue;
      const entry = reads.get(declaration) ?? { edits: [], references: new Set<ts.Node>() };
      entry.edits.push(edit);
      entry.references.add(key);
      const sibling = siblingKey(access.expression, Number(edit.text));
      entry.sibling = entry.edits.length === 1 || entry.sibling === sibling ? sibling : undefined;
      siteOf.set(edit, site);
      reads.set(declaration, entry);
    }
  for (const [declaration, { edits, references, sibling }] of reads) {
    const all = referencesOf(declaration, sourceFile);
    if (!all || all.some((r) => !references.has(r))) continue;
    const name = declaration.name.getText(sourceFile);
    const literal = skipOuter(declaration.initializer as ts.Expression);
    const says = statusOfName(name) !== undefined || saysForbidden(name);
    if (sibling && !says) {
      const raw = literal.getText(sourceFile);
      const moved: Edit = {
        start: literal.getStart(sourceFile),
        end: literal.end,
        text: `${raw[0]}${sibling}${raw[raw.length - 1]}`,
      };
      const replaced = new Set(edits);
      for (const site of sites) site.edits = site.edits.map((e) => (replaced.has(e) ? moved : e));
      continue;
    }
    const line = lineAndCharacterAt(sourceFile, declaration.getStart(sourceFile)).line + 1;
    const note = `The key '${name}' (line ${line}) is read only by rewritten reads and is left unread: delete its declaration, or keep it and silence noUnusedLocals.`;
    for (const edit of edits) {
      const site = siteOf.get(edit);
      if (site && !site.reason?.includes(note)) site.reason = site.reason ? `${site.reason} ${note}` : note;
    }
  }
}

/** The key of a row of the file's own table (`const CODES = { UNAUTHORIZED: 401 }`) holding `target`, if any. */
function siblingKey(table: ts.Expression, target: number): string | undefined {
  const owner = skipOuter(table);
  if (!ts.isIdentifier(owner)) return undefined;
  const declaration = declarationOf(owner);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (!(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
  const object = objectLiteralOf(declaration.initializer);
  const row = object?.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      literalNumber(skipOuter(p.initializer)) === target,
  );
  return row && (ts.isIdentifier(row.name) || ts.isStringLiteral(row.name)) ? row.name.text : undefined;
}

/** A name that says 403: a Forbidden word or the number itself (`kForbidden`, `FORBIDDEN_CODE`, `HTTP_403`). */
function saysForbidden(name: string): boolean {
  return /forbidden|(?<![0-9])403(?![0-9])/i.test(name);
}

/**
 * `name` with its 403 words spelled for `target` as the name spells them: `FORBIDDEN` -> `UNAUTHORIZED`,
 * `Forbidden` -> `Unauthorized`, `forbidden` -> `unauthorized`, `403` -> `401` (`HTTP_FORBIDDEN_CODE`,
 * `statusForbidden`, `HTTP_403`). Undefined when the target has no name or a word is spelled otherwise.
 */
export function renamedFor(name: string, target: number): string | undefined {
  const constant = CONSTANT_NAMES[target];
  const pascal = ERROR_CLASS_NAMES[target];
  if (!constant || !pascal) return undefined;
  let odd = false;
  const renamed = name.replace(/(?<![0-9])403(?![0-9])/g, String(target)).replace(/forbidden/gi, (word) => {
    if (word === 'FORBIDDEN') return constant;
    if (word === 'Forbidden') return pascal;
    if (word === 'forbidden') return pascal[0].toLowerCase() + pascal.slice(1);
    odd = true;
    return word;
  });
  return odd || renamed === name ? undefined : renamed;
}

/**
 * The name an edit writes a number over: `403` or `code` -> `401`, and a shorthand property's name (`{ code }`
 * -> `{ code: 401 }`, syntax.ts `replaceNode`), which reads the constant as `code: code` does.
 */
function readEdited(sourceFile: ts.SourceFile, edit: Edit): ts.Node | undefined {
  if (numberOf(edit) === undefined) return undefined;
  const node = nodeSpanning(sourceFile, edit.start, edit.end);
  if (!node || /^\d+$/.test(edit.text)) return node;
  return ts.isIdentifier(node) && ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node
    ? node
    : undefined;
}

/** The number an edit writes: its whole text (`401`), or the value of a shorthand's key (`code: 401`). */
function numberOf(edit: Edit | undefined): string | undefined {
  return edit && /^(?:[\w$]+: )?(\d+)$/.exec(edit.text)?.[1];
}

/**
 * The outermost expression whose span is exactly [start, end), found down the path to `start` (node-path.ts, which
 * halves each child list: a per-edit walk of the file read every statement of a wide block once per edit).
 */
function nodeSpanning(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  return nodePath(sourceFile, start).find(
    (node) => node.end === end && node.getStart(sourceFile) === start && ts.isExpression(node),
  );
}

interface ConstantRead {
  /** The declaration of the name read (a variable or an enum). */
  declaration: ts.VariableDeclaration | ts.EnumDeclaration;
  /** The identifier that reads it (`code`, `opts` in `opts.status`, `Http` in `Http.Forbidden`). */
  reference: ts.Identifier;
  /** The literal 403 in the declaration the read gets. */
  slot: ts.Expression;
  /** A variable whose name says 403 (`FORBIDDEN`): renamed with its value, never given the target alone. */
  named: boolean;
}

/** `code` / `opts.status` / `Http.Forbidden` reading a 403 literal declared in this file, unexported. */
function constantRead(node: ts.Node): ConstantRead | undefined {
  let reference: ts.Identifier | undefined;
  let member: string | undefined;
  if (ts.isIdentifier(node)) reference = node;
  else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    reference = node.expression;
    member = node.name.text;
  } else if (
    ts.isElementAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    ts.isStringLiteralLike(node.argumentExpression)
  ) {
    reference = node.expression;
    member = node.argumentExpression.text;
  }
  if (!reference) return undefined;
  // A name that says a status (`FORBIDDEN`, `HTTP_STATUS.FORBIDDEN`, `FORBIDDEN_CODE`) would lie holding the
  // target: a member's use is rewritten, a variable may be renamed with its value.
  const name = member ?? reference.text;
  const named = statusOfName(name) !== undefined || saysForbidden(name);
  if (named && member !== undefined) return undefined;
  const declaration = declarationOf(reference);
  if (!declaration || exported(declaration)) return undefined;
  if (named && !ts.isVariableDeclaration(declaration)) return undefined;
  let slot: ts.Expression | undefined;
  if (ts.isEnumDeclaration(declaration)) {
    const entry = declaration.members.find((m) => ts.isIdentifier(m.name) && m.name.text === member);
    slot = member === undefined ? undefined : entry?.initializer;
  } else if (!declaration.initializer) return undefined;
  else if (member === undefined) slot = declaration.initializer;
  else {
    const object = objectLiteralOf(declaration.initializer);
    const property = object?.properties.find(
      (p): p is ts.PropertyAssignment =>
        ts.isPropertyAssignment(p) &&
        (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
        p.name.text === member,
    );
    slot = property?.initializer;
  }
  const literal = slot && skipOuter(slot);
  // `const DENIED = StatusCodes.FORBIDDEN`: a use rewritten as a number reads a library's 403 (evaluation.ts
  // decided so through constants.ts `localConstant`).
  if (literal && member === undefined && ts.isVariableDeclaration(declaration) && libraryMember(literal))
    return { declaration, reference, slot: literal, named };
  // A literal 403, or literals alone that fold to the number 403 (`const code = 400 + 3`, analysis/fold.ts).
  const number = literal && (ts.isNumericLiteral(literal) ? literalNumber(literal) : foldConstant(literal));
  if (number !== 403 && !(typeof number === 'object' && number.pure && number.value === 403))
    return undefined;
  if (!literal) return undefined;
  return { declaration, reference, slot: literal, named };
}

/** The 403 member name of a status library's table, as a `const` holds it: `StatusCodes.FORBIDDEN`. */
function libraryMember(node: ts.Expression): ts.Identifier | undefined {
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.name)) return undefined;
  return LIBRARY_403_NAMES.has(node.name.text) ? node.name : undefined;
}

/** How status libraries spell 403: http-status-codes / Nest / http-status, http2, Deno std / Oak and axios. */
const LIBRARY_403_NAMES = new Set(['FORBIDDEN', 'HTTP_STATUS_FORBIDDEN', 'Forbidden']);

/**
 * The edit renaming a library's 403 member (`StatusCodes.FORBIDDEN`) to its name for `target`, in the same
 * spelling (`UNAUTHORIZED`, `HTTP_STATUS_UNAUTHORIZED`, `Unauthorized`); undefined when a table lacks the name.
 */
function libraryMemberFor(slot: ts.Expression, target: number): Edit | undefined {
  const name = libraryMember(slot);
  if (!name) return undefined;
  const constant = CONSTANT_NAMES[target];
  const pascal = DENO_STATUS_NAMES[target];
  const text =
    name.text === 'FORBIDDEN'
      ? constant
      : name.text === 'HTTP_STATUS_FORBIDDEN'
        ? constant && `HTTP_STATUS_${constant}`
        : pascal !== undefined && pascal === AXIOS_STATUS_NAMES[target]
          ? pascal
          : undefined;
  return text ? { start: name.getStart(), end: name.end, text } : undefined;
}

/**
 * The `const` / `let` (or enum) a name refers to, looking through the blocks around it; undefined for a
 * parameter, an import, a function, a destructuring or anything else.
 */
function declarationOf(reference: ts.Identifier): ts.VariableDeclaration | ts.EnumDeclaration | undefined {
  const name = reference.text;
  for (let at: ts.Node | undefined = reference.parent; at; at = at.parent) {
    if (ts.isFunctionLike(at) && at.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (!isStatementScope(at)) continue;
    // The block's first statement declaring the name, from an index built once per block: a scan of the
    // statements per read made a file of many handlers reading one constant quadratic (kept-names-cost.test.ts).
    const statement = declaringStatement(at, name);
    if (!statement) continue;
    if (ts.isEnumDeclaration(statement)) return statement;
    if (!ts.isVariableStatement(statement)) return undefined;
    // A destructuring that binds the name (`const { F } = …`) is not read here: by its elements, not its text.
    const declaration = statement.declarationList.declarations.find((d) => bindsName(d.name, name));
    return declaration && ts.isIdentifier(declaration.name) ? declaration : undefined;
  }
  return undefined;
}

function exported(declaration: ts.VariableDeclaration | ts.EnumDeclaration): boolean {
  const holder = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  return (
    ts.canHaveModifiers(holder) &&
    (ts.getModifiers(holder) ?? []).some(
      (m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword,
    )
  );
}

/**
 * Every identifier in the declaration's scope that names it (its own name excepted), or undefined when the
 * name is declared again in that scope (a shadowing name: the reads cannot be told apart by text) or assigned.
 */
function referencesOf(
  declaration: ts.VariableDeclaration | ts.EnumDeclaration,
  sourceFile: ts.SourceFile,
): ts.Identifier[] | undefined {
  const name = declaration.name.getText(sourceFile);
  const scope = ts.isVariableDeclaration(declaration) ? declaration.parent.parent.parent : declaration.parent;
  const references: ts.Identifier[] = [];
  let unsure = false;
  const visit = (node: ts.Node): void => {
    if (unsure) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      const parent = node.parent;
      const declares =
        (ts.isVariableDeclaration(parent) ||
          ts.isParameter(parent) ||
          ts.isBindingElement(parent) ||
          ts.isFunctionDeclaration(parent) ||
          ts.isClassDeclaration(parent) ||
          ts.isEnumDeclaration(parent) ||
          ts.isImportSpecifier(parent)) &&
        parent.name === node;
      const keyOnly =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isQualifiedName(parent) && parent.right === node) ||
        ((ts.isPropertyAssignment(parent) ||
          ts.isMethodDeclaration(parent) ||
          ts.isPropertyDeclaration(parent) ||
          ts.isEnumMember(parent) ||
          ts.isPropertySignature(parent)) &&
          parent.name === node);
      const assigned =
        ts.isBinaryExpression(parent) &&
        parent.left === node &&
        parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
      if (declares || assigned) unsure = true;
      else if (!keyOnly) references.push(node);
    }
    node.forEachChild(visit);
  };
  visit(scope);
  return unsure ? undefined : references;
}
