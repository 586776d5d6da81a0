import ts from '../../typescript.cjs';
import type { CodeRoute, Mounts, Span } from './model.js';
import { excludePattern } from './nest-exclude.js';
import { templatePath } from './nest-template.js';
import { ANY_APP, appsOfController, appsOfSetting, nestApps, type NestApp } from './nest-apps.js';
import { elementsOf, nestModules, objectOf, property, type ModulePath } from './nest-modules.js';
import { classDecoratorSpans, decoratorCall } from './decorators.js';
import { joinPaths } from './paths.js';
import { span } from './syntax.js';
import { lineOf, unwrap, type Project, type ProjectFile } from './project.js';
import { settingRead } from './setting-reads.js';
import { routingControllerDecorator } from './routing-controllers.js';
import { tsoaRouteDecorator } from './tsoa.js';

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

/** One `exclude` entry of `setGlobalPrefix`: a path pattern and the method it excludes (`ALL`: every one). */
interface Exclusion {
  pattern: RegExp;
  method: string;
}

interface NestGlobals {
  /** The global prefix, or why it is known only at run time (and the file whose `--mount` gives it). */
  prefix: { path: string } | { unresolved: string; mountFile: string };
  exclude: Exclusion[];
  versioning?: Versioning;
  /**
   * What runs for every route: `app.useGlobalFilters(new F())` (and `useGlobalGuards`, `useGlobalInterceptors`,
   * `useGlobalPipes`), and providers `{ provide: APP_FILTER, useClass: F }` (`APP_GUARD`, `APP_INTERCEPTOR`,
   * `APP_PIPE`), as Nest registers them (docs.nestjs.com, "Exception filters", "Binding filters").
   */
  runners: Span[];
  /** The runners among `runners` that the bootstrap binds (`app.useGlobalFilters(...)`), not a module. */
  bootstrapRunners: Span[];
}

const GLOBAL_RUNNERS = new Set([
  'useGlobalFilters',
  'useGlobalGuards',
  'useGlobalInterceptors',
  'useGlobalPipes',
]);
const GLOBAL_TOKENS = new Set(['APP_FILTER', 'APP_GUARD', 'APP_INTERCEPTOR', 'APP_PIPE']);

/**
 * NestJS: `@Controller(path | { path, version })` classes and their `@Get(path)`-style methods, under the
 * `RouterModule` path of the module that declares the controller (src/migrate/routes/nest-modules.ts), the
 * global prefix (`app.setGlobalPrefix(prefix, { exclude })`) and URI versioning (`app.enableVersioning`)
 * where the code spells them out. The method is the handler; guards and interceptors named in
 * `@UseGuards(...)` run for it too. A prefix computed at run time makes the routes unresolved (`--mount`
 * supplies it: the file calling `setGlobalPrefix` for the global prefix, the module's file for its
 * `RouterModule` path); what cannot be read at all is returned as an unreadable entry.
 * `appSettings: false` reads the routes of an app built without the bootstrap's calls (an e2e test's
 * `moduleFixture.createNestApplication()`): no global prefix, no exclusions, no URI versioning.
 */
export function extractNestRoutes(
  project: Project,
  mounts: Mounts = new Map(),
  options: { appSettings?: boolean } = {},
): CodeRoute[] {
  const found = nestApps(project);
  const apps = found.length ? found : [ANY_APP];
  const { perApp, unreadable } = nestGlobals(project, mounts, apps);
  const modules = nestModules(project, mounts);
  const routes: CodeRoute[] = [...unreadable, ...modules.unreadable];
  for (const file of project.files) {
    // A controller needs `@Controller` (or a decorator named after it): the walk skips files without the word.
    if (!file.sourceFile.text.includes('Controller')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        // A tsoa controller (`@Route` with `@Get`-style methods) is tsoa.ts's, whatever `@Controller` it carries;
        // routing-controllers' `@Controller` is routing-controllers.ts's.
        const controller =
          tsoaRouteDecorator(node) || routingControllerDecorator(file, node)
            ? undefined
            : decoratorCall(node, 'Controller');
        if (controller) {
          const declaredIn = modules.modulesOf(node);
          const modulePaths = declaredIn.length
            ? declaredIn.map((m) => modules.pathOf(m) ?? { path: '' })
            : [{ path: '' }];
          // Each app serving the controller lists its routes under its own settings (none: no app's settings).
          const serving = appsOfController(apps, declaredIn, file.relative);
          const settings = serving.length
            ? serving.map((app) => appSettings(perApp.get(app) ?? emptyGlobals(), options))
            : [emptyGlobals()];
          const own: CodeRoute[] = [];
          for (const globals of settings)
            for (const modulePath of dedupePaths(modulePaths))
              own.push(...controllerRoutes(project, file, node, controller, globals, modulePath));
          routes.push(...mergeSameRoutes(own));
        }
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

/**
 * The settings a controller's routes are read with: the app's own, or (`appSettings: false`, a testing module's
 * app) what its modules provide (`APP_GUARD`), not what the bootstrap's calls set.
 */
function appSettings(globals: NestGlobals, options: { appSettings?: boolean }): NestGlobals {
  if (options.appSettings !== false) return globals;
  return {
    ...emptyGlobals(),
    runners: globals.runners.filter((r) => !globals.bootstrapRunners.includes(r)),
  };
}

function emptyGlobals(): NestGlobals {
  return { prefix: { path: '' }, exclude: [], runners: [], bootstrapRunners: [] };
}

/**
 * Routes of one controller method that two apps serve at the same path (neither sets a prefix): one route, run by
 * the handlers of both.
 */
function mergeSameRoutes(routes: CodeRoute[]): CodeRoute[] {
  const byKey = new Map<string, CodeRoute>();
  for (const route of routes) {
    const key = `${route.method} ${route.path} ${route.line} ${route.unresolved ?? ''}`;
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, route);
      continue;
    }
    const handlers = [...known.handlers];
    for (const h of route.handlers)
      if (!handlers.some((k) => k.file === h.file && k.start === h.start && k.end === h.end))
        handlers.push(h);
    byKey.set(key, { ...known, handlers });
  }
  return [...byKey.values()];
}

function dedupePaths(paths: ModulePath[]): ModulePath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = 'path' in p ? `p:${p.path}` : `u:${p.unresolved}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function controllerRoutes(
  project: Project,
  file: ProjectFile,
  cls: ts.ClassDeclaration,
  controller: ts.CallExpression,
  globals: NestGlobals,
  modulePath: ModulePath,
): CodeRoute[] {
  // A path the code spells out, or `*` with the expression named (the route is then listed for review by hand).
  const pathsOf = (expression: ts.Expression | undefined): { paths: string[]; unread?: string } => {
    if (!expression) return { paths: [''] };
    const paths = strings(project, file, expression);
    return paths ? { paths } : { paths: ['*'], unread: expression.getText(file.sourceFile) };
  };
  const options = controller.arguments[0] ? unwrap(controller.arguments[0]) : undefined;
  let controllerPaths = pathsOf(undefined);
  let controllerVersion: string[] | undefined;
  if (options && ts.isObjectLiteralExpression(options)) {
    controllerPaths = pathsOf(property(options, 'path'));
    controllerVersion = strings(project, file, property(options, 'version'));
  } else if (options) {
    controllerPaths = pathsOf(options);
  }
  const classRunners = [...runners(file, cls), ...classDecoratorSpans(file, cls)];
  const routes: CodeRoute[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    for (const [name, method] of Object.entries(METHOD_DECORATORS)) {
      const route = decoratorCall(member, name);
      if (!route) continue;
      const methodPaths = pathsOf(route.arguments[0]);
      const unread = controllerPaths.unread ?? methodPaths.unread;
      const versionCall = decoratorCall(member, 'Version');
      const version = versionCall?.arguments[0]
        ? strings(project, file, versionCall.arguments[0])
        : (controllerVersion ?? globals.versioning?.defaultVersion);
      const versionSegments =
        globals.versioning?.uri && version?.length
          ? version.map((v) => `${globals.versioning?.prefix ?? 'v'}${v}`)
          : [''];
      const handlers: Span[] = [
        span(file, member),
        ...globals.runners,
        ...classRunners,
        ...runners(file, member),
      ];
      const unresolved =
        'unresolved' in modulePath ? modulePath : 'unresolved' in globals.prefix ? globals.prefix : undefined;
      for (const versionSegment of versionSegments)
        for (const controllerPath of controllerPaths.paths)
          for (const methodPath of methodPaths.paths) {
            const at = { framework: 'nestjs', method, syntax: 'colon' as const, file: file.relative };
            const line = lineOf(file, member);
            if (unread !== undefined) {
              routes.push({
                ...at,
                path: joinPaths(versionSegment, controllerPath, methodPath),
                line,
                handlers,
                unresolved: `route path ${unread.length > 40 ? `${unread.slice(0, 40)}…` : unread} could not be read (${file.relative}:${line})`,
                unreadable: true,
              });
              continue;
            }
            if (unresolved) {
              // The known tail: what follows the part computed at run time.
              const tail =
                'path' in modulePath
                  ? joinPaths(versionSegment, modulePath.path, controllerPath, methodPath)
                  : joinPaths(controllerPath, methodPath);
              routes.push({
                ...at,
                path: tail,
                line,
                handlers,
                unresolved: unresolved.unresolved,
                mountFile: unresolved.mountFile,
              });
              continue;
            }
            const local = joinPaths('path' in modulePath ? modulePath.path : '', controllerPath, methodPath);
            const prefix =
              'path' in globals.prefix && !excluded(globals.exclude, local, method)
                ? globals.prefix.path
                : '';
            routes.push({
              ...at,
              path: joinPaths(prefix, versionSegment, local),
              line,
              handlers,
            });
          }
    }
  }
  return routes;
}

/** Nest tests `exclude` on the path without global prefix and version, for the route's own method. */
function excluded(exclude: readonly Exclusion[], path: string, method: string): boolean {
  return exclude.some((e) => (e.method === 'ALL' || e.method === method) && e.pattern.test(path));
}

/**
 * What each app's bootstrap sets (src/migrate/routes/nest-apps.ts says which app a call belongs to), and the
 * `exclude` entries that could not be read (listed for review by hand).
 */
function nestGlobals(
  project: Project,
  mounts: Mounts,
  apps: readonly NestApp[],
): { perApp: Map<NestApp, NestGlobals>; unreadable: CodeRoute[] } {
  const perApp = new Map<NestApp, NestGlobals>(apps.map((app) => [app, emptyGlobals()]));
  const unreadable: CodeRoute[] = [];
  const owners = (file: ProjectFile, node: ts.Node): NestGlobals[] =>
    appsOfSetting(project, apps, file, node).map((app) => perApp.get(app) ?? emptyGlobals());
  for (const file of project.files) {
    const text = file.sourceFile.text;
    if (
      !text.includes('setGlobalPrefix') &&
      !text.includes('enableVersioning') &&
      !text.includes('useGlobal') &&
      !text.includes('APP_') &&
      !text.includes('NestFactory')
    )
      continue;
    const visit = (node: ts.Node): void => {
      // `app.use(mw)` on the app `NestFactory.create(...)` makes: Express (or Fastify) middleware of the whole
      // HTTP adapter, run for every route (docs.nestjs.com, "Middleware", global middleware).
      if (isNestAppUse(project, file, node))
        for (const globals of owners(file, node))
          for (const argument of node.arguments) {
            const runner = span(file, argument);
            globals.runners.push(runner);
            globals.bootstrapRunners.push(runner);
          }
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        GLOBAL_RUNNERS.has(node.expression.name.text)
      )
        for (const globals of owners(file, node))
          for (const argument of node.arguments) {
            const runner = span(file, argument);
            globals.runners.push(runner);
            globals.bootstrapRunners.push(runner);
          }
      if (ts.isObjectLiteralExpression(node)) {
        const token = property(node, 'provide');
        const runner =
          property(node, 'useClass') ?? property(node, 'useValue') ?? property(node, 'useFactory');
        if (token && runner && GLOBAL_TOKENS.has(unwrap(token).getText(file.sourceFile))) {
          // A provider of a module runs for the apps that reach the module.
          const module = enclosingClass(node);
          const reaching = module ? apps.filter((a) => a.modules.has(module)) : [];
          const holders = reaching.length
            ? reaching.map((app) => perApp.get(app) ?? emptyGlobals())
            : owners(file, node);
          for (const globals of holders) globals.runners.push(span(file, runner));
        }
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const name = node.expression.name.text;
        const first = node.arguments[0];
        if (name === 'setGlobalPrefix' && first) {
          const read = globalPrefix(project, file, node, mounts);
          unreadable.push(...read.unreadable);
          for (const globals of owners(file, node)) {
            globals.prefix = read.prefix;
            globals.exclude = read.exclude;
          }
        }
        if (name === 'enableVersioning') {
          const options = first ? unwrap(first) : undefined;
          const object = options && ts.isObjectLiteralExpression(options) ? options : undefined;
          const type = object ? property(object, 'type')?.getText(file.sourceFile) : undefined;
          const versioning = {
            uri: !type || /URI/.test(type),
            prefix: object ? (strings(project, file, property(object, 'prefix'))?.[0] ?? 'v') : 'v',
            defaultVersion: object ? (strings(project, file, property(object, 'defaultVersion')) ?? []) : [],
          };
          for (const globals of owners(file, node)) globals.versioning = versioning;
        }
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return { perApp, unreadable };
}

function enclosingClass(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent)
    if (ts.isClassDeclaration(at)) return at;
  return undefined;
}

/**
 * Why a global prefix is known only at run time: a setting read (`config.get('PREFIX')`, `process.env.PREFIX`)
 * with no value found names the `ConfigModule.forRoot({ envFilePath })` files not in the scanned tree, the file
 * that would give it; anything else is computed at run time.
 */
function runTimeWhy(project: Project, expression: ts.Expression | undefined): string {
  const setting = expression !== undefined && settingRead(expression, () => undefined) !== undefined;
  if (!setting) return 'computed at run time';
  const missing = project.missingEnvFiles();
  return missing.length
    ? `read from the environment with no value found: ConfigModule.forRoot's envFilePath ${missing.join(', ')} is not in the scanned tree (commit it, or pass --mount)`
    : 'read from the environment with no default written';
}

/** `app.setGlobalPrefix(prefix, { exclude: ['health', { path: 'cats', method: RequestMethod.GET }] })`. */
function globalPrefix(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
  mounts: Mounts,
): { prefix: NestGlobals['prefix']; exclude: Exclusion[]; unreadable: CodeRoute[] } {
  const [first, second] = call.arguments;
  const exclude: Exclusion[] = [];
  const unreadable: CodeRoute[] = [];
  const value = first ? project.stringOf(file, first) : undefined;
  const supplied = mounts.get(file.relative);
  const template =
    first && value === undefined && supplied === undefined ? templatePath(project, file, first) : undefined;
  const prefix: NestGlobals['prefix'] =
    value !== undefined
      ? { path: value }
      : supplied !== undefined
        ? { path: supplied }
        : template !== undefined
          ? { path: template }
          : {
              unresolved: `global prefix ${first?.getText(file.sourceFile) ?? ''} is ${runTimeWhy(project, first)} (${file.relative}:${lineOf(file, call)})`,
              mountFile: file.relative,
            };
  const result = { prefix, exclude, unreadable };
  const options = second ? unwrap(second) : undefined;
  const list = options && ts.isObjectLiteralExpression(options) ? property(options, 'exclude') : undefined;
  if (second && !list && !(options && ts.isObjectLiteralExpression(options))) {
    unreadable.push(unreadExclude(file, second, call));
    return result;
  }
  if (!list) return result;
  const { items, unread } = elementsOf(project, file, list);
  for (const item of unread) unreadable.push(unreadExclude(item.file, item.node, call));
  for (const item of items) {
    const exclusion = exclusionOf(project, item.file, item.node);
    if (exclusion) exclude.push(exclusion);
    else unreadable.push(unreadExclude(item.file, item.node, call));
  }
  return result;
}

/** `'health'` (every method) or `{ path: 'cats', method: RequestMethod.GET }`. */
function exclusionOf(project: Project, file: ProjectFile, node: ts.Expression): Exclusion | undefined {
  const object = objectOf(project, file, node);
  const pathExpression = object ? property(object.node, 'path') : node;
  const path = pathExpression ? project.stringOf(object?.file ?? file, pathExpression) : undefined;
  const pattern = path !== undefined ? excludePattern(path) : undefined;
  if (!pattern) return undefined;
  if (!object) return { pattern, method: 'ALL' };
  const methodExpression = property(object.node, 'method');
  const method = methodExpression ? unwrap(methodExpression) : undefined;
  if (!method || !ts.isPropertyAccessExpression(method)) return undefined;
  return { pattern, method: method.name.text.toUpperCase() };
}

function unreadExclude(file: ProjectFile, node: ts.Node, call: ts.CallExpression): CodeRoute {
  const text = node.getText(file.sourceFile);
  return {
    framework: 'nestjs',
    method: 'ALL',
    path: '/*',
    syntax: 'colon',
    file: file.relative,
    line: lineOf(file, node),
    handlers: [],
    unresolved: `setGlobalPrefix exclude entry ${text.length > 40 ? `${text.slice(0, 40)}…` : text} could not be read (${file.relative}:${lineOf(file, call)}); the routes it excludes are listed with the global prefix`,
    unreadable: true,
  };
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

/** `app.use(...)` where `app` holds what `NestFactory.create(...)` returns (awaited or not). */
function isNestAppUse(project: Project, file: ProjectFile, node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  if (node.expression.name.text !== 'use') return false;
  const receiver = unwrap(node.expression.expression);
  if (!ts.isIdentifier(receiver)) return false;
  return project.lookup(file, receiver, receiver.text).some((d) => {
    if (!ts.isVariableDeclaration(d.node) || !d.node.initializer) return false;
    let value: ts.Expression = unwrap(d.node.initializer);
    if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
    return (
      ts.isCallExpression(value) &&
      /(^|\.)NestFactory\.create$/.test(value.expression.getText(d.file.sourceFile))
    );
  });
}
