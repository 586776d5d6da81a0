import ts from '../../typescript.cjs';
import { normalizeModule } from '../imports.js';
import { FileImports } from './file-imports.js';
import type { ImportLink } from './types.js';

/** How many aliases, `extends` and files deep a project type is followed to a framework's type. */
const MAX_DEPTH = 6;

/**
 * The framework module a project's own response type stands for: a type alias, intersection or interface that
 * names a framework's type, in this file or in another file of the project (through `link.declaration`, re-exports
 * and barrels too): `interface AppResponse extends express.Response`, `type AppReply = FastifyReply & { user }`,
 * `type R = Response` (express), `interface AppContext extends Context` (koa), from a relative path, a workspace
 * package's name or a `paths` alias; and a framework's type a project module only re-exports (`export type {
 * FastifyReply as Reply } from 'fastify'`, link `origin`). `frameworkOf` answers which
 * framework, if any, a package module's types belong to (receivers.ts TYPED_RECEIVERS). Undefined when the type is
 * none of these (a class, a type of another package, one nested deeper than MAX_DEPTH, or a file that cannot be
 * followed). Pure: reads the trees it is given and the link, never throws.
 */
export function frameworkTypeModule(
  typeName: string,
  sourceFile: ts.SourceFile,
  imports: FileImports,
  link: ImportLink | undefined,
  frameworkOf: (module: string) => boolean,
): string | undefined {
  return followName(typeName, sourceFile, imports, link, frameworkOf, 0);
}

function followName(
  typeName: string,
  sourceFile: ts.SourceFile,
  imports: FileImports,
  link: ImportLink | undefined,
  frameworkOf: (module: string) => boolean,
  depth: number,
): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const [root] = typeName.split('.');
  const binding = imports.importOf(root);
  if (binding) {
    if (frameworkOf(binding.module)) return binding.module;
    if (!link) return undefined;
    // `lib.Context` of `import * as lib from './lib'`: the name the namespace's module exports, followed as the
    // named import `import { Context } from './lib'` is (before session 39 such a type said nothing).
    const parts = typeName.split('.');
    if (typeName !== root && (binding.name !== '*' || parts.length !== 2)) return undefined;
    const named = typeName === root ? binding : { ...binding, name: parts[1] };
    // Only a project file is followed (a package's own types are that package's). The link decides what is
    // one: a relative path, and a bare specifier that resolves into the project (a workspace package's name,
    // `@acme/lib` of a monorepo, or a tsconfig `paths` / bundler alias); a package resolves to no project file.
    const site = link.declaration?.(named);
    if (!site) {
      // A framework's type the project only hands on (`export type { FastifyReply as Reply } from 'fastify'`,
      // `import { Response } from 'express'; export { Response }`), from a relative path or a workspace package.
      const origin = link.origin?.(named);
      const module = origin && normalizeModule(origin.module);
      return module && frameworkOf(module) ? module : undefined;
    }
    return followName(
      site.name,
      site.sourceFile,
      new FileImports(site.sourceFile),
      site.link,
      frameworkOf,
      depth + 1,
    );
  }
  if (typeName !== root) return undefined;
  const declaration = localType(sourceFile, root);
  if (!declaration) return undefined;
  const referenced = ts.isInterfaceDeclaration(declaration)
    ? (declaration.heritageClauses ?? []).flatMap((clause) =>
        clause.token === ts.SyntaxKind.ExtendsKeyword
          ? clause.types.map((t) => entityText(t.expression))
          : [],
      )
    : typeNames(declaration.type);
  for (const name of referenced) {
    if (!name) continue;
    const found = followName(name, sourceFile, imports, link, frameworkOf, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The interface or type alias named `name` declared at the top of a file (exported or not). */
function localType(
  sourceFile: ts.SourceFile,
  name: string,
): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
  for (const statement of sourceFile.statements)
    if (
      (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
      statement.name.text === name
    )
      return statement;
  return undefined;
}

/** The type names an alias is made of: `A`, `A & B`, `(A)`, `x.A<T>`; not unions (either side may be another type). */
function typeNames(type: ts.TypeNode): (string | undefined)[] {
  if (ts.isParenthesizedTypeNode(type)) return typeNames(type.type);
  if (ts.isIntersectionTypeNode(type)) return type.types.flatMap(typeNames);
  if (ts.isTypeReferenceNode(type)) return [entityName(type.typeName)];
  return [];
}

function entityName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : `${entityName(name.left)}.${name.right.text}`;
}

/** `Response` or `express.Response` of an `extends` clause; undefined for any other expression. */
function entityText(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = entityText(expression.expression);
    return left ? `${left}.${expression.name.text}` : undefined;
  }
  return undefined;
}
