import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { classDecoratorSpans, decoratorCall, decoratorPath } from './decorators.js';
import { joinPaths } from './paths.js';
import { span } from './syntax.js';
import { hasModifier, lineOf, unwrap, type Project, type ProjectFile } from './project.js';

/** tsoa's method decorators (`@Get('{id}')`); tsoa has no catch-all decorator. */
const METHOD_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Head: 'HEAD',
  Options: 'OPTIONS',
};

/**
 * The function tsoa's generated routes call for `@Security(...)`, one per template: the `authenticationModule`
 * of tsoa.json must export it under this name (tsoa docs, "Authentication").
 */
const AUTHENTICATION_FUNCTIONS = ['expressAuthentication', 'koaAuthentication', 'hapiAuthentication'];

/**
 * tsoa controllers: a class decorated `@Route(path)` and its `@Get(path)`-style methods, the path
 * `basePath + route + method path` with tsoa's `{id}` parameters (read as hapi/OpenAPI braces). tsoa.json's
 * `routes.basePath` (nearest tsoa.json above the controller's folder) is the base path its generated routes use.
 * The method is the handler; what `@Middlewares(a, b)` names (on the class or the method) runs for it, and so does
 * the project's `expressAuthentication` (or koa/hapi) function when `@Security(...)` applies (class or method,
 * unless the method says `@NoSecurity()`). A route path the code does not spell out is listed as unreadable.
 *
 * The generated `routes.ts` (tsoa's `RegisterRoutes`), when committed, is read by the Express/Koa/hapi readers
 * too: its handlers only forward to the controller (`templateService.apiHandler({ methodName, controller })`),
 * so the controller's own route is what reaches the method's code.
 */
export function extractTsoaRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  let authentication: Span[] | undefined;
  const authenticationSpans = (): Span[] => (authentication ??= authenticationFunctions(project));
  for (const file of project.files) {
    if (!file.sourceFile.text.includes('@Route')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const route = tsoaRouteDecorator(node);
        if (route) routes.push(...controllerRoutes(project, file, node, route, authenticationSpans));
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

/**
 * The `@Route(...)` decorator of a tsoa controller class, or undefined. A class counts as tsoa's when it has
 * `@Route` and at least one method decorated `@Get`/`@Post`/…; the NestJS reader leaves such classes alone (a
 * project's own `@Controller()` beside `@Route` is a DI marker, not Nest's).
 */
export function tsoaRouteDecorator(cls: ts.ClassDeclaration): ts.CallExpression | undefined {
  const route = decoratorCall(cls, 'Route');
  if (!route) return undefined;
  const routed = cls.members.some(
    (m) => ts.isMethodDeclaration(m) && Object.keys(METHOD_DECORATORS).some((name) => decoratorCall(m, name)),
  );
  return routed ? route : undefined;
}

function controllerRoutes(
  project: Project,
  file: ProjectFile,
  cls: ts.ClassDeclaration,
  route: ts.CallExpression,
  authentication: () => Span[],
): CodeRoute[] {
  const base = basePath(file);
  const classPath = decoratorPath(project, file, route.arguments[0]);
  const classSecured = decoratorCall(cls, 'Security') !== undefined;
  const classRunners = [...middlewares(file, cls), ...classDecoratorSpans(file, cls)];
  const routes: CodeRoute[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || hasModifier(member, ts.SyntaxKind.StaticKeyword)) continue;
    for (const [name, method] of Object.entries(METHOD_DECORATORS)) {
      const call = decoratorCall(member, name);
      if (!call) continue;
      const methodPath = decoratorPath(project, file, call.arguments[0]);
      const secured =
        decoratorCall(member, 'NoSecurity') === undefined &&
        (classSecured || decoratorCall(member, 'Security') !== undefined);
      const handlers: Span[] = [
        span(file, member),
        ...classRunners,
        ...middlewares(file, member),
        ...(secured ? authentication() : []),
      ];
      const line = lineOf(file, member);
      const at = { framework: 'tsoa', method, syntax: 'hapi' as const, file: file.relative, line, handlers };
      const unread =
        'unread' in classPath ? classPath.unread : 'unread' in methodPath ? methodPath.unread : undefined;
      if (unread !== undefined) {
        routes.push({
          ...at,
          path: joinPaths(
            base,
            'path' in classPath ? classPath.path : '',
            'path' in methodPath ? methodPath.path : '',
          ),
          unresolved: `route path ${unread.length > 40 ? `${unread.slice(0, 40)}…` : unread} could not be read (${file.relative}:${line})`,
          unreadable: true,
        });
        continue;
      }
      routes.push({
        ...at,
        path: braced(
          joinPaths(
            base,
            'path' in classPath ? classPath.path : '',
            'path' in methodPath ? methodPath.path : '',
          ),
        ),
      });
    }
  }
  return routes;
}

/**
 * A tsoa path with its parameters in braces: tsoa writes `{did}`, and an Express-style `:did` (`@Get('/:did')`,
 * credebl/credo-controller) reaches its generated Express routes as written, a parameter too. Read as a literal
 * segment, it lost its operation to the generated `routes.ts` route once that was traced (session 41).
 */
function braced(routePath: string): string {
  return routePath.replace(/(^|\/):(\w+)(?=\/|$)/g, '$1{$2}');
}

/** `routes.basePath` of the nearest tsoa.json at or above the file's folder (the working folder's tree). */
function basePath(file: ProjectFile): string {
  let folder = path.dirname(file.absolute);
  for (;;) {
    const config = path.join(folder, 'tsoa.json');
    if (existsSync(config)) return configBasePath(config);
    const parent = path.dirname(folder);
    if (parent === folder) return '';
    folder = parent;
  }
}

function configBasePath(config: string): string {
  let value = '';
  try {
    const parsed: unknown = JSON.parse(readFileSync(config, 'utf8'));
    const routes = isRecord(parsed) ? parsed['routes'] : undefined;
    const base = isRecord(routes) ? routes['basePath'] : undefined;
    if (typeof base === 'string') value = base;
  } catch {
    // An unreadable tsoa.json gives no base path; the routes are then read without one.
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The project's `expressAuthentication` (and koa/hapi) functions: what `@Security` runs. */
function authenticationFunctions(project: Project): Span[] {
  const spans: Span[] = [];
  for (const name of AUTHENTICATION_FUNCTIONS)
    for (const { file, node } of project.identifiersNamed(name)) {
      const parent = node.parent;
      if (ts.isFunctionDeclaration(parent) && parent.name === node) spans.push(span(file, parent));
      else if (ts.isVariableDeclaration(parent) && parent.name === node && parent.initializer)
        spans.push(span(file, parent.initializer));
    }
  return spans;
}

/**
 * Spans of what `@Middlewares(a, b)` (or `@Middlewares([a, b])`) names on a class or method; also a project's
 * own `@Middleware(x)` wrapper of it (jadogeri/User_Management_App).
 */
function middlewares(file: ProjectFile, node: ts.HasDecorators): Span[] {
  const calls = ['Middlewares', 'Middleware'].flatMap((name) => decoratorCall(node, name) ?? []);
  return calls
    .flatMap((call) => call.arguments)
    .flatMap((argument) => {
      const inner = unwrap(argument);
      return ts.isArrayLiteralExpression(inner)
        ? inner.elements.map((e) => span(file, e))
        : [span(file, argument)];
    });
}
