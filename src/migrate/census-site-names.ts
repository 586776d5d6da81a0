import path from 'node:path';
import ts from '../typescript.cjs';
import type { Site } from './types.js';
import { tokenNode } from './census-occurrences.js';
import { isOuter, loadedModule, shorten } from './analysis/syntax.js';
import { isExportedName, isExportedValue } from './census-exports.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * The names the sites of a run read (census.ts): a constant's definition is accounted under the sites that read
 * its name. Only identifiers and element-access keys count: a word inside another string, a template's text or a
 * comment of a site's form (`res.status(403).send('forbidden')`, `{ error: 'DENIED' }`) reads no constant.
 */

/** One analysed file's sites with what locates them: its text's syntax tree and a line for each site. */
export interface SitesOfFile {
  sourceFile: ts.SourceFile;
  sites: readonly Site[];
  /** Path relative to the working folder (as `Site.file`), for naming where a name is read; else the file name. */
  file?: string;
}

/** A name whose every read the run's rewrites replace with a number. */
export interface ReplacedName {
  /** `file:line form` of each rewrite that replaced it. */
  uses: readonly string[];
  /** Whether an analysed file imports the name (an exported definition with no importer may be read outside). */
  imported: boolean;
}

/** What the sites of a run read, by name. */
export interface SiteNames {
  /** Whether a name is read inside a site's form (any site). */
  used: (name: string) => boolean;
  /** Whether a name is still read inside a rewritten form after the run (no edit of the site replaces it). */
  keptByRewrite: (name: string) => boolean;
  /**
   * Where the run's rewrites write the status in place of a name (`res.status(DENIED)` written
   * `res.status(401)`; a name renamed to a sibling, `Codes.UNAUTHORIZED`, is not) when they do so for every read
   * of it that a site holds: `file:line form` of each; undefined when a site still reads the name (or
   * none reads it). Its definition then keeps 403 with no site reading it.
   */
  replacedAt: (name: string) => ReplacedName | undefined;
  /**
   * Where the run's rewrites stop reading `member` of `container` (an enum member, a constant table's entry, a
   * static field: `res.status(Http.Forbidden)` written `res.status(401)` or `res.status(Http.Unauthorized)`) when
   * no file of the run reads it after the run: `file:line form` of each such rewrite; `imported`: whether an
   * analysed file imports `container`. Undefined when anything still reads it, or no rewrite read it.
   */
  memberGoneAt: (member: string, container: string) => ReplacedName | undefined;
  /**
   * The same for `field` of an entry that is itself an object (`Errors.FORBIDDEN_ROUTE.status` of `Errors = {
   * FORBIDDEN_ROUTE: { status: 403, body } }`): the rewrites that write a number over `entry.field`, when no
   * file of the run reads that field after the run. A read of the entry as a whole (`send(res, Errors.X)`) may
   * read the field and counts as one; a read of another field of it (`Errors.X.body`) does not.
   */
  fieldGoneAt: (entry: string, field: string, container: string) => ReplacedName | undefined;
  /** Whether any analysed file reads `field` of the object entry `entry` at all (see `fieldGoneAt`). */
  fieldReadInRun: (entry: string, field: string) => boolean;
  /**
   * Whether any analysed file reads `name` (as a name, or as a member when `member`) anywhere, site or not:
   * false for a definition nothing of the run reads at all (the second run after its readers were rewritten).
   */
  readInRun: (name: string, member: boolean) => boolean;
  /**
   * Where an analysed file first reads table `name` by a key that is no literal, a read that can reach any of its
   * entries (`STATUS_BY_KIND[err.kind]`), not one named member (`name.OK`, `name['OK']`): `file:line form`
   * (`src/app.ts:11 STATUS_BY_KIND[err.kind]`); undefined when none.
   */
  keyedReadAt: (name: string) => string | undefined;
  /** Whether any analysed file reads `name` or imports it by that name (`import { NoAccess as N } from …`). */
  importedInRun: (name: string) => boolean;
}

/**
 * Reads the names in the sites of `files`. `inScope`: whether a rewrite's edits will be applied (a site `--spec`
 * leaves out keeps reading what it reads); asked only of rewrites that replace a name.
 */
export function siteNames(
  files: Iterable<SitesOfFile>,
  inScope: (site: Site) => boolean = () => true,
): SiteNames {
  const used = new Set<string>();
  const kept = new Set<string>();
  const keptByRewrite = new Set<string>();
  const replaced = new Map<string, string[]>();
  // Names a rewrite writes over with text not naming them (a number, a sibling name): the use and its site's names.
  const gone = new Map<string, { use: string; names: ReadonlySet<string> }[]>();
  const goneRanges = new Map<ts.SourceFile, { start: number; end: number }[]>();
  const all = [...files];
  const keys = new Map<ts.SourceFile, ReadonlyMap<string, string>>();
  // Where the rewrites write a number over a name: a read there is gone after the run.
  const inlined = new Map<ts.SourceFile, { start: number; end: number }[]>();
  for (const { sourceFile, sites } of all)
    for (const site of sites) {
      if (site.file === undefined) continue;
      const replacedHere = new Set<string>();
      const goneHere = new Set<string>();
      const read = withImportedKeys(namesIn(sourceFile, site.span.start, site.span.end), sourceFile, keys);
      for (const { name, start, end } of read) {
        used.add(name);
        const covering =
          site.kind === 'rewrite' && !site.ignoreReason
            ? site.edits.filter((e) => e.start <= start && end <= e.end)
            : [];
        if (covering.length && covering.every((e) => !hasWord(e.text, name)) && inScope(site))
          goneHere.add(name);
        // Inlined: an edit of this rewrite writes a number over the name.
        if (covering.some((e) => /^\s*\d+\s*$/.test(e.text))) replacedHere.add(name);
        else kept.add(name);
        // Read after the run: no edit of this rewrite writes over it (`Codes.FORBIDDEN` renamed is not read).
        if (site.kind === 'rewrite' && !covering.some((e) => !hasWord(e.text, name))) keptByRewrite.add(name);
      }
      if (goneHere.size) {
        const line = lineAndCharacterAt(sourceFile, site.start).line + 1;
        const names = new Set(read.map((r) => r.name));
        for (const name of goneHere) {
          const list = gone.get(name) ?? [];
          list.push({ use: `${site.file}:${line} ${site.form}`, names });
          gone.set(name, list);
        }
        const ranges = goneRanges.get(sourceFile) ?? [];
        ranges.push(...site.edits.filter((e) => [...goneHere].some((n) => !hasWord(e.text, n))));
        goneRanges.set(sourceFile, ranges);
      }
      if (!replacedHere.size) continue;
      if (!inScope(site)) {
        for (const name of replacedHere) kept.add(name);
        continue;
      }
      const ranges = inlined.get(sourceFile) ?? [];
      ranges.push(...site.edits.filter((e) => /^\s*\d+\s*$/.test(e.text)));
      inlined.set(sourceFile, ranges);
      const line = lineAndCharacterAt(sourceFile, site.start).line + 1;
      for (const name of replacedHere) {
        const list = replaced.get(name) ?? [];
        list.push(`${site.file}:${line} ${site.form}`);
        replaced.set(name, list);
      }
    }
  const self: SiteNames = {
    used: (name) => used.has(name),
    keptByRewrite: (name) => keptByRewrite.has(name),
    replacedAt: (name) => {
      if (name.startsWith(DEFAULT_EXPORT_KEY))
        return replacedDefault(name.slice(DEFAULT_EXPORT_KEY.length), all, (local) => self.replacedAt(local));
      const uses = replaced.get(name);
      if (kept.has(name) || !uses) return undefined;
      const reads = readsOf(name, all, inlined);
      return reads.read ? undefined : { uses, imported: reads.imported };
    },
    memberGoneAt: (member, container) => {
      const uses = gone.get(member);
      if (!uses) return undefined;
      if (memberReadIn(member, all, goneRanges)) return undefined;
      const own = uses.filter((u) => u.names.has(container));
      return {
        uses: (own.length ? own : uses).map((u) => u.use),
        imported: importedIn(container, all),
      };
    },
    fieldGoneAt: (entry, field, container) => {
      const uses = gone.get(entry)?.filter((u) => u.names.has(field) && u.names.has(container));
      if (!uses?.length) return undefined;
      if (fieldReadIn(entry, field, all, goneRanges)) return undefined;
      return { uses: uses.map((u) => u.use), imported: importedIn(container, all) };
    },
    fieldReadInRun: (entry, field) => fieldReadIn(entry, field, all, new Map()),
    readInRun: (name, member) =>
      member ? memberReadIn(name, all, new Map()) : readsOf(name, all, new Map()).read,
    keyedReadAt: (name) => {
      const at = readsOf(name, all, new Map(), (node) => keyedAccess(node) !== undefined).at;
      if (!at) return undefined;
      const { file, node } = at;
      const line = lineAndCharacterAt(file.sourceFile, node.getStart(file.sourceFile)).line + 1;
      const access = keyedAccess(node) ?? node.parent;
      return `${file.file ?? file.sourceFile.fileName}:${line} ${shorten(access.getText(file.sourceFile))}`;
    },
    importedInRun: (name) => {
      const reads = readsOf(name, all, new Map());
      return reads.read || reads.imported;
    },
  };
  return self;
}

/**
 * The key `SiteNames.replacedAt` reads as "the default export of this file" (`export default 403`): the names
 * importers bind it under are their own (`import DENIED from './denied'`), so the file is named instead.
 */
export const DEFAULT_EXPORT_KEY = '\u0000default:';

/** {@link DEFAULT_EXPORT_KEY} for a file (its `sourceFile.fileName`). */
export function defaultExportKey(fileName: string): string {
  return `${DEFAULT_EXPORT_KEY}${fileName}`;
}

/**
 * Where the run's rewrites write the status in place of every default import of `fileName` by the analysed files
 * (`import DENIED from './denied'`, relative specifiers, with or without extension, `index` too): undefined
 * when no file imports it so, or when any importer's name is still read (`replacedAt` of that name).
 */
function replacedDefault(
  fileName: string,
  files: readonly SitesOfFile[],
  replacedAt: (name: string) => ReplacedName | undefined,
): ReplacedName | undefined {
  const strip = (file: string): string => path.resolve(file).replace(/\.[cm]?[jt]sx?$/, '');
  const target = strip(fileName);
  const locals = new Set<string>();
  for (const { sourceFile } of files)
    for (const statement of sourceFile.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const local = statement.importClause?.name?.text;
      const specifier = statement.moduleSpecifier.text;
      if (!local || !specifier.startsWith('.')) continue;
      const resolved = strip(path.join(path.dirname(sourceFile.fileName), specifier));
      if (resolved === target || `${resolved}${path.sep}index` === target) locals.add(local);
    }
  if (!locals.size) return undefined;
  const uses: string[] = [];
  for (const local of locals) {
    const replaced = replacedAt(local);
    if (!replaced) return undefined;
    uses.push(...replaced.uses);
  }
  return { uses: [...new Set(uses)], imported: true };
}

/** Whether an import specifier or clause of an analysed file names `name` (`import { Http } from './codes'`). */
function importedIn(name: string, files: readonly SitesOfFile[]): boolean {
  const word = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  for (const { sourceFile } of files)
    for (const match of sourceFile.text.matchAll(word)) {
      const node = tokenNode(sourceFile, match.index);
      if (
        node &&
        ts.isIdentifier(node) &&
        (ts.isImportSpecifier(node.parent) || ts.isImportClause(node.parent))
      )
        return true;
    }
  return false;
}

/**
 * The tokens spelling the word `name` (not inside a longer identifier) in the analysed files, outside `gone`
 * (ranges a rewrite writes over): each with its file and offset.
 */
function* wordTokens(
  name: string,
  files: readonly SitesOfFile[],
  gone: ReadonlyMap<ts.SourceFile, readonly { start: number; end: number }[]>,
): Generator<{ sourceFile: ts.SourceFile; node: ts.Node; at: number }> {
  const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  for (const { sourceFile } of files) {
    const ranges = gone.get(sourceFile) ?? [];
    for (const match of sourceFile.text.matchAll(word)) {
      const at = match.index;
      if (ranges.some((r) => r.start <= at && at < r.end)) continue;
      const node = tokenNode(sourceFile, at);
      if (node) yield { sourceFile, node, at };
    }
  }
}

/**
 * Whether any analysed file reads member `name` outside `gone` (ranges a rewrite writes over): `X.name`,
 * `X['name']`, a destructured `{ name }`, a bare `name`. Declarations are no reads: an enum member's or an object
 * entry's own name, a class field's, an import or export specifier.
 */
function memberReadIn(
  name: string,
  files: readonly SitesOfFile[],
  gone: ReadonlyMap<ts.SourceFile, readonly { start: number; end: number }[]>,
): boolean {
  for (const { sourceFile, node, at } of wordTokens(name, files, gone)) {
    const key =
      ts.isStringLiteralLike(node) &&
      node.text === name &&
      ts.isElementAccessExpression(node.parent) &&
      node.parent.argumentExpression === node;
    if (key && !isExportedName(node)) return true;
    if (!ts.isIdentifier(node) || node.getStart(sourceFile) !== at) continue;
    const parent = node.parent;
    const declared =
      ((ts.isEnumMember(parent) ||
        ts.isPropertyAssignment(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isVariableDeclaration(parent)) &&
        parent.name === node) ||
      ts.isImportSpecifier(parent) ||
      ts.isExportSpecifier(parent) ||
      ts.isImportClause(parent) ||
      isExportedName(node) ||
      isRequiredName(node);
    if (!declared) return true;
  }
  return false;
}

/**
 * Whether an analysed file reads `field` of the object entry `entry` outside the ranges the rewrites write over:
 * `entry.field`, `entry['field']`, or `entry` read whole (handed on, destructured); `entry.other` reads
 * another field only. A declaration of `entry` (its key in the table) is no read.
 */
function fieldReadIn(
  entry: string,
  field: string,
  files: readonly SitesOfFile[],
  gone: ReadonlyMap<ts.SourceFile, readonly { start: number; end: number }[]>,
): boolean {
  for (const { sourceFile, node, at } of wordTokens(entry, files, gone)) {
    if (node.getStart(sourceFile) !== at) continue;
    if (!ts.isIdentifier(node) && !ts.isStringLiteralLike(node)) continue;
    const parent = node.parent;
    const declared =
      ((ts.isPropertyAssignment(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isVariableDeclaration(parent)) &&
        parent.name === node) ||
      ts.isImportSpecifier(parent) ||
      ts.isExportSpecifier(parent) ||
      ts.isImportClause(parent);
    if (declared) continue;
    // `X.entry` / `X['entry']`: the expression that reads the entry.
    const read =
      (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
      (ts.isElementAccessExpression(parent) && parent.argumentExpression === node)
        ? parent
        : ts.isIdentifier(node)
          ? node
          : undefined;
    if (!read) continue;
    const outer = read.parent;
    const next =
      ts.isPropertyAccessExpression(outer) && outer.expression === read
        ? outer.name.text
        : ts.isElementAccessExpression(outer) &&
            outer.expression === read &&
            ts.isStringLiteralLike(outer.argumentExpression)
          ? outer.argumentExpression.text
          : undefined;
    if (next === undefined || next === field) return true;
  }
  return false;
}

/**
 * Whether any analysed file still reads `name` after the run (`read`): an identifier that is no declaration's
 * name, no import or export specifier, and not under a number a rewrite writes (`console.log(LOGGED)`,
 * `x === CODE`, an importer's use). Such a definition stays read, and its 403 stays meaningful there. `imported`:
 * an import specifier names it.
 */
function readsOf(
  name: string,
  files: readonly SitesOfFile[],
  inlined: ReadonlyMap<ts.SourceFile, readonly { start: number; end: number }[]>,
  accept: (node: ts.Identifier) => boolean = () => true,
): { read: boolean; imported: boolean; at?: { file: SitesOfFile; node: ts.Identifier } } {
  const word = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  let imported = false;
  for (const file of files) {
    const { sourceFile } = file;
    const ranges = inlined.get(sourceFile) ?? [];
    for (const match of sourceFile.text.matchAll(word)) {
      const at = match.index;
      if (ranges.some((r) => r.start <= at && at < r.end)) continue;
      const node = tokenNode(sourceFile, at);
      if (!node || !ts.isIdentifier(node) || node.getStart(sourceFile) !== at) continue;
      const parent = node.parent;
      if (ts.isImportSpecifier(parent) || isRequiredName(node)) {
        imported = true;
        continue;
      }
      const declared =
        ((ts.isVariableDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === node) ||
        ts.isExportSpecifier(parent) ||
        ts.isImportClause(parent) ||
        isExportedValue(node);
      if (!declared && accept(node)) return { read: true, imported, at: { file, node } };
    }
  }
  return { read: false, imported };
}

/**
 * `reads` with, after each read of a local bound to another module's key under another name (`import { DENIED as
 * NO }`, `const { DENIED: NO } = require('./codes')`, top-level), a read of that key at the same place: the site
 * reads the module's `DENIED` through `NO`. `cache`: the file's bindings, read once.
 */
function withImportedKeys(
  reads: NameRead[],
  sourceFile: ts.SourceFile,
  cache: Map<ts.SourceFile, ReadonlyMap<string, string>>,
): NameRead[] {
  if (!reads.length) return reads;
  let keys = cache.get(sourceFile);
  if (!keys) {
    keys = importedKeys(sourceFile);
    cache.set(sourceFile, keys);
  }
  if (!keys.size) return reads;
  const known = keys;
  return reads.flatMap((r) => {
    const key = known.get(r.name);
    return key === undefined ? [r] : [r, { ...r, name: key }];
  });
}

/** The top-level locals of a file bound to another module's key under another name: local -> key. */
function importedKeys(sourceFile: ts.SourceFile): Map<string, string> {
  const keys = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (bindings && ts.isNamedImports(bindings))
      for (const element of bindings.elements)
        if (element.propertyName) keys.set(element.name.text, element.propertyName.text);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
      if (loadedModule(declaration.initializer) === undefined) continue;
      for (const element of declaration.name.elements)
        if (element.propertyName && ts.isIdentifier(element.propertyName) && ts.isIdentifier(element.name))
          keys.set(element.name.text, element.propertyName.text);
    }
  }
  return keys;
}

/**
 * Whether an identifier names a key of a module loaded by `require` in a destructuring (`DENIED` of `const {
 * DENIED } = require('./codes')`, either side of `{ DENIED: D }`): an import, as `import { DENIED }` is.
 */
function isRequiredName(node: ts.Identifier): boolean {
  const element = node.parent;
  if (!ts.isBindingElement(element)) return false;
  const declaration = element.parent.parent;
  const value = ts.isVariableDeclaration(declaration) && declaration.initializer;
  return Boolean(value) && loadedModule(value as ts.Expression) !== undefined;
}

/**
 * `name[key]` with a key that is no literal (`STATUS_BY_KIND[err.kind]`, `codes[kind]`, also through a cast:
 * `(name as Record<string, number>)[kind]`): the read, which may give any entry of `name`; else undefined. A named
 * member (`name.OK`, `name['OK']`), an alias (`static CODES = name`, whose members the analysis follows by name) or a
 * declaration's name is not one.
 */
function keyedAccess(node: ts.Identifier): ts.ElementAccessExpression | undefined {
  let table: ts.Node = node;
  while (isOuter(table.parent)) table = table.parent;
  const parent = table.parent;
  return ts.isElementAccessExpression(parent) &&
    parent.expression === table &&
    !ts.isStringLiteralLike(parent.argumentExpression) &&
    !ts.isNumericLiteral(parent.argumentExpression)
    ? parent
    : undefined;
}

/**
 * The names read wholly inside `start..end` of a file: identifiers, and the keys of element accesses
 * (`S['FORBIDDEN']`, ``S[`FORBIDDEN`]``); never a word of another string, a template's text or a comment.
 */
export function namesIn(sourceFile: ts.SourceFile, start: number, end: number): NameRead[] {
  const found: NameRead[] = [];
  const visit = (node: ts.Node): void => {
    if (node.end <= start || node.pos >= end) return;
    const key =
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      ts.isElementAccessExpression(node.parent) &&
      node.parent.argumentExpression === node;
    if (ts.isIdentifier(node) || key) {
      const at = node.getStart(sourceFile);
      if (at >= start && node.end <= end) found.push({ name: node.text, start: at, end: node.end });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** A name read in a site's form, with its offsets. */
export interface NameRead {
  name: string;
  start: number;
  end: number;
}

function hasWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    if (!(before && /[\w$]/.test(before)) && !(after && /[\w$]/.test(after))) return true;
  }
  return false;
}
