import ts from '../../typescript.cjs';
import { unwrap, type ProjectFile } from './project.js';
import { objectProperty, objectString, objectsOf, stringList } from './syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';
import type { CodeRoute } from './model.js';

/**
 * hapi route objects a module exports for a loader to register (`const route: ServerRoute = { method: 'GET',
 * path: '/admin/config', handler, options: { auth: { scope } } }; export default route`, `module.exports = [ … ]`):
 * hapi-router (`options.routes` a glob, each file's export handed to `server.route`), hapi-auto-route and plain
 * `glob` + `require` loops register them at run time, so no call of the code does, and the graph saw no route.
 * Each becomes a route whose app is unknown (`unresolved`), so a test's request on its path is told that this
 * route may serve it, rather than that no route of the code matches it. A route object is an object literal with
 * a string `path` starting with `/`, a `method` (a string or a list of strings) and a `handler` or an
 * `options` / `config` object (hapi's route configuration, API reference `server.route()`).
 */
export function loadedRouteObjects(
  files: readonly ProjectFile[],
  /** Whether the graph already registered the route object at this span (a `server.route(require('./r'))`). */
  registered: (file: string, start: number, end: number) => boolean,
): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of files) {
    // Cheap question first: a route object names `path` and `method`.
    const text = file.sourceFile.text;
    if (!text.includes('path') || !text.includes('method')) continue;
    for (const exported of exportedValues(file.sourceFile))
      for (const object of objectsOf(resolveLocal(file.sourceFile, exported))) {
        const route = routeOf(file, object);
        if (route && !registered(file.relative, object.getStart(file.sourceFile), object.end))
          routes.push(...route);
      }
  }
  return routes;
}

/** The values a module exports whole: `export default x`, `export = x`, `module.exports = x`. */
function exportedValues(sourceFile: ts.SourceFile): ts.Expression[] {
  const values: ts.Expression[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) values.push(statement.expression);
    else if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      statement.expression.left.getText(sourceFile) === 'module.exports'
    )
      values.push(statement.expression.right);
  }
  return values;
}

/** A top-level `const` of the file an identifier names, by its initializer; anything else as it is. */
function resolveLocal(sourceFile: ts.SourceFile, expression: ts.Expression): ts.Expression {
  const node = unwrap(expression);
  if (!ts.isIdentifier(node)) return node;
  for (const statement of sourceFile.statements)
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (
          ts.isIdentifier(declaration.name) &&
          declaration.name.text === node.text &&
          declaration.initializer
        )
          return unwrap(declaration.initializer);
  return node;
}

function routeOf(file: ProjectFile, object: ts.ObjectLiteralExpression): CodeRoute[] | undefined {
  const path = objectString(object, 'path');
  const methods = stringList(objectProperty(object, 'method'));
  if (!path?.startsWith('/') || !methods?.length) return undefined;
  const configured = ['options', 'config'].some((key) => {
    const value = objectProperty(object, key);
    return value !== undefined && ts.isObjectLiteralExpression(unwrap(value));
  });
  if (!objectProperty(object, 'handler') && !configured) return undefined;
  const line = lineAndCharacterAt(file.sourceFile, object.getStart(file.sourceFile)).line + 1;
  return methods.map((method) => ({
    framework: 'hapi',
    method: method === '*' ? 'ALL' : method.toUpperCase(),
    path,
    syntax: 'hapi',
    file: file.relative,
    line,
    handlers: [{ file: file.relative, start: object.getStart(file.sourceFile), end: object.end }],
    unresolved: `the hapi route object ${file.relative}:${line}, exported for a route loader such as hapi-router and registered by no code mtls-fix reads`,
    mountFile: file.relative,
  }));
}
