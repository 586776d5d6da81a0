import ts from '../typescript.cjs';
import { typeHolder } from './frameworks/tests/status-types.js';
import { nodeAt } from './routes/reach.js';
import { returnedExpressions } from './routes/syntax.js';

/**
 * For a 403 a test writes as a type (frameworks/tests/status-types.ts): the positions of the code that type
 * annotates, each decided as an assertion there (test-follow.ts): the value returned under a function's return
 * type (`async function denied(): Promise<TypedResponse<'Forbidden', 403>> { return app.request('/admin') }`), a
 * variable's initializer, the expression of an `as` / `satisfies`, the call given the type argument
 * (`expectTypeOf(res).toEqualTypeOf<TypedResponse<'Forbidden', 403>>()`); for a type alias, that of every place
 * of the file that names it. Empty when the type annotates nothing that runs (the assertion is then manual);
 * undefined when the site at `position` is no 403 type.
 */
export function statusTypeUses(sourceFile: ts.SourceFile, position: number): number[] | undefined {
  const node = nodeAt(sourceFile, position);
  if (!node || !isInTypeNode(node)) return undefined;
  const holder = typeHolder(node);
  if (!holder) return undefined;
  if (!ts.isTypeAliasDeclaration(holder)) return annotated(sourceFile, holder);
  const name = holder.name.text;
  const uses: number[] = [];
  const visit = (child: ts.Node): void => {
    if (
      ts.isTypeReferenceNode(child) &&
      ts.isIdentifier(child.typeName) &&
      child.typeName.text === name &&
      !isWithin(child, holder)
    ) {
      const user = typeHolder(child);
      if (user && !ts.isTypeAliasDeclaration(user)) uses.push(...annotated(sourceFile, user));
    }
    child.forEachChild(visit);
  };
  visit(sourceFile);
  return uses;
}

function isInTypeNode(node: ts.Node): boolean {
  return ts.isTypeNode(node) || ts.isTypeNode(node.parent);
}

function isWithin(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

/** The start of the code a type annotates (see statusTypeUses). */
function annotated(sourceFile: ts.SourceFile, holder: ts.Node): number[] {
  const at = (node: ts.Node): number => node.getStart(sourceFile);
  if (ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder))
    return holder.initializer ? [at(holder.initializer)] : [];
  if (ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder) || ts.isTypeAssertionExpression(holder))
    return [at(holder.expression)];
  if (ts.isCallExpression(holder)) return [at(holder)];
  if (
    ts.isFunctionDeclaration(holder) ||
    ts.isFunctionExpression(holder) ||
    ts.isArrowFunction(holder) ||
    ts.isMethodDeclaration(holder)
  )
    return returnedExpressions({ node: holder }).map(at);
  return [];
}
