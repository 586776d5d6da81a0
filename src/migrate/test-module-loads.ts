import ts from '../typescript.cjs';
import { assignmentLinks, unwrap } from './routes/project.js';
import { moduleLoaderCall } from './module-loaders.js';

// How a test (or the code it reaches) loads a module and what a module exports, read from syntax alone: the
// unit-under-test walk (test-unit-walk.ts) follows `require()` / `import()` through these.

/** For `{ name }` (or `{ name: alias }`) destructured from a `require(...)` call: that call and the name. */
export function boundRequire(
  element: ts.BindingElement,
): { call: ts.CallExpression; name: string } | undefined {
  const declaration = element.parent.parent;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const call = unwrap(declaration.initializer);
  const name = element.propertyName ?? element.name;
  return ts.isCallExpression(call) && ts.isIdentifier(name) ? { call, name: name.text } : undefined;
}

/**
 * The specifier of `require('x')` or `import('x')` (also awaited), and the one member read off it
 * (`(await import('x')).check`, `require('x').check`): undefined for anything else.
 */
export function requiredModule(node: ts.Node): { module: string; member?: string } | undefined {
  let call = node;
  while (ts.isAwaitExpression(call) || ts.isParenthesizedExpression(call)) call = call.expression;
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(call) && ts.isIdentifier(call.name)) {
    member = call.name.text;
    call = call.expression;
    while (ts.isAwaitExpression(call) || ts.isParenthesizedExpression(call)) call = call.expression;
  }
  if (!ts.isCallExpression(call)) return undefined;
  // `proxyquire('../app', stubs)`, `rewire('../app')`, `await esmock('../app.js', mocks)` (module-loaders.ts).
  const loaded = moduleLoaderCall(call);
  if (loaded)
    return ts.isStringLiteralLike(loaded.specifier) ? { module: loaded.specifier.text, member } : undefined;
  if (call.arguments.length !== 1) return undefined;
  const callee = call.expression;
  const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
  if (!isRequire && callee.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  const specifier = call.arguments[0];
  return ts.isStringLiteral(specifier) || ts.isNoSubstitutionTemplateLiteral(specifier)
    ? { module: specifier.text, member }
    : undefined;
}

/**
 * Whether an expression loads a module (`require(x)`, `await import(x)`, `require(x).member`, a test's loader
 * `proxyquire(x, stubs)`: module-loaders.ts), whatever `x` is.
 */
export function loadsModule(node: ts.Node): boolean {
  return loadCall(node) !== undefined;
}

/**
 * The call that loads a module in an expression (`require(x)`, `await import(x)`, `require(x).member`,
 * `proxyquire(x, stubs)`), whatever `x` is; undefined when the expression loads none.
 */
export function loadCall(node: ts.Node): ts.CallExpression | undefined {
  let call = node;
  while (
    ts.isAwaitExpression(call) ||
    ts.isParenthesizedExpression(call) ||
    ts.isPropertyAccessExpression(call)
  )
    call = call.expression;
  if (!ts.isCallExpression(call)) return undefined;
  const callee = call.expression;
  const loads =
    (ts.isIdentifier(callee) && callee.text === 'require') ||
    callee.kind === ts.SyntaxKind.ImportKeyword ||
    moduleLoaderCall(call) !== undefined;
  return loads ? call : undefined;
}

/**
 * The specifier expression of a load (`require(x)`, `import(x)`, `proxyquire(x, stubs)`): what the loaded module's
 * path is read from.
 */
export function loadSpecifier(call: ts.CallExpression): ts.Expression | undefined {
  return moduleLoaderCall(call)?.specifier ?? call.arguments[0];
}

/**
 * The names a module exports at its top level: ES exports (`default` for a default export) and CommonJS
 * `exports.x = ...` / `module.exports.x = ...` (`module.exports = ...` is `default`).
 */
export function exportedNames(sourceFile: ts.SourceFile): string[] {
  const names = new Set<string>();
  const exported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    Boolean(ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  const isDefault = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    Boolean(ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) names.add('default');
    else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    )
      for (const element of statement.exportClause.elements) names.add(element.name.text);
    else if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      exported(statement)
    ) {
      if (isDefault(statement)) names.add('default');
      else if (statement.name) names.add(statement.name.text);
    } else {
      // `module.exports = x`, `exports.a = x`, and chained: `exports = module.exports = x`,
      // `var lusca = module.exports = function () {...}`.
      const links = ts.isExpressionStatement(statement)
        ? assignmentLinks(statement.expression)
        : ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.flatMap((d) =>
              d.initializer ? assignmentLinks(d.initializer) : [],
            )
          : [];
      for (const link of links) {
        const target = link.left;
        if (!ts.isPropertyAccessExpression(target)) continue;
        const owner = target.expression;
        if (ts.isIdentifier(owner) && owner.text === 'module' && target.name.text === 'exports')
          names.add('default');
        else if (
          (ts.isIdentifier(owner) && owner.text === 'exports') ||
          (ts.isPropertyAccessExpression(owner) &&
            ts.isIdentifier(owner.expression) &&
            owner.expression.text === 'module' &&
            owner.name.text === 'exports')
        )
          names.add(target.name.text);
      }
    }
  }
  return [...names];
}
