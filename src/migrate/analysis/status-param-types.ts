import ts from '../../typescript.cjs';
import type { FunctionLike } from '../scope.js';
import { collectImports, type ImportBinding } from '../imports.js';
import type { DeclarationSite } from './types.js';

/**
 * Whether a parameter's declared type cannot hold the number 403, so the parameter is no status (session 33,
 * jellyseerr's `constructor(public statusCode: number, public errorCode: ApiErrorCode)` where `ApiErrorCode` is
 * an enum of strings in another module: its `errorCode` was named a "Shared helper"). Such a type is `boolean`,
 * `true` / `false`, a string literal (not `'403'` nor a code answered with 403 such as `'FORBIDDEN'`), `null` / `undefined` / `void` / `never`, an enum whose members are all
 * strings, a type alias of one, or a union of them; this file's declarations and those it imports (through
 * `declaration`, the run's cross-file link) are read. `string`, `number`, `any`, a type parameter or a type that
 * cannot be found may hold a status and answer false.
 */

/** Finds the declaration of an imported name (ImportLink `declaration`). */
export type DeclarationOf = (binding: ImportBinding) => DeclarationSite | undefined;

/** Where a type name is looked up: a file, its imports, and the cross-file link. */
interface TypeScope {
  sourceFile: ts.SourceFile;
  importOf: (name: string) => ImportBinding | undefined;
  declaration?: DeclarationOf;
}

const MAX_DEPTH = 4;

/**
 * A string that is a 403 or a code answered with 403 (`'403'`, tRPC's `'FORBIDDEN'`, gRPC / Connect
 * `'PERMISSION_DENIED'`, `'permission_denied'`): a parameter of such a type may carry the status.
 */
function names403(text: string): boolean {
  return /^\s*(?:403|forbidden|permission[_-]?denied)\s*$/i.test(text);
}

/**
 * Whether parameter `index` of `fn` (its key `property` when an options object) is declared with a type that
 * cannot hold 403. `importOf`: the file's imports by local name.
 */
export function paramCannotHoldStatus(
  fn: FunctionLike,
  index: number,
  property: string | undefined,
  scope: TypeScope,
): boolean {
  const parameter = fn.parameters[index];
  let type = parameter?.type;
  if (type && property !== undefined) {
    if (!ts.isTypeLiteralNode(type)) return false;
    const member = type.members.find(
      (m): m is ts.PropertySignature =>
        ts.isPropertySignature(m) && ts.isIdentifier(m.name) && m.name.text === property,
    );
    type = member?.type;
  }
  return type !== undefined && cannotHold(type, scope, 0);
}

function cannotHold(type: ts.TypeNode, scope: TypeScope, depth: number): boolean {
  switch (type.kind) {
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.NeverKeyword:
      return true;
  }
  if (ts.isLiteralTypeNode(type))
    return (
      type.literal.kind === ts.SyntaxKind.TrueKeyword ||
      type.literal.kind === ts.SyntaxKind.FalseKeyword ||
      type.literal.kind === ts.SyntaxKind.NullKeyword ||
      (ts.isStringLiteral(type.literal) && !names403(type.literal.text))
    );
  if (ts.isParenthesizedTypeNode(type)) return cannotHold(type.type, scope, depth);
  if (ts.isUnionTypeNode(type)) return type.types.every((t) => cannotHold(t, scope, depth));
  if (!ts.isTypeReferenceNode(type) || depth >= MAX_DEPTH) return false;
  // `ApiErrorCode`, or one member's type `ApiErrorCode.NotAdmin`.
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : undefined;
  if (name === undefined) return false;
  const found = declared(name, scope);
  if (!found) return false;
  const { node, scope: there } = found;
  if (ts.isEnumDeclaration(node))
    return (
      node.members.length > 0 &&
      node.members.every(
        (m) =>
          m.initializer !== undefined &&
          ts.isStringLiteralLike(m.initializer) &&
          !names403(m.initializer.text),
      )
    );
  return cannotHold(node.type, there, depth + 1);
}

/** The enum or type alias `name` names: declared in the file, or imported from a module of the run. */
function declared(
  name: string,
  scope: TypeScope,
): { node: ts.EnumDeclaration | ts.TypeAliasDeclaration; scope: TypeScope } | undefined {
  const local = findDeclaration(scope.sourceFile, name);
  if (local) return { node: local, scope };
  const binding = scope.importOf(name);
  const site = binding && binding.name !== '*' ? scope.declaration?.(binding) : undefined;
  if (!site) return undefined;
  const node = findDeclaration(site.sourceFile, site.name);
  if (!node) return undefined;
  const imports = collectImports(site.sourceFile);
  return {
    node,
    scope: {
      sourceFile: site.sourceFile,
      importOf: (n) => imports.get(n),
      declaration: site.link.declaration ? (b) => site.link.declaration?.(b) : undefined,
    },
  };
}

function findDeclaration(
  sourceFile: ts.SourceFile,
  name: string,
): ts.EnumDeclaration | ts.TypeAliasDeclaration | undefined {
  return sourceFile.statements.find(
    (s): s is ts.EnumDeclaration | ts.TypeAliasDeclaration =>
      (ts.isEnumDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name,
  );
}
