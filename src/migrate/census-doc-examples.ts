import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { outerParent } from './analysis/syntax.js';

/** Decorators that document a schema property, with their module: their `example` is documentation text. */
const PROPERTY_DECORATORS: Record<string, readonly string[]> = {
  ApiProperty: ['@nestjs/swagger'],
  ApiPropertyOptional: ['@nestjs/swagger'],
  ApiResponseProperty: ['@nestjs/swagger'],
};

/**
 * The reason for a 403 written as the `example` (or `default`) of a documented schema property
 * (`@ApiProperty({ example: 403 }) statusCode: number` of @nestjs/swagger): no response sends it, but the schema it
 * documents (a class such as `ForbiddenError`, the `type` of `@ApiForbiddenResponse`) shows a 403, and it should
 * say the agreed status once those responses do. Session 48 (IPFS-Blog/Backend): it was "a 403 in a shape
 * mtls-fix does not know". Undefined for any other 403.
 */
export function documentedExampleReason(analysis: FileAnalysis, node: ts.Node): string | undefined {
  const entry = outerParent(node, true);
  if (!ts.isPropertyAssignment(entry) || !['example', 'default'].includes(entry.name.getText()))
    return undefined;
  const call = outerParent(entry.parent, true);
  if (!ts.isCallExpression(call) || !ts.isDecorator(call.parent)) return undefined;
  const documented = Object.entries(PROPERTY_DECORATORS).find(([name, modules]) =>
    analysis.resolvesTo(call.expression, modules, name),
  );
  if (!documented) return undefined;
  const property = call.parent.parent;
  const owner =
    ts.isPropertyDeclaration(property) && ts.isClassLike(property.parent) ? property.parent : undefined;
  const named = owner?.name ? `${owner.name.text}.${property.name?.getText() ?? ''}` : 'this property';
  return `The ${entry.name.getText()} 403 of ${named} (@${documented[0]}) documents a 403 body: no response sends it, but where the responses it documents become ${analysis.target}, make the ${entry.name.getText()} ${analysis.target} too (or mark it // mtls-fix-ignore: <why> if it documents a response left as 403).`;
}
