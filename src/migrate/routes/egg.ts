import ts from '../../typescript.cjs';
import { eggAppMiddleware, type EggAppMiddleware } from './egg-middleware.js';
import { EggTargets } from './egg-targets.js';
import type { CodeRoute, Span } from './model.js';
import { lineOf, staticString, unwrap, type Project, type ProjectFile } from './project.js';
import { span } from './syntax.js';
import { METHODS } from './wiring.js';

/** `app/router.js`, `app/router.ts` and the files under `app/router/` (required from it): group 1 is the root. */
const ROUTER_FILE = /^(?:(.*)\/)?app\/router(?:\.[cm]?[jt]s|\/.+\.[cm]?[jt]s)$/;

/** Whether a file is an Egg.js router file (`app/router.js`, `app/router/*.js`), whose routes this module reads. */
export function isEggRouterFile(file: ProjectFile): boolean {
  return ROUTER_FILE.test(file.relative);
}

/**
 * `router.resources(name?, prefix, ...middleware, controller)`: each action the controller defines, at its
 * method and path. Source: egg docs, "Router", RESTful style URL definition (the table of actions).
 */
const RESOURCE_ACTIONS: readonly { action: string; methods: string[]; suffix: string }[] = [
  { action: 'index', methods: ['GET'], suffix: '' },
  { action: 'new', methods: ['GET'], suffix: '/new' },
  { action: 'show', methods: ['GET'], suffix: '/:id' },
  { action: 'edit', methods: ['GET'], suffix: '/:id/edit' },
  { action: 'create', methods: ['POST'], suffix: '' },
  { action: 'update', methods: ['PUT', 'PATCH'], suffix: '/:id' },
  { action: 'destroy', methods: ['DELETE'], suffix: '/:id' },
];

/** What an expression of a router file is, as egg's `app` hands it out. */
type EggValue =
  | { kind: 'app' }
  | { kind: 'router'; prefix: string; middleware: Span[] }
  | { kind: 'controller'; parts: string[] }
  | { kind: 'middleware'; parts: string[] }
  /** `middleware.certOnly(options)`: the middleware made from `app/middleware/cert_only.js`. */
  | { kind: 'made'; spans: Span[] };

/**
 * Egg.js routes (egg's router, a koa-router): the function `app/router.js` exports receives the app, and
 * registers on `app.router` (`const { router, controller } = app`, `({ router, controller }) => ...`,
 * `app.router.get(...)`, or the app itself, which delegates them: `app.get(...)`) `router.METHOD([name,] path, ...middleware, controller.user.show)` (also a string
 * `'user.show'`), `router.resources([name,] prefix, ...middleware, controller.posts)` and
 * `router.namespace(prefix, ...middleware)` sub-routers; `app/router/*.js` files required from it read the same.
 * The handler is the controller method the chain names (egg-targets.ts), with the services it calls; route
 * middleware `app.middleware.x()` is `app/middleware/x.js`; the app-wide middleware a config file lists
 * (`config.middleware = ['auth']`) runs for the routes its `enable` / `match` / `ignore` options let it
 * (egg-middleware.ts).
 */
export function extractEggRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  const byRoot = new Map<string, ProjectFile[]>();
  for (const file of project.files) {
    const match = ROUTER_FILE.exec(file.relative);
    if (!match) continue;
    const root = match[1] ?? '';
    byRoot.set(root, [...(byRoot.get(root) ?? []), file]);
  }
  for (const [root, files] of byRoot) {
    const targets = new EggTargets(project, root);
    const global = eggAppMiddleware(project, root, targets);
    for (const file of files) routes.push(...fileRoutes(project, file, targets, global));
  }
  return routes;
}

function fileRoutes(
  project: Project,
  file: ProjectFile,
  targets: EggTargets,
  global: readonly EggAppMiddleware[],
): CodeRoute[] {
  const routes: CodeRoute[] = [];
  const reader = new ValueReader(project, file, targets);
  for (const call of project.calls(file)) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const value = reader.valueOf(callee.expression);
    // egg's app delegates the router's methods (`app.get('/', 'home.index')`, `app.resources(...)`).
    const router: EggValue | undefined =
      value?.kind === 'app' ? { kind: 'router', prefix: '', middleware: [] } : value;
    if (router?.kind !== 'router') continue;
    const method = callee.name.text;
    const args = [...call.arguments];
    // A named route: `router.get('user', '/user/:id', ...)`.
    if (args.length >= 3 && staticString(args[0]) !== undefined && staticString(args[1]) !== undefined)
      args.shift();
    const path = args[0] ? project.stringOf(file, args[0]) : undefined;
    if (path === undefined) continue;
    const rest = args.slice(1);
    const line = lineOf(file, call);
    const at = { framework: 'egg', syntax: 'colon' as const, file: file.relative, line };
    // App-wide middleware runs first, where its `match` / `ignore` let it (egg-middleware.ts).
    const shared = (full: string): Span[] => [
      ...global.filter((m) => m.runsFor(full)).flatMap((m) => m.spans),
      ...router.middleware,
    ];
    if (method === 'resources') {
      const last = rest[rest.length - 1];
      const controller = last ? reader.controllerParts(last) : undefined;
      if (!controller) continue;
      const middleware = rest.slice(0, -1).flatMap((a) => reader.spansOf(a));
      const actions = targets.actions(controller);
      for (const { action, methods, suffix } of RESOURCE_ACTIONS) {
        const handler = actions.get(action);
        if (!handler) continue;
        const full = join(router.prefix, path) + suffix;
        for (const m of methods)
          routes.push({
            ...at,
            method: m,
            path: full,
            handlers: [...shared(full), ...middleware, ...handler],
          });
      }
      continue;
    }
    if (!METHODS.has(method) || !rest.length) continue;
    const handlers = rest.flatMap((a) => reader.spansOf(a));
    const verb = method === 'del' ? 'DELETE' : method.toUpperCase();
    const full = join(router.prefix, path);
    routes.push({ ...at, method: verb, path: full, handlers: [...shared(full), ...handlers] });
  }
  return routes;
}

/** Reads the values of one router file's expressions (`app`, `router`, controller chains, middleware). */
class ValueReader {
  constructor(
    private readonly project: Project,
    private readonly file: ProjectFile,
    private readonly targets: EggTargets,
  ) {}

  valueOf(expression: ts.Expression, depth = 0): EggValue | undefined {
    if (depth > 8) return undefined;
    const node = unwrap(expression);
    if (ts.isIdentifier(node)) {
      for (const declaration of this.project.lookup(this.file, node, node.text)) {
        if (declaration.file !== this.file) continue;
        const found = this.declared(declaration.node, depth);
        if (found) return found;
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const base = this.valueOf(node.expression, depth + 1);
      return base && member(base, node.name.text);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const callee = node.expression;
      const base = this.valueOf(callee.expression, depth + 1);
      if (base?.kind === 'router' && callee.name.text === 'namespace') {
        const prefix = node.arguments[0] ? this.project.stringOf(this.file, node.arguments[0]) : undefined;
        if (prefix === undefined) return undefined;
        const middleware = node.arguments.slice(1).flatMap((a) => this.spansOf(a));
        return {
          kind: 'router',
          prefix: join(base.prefix, prefix),
          middleware: [...base.middleware, ...middleware],
        };
      }
      const made = this.valueOf(callee, depth + 1);
      if (made?.kind === 'middleware' && made.parts.length === 1)
        return { kind: 'made', spans: this.targets.middleware(made.parts[0] ?? '') };
    }
    return undefined;
  }

  /** The code a handler argument runs: a controller method, an egg middleware, or the expression itself. */
  spansOf(argument: ts.Expression): Span[] {
    const value = this.valueOf(argument);
    if (value?.kind === 'made') return value.spans;
    const parts = this.controllerParts(argument);
    if (parts) return this.targets.controller(parts);
    return [span(this.file, argument)];
  }

  /** `controller.admin.user` or `'admin.user'`: the names, or undefined for anything else. */
  controllerParts(argument: ts.Expression): string[] | undefined {
    const text = staticString(argument);
    if (text !== undefined) return text.split('.').filter(Boolean);
    const value = this.valueOf(argument);
    return value?.kind === 'controller' && value.parts.length ? value.parts : undefined;
  }

  private declared(node: ts.Node, depth: number): EggValue | undefined {
    // The app: the first parameter of a function of the router file (`module.exports = app => { ... }`).
    if (ts.isParameter(node) && ts.isIdentifier(node.name) && isFirstParameter(node)) return { kind: 'app' };
    if (ts.isVariableDeclaration(node) && node.initializer) return this.valueOf(node.initializer, depth + 1);
    if (!ts.isBindingElement(node) || !ts.isObjectBindingPattern(node.parent) || node.dotDotDotToken)
      return undefined;
    const key = node.propertyName ?? node.name;
    if (!ts.isIdentifier(key)) return undefined;
    const holder = node.parent.parent;
    // `({ router, controller }) => ...`: destructured from the app itself.
    if (ts.isParameter(holder) && isFirstParameter(holder)) return member({ kind: 'app' }, key.text);
    if (ts.isVariableDeclaration(holder) && holder.initializer) {
      const base = this.valueOf(holder.initializer, depth + 1);
      return base && member(base, key.text);
    }
    return undefined;
  }
}

function member(base: EggValue, name: string): EggValue | undefined {
  switch (base.kind) {
    case 'app':
      if (name === 'router') return { kind: 'router', prefix: '', middleware: [] };
      if (name === 'controller') return { kind: 'controller', parts: [] };
      if (name === 'middleware' || name === 'middlewares') return { kind: 'middleware', parts: [] };
      return undefined;
    case 'controller':
    case 'middleware':
      return { kind: base.kind, parts: [...base.parts, name] };
    default:
      return undefined;
  }
}

function isFirstParameter(parameter: ts.ParameterDeclaration): boolean {
  const fn = parameter.parent;
  return ts.isFunctionLike(fn) && fn.parameters[0] === parameter;
}

function join(prefix: string, path: string): string {
  if (!prefix) return path;
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/$/, '') || '/';
}
