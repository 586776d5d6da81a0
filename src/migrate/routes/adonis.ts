import path from 'node:path';
import ts from '../../typescript.cjs';
import { skipOuter } from '../analysis/syntax.js';
import type { SpecCoverage } from '../types.js';
import { AdonisBouncer } from './adonis-bouncer.js';
import { adonisMiddleware, type AdonisMiddleware } from './adonis-middleware.js';
import type { CodeRoute, Span } from './model.js';
import { lineOf, staticString, unwrap, type Project, type ProjectFile } from './project.js';
import { span } from './syntax.js';
import { classMethod } from './adonis-classes.js';

/**
 * AdonisJS routes (since session 51; before, each registration was only named for review by hand and matched no
 * operation): AdonisJS 6 `router` (`@adonisjs/core/services/router`), AdonisJS 5 `Route`
 * (`@ioc:Adonis/Core/Route`) and AdonisJS 4 `use('Route')` share one API. Read: `get/post/put/patch/delete(pattern,
 * handler)`, `any` and `route(pattern, methods, handler)`, `on(pattern)` (a GET that renders or redirects),
 * `resource(name, controller)` / `shallowResource` (the seven actions; `apiOnly()`, `only([...])`, `except([...])`;
 * nested `'posts.comments'`), each inside any number of `group(() => …)` whose `.prefix(p)` goes before its routes'
 * paths (the outer group's first), and a route's own `.prefix(p)`. `:>param` (route-model binding) is `:param`.
 * Handlers: a function, `'UsersController.store'` (AdonisJS 4 / 5: under `App/Controllers/Http`, or the group's
 * `.namespace(...)`), `'#controllers/users_controller.store'`, `[UsersController, 'store']` / `[Lazy]` (a class, or
 * `() => import('#controllers/users_controller')`); a controller mtls-fix cannot find leaves the route read with
 * its handler named as unseen. Middleware: `.middleware('auth')` / `.middleware({ '*': [...], store: 'auth' })`
 * (AdonisJS 4 / 5) and `.use(middleware.auth())` / `.use(['store'], …)` (AdonisJS 6), by the names the kernel
 * registers, and the kernel's global middleware (adonis-middleware.ts). Source: AdonisJS docs, "Routing" (route
 * groups, prefix, resourceful routes, apiOnly / only / except, nested and shallow resources, route middleware).
 */

type Unresolved = SpecCoverage['unresolved'][number];

/** The routes read, and the registrations that could not be (named for review by hand). */
export interface AdonisReading {
  routes: CodeRoute[];
  unread: Unresolved[];
}

/** Where the router comes from, by AdonisJS version. */
const ROUTER_MODULES = new Set(['@adonisjs/core/services/router', '@ioc:Adonis/Core/Route']);

/** Router methods that register a route, and the method each answers (`ALL` for any). */
const VERBS: Readonly<Record<string, string>> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  any: 'ALL',
  route: 'ALL',
  on: 'GET',
};

/** A resource's actions: method(s) and the path after the resource (`id` the resource's own parameter). */
const ACTIONS: readonly { action: string; methods: string[]; suffix: string; member: boolean }[] = [
  { action: 'index', methods: ['GET'], suffix: '', member: false },
  { action: 'create', methods: ['GET'], suffix: '/create', member: false },
  { action: 'store', methods: ['POST'], suffix: '', member: false },
  { action: 'show', methods: ['GET'], suffix: '', member: true },
  { action: 'edit', methods: ['GET'], suffix: '/edit', member: true },
  { action: 'update', methods: ['PUT', 'PATCH'], suffix: '', member: true },
  { action: 'destroy', methods: ['DELETE'], suffix: '', member: true },
];

const cache = new WeakMap<Project, AdonisReading>();

/** Every AdonisJS route of the project (read once per project), and the registrations left unread. */
export function readAdonis(project: Project): AdonisReading {
  const cached = cache.get(project);
  if (cached) return cached;
  const reading: AdonisReading = { routes: [], unread: [] };
  let middleware: AdonisMiddleware | undefined;
  const bouncer = new AdonisBouncer(project);
  for (const file of project.files) {
    const routers = adonisRouterNames(file.sourceFile);
    if (!routers.size) continue;
    middleware ??= adonisMiddleware(project);
    const reader = new FileReader(project, file, routers, middleware, bouncer, reading);
    for (const call of project.calls(file)) reader.registration(call);
  }
  cache.set(project, reading);
  return reading;
}

/** The AdonisJS routes of the project (route extraction). */
export function extractAdonisRoutes(project: Project): CodeRoute[] {
  return readAdonis(project).routes;
}

/**
 * The names a file binds to the AdonisJS router: the default import of `@adonisjs/core/services/router` or
 * `@ioc:Adonis/Core/Route`, or `const Route = use('Route')` (AdonisJS 4's ioc container).
 */
export function adonisRouterNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  if (
    !/Adonis\/Core\/Route|@adonisjs\/core\/services\/router|use\(\s*['"]Route['"]\s*\)/.test(sourceFile.text)
  )
    return names;
  for (const statement of sourceFile.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      ROUTER_MODULES.has(statement.moduleSpecifier.text) &&
      statement.importClause?.name
    )
      names.add(statement.importClause.name.text);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipOuter(declaration.initializer);
      if (
        ts.isIdentifier(declaration.name) &&
        init &&
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        init.expression.text === 'use' &&
        init.arguments.length === 1 &&
        ts.isStringLiteralLike(init.arguments[0]) &&
        init.arguments[0].text === 'Route'
      )
        names.add(declaration.name.text);
    }
  }
  return names;
}

/** One call chained on a registration or a group: `.prefix('v1')`, `.middleware('auth')`, `.apiOnly()`. */
interface Modifier {
  name: string;
  args: readonly ts.Expression[];
}

/** What the groups around a registration give it. */
interface Context {
  prefix: string;
  middleware: Span[];
  /** AdonisJS 4 / 5 controller namespace (`App/Controllers/Http` unless a group says another). */
  namespace?: string;
  /** The groups' `.as('api')` names, the outermost first: they go before their routes' names (`api.users.show`). */
  names: string[];
}

class FileReader {
  constructor(
    private readonly project: Project,
    private readonly file: ProjectFile,
    private readonly routers: ReadonlySet<string>,
    private readonly middleware: AdonisMiddleware,
    private readonly bouncer: AdonisBouncer,
    private readonly out: AdonisReading,
  ) {}

  registration(call: ts.CallExpression): void {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return;
    const receiver = skipOuter(callee.expression);
    if (!ts.isIdentifier(receiver) || !this.routers.has(receiver.text)) return;
    const name = callee.name.text;
    if (!(name in VERBS) && name !== 'resource' && name !== 'shallowResource') return;
    const modifiers = chainAfter(call);
    const context = this.context(call);
    const line = lineOf(this.file, call);
    const first = call.arguments[0];
    const written = first && this.project.stringOf(this.file, first);
    if (written === undefined) {
      this.unread(call, name, line, 'its path is computed at run time');
      return;
    }
    const own = modifiers.filter((m) => m.name === 'prefix').map((m) => this.text(m.args[0]) ?? '');
    const prefix = [context.prefix, ...own.reverse()].reduce(join, '');
    if (name === 'resource' || name === 'shallowResource') {
      this.resource(call, written, prefix, modifiers, context, line, name === 'shallowResource');
      return;
    }
    const handlerArgument = call.arguments[name === 'route' ? 2 : 1];
    const methods =
      name === 'route' ? (this.methodList(call.arguments[1]) ?? ['ALL']) : [VERBS[name] ?? 'ALL'];
    const handler = name === 'on' ? { spans: [] } : this.handler(handlerArgument, context);
    const middleware = modifiers.flatMap((m) => this.routeMiddleware(m));
    const names = [routeName(context, modifiers, (e) => this.text(e)), handlerReference(handlerArgument)];
    const named = names.filter((n): n is string => n !== undefined);
    for (const method of methods)
      this.out.routes.push({
        ...(named.length ? { names: named } : {}),
        framework: 'adonis',
        method,
        path: normalize(join(prefix, written)),
        syntax: 'colon',
        file: this.file.relative,
        line,
        handlers: [...this.middleware.global, ...context.middleware, ...middleware, ...handler.spans],
        ...(handler.unseen ? { unseenHandlers: handler.unseen } : {}),
      });
  }

  private resource(
    call: ts.CallExpression,
    name: string,
    prefix: string,
    modifiers: readonly Modifier[],
    context: Context,
    line: number,
    shallow: boolean,
  ): void {
    let actions = ACTIONS.map((a) => a.action);
    const params = new Map<string, string>();
    const perAction = new Map<string, Span[]>();
    for (const m of modifiers) {
      if (m.name === 'apiOnly') actions = actions.filter((a) => a !== 'create' && a !== 'edit');
      const list = this.textList(m.args[0]);
      if (m.name === 'only' && list) actions = actions.filter((a) => list.includes(a));
      if (m.name === 'except' && list) actions = actions.filter((a) => !list.includes(a));
      if (m.name === 'paramFor') {
        const [resource, param] = [this.text(m.args[0]), this.text(m.args[1])];
        if (resource && param) params.set(resource, param);
      }
      if (m.name === 'params' && m.args[0] && ts.isObjectLiteralExpression(unwrap(m.args[0])))
        for (const p of (unwrap(m.args[0]) as ts.ObjectLiteralExpression).properties)
          if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
            const value = this.text(p.initializer);
            if (value) params.set(p.name.text, value);
          }
      for (const [action, spans] of this.actionMiddleware(m))
        perAction.set(action, [...(perAction.get(action) ?? []), ...spans]);
    }
    const parts = name.split('.').filter(Boolean);
    const main = parts[parts.length - 1] ?? name;
    const param = (resource: string, fallback: string): string =>
      `:${(params.get(resource) ?? fallback).replace(/^>/, '')}`;
    const parents = parts
      .slice(0, -1)
      .map((p) => `${p}/${param(p, `${singular(p)}_id`)}`)
      .join('/');
    const controller = call.arguments[1];
    for (const { action, methods, suffix, member } of ACTIONS) {
      if (!actions.includes(action)) continue;
      const base = shallow && member ? main : [parents, main].filter(Boolean).join('/');
      const full = normalize(join(prefix, `${base}${member ? `/${param(main, 'id')}` : ''}${suffix}`));
      const handler = this.controllerMethod(controller, action, context);
      const middleware = [...(perAction.get('*') ?? []), ...(perAction.get(action) ?? [])];
      const reference = handlerReference(controller);
      const named = [
        resourceName(context, modifiers, name, action, (e) => this.text(e)),
        reference && `${reference}.${action}`,
      ].filter((n): n is string => n !== undefined);
      for (const method of methods)
        this.out.routes.push({
          ...(named.length ? { names: named } : {}),
          framework: 'adonis',
          method,
          path: full,
          syntax: 'colon',
          file: this.file.relative,
          line,
          handlers: [...this.middleware.global, ...context.middleware, ...middleware, ...handler.spans],
          ...(handler.unseen ? { unseenHandlers: handler.unseen } : {}),
        });
    }
  }

  /** The prefixes, middleware and namespace of the groups around a node, the outermost first. */
  private context(node: ts.Node): Context {
    const groups: Modifier[][] = [];
    for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
      if (!ts.isArrowFunction(at) && !ts.isFunctionExpression(at)) continue;
      const fn: ts.Node = at;
      const call = fn.parent;
      if (!ts.isCallExpression(call) || !call.arguments.some((a) => a === fn)) continue;
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'group') continue;
      const receiver = skipOuter(callee.expression);
      if (!ts.isIdentifier(receiver) || !this.routers.has(receiver.text)) continue;
      groups.unshift(chainAfter(call));
    }
    const context: Context = { prefix: '', middleware: [], names: [] };
    for (const modifiers of groups) {
      const own = modifiers.filter((m) => m.name === 'prefix').map((m) => this.text(m.args[0]) ?? '');
      context.prefix = [context.prefix, ...own.reverse()].reduce(join, '');
      const named = modifiers.filter((m) => m.name === 'as').map((m) => this.text(m.args[0]));
      if (named.includes(undefined)) context.names.push('\u0000');
      else context.names.push(...(named as string[]));
      for (const m of modifiers) {
        context.middleware.push(...this.routeMiddleware(m));
        const namespace = m.name === 'namespace' ? this.text(m.args[0]) : undefined;
        if (namespace !== undefined)
          context.namespace = /^App\//.test(namespace)
            ? namespace
            : `${context.namespace ?? 'App/Controllers/Http'}/${namespace}`;
      }
    }
    return context;
  }

  /** `.middleware('auth')`, `.middleware(['auth', 'acl:admin'])`, `.use(middleware.auth())` of a route or group. */
  private routeMiddleware(m: Modifier): Span[] {
    if (m.name !== 'middleware' && m.name !== 'use') return [];
    const argument = m.args[m.args.length - 1];
    if (!argument) return [];
    const node = unwrap(argument);
    if (ts.isObjectLiteralExpression(node)) return [];
    return this.middlewareSpans(node);
  }

  /** A resource's `.middleware({ '*': [...], store: 'auth' })` or `.use(['store'], middleware.auth())`, by action. */
  private actionMiddleware(m: Modifier): Map<string, Span[]> {
    const out = new Map<string, Span[]>();
    if (m.name !== 'middleware' && m.name !== 'use') return out;
    const [first, second] = m.args.map((a) => unwrap(a));
    if (first && ts.isObjectLiteralExpression(first)) {
      for (const p of first.properties)
        if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
          out.set(p.name.text, this.middlewareSpans(unwrap(p.initializer)));
      return out;
    }
    if (first && second) {
      const actions = this.textList(first) ?? [];
      for (const action of actions) out.set(action, this.middlewareSpans(second));
      return out;
    }
    if (first) out.set('*', this.middlewareSpans(first));
    return out;
  }

  private middlewareSpans(node: ts.Expression): Span[] {
    if (ts.isArrayLiteralExpression(node))
      return node.elements.flatMap((e) => this.middlewareSpans(unwrap(e)));
    const text = staticString(node);
    if (text !== undefined) return this.middleware.named(text.split(':')[0] ?? text);
    // `middleware.auth()` / `middleware.auth({ guards })`: a name the kernel registers with `router.named`.
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression))
      return this.middleware.named(node.expression.name.text);
    return [span(this.file, node)];
  }

  /** The code a route handler runs, or why it is not seen. */
  private handler(argument: ts.Expression | undefined, context: Context): { spans: Span[]; unseen?: string } {
    if (!argument) return { spans: [], unseen: 'the route names no handler' };
    const node = unwrap(argument);
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return { spans: [span(this.file, node)] };
    const text = ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) ? this.text(node) : undefined;
    if (text !== undefined) {
      const dot = text.lastIndexOf('.');
      const module = dot > 0 ? text.slice(0, dot) : text;
      const method = dot > 0 ? text.slice(dot + 1) : 'handle';
      return this.inModule(this.controllerFile(module, context), method, text);
    }
    // A template this reader cannot spell (`${dir}/UsersController.show` with `dir` computed at run time).
    if (ts.isTemplateExpression(node)) return { spans: [], unseen: this.computed(node) };
    if (ts.isArrayLiteralExpression(node)) {
      const [controller, method] = node.elements;
      const methodName = (method && staticString(method)) ?? 'handle';
      return controller
        ? this.inModule(this.classFile(controller), methodName, node.getText(this.file.sourceFile))
        : { spans: [], unseen: 'an empty controller tuple' };
    }
    return { spans: [span(this.file, node)] };
  }

  /** A resource action's controller method (`'PostsController'`, a class, a lazy import). */
  private controllerMethod(
    argument: ts.Expression | undefined,
    action: string,
    context: Context,
  ): { spans: Span[]; unseen?: string } {
    if (!argument) return { spans: [], unseen: 'the resource names no controller' };
    const node = unwrap(argument);
    const text = ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) ? this.text(node) : undefined;
    if (text === undefined && ts.isTemplateExpression(node))
      return { spans: [], unseen: this.computed(node) };
    const file = text !== undefined ? this.controllerFile(text, context) : this.classFile(argument);
    return this.inModule(file, action, text ?? argument.getText(this.file.sourceFile));
  }

  private inModule(
    found: ProjectFile | undefined,
    method: string,
    shown: string,
  ): { spans: Span[]; unseen?: string } {
    if (!found) return { spans: [], unseen: `its controller ${short(shown)} is not a file mtls-fix finds` };
    const member = classMethod(this.project, found, method);
    if (!member)
      return {
        spans: [],
        unseen: `its controller ${short(shown)} (${found.relative}) has no method ${method} mtls-fix finds`,
      };
    // The bouncer policies and abilities the method checks: their denial is a 403 of this route.
    return { spans: [span(found, member), ...this.bouncer.checkedBy(found, member)] };
  }

  /** `'UsersController'`, `'Admin/UsersController'` (under the namespace), `'#controllers/users_controller'`. */
  private controllerFile(module: string, context: Context): ProjectFile | undefined {
    if (module.startsWith('#')) return this.project.resolveModule(this.file, module);
    // Relative to the namespace, as the ioc container reads it (`../../../app/Modules/Urls/Controllers/Url`).
    const namespace = context.namespace ?? 'App/Controllers/Http';
    const full = /^App\//.test(module) ? module : path.posix.join(namespace, module);
    return this.project.resolveModule(this.file, full) ?? this.underPackage(full.replace(/^App\//, 'app/'));
  }

  /** A path under the folder of the nearest package.json above the routes file (AdonisJS 4 autoload `App`). */
  private underPackage(relative: string): ProjectFile | undefined {
    for (let dir = path.dirname(this.file.relative); ; dir = path.dirname(dir)) {
      const base = dir === '.' ? relative : `${dir}/${relative}`;
      for (const ext of ['.ts', '.js'])
        if (this.project.byRelative(base + ext)) return this.project.byRelative(base + ext);
      if (dir === '.' || dir === '/' || dir === '') return undefined;
    }
  }

  /** The file of a controller named by a class binding or a lazy `() => import('#controllers/x')`. */
  private classFile(expression: ts.Expression): ProjectFile | undefined {
    const node = unwrap(expression);
    if (ts.isArrowFunction(node)) return this.lazyImport(node);
    if (!ts.isIdentifier(node)) return undefined;
    for (const d of this.project.lookup(this.file, node, node.text)) {
      if (ts.isClassDeclaration(d.node)) return d.file;
      if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
        const init = unwrap(d.node.initializer);
        if (ts.isArrowFunction(init)) return this.lazyImport(init, d.file);
      }
    }
    return undefined;
  }

  private lazyImport(fn: ts.ArrowFunction, file = this.file): ProjectFile | undefined {
    const body = unwrap(fn.body as ts.Expression);
    if (!ts.isCallExpression(body) || body.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
    const specifier = staticString(body.arguments[0]);
    return specifier === undefined ? undefined : this.project.resolveModule(file, specifier);
  }

  private computed(node: ts.Node): string {
    return `its controller ${short(node.getText(this.file.sourceFile))} is computed at run time`;
  }

  private methodList(argument: ts.Expression | undefined): string[] | undefined {
    return this.textList(argument)?.map((m) => m.toUpperCase());
  }

  private text(argument: ts.Expression | undefined): string | undefined {
    return argument ? this.project.stringOf(this.file, argument) : undefined;
  }

  private textList(argument: ts.Expression | undefined): string[] | undefined {
    if (!argument) return undefined;
    const node = unwrap(argument);
    if (!ts.isArrayLiteralExpression(node)) {
      const one = this.text(node);
      return one === undefined ? undefined : [one];
    }
    const items = node.elements.map((e) => this.text(e));
    return items.every((i): i is string => i !== undefined) ? items : undefined;
  }

  private unread(call: ts.CallExpression, name: string, line: number, why: string): void {
    const handler = call.arguments[name === 'route' ? 2 : 1];
    const shown = handler ? short(handler.getText(this.file.sourceFile)) : 'no handler';
    this.out.unread.push({
      method: VERBS[name] ?? 'ALL',
      path: '/*',
      file: this.file.relative,
      line,
      framework: 'adonis',
      reason: `an AdonisJS route (${name}, handler ${shown}) mtls-fix could not read: ${why}, so no operation is matched to it, and the 403 sites its handler reaches are left alone`,
      mountFile: this.file.relative,
      byHand: true,
    });
  }
}

/** The calls chained on a call: `x(...).prefix('a').middleware('b')` gives prefix and middleware. */
function chainAfter(call: ts.CallExpression): Modifier[] {
  const out: Modifier[] = [];
  let at: ts.Node = call;
  for (;;) {
    const access = at.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== at) return out;
    const next = access.parent;
    if (!next || !ts.isCallExpression(next) || next.expression !== access) return out;
    out.push({ name: access.name.text, args: next.arguments });
    at = next;
  }
}

/**
 * A route's name: its own last `.as(name)` after its groups' names (`api.users.show`); undefined when it has none
 * or a name is not a string mtls-fix reads (a group's unread name is marked with `\u0000`).
 */
function routeName(
  context: Context,
  modifiers: readonly Modifier[],
  text: (e: ts.Expression | undefined) => string | undefined,
): string | undefined {
  const own = modifiers.filter((m) => m.name === 'as');
  const last = own[own.length - 1];
  if (!last) return undefined;
  return fullName(context, text(last.args[0]));
}

/**
 * A resource action's name: the resource as written (`venues.fields`), or its `.as(name)`, then the action
 * (`venues.fields.index`), after its groups' names (AdonisJS docs, "Resourceful routes": route names).
 */
function resourceName(
  context: Context,
  modifiers: readonly Modifier[],
  resource: string,
  action: string,
  text: (e: ts.Expression | undefined) => string | undefined,
): string | undefined {
  const own = modifiers.filter((m) => m.name === 'as');
  const last = own[own.length - 1];
  const base = last ? text(last.args[0]) : resource.replace(/^\/+|\/+$/g, '').replace(/\//g, '.');
  return base === undefined ? undefined : fullName(context, `${base}.${action}`);
}

/** A handler (or resource controller) written as a string (`'UsersController.show'`), as the test may name it. */
function handlerReference(argument: ts.Expression | undefined): string | undefined {
  const node = argument && unwrap(argument);
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

function fullName(context: Context, own: string | undefined): string | undefined {
  if (own === undefined || context.names.includes('\u0000')) return undefined;
  return [...context.names, own].join('.');
}

function join(prefix: string, path: string): string {
  const a = prefix.replace(/\/+$/, '');
  const b = path.replace(/^\/+/, '');
  if (!a) return `/${b}`;
  return b ? `${a.startsWith('/') ? a : `/${a}`}/${b}` : a.startsWith('/') ? a : `/${a}`;
}

/** One leading slash, no trailing one, `:>param` (route-model binding) read as `:param`. */
function normalize(p: string): string {
  const cleaned = `/${p}`.replace(/\/{2,}/g, '/').replace(/\/:>/g, '/:');
  return cleaned.length > 1 ? cleaned.replace(/\/$/, '') : cleaned;
}

/** The singular of a resource name, as AdonisJS names a parent's parameter (`posts` -> `post_id`). */
function singular(name: string): string {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/s$/.test(name) && !/ss$/.test(name)) return name.slice(0, -1);
  return name;
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}
