import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { joinPaths } from './paths.js';
import { lineOf, propertyName, unwrap, type Project, type ProjectFile } from './project.js';
import { classDecoratorSpans, decoratorPath } from './decorators.js';
import { calleeName, namedImportModule, span } from './syntax.js';

const MODULE = 'routing-controllers';

/** routing-controllers' method decorators; `@Method('get', path)` names the method itself. */
const METHOD_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Head: 'HEAD',
  All: 'ALL',
};
const CONTROLLER_DECORATORS = new Set(['JsonController', 'Controller']);
/** Decorators whose arguments run for the route (before or after its action). */
const RUNNERS = new Set(['UseBefore', 'UseAfter']);
const SERVER_SETUPS = new Set(['useExpressServer', 'createExpressServer', 'useKoaServer', 'createKoaServer']);

/**
 * routing-controllers: classes decorated `@JsonController(path)` or `@Controller(path)` imported from
 * `routing-controllers`, their `@Get(path)`-style (and `@Method('get', path)`) actions, under the `routePrefix` of
 * `useExpressServer(app, { routePrefix })` / `createExpressServer({ routePrefix })` (Koa alike) when the project
 * sets one server up. The action is the handler; what `@UseBefore(…)` / `@UseAfter(…)` name on the class or the
 * action runs for it. A path the code does not spell out, or a `routePrefix` computed at run time, is listed for
 * review by hand (the file calling the setup takes a `--mount`).
 */
export function extractRoutingControllersRoutes(project: Project): CodeRoute[] {
  const files = project.files.filter((f) => f.sourceFile.text.includes(MODULE));
  if (!files.length) return [];
  const prefix = routePrefix(project, files);
  const routes: CodeRoute[] = [];
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const controller = routingControllerDecorator(file, node);
        if (controller) routes.push(...actionRoutes(project, file, node, controller, prefix));
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

/** The `@JsonController(…)` / `@Controller(…)` decorator of a class when the name is imported from routing-controllers. */
export function routingControllerDecorator(
  file: ProjectFile,
  cls: ts.ClassDeclaration,
): ts.CallExpression | undefined {
  for (const d of ts.getDecorators(cls) ?? []) {
    const call = d.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    if (!CONTROLLER_DECORATORS.has(call.expression.text)) continue;
    if (namedImportModule(file, call.expression.text) === MODULE) return call;
  }
  return undefined;
}

type Prefix = { path: string } | { unresolved: string; mountFile: string };

/** The `routePrefix` of the project's server setup call (the first one; none: no prefix). */
function routePrefix(project: Project, files: readonly ProjectFile[]): Prefix {
  for (const file of files)
    for (const call of project.calls(file)) {
      const name = calleeName(call);
      if (!name || !SERVER_SETUPS.has(name)) continue;
      const options = call.arguments.map((a) => unwrap(a)).find(ts.isObjectLiteralExpression);
      const option = options?.properties.find(
        (p): p is ts.PropertyAssignment =>
          ts.isPropertyAssignment(p) && propertyName(p.name) === 'routePrefix',
      );
      if (!option) return { path: '' };
      const value = project.stringOf(file, option.initializer);
      return value !== undefined
        ? { path: value }
        : {
            unresolved: `routePrefix ${option.initializer.getText(file.sourceFile)} is computed at run time (${file.relative}:${lineOf(file, call)})`,
            mountFile: file.relative,
          };
    }
  return { path: '' };
}

function actionRoutes(
  project: Project,
  file: ProjectFile,
  cls: ts.ClassDeclaration,
  controller: ts.CallExpression,
  prefix: Prefix,
): CodeRoute[] {
  const classPath = decoratorPath(project, file, controller.arguments[0]);
  const classRunners = [...runners(file, cls), ...classDecoratorSpans(file, cls)];
  const routes: CodeRoute[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    for (const d of ts.getDecorators(member) ?? []) {
      const call = d.expression;
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
      const name = call.expression.text;
      const first = call.arguments[0];
      const verb = name === 'Method' && first ? project.stringOf(file, first) : undefined;
      const method = METHOD_DECORATORS[name] ?? verb?.toUpperCase();
      if (!method) continue;
      const methodPath = decoratorPath(
        project,
        file,
        name === 'Method' ? call.arguments[1] : call.arguments[0],
      );
      const handlers: Span[] = [span(file, member), ...classRunners, ...runners(file, member)];
      const line = lineOf(file, member);
      const local = joinPaths(
        'path' in classPath ? classPath.path : '',
        'path' in methodPath ? methodPath.path : '',
      );
      const at = {
        framework: 'routing-controllers',
        method,
        syntax: 'colon' as const,
        file: file.relative,
        line,
      };
      const unread =
        'unread' in classPath ? classPath.unread : 'unread' in methodPath ? methodPath.unread : undefined;
      if (unread !== undefined)
        routes.push({
          ...at,
          path: local,
          handlers,
          unresolved: `route path ${unread.length > 40 ? `${unread.slice(0, 40)}…` : unread} could not be read (${file.relative}:${line})`,
          unreadable: true,
        });
      else if ('unresolved' in prefix)
        routes.push({
          ...at,
          path: local,
          handlers,
          unresolved: prefix.unresolved,
          mountFile: prefix.mountFile,
        });
      else routes.push({ ...at, path: joinPaths(prefix.path, local), handlers });
    }
  }
  return routes;
}

/** Spans of what `@UseBefore(a, b)` / `@UseAfter(c)` name on a class or action. */
function runners(file: ProjectFile, node: ts.HasDecorators): Span[] {
  const spans: Span[] = [];
  for (const d of ts.getDecorators(node) ?? []) {
    const call = d.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    if (RUNNERS.has(call.expression.text))
      for (const argument of call.arguments) spans.push(span(file, argument));
  }
  return spans;
}
