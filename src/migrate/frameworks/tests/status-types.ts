import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { reasonPhrase } from '../../status-names.js';
import type { Edit } from '../../types.js';

// A 403 a test writes as a type: `Promise<Response & TypedResponse<'Forbidden', 403, 'text'>>` (Hono's typed
// reply) as a helper's return type, `as TypedResponse<..., 403>`, `const res: Reply<403> = ...`,
// `expectTypeOf(res).toEqualTypeOf<TypedResponse<'Forbidden', 403>>()`, or a type alias those name. It states the
// status the code it annotates answers, so it follows that code's server like an expected status
// (test-status-types.ts links it); left behind, it would declare 403 for a reply that now answers the target.

/**
 * `403` as a literal type in a test file (`analysis.options.testFile`): a `tests` site whose edits turn it into
 * the target and the reason phrase among the same type arguments (`'Forbidden'`) into the target's phrase. A 403
 * in a type that annotates nothing the test runs (an interface, a type no code names) is not a site: the census
 * counts it as a type.
 */
export function statusType(analysis: FileAnalysis, node: ts.LiteralTypeNode): void {
  const literal = node.literal;
  if (!ts.isNumericLiteral(literal) || literal.text !== '403') return;
  const holder = typeHolder(node);
  if (!holder) return;
  const edits = statusTypeEdits(analysis, node);
  analysis.addSite({
    node: ts.isTypeReferenceNode(node.parent) ? node.parent : node,
    framework: 'tests',
    edits,
  });
}

/**
 * The edits of a literal-type 403 (`node`): the `403` becomes the target, and `'Forbidden'` among the same type
 * arguments (`TypedResponse<'Forbidden', 403, 'text'>`, the body Hono's `c.text('Forbidden', 403)` types) the
 * target's reason phrase. Shared by the test follower and the server's types (src/migrate/status-types.ts).
 */
export function statusTypeEdits(analysis: FileAnalysis, node: ts.LiteralTypeNode): Edit[] {
  const literal = node.literal;
  const edits: Edit[] = [
    { start: literal.getStart(analysis.sourceFile), end: literal.getEnd(), text: String(analysis.target) },
  ];
  const siblings = ts.isTypeReferenceNode(node.parent) ? node.parent.typeArguments : undefined;
  for (const sibling of siblings ?? [])
    if (
      ts.isLiteralTypeNode(sibling) &&
      ts.isStringLiteral(sibling.literal) &&
      sibling.literal.text === 'Forbidden'
    )
      edits.push(analysis.phraseEdit(sibling.literal, reasonPhrase(analysis.target)));
  return edits;
}

/**
 * What a type holding a 403 annotates: a function's return type, a variable's, parameter's or property's type,
 * an `as` / `satisfies` / `<T>x` type, a call's type argument, or a type alias. Undefined for anything else (an
 * interface member, a generic constraint, a type inside an `import type`).
 */
export function typeHolder(node: ts.Node): ts.Node | undefined {
  let top: ts.Node = node;
  while (ts.isTypeNode(top.parent) && !ts.isExpressionWithTypeArguments(top.parent)) top = top.parent;
  const parent = top.parent;
  if (
    (isFunctionLike(parent) && parent.type === top) ||
    (ts.isVariableDeclaration(parent) && parent.type === top) ||
    (ts.isPropertyDeclaration(parent) && parent.type === top) ||
    ((ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      ts.isTypeAssertionExpression(parent)) &&
      parent.type === top) ||
    (ts.isCallExpression(parent) && parent.typeArguments?.includes(top as ts.TypeNode)) ||
    (ts.isTypeAliasDeclaration(parent) && parent.type === top)
  )
    return parent;
  return undefined;
}

function isFunctionLike(node: ts.Node): node is ts.SignatureDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}
