import ts from '../typescript.cjs';
import type { Edit } from './types.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Names an edit puts in a value position of the new text (`UnauthorizedException` for a class rename,
 * `UNAUTHORIZED` for a sibling constant): the offsets, in the new text, of each edit that writes a bare
 * identifier. Member renames (`Boom.unauthorized`, `HttpStatus.UNAUTHORIZED`) and literals are left out:
 * they cannot fail to resolve in the binder's sense.
 */
export function introducedNames(edits: readonly Edit[]): { edit: Edit; start: number; name: string }[] {
  const ordered = [...edits].sort((a, b) => a.start - b.start);
  const out: { edit: Edit; start: number; name: string }[] = [];
  let shift = 0;
  for (const edit of ordered) {
    if (IDENTIFIER.test(edit.text)) out.push({ edit, start: edit.start + shift, name: edit.text });
    shift += edit.text.length - (edit.end - edit.start);
  }
  return out;
}

/**
 * Checks, with TypeScript's binder and name resolution on the one file (no lib, no module resolution), that
 * each introduced identifier in a value position resolves to exactly one declaration. Returns the names that
 * do not: unbound (would be TS2304) or bound twice (TS2300). Imports resolve to their import binding, so an
 * unresolved module is not an error here.
 */
export function unresolvedNames(
  file: string,
  text: string,
  names: readonly { start: number; name: string }[],
  parsed?: ts.SourceFile,
): Set<string> {
  const bad = new Set<string>();
  if (!names.length) return bad;
  // `parsed`: this very text, already parsed as here (the syntax re-check's tree), so it is not parsed twice.
  const sourceFile =
    parsed && parsed.text === text && sameScriptKind(file)
      ? parsed
      : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  // Only names in a value position are checked: when an edit wrote none (a member rename such as
  // `StatusCodes.UNAUTHORIZED`), the binder has nothing to say and the program is not built.
  const checked = names.filter(({ start, name }) => {
    const identifier = identifierAt(sourceFile, start);
    return identifier !== undefined && identifier.text === name && isValueReference(identifier);
  });
  if (!checked.length) return bad;
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === file ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === file,
    readFile: (name) => (name === file ? text : undefined),
  };
  const program = ts.createProgram({
    rootNames: [file],
    options: { noLib: true, noResolve: true, allowJs: true, types: [], noEmit: true },
    host,
  });
  const checker = program.getTypeChecker();
  const bound = program.getSourceFile(file);
  if (!bound) return bad;
  // The binder gives each of two same-named import specifiers its own symbol (`{ U, U }` is TS2300 but each
  // resolves): a name the file binds twice at its top level is counted here instead.
  const twice = topLevelNamesBoundTwice(bound);
  for (const { start, name } of checked) {
    const identifier = identifierAt(bound, start);
    if (!identifier || identifier.text !== name || !isValueReference(identifier)) continue;
    const symbol = checker.getSymbolAtLocation(identifier);
    const declarations = symbol?.declarations ?? [];
    const imports = declarations.filter((d) => ts.isImportSpecifier(d) || ts.isImportClause(d));
    if (!symbol || !declarations.length || (imports.length && declarations.length > 1) || twice.has(name))
      bad.add(name);
  }
  return bad;
}

/**
 * Names two top-level declarations of the file bind, an import among them (`import { A, A } from 'x'`,
 * `import { A } from 'x'` beside `class A {}`): TS2300 / TS2440, whatever the binder resolves a use to.
 */
function topLevelNamesBoundTwice(sourceFile: ts.SourceFile): Set<string> {
  const count = new Map<string, { all: number; imports: number }>();
  const add = (name: ts.Identifier | undefined, isImport: boolean): void => {
    if (!name) return;
    const entry = count.get(name.text) ?? { all: 0, imports: 0 };
    entry.all++;
    if (isImport) entry.imports++;
    count.set(name.text, entry);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      add(clause.name, true);
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) add(named.name, true);
      else if (named) for (const element of named.elements) if (!element.isTypeOnly) add(element.name, true);
    } else if (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) {
      add(statement.name, false);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name)) add(declaration.name, false);
    }
  }
  return new Set([...count].filter(([, c]) => c.imports > 0 && c.all > 1).map(([name]) => name));
}

/** Whether parseSource (src/migrate/parse.ts) parses `file` with the script kind {@link scriptKind} gives. */
function sameScriptKind(file: string): boolean {
  return /\.(?:[cm]?[jt]s|[jt]sx)$/.test(file);
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

function identifierAt(sourceFile: ts.SourceFile, position: number): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (found || position < node.pos || position >= node.end) return;
    if (ts.isIdentifier(node) && node.getStart(sourceFile) === position) found = node;
    else node.forEachChild(visit);
  };
  visit(sourceFile);
  return found;
}

/** An identifier read as a value or type name, not a member name, key or declaration name. */
export function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if (ts.isQualifiedName(parent) && parent.right === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name === identifier)
    return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return false;
  const declaration =
    ts.isClassDeclaration(parent) ||
    ts.isFunctionDeclaration(parent) ||
    ts.isVariableDeclaration(parent) ||
    ts.isParameter(parent) ||
    ts.isEnumDeclaration(parent) ||
    ts.isInterfaceDeclaration(parent) ||
    ts.isTypeAliasDeclaration(parent) ||
    ts.isMethodDeclaration(parent) ||
    ts.isBindingElement(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent);
  if (declaration && parent.name === identifier) return false;
  return true;
}
