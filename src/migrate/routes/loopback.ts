import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { joinPaths } from './paths.js';
import { lineOf, type Project, type ProjectFile } from './project.js';
import { classDecoratorSpans } from './decorators.js';
import { namedImportModule, objectProperty, span } from './syntax.js';

const MODULE = '@loopback/rest';

/** LoopBack 4's operation decorators and the method each declares (`@operation(verb, path)` names it). */
const OPERATION_DECORATORS: Record<string, string | undefined> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  del: 'DELETE',
  operation: undefined,
};

/**
 * LoopBack 4 controllers: methods decorated `@get(path)`, `@post(path)`, `@put`, `@patch`, `@del` or
 * `@operation(verb, path)` imported from @loopback/rest are routes, under the `basePath` of the class's
 * `@api({ basePath })` (LoopBack docs, "Controllers" and "Decorators: OpenAPI"). Paths are OpenAPI-style
 * (`/todos/{id}`). The method runs for the route, with what the class's decorators name. A path or verb the code
 * does not spell out is listed for review by hand.
 */
export function extractLoopbackRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    if (!file.sourceFile.text.includes(MODULE)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) routes.push(...controllerRoutes(project, file, node));
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

function controllerRoutes(project: Project, file: ProjectFile, cls: ts.ClassDeclaration): CodeRoute[] {
  const api = loopbackDecorator(file, cls, 'api');
  const options = api?.arguments[0];
  const basePathNode =
    options && ts.isObjectLiteralExpression(options) ? objectProperty(options, 'basePath') : undefined;
  const basePath = basePathNode ? project.stringOf(file, basePathNode) : '';
  const classSpans = classDecoratorSpans(file, cls);
  const routes: CodeRoute[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    for (const [name, verb] of Object.entries(OPERATION_DECORATORS)) {
      const call = loopbackDecorator(file, member, name);
      if (!call) continue;
      const method = verb ?? (call.arguments[0] ? project.stringOf(file, call.arguments[0]) : undefined);
      const pathNode = verb ? call.arguments[0] : call.arguments[1];
      const path = pathNode ? project.stringOf(file, pathNode) : undefined;
      const line = lineOf(file, member);
      const at = { framework: 'loopback', syntax: 'openapi' as const, file: file.relative, line };
      const handlers = [span(file, member), ...classSpans];
      if (method === undefined || path === undefined || basePath === undefined) {
        routes.push({
          ...at,
          method: (method ?? 'ALL').toUpperCase(),
          path: '/*',
          handlers,
          unresolved: `LoopBack operation ${call.getText(file.sourceFile)} whose ${path === undefined ? 'path' : method === undefined ? 'verb' : "class's basePath"} is not spelled out (${file.relative}:${line})`,
          unreadable: true,
        });
        continue;
      }
      routes.push({ ...at, method: method.toUpperCase(), path: joinPaths(basePath, path), handlers });
    }
  }
  return routes;
}

/** `@name(…)` on the node when `name` is imported from @loopback/rest. */
function loopbackDecorator(
  file: ProjectFile,
  node: ts.HasDecorators,
  name: string,
): ts.CallExpression | undefined {
  for (const d of ts.getDecorators(node) ?? []) {
    const call = d.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== name)
      continue;
    if (namedImportModule(file, name) === MODULE) return call;
  }
  return undefined;
}
