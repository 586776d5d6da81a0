import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';

/**
 * Whether `expression` is the agreed status as the code spells it: a literal (`401`, `'401'`), a library
 * constant (`HttpStatus.UNAUTHORIZED`, `StatusCodes.UNAUTHORIZED`) or a project constant holding it.
 */
export function isTargetStatus(analysis: FileAnalysis, expression: ts.Expression | undefined): boolean {
  if (!expression) return false;
  const node = skipOuter(expression);
  if (ts.isNumericLiteral(node) || ts.isStringLiteral(node)) return Number(node.text) === analysis.target;
  if (ts.isPropertyAccessExpression(node))
    return (
      (analysis.libraryConstant(node)?.value ??
        analysis.localMember(node)?.value ??
        analysis.importedMember(node)?.value) === analysis.target
    );
  if (ts.isIdentifier(node))
    return (
      (analysis.localConstant(node)?.value ?? analysis.importedConstant(node)?.value) === analysis.target
    );
  return false;
}

/**
 * A 403 response declaration made by a decorator (`@ApiResponse({ status: 403 })`, `@ApiForbiddenResponse()`,
 * tsoa `@Response(403)`) on a method or class whose other decorators already declare the agreed status
 * (`declares` says which do): renaming it would declare that status twice, with two descriptions of which the
 * generated document keeps one. Reports the declaration for a person to merge (manual) and returns true; false
 * (nothing reported) when no sibling declares the agreed status.
 */
export function reportDeclaredBeside(
  analysis: FileAnalysis,
  decorator: ts.Decorator,
  framework: string,
  declares: (call: ts.CallExpression) => boolean,
): boolean {
  const owner = decorator.parent;
  const siblings = ts.canHaveDecorators(owner) ? (ts.getDecorators(owner) ?? []) : [];
  const twin = siblings.find(
    (d) => d !== decorator && ts.isCallExpression(d.expression) && declares(d.expression),
  );
  if (!twin) return false;
  // One text for every such decorator (the report groups them into one item); the site's line is the place.
  analysis.addSite({
    node: decorator,
    framework,
    manual: true,
    reason: `Another decorator of the same method already documents ${analysis.target}: merge this 403 response into it by hand (one response per status), or remove it; renaming it would document ${analysis.target} twice.`,
  });
  return true;
}
