import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';

/**
 * Whether `identifier` is a parameter typed with one of Elysia's context types (`Context`, `PreContext`,
 * `ErrorContext`, …: a type imported from 'elysia' whose name ends in `Context`, under any local alias, through a
 * namespace import `E.Context`, with type arguments, or as a member of an intersection or union
 * `Context & { user: User }`). Such a function is a hook or handler declared apart from the app chain and handed
 * to it by name (`.guard({ beforeHandle: authorize })`, often from another file), so its parameter is the
 * Context whatever its name: `context.set.status = 403`, `context.status(403)`, `context.error(403)` (session 52:
 * k-nero/prm-api's `async function authorize(context: Context)` was "a shape mtls-fix does not know").
 * Source: Elysia docs, "Context" (`import type { Context } from 'elysia'`) and "Life Cycle" (beforeHandle).
 */
export function isTypedElysiaContext(analysis: FileAnalysis, identifier: ts.Identifier): boolean {
  const parameter = parameterNamed(identifier);
  return Boolean(parameter?.type && isContextType(analysis, identifier.getSourceFile(), parameter.type, 0));
}

/** The nearest enclosing function's parameter declared under the identifier's name, if any. */
function parameterNamed(identifier: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let current = identifier.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const found = current.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === identifier.text);
    if (found) return found;
  }
  return undefined;
}

/** How many of the file's own aliases and interfaces are followed to Elysia's type. */
const MAX_DEPTH = 4;

function isContextType(
  analysis: FileAnalysis,
  file: ts.SourceFile,
  type: ts.TypeNode,
  depth: number,
): boolean {
  if (depth > MAX_DEPTH) return false;
  if (ts.isParenthesizedTypeNode(type)) return isContextType(analysis, file, type.type, depth);
  if (ts.isIntersectionTypeNode(type) || ts.isUnionTypeNode(type))
    return type.types.some((member) => isContextType(analysis, file, member, depth));
  return ts.isTypeReferenceNode(type) && namesContext(analysis, file, type.typeName, depth);
}

/** `Context`, `Ctx` (an alias of it), `E.Context`, or the file's own type standing for one of them. */
function namesContext(
  analysis: FileAnalysis,
  file: ts.SourceFile,
  name: ts.EntityName,
  depth: number,
): boolean {
  const root = ts.isIdentifier(name) ? name : leftmost(name);
  const binding = analysis.importOf(root.text);
  if (!binding) return ts.isIdentifier(name) && isLocalContextType(analysis, file, name.text, depth);
  if (binding.module !== 'elysia') return false;
  const exported = ts.isIdentifier(name) ? binding.name : name.right.text;
  return exported.endsWith('Context');
}

/**
 * The file's own name for Elysia's Context: `interface AdminContext extends Context { user: User }`,
 * `type AuthedContext = Context & { user: User }` (another file's are not followed).
 */
function isLocalContextType(
  analysis: FileAnalysis,
  file: ts.SourceFile,
  name: string,
  depth: number,
): boolean {
  for (const statement of file.statements) {
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name)
      return isContextType(analysis, file, statement.type, depth + 1);
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === name)
      return (statement.heritageClauses ?? []).some((clause) =>
        clause.types.some(
          (heritage) =>
            (ts.isIdentifier(heritage.expression) || ts.isPropertyAccessExpression(heritage.expression)) &&
            namesContext(analysis, file, heritageName(heritage.expression), depth + 1),
        ),
      );
  }
  return false;
}

/** `Context` / `E.Context` of an `extends` clause as the type name it spells. */
function heritageName(expression: ts.Identifier | ts.PropertyAccessExpression): ts.EntityName {
  if (ts.isIdentifier(expression)) return expression;
  const left = expression.expression;
  return ts.factory.createQualifiedName(
    ts.isIdentifier(left) ? left : ts.factory.createIdentifier(left.getText()),
    expression.name.text,
  );
}

function leftmost(name: ts.QualifiedName): ts.Identifier {
  return ts.isIdentifier(name.left) ? name.left : leftmost(name.left);
}

/**
 * The Context member a parameter's destructuring binds to `identifier`, if it does: `'set'` for `set` in
 * `({ set }) => …` and for `s` in `({ set: s }: Context) => …`, `'status'` for `send` in `({ status: send })`.
 * Undefined when the name is no such binding of an enclosing function (a local variable, a plain parameter).
 */
export function destructuredMember(identifier: ts.Identifier): string | undefined {
  for (let current = identifier.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    for (const parameter of current.parameters) {
      if (ts.isIdentifier(parameter.name)) {
        if (parameter.name.text === identifier.text) return undefined;
        continue;
      }
      if (!ts.isObjectBindingPattern(parameter.name)) continue;
      for (const element of parameter.name.elements) {
        if (!ts.isIdentifier(element.name) || element.name.text !== identifier.text) continue;
        const key = element.propertyName ?? element.name;
        return ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
      }
    }
  }
  return undefined;
}
