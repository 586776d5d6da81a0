import path from 'node:path';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { parseSource } from './parse.js';
import { nodeAt } from './routes/reach.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';
import { runCache } from '../util/run-caches.js';

// A handler whose declared type states 403 where mtls-fix does not write it: a type alias or interface in
// another file (`import type { Denied } from './types'`, `declare global { type Denied = TypedResponse<...,
// 403, 'json'> }` in a `.d.ts`), an interface member (`Replies['denied']`), or a Fastify route generic keyed
// by status (`app.get<{ Reply: DeniedReply }>(...)` with `interface DeniedReply { 403: ... }`). Rewritten
// alone, the body answers 401 while its type says 403, and `tsc` fails. The declaration is shared (other
// handlers may name it), so it is not edited: the site stays as it is and is named with the type. A key
// `403:` written inline in the route's own generic (`app.get<{ Reply: { 403: X } }>`) is that route's alone:
// it is rewritten with the site (src/migrate/status-types.ts does the same for a literal type 403).

/** How many type references deep a declaration is read for a 403 (`type A = B` with `type B = X<403>`). */
const MAX_DEPTH = 4;

/** A declaration a handler's type names, with where it is written for the reason. */
interface NamedType {
  node: ts.Node;
  sourceFile: ts.SourceFile;
  /** Path for a reason: relative to the working folder when the link knows it, else as read. */
  where: string;
}

/**
 * For each rewrite site of a non-test file: the types that declare what it answers (the enclosing function's
 * return type, a variable's type, an `as` / `satisfies` cast, a call's type arguments such as Fastify's
 * `app.get<{ Reply: ... }>`). A key `403` inline there gets an edit to the target (manual when that type
 * already has the target's key); a type named there that holds a 403 this run does not write (another file's,
 * a global one, an interface) turns the site manual, naming it. Sites already manual are left alone.
 */
export function keepTypedHandlers(analysis: FileAnalysis): void {
  if (analysis.options.testFile) return;
  const edited = (start: number): boolean =>
    analysis.sites.some((s) => s.kind === 'rewrite' && s.edits.some((e) => e.start === start));
  for (const site of analysis.sites) {
    if (site.kind !== 'rewrite') continue;
    const node = nodeAt(analysis.sourceFile, site.start);
    if (!node) continue;
    for (const type of governingTypes(node)) {
      const why = inlineKeys(analysis, site, type, edited) ?? namedTypes(analysis, type, edited);
      if (!why) continue;
      site.kind = 'manual';
      site.reason = `${why}: rewritten alone, the handler would answer ${analysis.target} while its type says 403, and tsc would fail. Change that 403 to ${analysis.target} together with this site${site.replacement ? ` (${site.form} -> ${site.replacement})` : ''}, or keep it on purpose with // mtls-fix-ignore: <why>.`;
      break;
    }
  }
}

/** The type nodes that declare what the code around `node` answers, innermost first. */
function governingTypes(node: ts.Node): ts.TypeNode[] {
  const out: ts.TypeNode[] = [];
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (ts.isFunctionLike(current) && current.type && 'body' in current && current.body === child)
      out.push(current.type);
    else if (ts.isVariableDeclaration(current) && current.type && current.initializer === child)
      out.push(current.type);
    else if (
      (ts.isAsExpression(current) ||
        ts.isSatisfiesExpression(current) ||
        ts.isTypeAssertionExpression(current)) &&
      current.expression === child
    )
      out.push(current.type);
    else if (
      ts.isCallExpression(current) &&
      current.typeArguments &&
      current.arguments.some((a) => a === child)
    )
      out.push(...current.typeArguments);
  }
  return out;
}

/** `403` written as a key of a type literal (`{ Reply: { 403: X } }`), not through a name. */
function forbiddenKey(member: ts.Node): ts.PropertyName | undefined {
  if (!ts.isPropertySignature(member)) return undefined;
  const name = member.name;
  return (ts.isNumericLiteral(name) || ts.isStringLiteral(name)) && name.text === '403' ? name : undefined;
}

/**
 * Keys `403` inline in `type` (its own type literals, not names it references): each gets an edit to the target
 * on `site`. Returns why the site must stay instead: a type literal that already has the target's key.
 */
function inlineKeys(
  analysis: FileAnalysis,
  site: Site,
  type: ts.TypeNode,
  edited: (start: number) => boolean,
): string | undefined {
  const source = analysis.sourceFile;
  let why: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isTypeLiteralNode(node))
      for (const member of node.members) {
        const key = forbiddenKey(member);
        if (!key || edited(key.getStart(source))) continue;
        const taken = node.members.some(
          (m) =>
            ts.isPropertySignature(m) &&
            (ts.isNumericLiteral(m.name) || ts.isStringLiteral(m.name)) &&
            m.name.text === String(analysis.target),
        );
        if (taken) {
          why ??= `Its type ${shortText(node, source)} (line ${lineOf(source, node)}) keys a 403 reply beside a ${analysis.target} one`;
          continue;
        }
        const start = key.getStart(source);
        const text = ts.isStringLiteral(key)
          ? `${key.getText(source)[0]}${analysis.target}${key.getText(source)[0]}`
          : String(analysis.target);
        site.edits.push({ start, end: key.getEnd(), text });
      }
    node.forEachChild(visit);
  };
  visit(type);
  return why;
}

/**
 * Why a type named inside `type` keeps the site: a declaration it names (in this file, imported, or global)
 * holds a 403 that no rewrite of this run writes. Undefined when none does.
 */
function namedTypes(
  analysis: FileAnalysis,
  type: ts.TypeNode,
  edited: (start: number) => boolean,
): string | undefined {
  let why: string | undefined;
  const visit = (node: ts.Node): void => {
    if (why) return;
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const member = indexedMember(node);
      for (const declared of declarationsOf(analysis, node.typeName.text)) {
        const own = declared.sourceFile === analysis.sourceFile;
        const hit = forbiddenIn(declared, member, own ? edited : () => false, 0);
        if (hit) {
          why = `Its declared type ${shortText(member ? node.parent : node, analysis.sourceFile)} states 403 (${declared.where}:${lineOf(declared.sourceFile, hit)})`;
          return;
        }
      }
    }
    node.forEachChild(visit);
  };
  visit(type);
  return why;
}

/** `'denied'` of `Replies['denied']`: the member an indexed access reads, when its key is a literal. */
function indexedMember(reference: ts.TypeReferenceNode): string | undefined {
  const parent = reference.parent;
  if (!ts.isIndexedAccessTypeNode(parent) || parent.objectType !== reference) return undefined;
  const index = parent.indexType;
  return ts.isLiteralTypeNode(index) &&
    (ts.isStringLiteral(index.literal) || ts.isNumericLiteral(index.literal))
    ? index.literal.text
    : undefined;
}

/**
 * The first 403 (a literal type, or a key) inside a declared type, following the names it references in its own
 * file; `member` narrows an interface or type literal to that member. Undefined when it holds none.
 */
function forbiddenIn(
  declared: NamedType,
  member: string | undefined,
  edited: (start: number) => boolean,
  depth: number,
): ts.Node | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const source = declared.sourceFile;
  const roots = member === undefined ? [declared.node] : membersNamed(declared.node, member);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const literal =
      ts.isLiteralTypeNode(node) && ts.isNumericLiteral(node.literal) && node.literal.text === '403'
        ? node.literal
        : forbiddenKey(node);
    if (literal && !edited(literal.getStart(source))) {
      found = literal;
      return;
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && depth < MAX_DEPTH) {
      for (const inner of localDeclarations(source, node.typeName.text)) {
        if (inner === declared.node) continue;
        found = forbiddenIn({ ...declared, node: inner }, undefined, edited, depth + 1);
        if (found) return;
      }
    }
    node.forEachChild(visit);
  };
  for (const root of roots) visit(root);
  return found;
}

/** The members named `name` of an interface or a type alias of a type literal (an empty list otherwise). */
function membersNamed(node: ts.Node, name: string): ts.Node[] {
  const members = ts.isInterfaceDeclaration(node)
    ? node.members
    : ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)
      ? node.type.members
      : undefined;
  if (!members) return [node];
  return members.filter(
    (m) =>
      m.name !== undefined &&
      (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) || ts.isNumericLiteral(m.name)) &&
      m.name.text === name,
  );
}

/** The declarations a type name of `analysis`'s file stands for: its own, an import's, or a global one. */
function declarationsOf(analysis: FileAnalysis, name: string): NamedType[] {
  const source = analysis.sourceFile;
  const local = localDeclarations(source, name);
  if (local.length) return local.map((node) => ({ node, sourceFile: source, where: analysis.file }));
  const link = analysis.options.link;
  const binding = analysis.importOf(name);
  if (binding) {
    const declared = link?.declaration?.(binding);
    if (!declared) return [];
    return localDeclarations(declared.sourceFile, declared.name).map((node) => ({
      node,
      sourceFile: declared.sourceFile,
      where: link?.relative?.(declared.file) ?? declared.file,
    }));
  }
  if (!link?.absolute) return [];
  return (globalTypes(link.absolute).get(name) ?? []).map((g) => ({
    ...g,
    where: link.relative?.(g.where) ?? g.where,
  }));
}

/** Type aliases and interfaces named `name` at a file's top level and in its `declare global` blocks. */
function localDeclarations(source: ts.SourceFile, name: string): ts.Node[] {
  const out: ts.Node[] = [];
  const read = (statements: readonly ts.Statement[]): void => {
    for (const statement of statements) {
      if (
        (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) &&
        statement.name.text === name
      )
        out.push(statement);
      else if (ts.isModuleDeclaration(statement) && statement.body && ts.isModuleBlock(statement.body))
        if (ts.isIdentifier(statement.name) && statement.name.text === 'global')
          read(statement.body.statements);
    }
  };
  read(source.statements);
  return out;
}

/** Per tsconfig (absolute path), the global type declarations holding a 403, by name. */
const GLOBALS = runCache<
  string,
  Map<string, { node: ts.Node; sourceFile: ts.SourceFile; where: string }[]>
>();

/**
 * The global types (a script `.d.ts`'s top-level types, any file's `declare global` block) of the TypeScript
 * project `file` (absolute) belongs to, found through its nearest tsconfig.json: only those whose text holds
 * 403 are parsed. Empty without a tsconfig.json or when it cannot be read.
 */
function globalTypes(
  file: string,
): Map<string, { node: ts.Node; sourceFile: ts.SourceFile; where: string }[]> {
  const config = ts.findConfigFile(path.dirname(file), (f) => ts.sys.fileExists(f));
  if (!config) return new Map();
  const cached = GLOBALS.get(config);
  if (cached) return cached;
  const out = new Map<string, { node: ts.Node; sourceFile: ts.SourceFile; where: string }[]>();
  GLOBALS.set(config, out);
  let names: readonly string[];
  try {
    const read = ts.readConfigFile(config, (f) => ts.sys.readFile(f));
    names = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(config)).fileNames;
  } catch {
    return out;
  }
  for (const name of names) {
    const text = ts.sys.readFile(name);
    if (!text?.includes('403')) continue;
    const declaration = /\.d\.[cm]?ts$/.test(name);
    if (!declaration && !text.includes('declare global')) continue;
    const sourceFile = parseSource(name, text);
    const script = !sourceFile.statements.some(
      (s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s),
    );
    const statements = [
      ...(declaration && script ? sourceFile.statements : []),
      ...sourceFile.statements.flatMap((s) =>
        ts.isModuleDeclaration(s) &&
        ts.isIdentifier(s.name) &&
        s.name.text === 'global' &&
        s.body &&
        ts.isModuleBlock(s.body)
          ? [...s.body.statements]
          : [],
      ),
    ];
    for (const statement of statements)
      if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
        const list = out.get(statement.name.text) ?? [];
        list.push({ node: statement, sourceFile, where: name });
        out.set(statement.name.text, list);
      }
  }
  return out;
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return lineAndCharacterAt(source, node.getStart(source)).line + 1;
}

function shortText(node: ts.Node, source: ts.SourceFile): string {
  const text = node.getText(source).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
