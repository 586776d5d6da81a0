import ts from '../../typescript.cjs';
import { FileImports } from '../analysis/file-imports.js';
import { bindsName, objectLiteralOf, skipOuter } from '../analysis/syntax.js';
import type { ImportLink } from '../analysis/types.js';
import { CONSTANT_NAMES } from '../status-names.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** How many spreads, constants and files deep a response map's spread is followed. */
const MAX_DEPTH = 6;

/**
 * What the spreads of a response map hold for the agreed status: `target` when one of them has a key for it
 * (`{ ...authErrors, 403: X }` with `authErrors = { 401: … }`), `unreadable` when one cannot be read (a call's
 * result, a member, a `let`, a package's export), with the spread's text and where the key or the spread is.
 */
export type SpreadKey = { kind: 'target' | 'unreadable'; spread: string; where: string } | undefined;

/** Where a spread is read: the tree, its imports and the link to follow them into other files. */
interface Place {
  sourceFile: ts.SourceFile;
  imports: FileImports;
  link: ImportLink | undefined;
  /** The run's relative path of an absolute one (the first file's link knows the working folder). */
  relative: (absolute: string) => string | undefined;
}

/**
 * Reads the spreads of a response map (`responses`, `schema.response`, Elysia's `response`, a ts-rest
 * contract's `responses`) for a key of the agreed status: an object literal spread in place, a `const` of an
 * enclosing scope holding one (`as const` / `satisfies` and `Object.freeze` allowed), or an import of a project
 * file holding one (through `link.declaration`: re-exports and barrels), and their own spreads in turn. A key is
 * the status's number or string, or a computed constant named for it (`[StatusCodes.UNAUTHORIZED]`); a computed
 * key of any other kind counts as unreadable. The first finding wins, `target` before `unreadable` for one spread.
 * Pure: reads the trees and the link, never throws.
 *
 * @param file the map's file as the report names it (relative), for `where`.
 */
export function spreadKey(
  object: ts.ObjectLiteralExpression,
  target: number,
  sourceFile: ts.SourceFile,
  imports: FileImports,
  link: ImportLink | undefined,
  file: string,
): SpreadKey {
  const place: Place = { sourceFile, imports, link, relative: (f) => link?.relative?.(f) };
  for (const property of object.properties) {
    if (!ts.isSpreadAssignment(property)) continue;
    const spread = property.expression.getText(sourceFile);
    const found = readSpread(property.expression, target, place, file, 0);
    if (found) return { ...found, spread };
  }
  return undefined;
}

type Found = { kind: 'target' | 'unreadable'; where: string } | undefined;

function readSpread(
  expression: ts.Expression,
  target: number,
  place: Place,
  file: string,
  depth: number,
): Found {
  const at = (node: ts.Node): string =>
    `${file}:${lineAndCharacterAt(place.sourceFile, node.getStart(place.sourceFile)).line + 1}`;
  if (depth > MAX_DEPTH) return { kind: 'unreadable', where: at(expression) };
  const object = objectLiteralOf(skipOuter(expression));
  if (object) return readObject(object, target, place, file, depth);
  const node = skipOuter(expression);
  if (!ts.isIdentifier(node)) return { kind: 'unreadable', where: at(node) };
  const local = constNamed(node);
  if (local === null) return { kind: 'unreadable', where: at(node) };
  if (local) return readSpread(local, target, place, file, depth + 1);
  const binding = place.imports.importOf(node.text);
  const declared = binding && place.link?.declaration?.(binding);
  if (!declared) return { kind: 'unreadable', where: at(node) };
  const value = topLevelValue(declared.sourceFile, declared.name);
  const there = place.relative(declared.file) ?? declared.file;
  const next: Place = {
    sourceFile: declared.sourceFile,
    imports: new FileImports(declared.sourceFile),
    link: declared.link,
    relative: place.relative,
  };
  if (!value) return { kind: 'unreadable', where: at(node) };
  return readSpread(value, target, next, there, depth + 1);
}

function readObject(
  object: ts.ObjectLiteralExpression,
  target: number,
  place: Place,
  file: string,
  depth: number,
): Found {
  let unreadable: Found;
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) {
      const found = readSpread(property.expression, target, place, file, depth + 1);
      if (found?.kind === 'target') return found;
      unreadable ??= found;
      continue;
    }
    const key = property.name && keyStatus(property.name, target);
    const where = `${file}:${lineAndCharacterAt(place.sourceFile, property.getStart(place.sourceFile)).line + 1}`;
    if (key === 'target') return { kind: 'target', where };
    if (key === 'unreadable') unreadable ??= { kind: 'unreadable', where };
  }
  return unreadable;
}

/** Whether a key names the agreed status (`401`, `'401'`, `[401]`, `[X.UNAUTHORIZED]`), another, or cannot be read. */
function keyStatus(key: ts.PropertyName, target: number): 'target' | 'other' | 'unreadable' {
  if (ts.isNumericLiteral(key) || ts.isStringLiteral(key))
    return Number(key.text) === target ? 'target' : 'other';
  if (!ts.isComputedPropertyName(key)) return 'other';
  const expression = skipOuter(key.expression);
  if (ts.isNumericLiteral(expression) || ts.isStringLiteral(expression))
    return Number(expression.text) === target ? 'target' : 'other';
  if (ts.isPropertyAccessExpression(expression))
    return expression.name.text === CONSTANT_NAMES[target] ? 'target' : 'other';
  return 'unreadable';
}

/**
 * The initializer of the `const` a name refers to in an enclosing block or the file, undefined when no
 * declaration of the file binds it (an import), null when one does that cannot be read (a `let`, a parameter).
 */
function constNamed(name: ts.Identifier): ts.Expression | null | undefined {
  for (let scope: ts.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name.text))) return null;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!bindsName(declaration.name, name.text)) continue;
        const isConst = Boolean(statement.declarationList.flags & ts.NodeFlags.Const);
        return isConst && ts.isIdentifier(declaration.name) && declaration.initializer
          ? declaration.initializer
          : null;
      }
    }
  }
  return undefined;
}

/** The value a file's top-level `const` (or `export default`) of that name holds. */
function topLevelValue(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (name === 'default' && ts.isExportAssignment(statement)) return statement.expression;
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
      continue;
    for (const declaration of statement.declarationList.declarations)
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
  }
  return undefined;
}
