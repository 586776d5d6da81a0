import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';

/**
 * Payload CMS access control. `executeAccess` (packages/payload/src/auth/executeAccess.ts) throws `Forbidden`
 * (403, "You are not allowed to perform this action.") when an operation's access function returns false, and,
 * for an operation with no access function, whenever the request has no user. So every collection or global config
 * can answer 403 with no 403 written in the project: the site is its `access` key (or its `slug` when it has none),
 * unless every operation is given `() => true`. A config is an object with a `slug` that has an `access` key or is
 * declared as a `CollectionConfig` / `GlobalConfig` (type annotation or `satisfies`); a block (also `slug` and
 * `fields`) is neither, and field-level `access` only hides fields.
 */
export const payload: Framework = {
  id: 'payload',
  title: 'Payload CMS (collection and global access control)',
  enablers: ['payload'],
  kinds: [ts.SyntaxKind.ObjectLiteralExpression],
  visit(node, analysis) {
    if (analysis.options.testFile || !ts.isObjectLiteralExpression(node)) return;
    const slug = property(node, 'slug');
    if (!slug) return;
    const access = property(node, 'access');
    const kind = configKind(node);
    if (!access && !kind) return;
    const operations = kind === 'GlobalConfig' ? ['read', 'update'] : ['read', 'create', 'update', 'delete'];
    if (access && ts.isObjectLiteralExpression(access.initializer) && allOpen(access.initializer, operations))
      return;
    const n = analysis.target;
    analysis.addSite({
      node: (access ?? slug).name,
      framework: 'payload',
      manual: true,
      reason: `Implicit 403: Payload answers 403 (Forbidden) when an access function here returns false, and for an operation without one when the request has no user. On mTLS routes throw new APIError(message, ${n}) from the access function instead of returning false (Payload answers an error's own status), and give the operations without one a function that does.`,
    });
  },
};

function property(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && keyName(p.name) === name,
  );
}

/** `CollectionConfig` / `GlobalConfig` when the object is declared as one (`: CollectionConfig`, `satisfies`). */
function configKind(object: ts.ObjectLiteralExpression): string | undefined {
  let typeNode: ts.TypeNode | undefined;
  const parent = object.parent;
  if (ts.isVariableDeclaration(parent)) typeNode = parent.type;
  else if (ts.isSatisfiesExpression(parent) || ts.isAsExpression(parent)) typeNode = parent.type;
  const text = typeNode && ts.isTypeReferenceNode(typeNode) ? typeNode.typeName.getText() : undefined;
  return text === 'CollectionConfig' || text === 'GlobalConfig' ? text : undefined;
}

/** Every operation is given `() => true` (an open collection answers no 403). */
function allOpen(access: ts.ObjectLiteralExpression, operations: readonly string[]): boolean {
  return operations.every((operation) => {
    const given = property(access, operation)?.initializer;
    if (!given || (!ts.isArrowFunction(given) && !ts.isFunctionExpression(given))) return false;
    const body = given.body;
    if (body.kind === ts.SyntaxKind.TrueKeyword) return true;
    return (
      ts.isBlock(body) &&
      body.statements.length === 1 &&
      ts.isReturnStatement(body.statements[0]) &&
      body.statements[0].expression?.kind === ts.SyntaxKind.TrueKeyword
    );
  });
}

function keyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}
