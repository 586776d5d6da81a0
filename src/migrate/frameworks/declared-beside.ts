import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import { CONSTANT_NAMES } from '../status-names.js';
import { lineAndCharacterAt } from '../../util/lines.js';

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
 *
 * The siblings are the owner's own decorators, the class's when the owner is a method (a class-level declaration
 * documents every method), every method's when the owner is the class (breaker30 #03), and what a project
 * decorator composes: `@Auth()` whose function (this file, or another file of the project through the link)
 * calls a declaring decorator, as `applyDecorators(ApiUnauthorizedResponse(…))` does. `composed` judges those
 * calls by their written names (they are read in the composing file, whose imports are not this file's).
 */
export function reportDeclaredBeside(
  analysis: FileAnalysis,
  decorator: ts.Decorator,
  framework: string,
  declares: (call: ts.CallExpression) => boolean,
  composed?: (call: ts.CallExpression) => boolean,
): boolean {
  const owner = decorator.parent;
  const cls = ts.isClassLike(owner) ? owner : owner.parent;
  // Each sibling with whose decorators it stands: the method's own, its class's, or a method's of the class.
  const siblings: { decorator: ts.Decorator; of: string }[] = decoratorsOf(owner).map((d) => ({
    decorator: d,
    of: ts.isClassLike(owner) ? 'the same class' : 'the same method',
  }));
  if (ts.isClassLike(owner))
    for (const member of owner.members)
      siblings.push(...decoratorsOf(member).map((d) => ({ decorator: d, of: 'a method of this class' })));
  else if (cls && ts.isClassLike(cls))
    siblings.push(...decoratorsOf(cls).map((d) => ({ decorator: d, of: 'its class' })));
  let through = '';
  const twin = siblings.find(({ decorator: d }) => {
    if (d === decorator || !ts.isCallExpression(d.expression)) return false;
    if (declares(d.expression)) return true;
    const where = composed && composesTarget(analysis, d.expression, composed);
    if (where) through = ` (through @${d.expression.expression.getText(analysis.sourceFile)}(), ${where})`;
    return Boolean(where);
  });
  if (!twin) return false;
  // One text for every such decorator (the report groups them into one item); the site's line is the place.
  analysis.addSite({
    node: decorator,
    framework,
    manual: true,
    reason: `Another decorator of ${twin.of} already documents ${analysis.target}${through}: merge this 403 response into it by hand (one response per status), or remove it; renaming it would document ${analysis.target} twice.`,
  });
  return true;
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

/**
 * Where a project decorator factory (`Auth` of `@Auth()`) calls a declaring decorator (`composed`): `file:line`
 * of that call, or undefined (no such call, a package's decorator, a factory that cannot be found).
 */
function composesTarget(
  analysis: FileAnalysis,
  call: ts.CallExpression,
  composed: (call: ts.CallExpression) => boolean,
): string | undefined {
  const callee = call.expression;
  if (!ts.isIdentifier(callee)) return undefined;
  let sourceFile = analysis.sourceFile;
  let name = callee.text;
  let file = analysis.file;
  const binding = analysis.importOf(name);
  if (binding) {
    const declared = analysis.options.link?.declaration?.(binding);
    if (!declared) return undefined;
    sourceFile = declared.sourceFile;
    name = declared.name;
    file = analysis.options.link?.relative?.(declared.file) ?? declared.file;
  }
  const body = factoryBody(sourceFile, name);
  if (!body) return undefined;
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && composed(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  if (!found) return undefined;
  return `${file}:${lineAndCharacterAt(sourceFile, found.getStart(sourceFile)).line + 1}`;
}

/** The body of a top-level function of that name (`function Auth()`, `const Auth = () => …`). */
function factoryBody(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return statement.body;
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name) continue;
      const value = declaration.initializer && skipOuter(declaration.initializer);
      if (value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) return value.body;
    }
  }
  return undefined;
}

/**
 * The name a call or `new` is written with (`ApiResponse` of `ApiResponse(…)` and of `swagger.ApiResponse(…)`,
 * `ServerError` of `new grpc.ServerError(…)`); undefined for any other callee.
 */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Whether a written status is the agreed one as a literal (`401`, `'401'`) or a constant named for it. */
export function writesTarget(target: number, expression: ts.Expression | undefined): boolean {
  if (!expression) return false;
  const node = skipOuter(expression);
  if (ts.isNumericLiteral(node) || ts.isStringLiteral(node)) return Number(node.text) === target;
  return ts.isPropertyAccessExpression(node) && node.name.text === CONSTANT_NAMES[target];
}
