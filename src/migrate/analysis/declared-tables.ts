import ts from '../../typescript.cjs';
import { constantNumber } from './fold.js';
import { bindsName } from './syntax.js';

/** One named entry of a class or namespace read as a status table, with its number when it is a constant one. */
export interface DeclaredField {
  name: string;
  value: number | undefined;
}

/**
 * The static fields of a class, read as a table: `class Http { static Forbidden = 403; static readonly Ok = 200 }`
 * is `Http.Forbidden` (403) wherever the class is read, in its own file or through an import. Instance fields and
 * methods are left out; a computed key is no name.
 */
export function classStaticFields(declaration: ts.ClassDeclaration): DeclaredField[] {
  return declaration.members.flatMap((m) =>
    ts.isPropertyDeclaration(m) &&
    m.modifiers?.some((k) => k.kind === ts.SyntaxKind.StaticKeyword) &&
    (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))
      ? [{ name: m.name.text, value: m.initializer ? constantNumber(m.initializer) : undefined }]
      : [],
  );
}

/**
 * The exported `const` members of a namespace, read as a table: `namespace Codes { export const FORBIDDEN = 403 }`
 * is `Codes.FORBIDDEN` (403); an exported enum or namespace inside is a member without a number. A `let`/`var` may
 * be assigned again and is left out; so are members the namespace does not export (they are not readable as
 * `Codes.X`). Undefined for a declaration with no body (`declare namespace X;`) or a dotted one (`namespace A.B`).
 */
export function namespaceFields(declaration: ts.ModuleDeclaration): DeclaredField[] | undefined {
  const body = declaration.body;
  if (!body || !ts.isModuleBlock(body)) return undefined;
  const fields: DeclaredField[] = [];
  for (const statement of body.statements) {
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((k) => k.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported || !ts.isVariableStatement(statement)) continue;
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name))
        fields.push({ name: d.name.text, value: d.initializer ? constantNumber(d.initializer) : undefined });
  }
  return fields;
}

/**
 * The class or namespace named `name` declared in a block enclosing `from` (the nearest), read as a table
 * (`classStaticFields`, `namespaceFields`): session 35, a namespace's constants were a "Dynamic status". Undefined
 * when none is in scope; a parameter of that name between shadows it.
 */
export function fieldsInScope(name: string, from: ts.Node): DeclaredField[] | undefined {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const s of scope.statements) {
      if (ts.isClassDeclaration(s) && s.name?.text === name) return classStaticFields(s);
      if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name) && s.name.text === name) {
        const fields = namespaceFields(s);
        if (fields) return fields;
      }
    }
  }
  return undefined;
}
