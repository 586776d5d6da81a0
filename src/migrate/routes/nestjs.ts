import { ts } from 'ts-morph';
import type { CodeRoute, Span } from './model.js';
import { joinPaths } from './paths.js';
import { lineOf, propertyName, unwrap, type Project, type ProjectFile } from './project.js';

const METHOD_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Head: 'HEAD',
  Options: 'OPTIONS',
  All: 'ALL',
  Search: 'SEARCH',
};
/** Decorators whose classes run for the route (guards, interceptors, pipes, filters). */
const RUNS_FOR_ROUTE = new Set(['UseGuards', 'UseInterceptors', 'UsePipes', 'UseFilters']);

interface Versioning {
  uri: boolean;
  prefix: string;
  defaultVersion: string[];
}

/**
 * NestJS: `@Controller(path | { path, version })` classes and their `@Get(path)`-style methods, under the
 * global prefix (`app.setGlobalPrefix`) and URI versioning (`app.enableVersioning`) where the code spells
 * them out. The method is the handler; guards and interceptors named in `@UseGuards(...)` run for it too.
 * `RouterModule` paths are not followed (use `--mount`).
 */
export function extractNestRoutes(project: Project): CodeRoute[] {
  const globals = nestGlobals(project);
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    // A controller needs a decorator, and a decorator an `@` (no escape spells it): the walk skips the rest.
    if (!file.sourceFile.text.includes('@')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const controller = decorator(node, 'Controller');
        if (controller) routes.push(...controllerRoutes(project, file, node, controller, globals));
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

function controllerRoutes(
  project: Project,
  file: ProjectFile,
  cls: ts.ClassDeclaration,
  controller: ts.CallExpression,
  globals: { prefix: string; versioning?: Versioning },
): CodeRoute[] {
  const options = controller.arguments[0] ? unwrap(controller.arguments[0]) : undefined;
  let controllerPaths: string[] = [''];
  let controllerVersion: string[] | undefined;
  if (options && ts.isObjectLiteralExpression(options)) {
    controllerPaths = strings(project, file, property(options, 'path')) ?? [''];
    controllerVersion = strings(project, file, property(options, 'version'));
  } else if (options) {
    controllerPaths = strings(project, file, options) ?? [''];
  }
  const classRunners = runners(file, cls);
  const routes: CodeRoute[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    for (const [name, method] of Object.entries(METHOD_DECORATORS)) {
      const route = decorator(member, name);
      if (!route) continue;
      const methodPaths = route.arguments[0] ? (strings(project, file, route.arguments[0]) ?? ['*']) : [''];
      const versionCall = decorator(member, 'Version');
      const version = versionCall?.arguments[0]
        ? strings(project, file, versionCall.arguments[0])
        : (controllerVersion ?? globals.versioning?.defaultVersion);
      const versionSegments =
        globals.versioning?.uri && version?.length
          ? version.map((v) => `${globals.versioning?.prefix ?? 'v'}${v}`)
          : [''];
      const handlers: Span[] = [span(file, member), ...classRunners, ...runners(file, member)];
      for (const versionSegment of versionSegments)
        for (const controllerPath of controllerPaths)
          for (const methodPath of methodPaths)
            routes.push({
              framework: 'nestjs',
              method,
              path: joinPaths(globals.prefix, versionSegment, controllerPath, methodPath),
              syntax: 'colon',
              file: file.relative,
              line: lineOf(file, member),
              handlers,
            });
    }
  }
  return routes;
}

function nestGlobals(project: Project): { prefix: string; versioning?: Versioning } {
  let prefix = '';
  let versioning: Versioning | undefined;
  for (const file of project.files) {
    if (
      !file.sourceFile.text.includes('setGlobalPrefix') &&
      !file.sourceFile.text.includes('enableVersioning')
    )
      continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const name = node.expression.name.text;
        const first = node.arguments[0];
        if (name === 'setGlobalPrefix' && first) prefix = project.stringOf(file, first) ?? prefix;
        if (name === 'enableVersioning') {
          const options = first ? unwrap(first) : undefined;
          const object = options && ts.isObjectLiteralExpression(options) ? options : undefined;
          const type = object ? property(object, 'type')?.getText(file.sourceFile) : undefined;
          versioning = {
            uri: !type || /URI/.test(type),
            prefix: object ? (strings(project, file, property(object, 'prefix'))?.[0] ?? 'v') : 'v',
            defaultVersion: object ? (strings(project, file, property(object, 'defaultVersion')) ?? []) : [],
          };
        }
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return { prefix, versioning };
}

function decorator(node: ts.HasDecorators, name: string): ts.CallExpression | undefined {
  for (const d of ts.getDecorators(node) ?? []) {
    const expression = d.expression;
    if (ts.isCallExpression(expression)) {
      const callee = expression.expression;
      const calleeName = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
      if (calleeName === name) return expression;
    }
  }
  return undefined;
}

/** Spans of the arguments of `@UseGuards(A, B)` and friends: references to the classes that run. */
function runners(file: ProjectFile, node: ts.HasDecorators): Span[] {
  const spans: Span[] = [];
  for (const d of ts.getDecorators(node) ?? []) {
    const expression = d.expression;
    if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression)) continue;
    if (!RUNS_FOR_ROUTE.has(expression.expression.text)) continue;
    for (const argument of expression.arguments) spans.push(span(file, argument));
  }
  return spans;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === name) return p.initializer;
  return undefined;
}

function strings(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression | undefined,
): string[] | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node)) {
    const values = node.elements.map((e) => project.stringOf(file, e));
    return values.every((v): v is string => v !== undefined) ? values : undefined;
  }
  const value = project.stringOf(file, node);
  return value === undefined ? undefined : [value];
}

function span(file: ProjectFile, node: ts.Node): Span {
  return { file: file.relative, start: node.getStart(file.sourceFile), end: node.getEnd() };
}
