import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { lineOf, type Project, type ProjectFile } from './project.js';
import { objectProperty, span } from './syntax.js';

/** `api(…)` and its variants in encore.dev/api that define an endpoint with `{ method, path }` options. */
const ENDPOINT_MEMBERS = new Set(['raw', 'streamIn', 'streamOut', 'streamInOut']);

/**
 * Encore.ts endpoints: `api({ expose, method, path }, handler)` (also `api.raw`, `api.streamIn/Out/InOut`) in a
 * file importing encore.dev/api is a route, its method (`'*'`: any; an array: each) and path written in the
 * options (Encore docs, "Defining APIs": `path` uses `:name` and `*name` parameters). An endpoint whose method or
 * path the code does not spell out (Encore then derives `/service.endpoint`) is listed for review by hand.
 */
export function extractEncoreRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    if (!file.sourceFile.text.includes('encore.dev/api')) continue;
    for (const call of project.calls(file)) {
      const callee = call.expression;
      const isApi =
        (ts.isIdentifier(callee) && callee.text === 'api') ||
        (ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'api' &&
          ENDPOINT_MEMBERS.has(callee.name.text));
      const [options, handler] = call.arguments;
      if (!isApi || !options || !handler || !ts.isObjectLiteralExpression(options)) continue;
      const at = {
        framework: 'encore',
        syntax: 'colon' as const,
        file: file.relative,
        line: lineOf(file, call),
      };
      const handlers = [span(file, handler)];
      const pathNode = objectProperty(options, 'path');
      const path = pathNode ? project.stringOf(file, pathNode) : undefined;
      const methodNode = objectProperty(options, 'method');
      const methods = methodNode ? methodList(project, file, methodNode) : ['ALL'];
      if (path === undefined || !methods) {
        routes.push({
          ...at,
          method: methods?.[0] ?? 'ALL',
          path: '/*',
          handlers,
          unresolved: `Encore endpoint whose ${path === undefined ? 'path' : 'method'} is not written in its options (${file.relative}:${at.line})`,
          unreadable: true,
        });
        continue;
      }
      for (const method of methods) routes.push({ ...at, method, path, handlers });
    }
  }
  return routes;
}

function methodList(project: Project, file: ProjectFile, node: ts.Expression): string[] | undefined {
  const values = ts.isArrayLiteralExpression(node)
    ? node.elements.map((e) => project.stringOf(file, e))
    : [project.stringOf(file, node)];
  if (values.some((v) => v === undefined)) return undefined;
  return values.map((v) => (v === '*' ? 'ALL' : (v ?? '').toUpperCase()));
}
