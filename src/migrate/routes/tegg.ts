import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { joinPaths } from './paths.js';
import { classDecoratorSpans } from './decorators.js';
import { lineOf, propertyName, unwrap, type Project, type ProjectFile } from './project.js';
import { namedImportModule, span } from './syntax.js';

/** Packages that export tegg's controller decorators: egg 4 (`egg`), `@eggjs/tegg` and its parts. */
const TEGG_MODULE = /^(?:egg|@eggjs\/(?:tegg|controller-decorator|tegg-controller-plugin|core-decorator))$/;

/**
 * Egg.js tegg HTTP controllers (`@eggjs/tegg`, re-exported by egg 4 from `egg`): a class decorated
 * `@HTTPController({ path? })` and its methods decorated `@HTTPMethod({ path, method? })`, the method an
 * `HTTPMethodEnum.X` member or a string (`GET` when absent: tegg's default). What `@Middleware(fn, …)` names on
 * the class or the method runs before it. A path the code does not spell out is listed for review by hand.
 * Source: eggjs/egg tegg `core/controller-decorator` (HTTPController, HTTPMethod, Middleware).
 *
 * @returns one route per decorated method, in the file order; [] when no file imports a tegg module.
 */
export function extractTeggRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    if (!file.sourceFile.text.includes('HTTPController')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const controller = teggDecorator(file, node, 'HTTPController');
        if (controller) routes.push(...methodRoutes(project, file, node, controller));
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

/** The calls of the decorator `name` on `node` when the name is imported from a tegg module. */
function teggDecorators(file: ProjectFile, node: ts.HasDecorators, name: string): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  for (const d of ts.getDecorators(node) ?? []) {
    const call = d.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== name)
      continue;
    const module = namedImportModule(file, name);
    if (module !== undefined && TEGG_MODULE.test(module)) calls.push(call);
  }
  return calls;
}

function teggDecorator(
  file: ProjectFile,
  node: ts.HasDecorators,
  name: string,
): ts.CallExpression | undefined {
  return teggDecorators(file, node, name)[0];
}

/** The initializer of `key` in the decorator's options object (`@HTTPMethod({ path: '/x' })`). */
function option(call: ts.CallExpression, key: string): ts.Expression | undefined {
  const first = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (!first || !ts.isObjectLiteralExpression(first)) return undefined;
  for (const p of first.properties)
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === key) return p.initializer;
  return undefined;
}

/** A path option: absent is `''`; one the code does not spell out is named (`unread`: its text). */
function pathOption(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
): { path: string } | { unread: string } {
  const expression = option(call, 'path');
  if (!expression) return { path: '' };
  const value = project.stringOf(file, expression);
  return value === undefined ? { unread: expression.getText(file.sourceFile) } : { path: value };
}

/** `HTTPMethodEnum.PUT` or `'PUT'`; absent: `GET`; undefined when the code computes it. */
function methodOption(project: Project, file: ProjectFile, call: ts.CallExpression): string | undefined {
  const expression = option(call, 'method');
  if (!expression) return 'GET';
  const node = unwrap(expression);
  if (ts.isPropertyAccessExpression(node)) return node.name.text.toUpperCase();
  return project.stringOf(file, node)?.toUpperCase();
}

function methodRoutes(
  project: Project,
  file: ProjectFile,
  cls: ts.ClassDeclaration,
  controller: ts.CallExpression,
): CodeRoute[] {
  const classPath = pathOption(project, file, controller);
  const classMiddleware = [...middleware(file, cls), ...classDecoratorSpans(file, cls)];
  const routes: CodeRoute[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const decorator = teggDecorator(file, member, 'HTTPMethod');
    if (!decorator) continue;
    const line = lineOf(file, member);
    const handlers: Span[] = [span(file, member), ...classMiddleware, ...middleware(file, member)];
    const methodPath = pathOption(project, file, decorator);
    const method = methodOption(project, file, decorator);
    const local = joinPaths(
      'path' in classPath ? classPath.path : '',
      'path' in methodPath ? methodPath.path : '',
    );
    const at = { framework: 'egg', syntax: 'colon' as const, file: file.relative, line };
    const unread =
      'unread' in classPath ? classPath.unread : 'unread' in methodPath ? methodPath.unread : undefined;
    if (unread !== undefined || !method) {
      const why =
        unread !== undefined
          ? `route path ${unread.length > 40 ? `${unread.slice(0, 40)}…` : unread} could not be read`
          : 'route method is computed at run time';
      routes.push({
        ...at,
        method: method ?? 'ALL',
        path: local,
        handlers,
        unresolved: `${why} (${file.relative}:${line})`,
        unreadable: true,
      });
    } else routes.push({ ...at, method, path: local, handlers });
  }
  return routes;
}

/** Spans of what `@Middleware(a, b)` (imported from a tegg module) names on a class or method. */
function middleware(file: ProjectFile, node: ts.HasDecorators): Span[] {
  return teggDecorators(file, node, 'Middleware').flatMap((call) =>
    call.arguments.map((argument) => span(file, argument)),
  );
}
