import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { joinPaths } from './paths.js';
import { lineOf, propertyName, unwrap, type Project, type ProjectFile } from './project.js';
import { classDecoratorSpans, decoratorPath } from './decorators.js';
import { namedImportModule, span } from './syntax.js';

const MODULE = 'inversify-express-utils';

/** inversify-express-utils' method decorators; `@httpMethod('get', path)` names the method itself. */
const METHOD_DECORATORS: Record<string, string> = {
  httpGet: 'GET',
  httpPost: 'POST',
  httpPut: 'PUT',
  httpPatch: 'PATCH',
  httpDelete: 'DELETE',
  httpHead: 'HEAD',
  httpOptions: 'OPTIONS',
  all: 'ALL',
};

/**
 * inversify-express-utils (source: its README, "Decorators"): classes decorated `@controller(path, ...middleware)`
 * imported from it, their `@httpGet(path, ...middleware)`-style (and `@httpMethod('get', path)`) methods, under
 * the `rootPath` of `new InversifyExpressServer(container, router, { rootPath })`. The method is the handler; the
 * middleware the decorators name (functions, not container symbols) runs for it. A path the code does not spell
 * out is listed for review by hand.
 */
export function extractInversifyRoutes(project: Project): CodeRoute[] {
  const files = project.files.filter((f) => f.sourceFile.text.includes(MODULE));
  if (!files.length) return [];
  const root = rootPath(project, files);
  const routes: CodeRoute[] = [];
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const controller = decorator(file, node, 'controller');
        if (controller) routes.push(...methodRoutes(project, file, node, controller, root));
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

/** The `@name(…)` decorator of a node when `name` is imported from inversify-express-utils. */
function decorator(file: ProjectFile, node: ts.HasDecorators, name: string): ts.CallExpression | undefined {
  for (const d of ts.getDecorators(node) ?? []) {
    const call = d.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === name)
      if (namedImportModule(file, name) === MODULE) return call;
  }
  return undefined;
}

/** `new InversifyExpressServer(container, router?, { rootPath })`: its rootPath (none: `/`). */
function rootPath(project: Project, files: readonly ProjectFile[]): string {
  for (const file of files)
    for (const construction of project.constructions(file)) {
      if (!ts.isIdentifier(construction.expression)) continue;
      if (construction.expression.text !== 'InversifyExpressServer') continue;
      const options = construction.arguments?.map((a) => unwrap(a)).find(ts.isObjectLiteralExpression);
      const option = options?.properties.find(
        (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'rootPath',
      );
      return (option && project.stringOf(file, option.initializer)) ?? '/';
    }
  return '/';
}

function methodRoutes(
  project: Project,
  file: ProjectFile,
  cls: ts.ClassDeclaration,
  controller: ts.CallExpression,
  root: string,
): CodeRoute[] {
  const classPath = decoratorPath(project, file, controller.arguments[0]);
  const classRunners = [
    ...middleware(file, controller.arguments.slice(1)),
    ...classDecoratorSpans(file, cls),
  ];
  const routes: CodeRoute[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    for (const d of ts.getDecorators(member) ?? []) {
      const call = d.expression;
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
      const name = call.expression.text;
      if (namedImportModule(file, name) !== MODULE) continue;
      const first = call.arguments[0];
      const verb = name === 'httpMethod' && first ? project.stringOf(file, first) : undefined;
      const method = METHOD_DECORATORS[name] ?? verb?.toUpperCase();
      if (!method) continue;
      const rest = name === 'httpMethod' ? call.arguments.slice(1) : call.arguments;
      const methodPath = decoratorPath(project, file, rest[0]);
      const handlers: Span[] = [span(file, member), ...classRunners, ...middleware(file, rest.slice(1))];
      const line = lineOf(file, member);
      const at = {
        framework: 'inversify',
        method,
        syntax: 'colon' as const,
        file: file.relative,
        line,
        handlers,
      };
      const local = joinPaths(
        root,
        'path' in classPath ? classPath.path : '',
        'path' in methodPath ? methodPath.path : '',
      );
      const unread =
        'unread' in classPath ? classPath.unread : 'unread' in methodPath ? methodPath.unread : undefined;
      routes.push(
        unread === undefined
          ? { ...at, path: local }
          : {
              ...at,
              path: local,
              unresolved: `route path ${unread.length > 40 ? `${unread.slice(0, 40)}…` : unread} could not be read (${file.relative}:${line})`,
              unreadable: true,
            },
      );
    }
  }
  return routes;
}

/** Middleware given to a decorator as functions (a container symbol's middleware is bound elsewhere). */
function middleware(file: ProjectFile, args: readonly ts.Expression[]): Span[] {
  return args.filter((a) => !ts.isStringLiteralLike(a)).map((a) => span(file, a));
}
