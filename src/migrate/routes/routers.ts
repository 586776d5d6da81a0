import { ts } from 'ts-morph';
import type { CodeRoute, Mounts, Span } from './model.js';
import { joinPaths, type PathSyntax } from './paths.js';
import {
  isFunctionNode,
  lineOf,
  propertyName,
  requireOf,
  staticString,
  unwrap,
  type Declaration,
  type Project,
  type ProjectFile,
} from './project.js';

/**
 * Router-object frameworks (Express, Koa + @koa/router, Hono, Fastify, hapi): every router the code creates
 * (or receives as a plugin/helper parameter), what it registers in order (routes, middleware, mounts of other
 * routers under a prefix), then the full paths by walking mounts from the apps down. Prefixes the code
 * computes at run time make the routes below them unresolved (reported; `--mount` supplies them).
 */

const METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'head',
  'options',
  'all',
  'trace',
  'search',
]);
/** Fastify route options and hooks whose functions run for the route. */
const FASTIFY_ROUTE_HOOKS = [
  'handler',
  'onRequest',
  'preParsing',
  'preValidation',
  'preHandler',
  'preSerialization',
  'onSend',
  'onResponse',
  'onError',
];
const ROUTER_PARAM_NAMES = /^(fastify|app|server|instance|router|api|routes|plugin)$/i;
const ROUTER_PARAM_TYPES = /\b(FastifyInstance|FastifyPluginAsync|Router|Express|Application|Hono|Server)\b/;

interface Creation {
  framework: string;
  kind: 'app' | 'router';
  syntax: PathSyntax;
}

/** Factory calls and constructors that make a router, by the module they come from. */
const CREATIONS: Record<string, (member: string | undefined, isNew: boolean) => Creation | undefined> = {
  express: (member) =>
    member === 'Router' || member === 'router'
      ? { framework: 'express', kind: 'router', syntax: 'colon' }
      : member === undefined
        ? { framework: 'express', kind: 'app', syntax: 'colon' }
        : undefined,
  fastify: (member) => (member === undefined || member === 'fastify' ? app('fastify') : undefined),
  koa: () => app('koa'),
  '@koa/router': () => ({ framework: 'koa', kind: 'router', syntax: 'colon' }),
  'koa-router': () => ({ framework: 'koa', kind: 'router', syntax: 'colon' }),
  hono: (member) => (member === 'Hono' || member === undefined ? app('hono') : undefined),
  '@hono/zod-openapi': (member) => (member === 'OpenAPIHono' ? app('hono') : undefined),
  '@hapi/hapi': (member) =>
    member === 'server' || member === 'Server' || member === undefined
      ? { framework: 'hapi', kind: 'app', syntax: 'hapi' }
      : undefined,
};

function app(framework: string): Creation {
  return { framework, kind: 'app', syntax: 'colon' };
}

type Entry =
  | {
      kind: 'route';
      method: string;
      paths: (string | undefined)[];
      handlers: Span[];
      file: ProjectFile;
      node: ts.Node;
    }
  | { kind: 'middleware'; spans: Span[]; all: boolean; file: ProjectFile; node: ts.Node }
  | {
      kind: 'mount';
      path: string | { dynamic: string };
      child: RouterNode;
      file: ProjectFile;
      node: ts.Node;
    };

interface RouterNode {
  key: string;
  file: ProjectFile;
  node: ts.Node;
  framework: string;
  kind: 'app' | 'router';
  syntax: PathSyntax;
  prefix: string;
  entries: Entry[];
  mountedBy: number;
}

export function extractRouterRoutes(project: Project, mounts: Mounts): CodeRoute[] {
  return new RouterGraph(project).build(mounts);
}

class RouterGraph {
  private readonly routers = new Map<string, RouterNode>();
  private readonly resolving = new Set<string>();
  private readonly linked = new Set<string>();

  constructor(private readonly project: Project) {}

  build(mounts: Mounts): CodeRoute[] {
    // Links first (plugins, helper functions taking the app): they turn parameters into routers.
    for (let round = 0; round < 4; round++) {
      const before = this.routers.size;
      this.eachCall((file, call) => this.link(file, call));
      if (this.routers.size === before) break;
    }
    this.eachCall((file, call) => this.register(file, call));
    return this.compose(mounts);
  }

  private eachCall(visit: (file: ProjectFile, call: ts.CallExpression) => void): void {
    for (const file of this.project.files) {
      const walk = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) visit(file, node);
        node.forEachChild(walk);
      };
      walk(file.sourceFile);
    }
  }

  // ---- which expression is which router ----------------------------------------------------------------

  private node(file: ProjectFile, at: ts.Node, creation: Creation): RouterNode {
    const key = nodeKey(file, at);
    let router = this.routers.get(key);
    if (!router) {
      router = { key, file, node: at, ...creation, prefix: '', entries: [], mountedBy: 0 };
      this.routers.set(key, router);
    }
    return router;
  }

  /** The router an expression evaluates to, if the code shows one. */
  routerOf(file: ProjectFile, expression: ts.Expression): RouterNode | undefined {
    const node = unwrap(expression);
    const key = nodeKey(file, node);
    if (this.resolving.has(key)) return undefined;
    this.resolving.add(key);
    try {
      return this.routerOfUncached(file, node);
    } finally {
      this.resolving.delete(key);
    }
  }

  private routerOfUncached(file: ProjectFile, node: ts.Expression): RouterNode | undefined {
    const existing = this.routers.get(nodeKey(file, node));
    if (existing) return existing;
    if (ts.isIdentifier(node)) {
      for (const declaration of this.project.lookup(file, node, node.text)) {
        const found = this.routerOfDeclaration(declaration);
        if (found) return found;
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      // `routes.users` where `routes` is a namespace import
      for (const declaration of this.project.lookup(file, node.expression, node.expression.text)) {
        if (!ts.isSourceFile(declaration.node)) continue;
        for (const exported of this.project.exportOf(declaration.file, node.name.text)) {
          const found = this.routerOfDeclaration(exported);
          if (found) return found;
        }
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const creation = this.creationOf(file, node);
      if (creation) {
        const router = this.node(file, node, creation);
        const options = node.arguments?.[0];
        const prefix =
          options && ts.isObjectLiteralExpression(options) ? objectString(options, 'prefix') : undefined;
        if (prefix !== undefined) router.prefix = prefix;
        return router;
      }
      const required = ts.isCallExpression(node) ? requireOf(node) : undefined;
      if (required) {
        const target = this.project.resolveModule(file, required.module);
        return target ? this.routerOfExport(target, required.property ?? 'default') : undefined;
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const receiver = node.expression.expression;
        if (method === 'basePath') return this.basePathChild(file, node, receiver);
        if (METHODS.has(method) || ['use', 'route', 'on', 'routes', 'middleware', 'prefix'].includes(method))
          return this.routerOf(file, receiver);
      }
      if (ts.isCallExpression(node)) return this.routerReturnedBy(file, node);
    }
    return undefined;
  }

  private routerOfDeclaration(declaration: Declaration): RouterNode | undefined {
    const { file, node } = declaration;
    if (ts.isVariableDeclaration(node) && node.initializer) return this.routerOf(file, node.initializer);
    if (ts.isParameter(node)) {
      const existing = this.routers.get(nodeKey(file, node));
      if (existing) return existing;
      if (looksLikeRouterParameter(node, file)) {
        return this.node(file, node, {
          framework: guessFramework(file),
          kind: 'router',
          syntax: guessSyntax(file),
        });
      }
      return undefined;
    }
    if (ts.isExportAssignment(node)) return this.routerOf(file, node.expression);
    if (ts.isBinaryExpression(node)) return this.routerOf(file, node.right);
    if (ts.isSourceFile(node)) return this.routerOfExport(file, 'default');
    return undefined;
  }

  private routerOfExport(file: ProjectFile, name: string): RouterNode | undefined {
    for (const declaration of this.project.exportOf(file, name)) {
      const found = this.routerOfDeclaration(declaration);
      if (found) return found;
    }
    return undefined;
  }

  /** A factory (`createUsersRouter()`) returning a router it builds. */
  private routerReturnedBy(file: ProjectFile, call: ts.CallExpression): RouterNode | undefined {
    for (const fn of this.functionsOf(file, call.expression)) {
      const body = fn.node.body;
      if (!body) continue;
      if (!ts.isBlock(body)) return ts.isExpression(body) ? this.routerOf(fn.file, body) : undefined;
      let found: RouterNode | undefined;
      const visit = (node: ts.Node): void => {
        if (found || (isFunctionNode(node) && node !== fn.node)) return;
        if (ts.isReturnStatement(node) && node.expression) found = this.routerOf(fn.file, node.expression);
        node.forEachChild(visit);
      };
      body.forEachChild(visit);
      if (found) return found;
    }
    return undefined;
  }

  /** Hono's `app.basePath('/api')` is a new app whose routes sit under the prefix: a child mounted there. */
  private basePathChild(
    file: ProjectFile,
    call: ts.CallExpression,
    receiver: ts.Expression,
  ): RouterNode | undefined {
    const parent = this.routerOf(file, receiver);
    if (!parent) return undefined;
    const child = this.node(file, call, {
      framework: parent.framework,
      kind: 'router',
      syntax: parent.syntax,
    });
    if (!child.mountedBy) {
      const path = staticString(call.arguments[0]);
      parent.entries.push({
        kind: 'mount',
        path: path ?? { dynamic: call.arguments[0]?.getText(file.sourceFile) ?? '?' },
        child,
        file,
        node: call,
      });
      child.mountedBy++;
    }
    return child;
  }

  private creationOf(file: ProjectFile, node: ts.CallExpression | ts.NewExpression): Creation | undefined {
    const callee = unwrap(node.expression);
    let root: ts.Identifier | undefined;
    let member: string | undefined;
    if (ts.isIdentifier(callee)) root = callee;
    else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      root = callee.expression;
      member = callee.name.text;
    }
    if (!root) return undefined;
    for (const declaration of this.project.lookup(file, root, root.text)) {
      const imported = externalImport(declaration.node);
      if (!imported) continue;
      const factory = CREATIONS[imported.module];
      if (!factory) continue;
      // `import express from 'express'` calls express() / express.Router(); `import { Router }` calls Router().
      const named = imported.name !== 'default' && imported.name !== '*';
      const creation = factory(
        named && member === undefined ? imported.name : member,
        ts.isNewExpression(node),
      );
      if (creation) return creation;
    }
    return undefined;
  }

  // ---- links: parameters that receive a router -----------------------------------------------------

  private link(file: ProjectFile, call: ts.CallExpression): void {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'register') {
      const parent = this.routerOf(file, callee.expression);
      if (!parent) return;
      for (const plugin of this.pluginsOf(file, call))
        this.linkParameter(parent, plugin.fn, plugin.prefix, call, file);
      return;
    }
    if (ts.isIdentifier(callee)) {
      // `registerRoutes(app)`: the helper's parameter is the app itself.
      call.arguments.forEach((argument, index) => {
        if (ts.isFunctionLike(argument)) return;
        const router = ts.isIdentifier(argument) ? this.routerOf(file, argument) : undefined;
        if (!router) return;
        for (const fn of this.functionsOf(file, callee)) {
          const parameter = fn.node.parameters[index];
          if (parameter) this.linkParameter(router, { file: fn.file, node: fn.node }, '', call, file, index);
        }
      });
    }
  }

  private linkParameter(
    parent: RouterNode,
    fn: { file: ProjectFile; node: ts.SignatureDeclaration },
    prefix: string | { dynamic: string },
    at: ts.Node,
    file: ProjectFile,
    index = 0,
  ): void {
    const parameter = fn.node.parameters[index];
    if (!parameter) return;
    const linkKey = `${file.relative}#${at.getStart(file.sourceFile)}->${fn.file.relative}#${parameter.getStart(fn.file.sourceFile)}`;
    if (this.linked.has(linkKey)) return;
    this.linked.add(linkKey);
    const child = this.node(fn.file, parameter, {
      framework: parent.framework,
      kind: 'router',
      syntax: parent.syntax,
    });
    child.mountedBy++;
    parent.entries.push({ kind: 'mount', path: prefix, child, file, node: at });
  }

  /** Fastify `register(plugin, { prefix })` and hapi `register(plugin | { plugin, routes: { prefix } } | [...])`. */
  private pluginsOf(
    file: ProjectFile,
    call: ts.CallExpression,
  ): { fn: { file: ProjectFile; node: ts.SignatureDeclaration }; prefix: string | { dynamic: string } }[] {
    const [first, options] = call.arguments;
    if (!first) return [];
    const optionPrefix =
      options && ts.isObjectLiteralExpression(unwrap(options))
        ? prefixOption(file, unwrap(options) as ts.ObjectLiteralExpression)
        : '';
    const out: ReturnType<RouterGraph['pluginsOf']> = [];
    const add = (expression: ts.Expression, prefix: string | { dynamic: string }): void => {
      const node = unwrap(expression);
      if (ts.isArrayLiteralExpression(node)) {
        for (const element of node.elements) add(element, prefix);
        return;
      }
      if (ts.isObjectLiteralExpression(node) && objectProperty(node, 'plugin')) {
        const own = prefixOption(file, node);
        add(objectProperty(node, 'plugin') as ts.Expression, own === '' ? prefix : own);
        return;
      }
      for (const fn of this.pluginFunctions(file, node)) out.push({ fn, prefix });
    };
    add(first, optionPrefix);
    return out;
  }

  /** A plugin value to its registering function: the function itself, `fp(fn)`, or hapi's `{ register }`. */
  private pluginFunctions(
    file: ProjectFile,
    expression: ts.Expression,
  ): { file: ProjectFile; node: ts.SignatureDeclaration }[] {
    const node = unwrap(expression);
    if (ts.isObjectLiteralExpression(node)) {
      const register = objectProperty(node, 'register');
      if (register && isFunctionNode(register)) return [{ file, node: register }];
      return register ? this.functionsOf(file, register) : [];
    }
    if (ts.isCallExpression(node) && !requireOf(node)) {
      return node.arguments.flatMap((argument) => this.pluginFunctions(file, argument));
    }
    const functions = this.functionsOf(file, node);
    if (functions.length) return functions;
    // `import plugin from './users'` exporting `{ name, register }` (hapi) or `exports.plugin = {...}`.
    return this.valuesOf(file, node).flatMap((value) =>
      ts.isObjectLiteralExpression(value.node) ? this.pluginFunctions(value.file, value.node) : [],
    );
  }

  /** The functions an expression names (declarations, variables holding functions, imports, `fp(fn)`). */
  functionsOf(
    file: ProjectFile,
    expression: ts.Expression,
  ): { file: ProjectFile; node: ts.SignatureDeclaration & { body?: ts.Node } }[] {
    const node = unwrap(expression);
    if (isFunctionNode(node)) return [{ file, node }];
    if (ts.isCallExpression(node) && !requireOf(node)) {
      return node.arguments.flatMap((argument) => this.functionsOf(file, argument));
    }
    return this.valuesOf(file, node).flatMap((value) =>
      isFunctionNode(value.node)
        ? [{ file: value.file, node: value.node }]
        : ts.isCallExpression(value.node) && !requireOf(value.node)
          ? this.functionsOf(value.file, value.node)
          : [],
    );
  }

  /** What a name or import evaluates to, one step: variable initializers, function declarations, exports. */
  private valuesOf(
    file: ProjectFile,
    expression: ts.Expression,
    depth = 0,
  ): { file: ProjectFile; node: ts.Node }[] {
    if (depth > 5) return [];
    const node = unwrap(expression);
    let declarations: Declaration[] = [];
    if (ts.isIdentifier(node)) declarations = this.project.lookup(file, node, node.text);
    else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      for (const d of this.project.lookup(file, node.expression, node.expression.text)) {
        if (ts.isSourceFile(d.node)) declarations.push(...this.project.exportOf(d.file, node.name.text));
      }
    } else {
      const required = ts.isCallExpression(node) ? requireOf(node) : undefined;
      const target = required ? this.project.resolveModule(file, required.module) : undefined;
      if (target) declarations = this.project.exportOf(target, required?.property ?? 'default');
      else return [{ file, node }];
    }
    return declarations.flatMap((d): { file: ProjectFile; node: ts.Node }[] => {
      if (ts.isVariableDeclaration(d.node) && d.node.initializer) {
        const init = unwrap(d.node.initializer);
        return ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)
          ? this.valuesOf(d.file, init, depth + 1)
          : [{ file: d.file, node: init }];
      }
      if (ts.isExportAssignment(d.node)) return this.valuesOf(d.file, d.node.expression, depth + 1);
      if (ts.isBinaryExpression(d.node)) return [{ file: d.file, node: unwrap(d.node.right) }];
      if (ts.isPropertyAssignment(d.node)) return [{ file: d.file, node: unwrap(d.node.initializer) }];
      return [d];
    });
  }

  // ---- registrations ---------------------------------------------------------------------------------

  private register(file: ProjectFile, call: ts.CallExpression): void {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    const args = call.arguments;
    if (METHODS.has(method)) return this.registerMethod(file, call, callee, method);
    if (method === 'on' && args.length >= 3) {
      const router = this.routerOf(file, callee.expression);
      const methods = stringList(args[0]);
      if (!router || !methods) return;
      const paths = this.paths(file, args[1]);
      for (const m of methods) this.addRoute(router, file, call, m, paths, args.slice(2));
      return;
    }
    if (method === 'route') {
      const router = this.routerOf(file, callee.expression);
      if (!router) return;
      if (args.length === 2 && !ts.isObjectLiteralExpression(unwrap(args[0]))) {
        // Hono: app.route('/v1', sub)
        const child = this.routerOf(file, args[1]);
        if (child) this.addMount(router, file, call, args[0], child);
        return;
      }
      for (const options of objectsOf(args[0])) this.registerRouteObject(router, file, call, options);
      return;
    }
    if (method === 'use') return this.registerUse(file, call, callee);
    if (method === 'addHook' && args.length >= 2) {
      const router = this.routerOf(file, callee.expression);
      if (router)
        router.entries.push({
          kind: 'middleware',
          spans: [span(file, args[1])],
          all: true,
          file,
          node: call,
        });
      return;
    }
    if (method === 'prefix' && args.length === 1) {
      const router = this.routerOf(file, callee.expression);
      const prefix = staticString(args[0]);
      if (router && prefix !== undefined) router.prefix = prefix;
    }
  }

  private registerMethod(
    file: ProjectFile,
    call: ts.CallExpression,
    callee: ts.PropertyAccessExpression,
    method: string,
  ): void {
    const args = call.arguments;
    const receiver = unwrap(callee.expression);
    // Express `app.route('/p').get(h).post(h)`: the path sits on the `route()` call down the chain.
    const chainPath = routeChainPath(receiver);
    if (chainPath) {
      const router = this.routerOf(file, chainPath.receiver);
      if (router) this.addRoute(router, file, call, method, this.paths(file, chainPath.path), [...args]);
      return;
    }
    if (!args.length) return;
    const router = this.routerOf(file, receiver);
    if (!router) return;
    // @koa/router named routes: router.get('name', '/path', handler)
    const named = args.length >= 3 && isNameLiteral(args[0]) && staticString(args[1]) !== undefined;
    const pathArgument = named ? args[1] : args[0];
    const handlers = args.slice(named ? 2 : 1);
    if (!handlers.length) return;
    if (handlers.every((h) => ts.isObjectLiteralExpression(unwrap(h)) || isLiteral(h))) return;
    this.addRoute(router, file, call, method, this.paths(file, pathArgument), [...handlers]);
  }

  /** Fastify `route({ method, url, handler, preHandler })` and hapi `route({ method, path, handler, options })`. */
  private registerRouteObject(
    router: RouterNode,
    file: ProjectFile,
    call: ts.CallExpression,
    options: ts.ObjectLiteralExpression,
  ): void {
    const methods = stringList(objectProperty(options, 'method')) ?? [];
    const pathNode = objectProperty(options, 'url') ?? objectProperty(options, 'path');
    const handlers: ts.Expression[] = [];
    for (const name of FASTIFY_ROUTE_HOOKS) {
      const value = objectProperty(options, name);
      if (value) handlers.push(value);
    }
    for (const key of ['options', 'config']) {
      const nested = objectProperty(options, key);
      if (nested && ts.isObjectLiteralExpression(unwrap(nested))) handlers.push(nested);
    }
    if (!pathNode || !methods.length || !handlers.length) return;
    for (const m of methods)
      this.addRoute(router, file, call, m === '*' ? 'all' : m, this.paths(file, pathNode), handlers);
  }

  private registerUse(file: ProjectFile, call: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
    const router = this.routerOf(file, callee.expression);
    if (!router) return;
    const args = [...call.arguments];
    let pathArgument: ts.Expression | undefined;
    const first = args[0];
    if (
      first &&
      args.length > 1 &&
      (this.paths(file, first).some((p) => p !== undefined) || !this.isHandlerLike(file, first))
    ) {
      pathArgument = args.shift();
    }
    for (const argument of args) {
      const child = this.routerOf(file, argument);
      if (child && child !== router) {
        this.addMount(router, file, call, pathArgument, child);
        continue;
      }
      // Express error handlers `(err, req, res, next)` run for the routes registered before them too.
      const all = this.functionsOf(file, argument).some((fn) => fn.node.parameters.length === 4);
      router.entries.push({ kind: 'middleware', spans: [span(file, argument)], all, file, node: call });
    }
  }

  /** Functions, routers, and calls that produce them; a dynamic path (`process.env.X`) is none of these. */
  private isHandlerLike(file: ProjectFile, expression: ts.Expression): boolean {
    const node = unwrap(expression);
    if (ts.isIdentifier(node)) {
      const declarations = this.project.lookup(file, node, node.text);
      if (declarations.some((d) => externalImport(d.node))) return true;
    }
    if (isFunctionNode(node) || ts.isCallExpression(node) || ts.isArrayLiteralExpression(node)) return true;
    if (this.routerOf(file, node)) return true;
    return this.functionsOf(file, node).length > 0 || ts.isIdentifier(node);
  }

  /** A path argument: one string, an array of them; `undefined` entries are computed at run time. */
  private paths(file: ProjectFile, expression: ts.Expression | undefined): (string | undefined)[] {
    if (!expression) return [undefined];
    const node = unwrap(expression);
    if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => this.project.stringOf(file, e));
    return [this.project.stringOf(file, node)];
  }

  private addMount(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    pathArgument: ts.Expression | undefined,
    child: RouterNode,
  ): void {
    child.mountedBy++;
    const paths = pathArgument ? this.paths(file, pathArgument) : [''];
    for (const path of paths) {
      router.entries.push({
        kind: 'mount',
        path: path ?? { dynamic: pathArgument?.getText(file.sourceFile) ?? '?' },
        child,
        file,
        node: call,
      });
    }
  }

  private addRoute(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    method: string,
    paths: (string | undefined)[],
    handlers: ts.Expression[],
  ): void {
    router.entries.push({
      kind: 'route',
      method: method === 'del' ? 'DELETE' : method.toUpperCase(),
      paths,
      handlers: handlers.map((h) => span(file, h)),
      file,
      node: call,
    });
  }

  // ---- composition ----------------------------------------------------------------------------------

  private compose(mounts: Mounts): CodeRoute[] {
    const routes: CodeRoute[] = [];
    const walk = (
      router: RouterNode,
      prefix: string,
      unresolved: string | undefined,
      middleware: Span[],
      stack: Set<RouterNode>,
    ): void => {
      if (stack.has(router)) return;
      stack.add(router);
      const own = joinPaths(prefix, router.prefix);
      const inherited = [
        ...middleware,
        ...router.entries
          .filter((e) => e.kind === 'middleware' && e.all)
          .flatMap((e) => (e.kind === 'middleware' ? e.spans : [])),
      ];
      const ordered = [...router.entries].sort((a, b) =>
        a.file === b.file ? a.node.getStart(a.file.sourceFile) - b.node.getStart(b.file.sourceFile) : 0,
      );
      const active = [...inherited];
      for (const entry of ordered) {
        if (entry.kind === 'middleware') {
          if (!entry.all) active.push(...entry.spans);
        } else if (entry.kind === 'route') {
          for (const path of entry.paths) {
            routes.push({
              framework: router.framework,
              method: entry.method,
              path: joinPaths(own, path ?? '*'),
              syntax: router.syntax,
              file: entry.file.relative,
              line: lineOf(entry.file, entry.node),
              handlers: [...entry.handlers, ...active],
              ...(unresolved || path === undefined
                ? {
                    unresolved:
                      unresolved ??
                      `route path is computed at run time (${entry.file.relative}:${lineOf(entry.file, entry.node)})`,
                    mountFile: router.file.relative,
                  }
                : {}),
            });
          }
        } else {
          const childMount = mounts.get(entry.child.file.relative);
          if (typeof entry.path === 'string') {
            walk(entry.child, joinPaths(own, entry.path), unresolved, active, stack);
          } else if (childMount !== undefined) {
            walk(entry.child, childMount, undefined, active, stack);
          } else {
            const why = `mount path ${entry.path.dynamic} is computed at run time (${entry.file.relative}:${lineOf(entry.file, entry.node)})`;
            // Below an unknown prefix only the tail is known: it starts afresh.
            walk(entry.child, '', why, active, stack);
          }
        }
      }
      stack.delete(router);
    };
    for (const router of this.routers.values()) {
      if (router.mountedBy > 0 || !router.entries.length) continue;
      const supplied = mounts.get(router.file.relative);
      if (supplied !== undefined) walk(router, supplied, undefined, [], new Set());
      else if (router.kind === 'app') walk(router, '', undefined, [], new Set());
      else
        walk(
          router,
          '',
          `router is not mounted anywhere in the scanned code (${router.file.relative}:${lineOf(router.file, router.node)})`,
          [],
          new Set(),
        );
    }
    return routes;
  }
}

// ---- small syntax helpers -------------------------------------------------------------------------------

/** Start and end: `new Hono()` and `new Hono().basePath('/api')` start at the same offset. */
function nodeKey(file: ProjectFile, node: ts.Node): string {
  return `${file.relative}#${node.getStart(file.sourceFile)}-${node.getEnd()}`;
}

function span(file: ProjectFile, node: ts.Node): Span {
  return { file: file.relative, start: node.getStart(file.sourceFile), end: node.getEnd() };
}

/** `x.route('/p')` somewhere down a `.get(h).post(h)` chain. */
function routeChainPath(
  receiver: ts.Expression,
): { receiver: ts.Expression; path: ts.Expression } | undefined {
  let node = receiver;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const name = node.expression.name.text;
    if (name === 'route' && node.arguments.length === 1 && staticString(node.arguments[0]) !== undefined)
      return { receiver: node.expression.expression, path: node.arguments[0] };
    if (!METHODS.has(name) || staticString(node.arguments[0]) !== undefined) return undefined;
    node = unwrap(node.expression.expression);
  }
  return undefined;
}

/** A path argument: one static string, an array of them; `undefined` entries are paths computed at run time. */

function stringList(expression: ts.Expression | undefined): string[] | undefined {
  if (!expression) return undefined;
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node)) {
    const values = node.elements.map((e) => staticString(e));
    return values.every((v): v is string => v !== undefined) ? values.map((v) => v.toLowerCase()) : undefined;
  }
  const value = staticString(node);
  return value === undefined ? undefined : [value.toLowerCase()];
}

function objectsOf(expression: ts.Expression | undefined): ts.ObjectLiteralExpression[] {
  if (!expression) return [];
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return [node];
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((e) => objectsOf(e));
  return [];
}

export function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === name)
      return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    if (ts.isMethodDeclaration(property) && propertyName(property.name) === name)
      return property as unknown as ts.Expression;
  }
  return undefined;
}

function objectString(object: ts.ObjectLiteralExpression, name: string): string | undefined {
  return staticString(objectProperty(object, name));
}

/** Fastify `{ prefix }`, hapi `{ routes: { prefix } }`; a non-static prefix is dynamic. */
function prefixOption(file: ProjectFile, object: ts.ObjectLiteralExpression): string | { dynamic: string } {
  const routes = objectProperty(object, 'routes');
  const holder =
    routes && ts.isObjectLiteralExpression(unwrap(routes))
      ? (unwrap(routes) as ts.ObjectLiteralExpression)
      : object;
  const value = objectProperty(holder, 'prefix');
  if (!value) return '';
  return staticString(value) ?? { dynamic: value.getText(file.sourceFile) };
}

function isNameLiteral(expression: ts.Expression): boolean {
  const value = staticString(expression);
  return value !== undefined && !value.startsWith('/') && !value.includes('*');
}

function isLiteral(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

function looksLikeRouterParameter(parameter: ts.ParameterDeclaration, file: ProjectFile): boolean {
  if (!isFunctionNode(parameter.parent) || parameter.parent.parameters[0] !== parameter) return false;
  if (parameter.type && ROUTER_PARAM_TYPES.test(parameter.type.getText(file.sourceFile))) return true;
  return ts.isIdentifier(parameter.name) && ROUTER_PARAM_NAMES.test(parameter.name.text);
}

function externalImport(node: ts.Node): { module: string; name: string } | undefined {
  if (ts.isImportClause(node) && ts.isStringLiteral(node.parent.moduleSpecifier))
    return { module: node.parent.moduleSpecifier.text, name: 'default' };
  if (ts.isNamespaceImport(node) && ts.isStringLiteral(node.parent.parent.moduleSpecifier))
    return { module: node.parent.parent.moduleSpecifier.text, name: '*' };
  if (ts.isImportSpecifier(node) && ts.isStringLiteral(node.parent.parent.parent.moduleSpecifier))
    return {
      module: node.parent.parent.parent.moduleSpecifier.text,
      name: (node.propertyName ?? node.name).text,
    };
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const required = requireOf(node.initializer);
    if (required) return { module: required.module, name: required.property ?? 'default' };
  }
  if (
    ts.isBindingElement(node) &&
    ts.isVariableDeclaration(node.parent.parent) &&
    node.parent.parent.initializer
  ) {
    const required = requireOf(node.parent.parent.initializer);
    if (required) return { module: required.module, name: (node.propertyName ?? node.name).getText() };
  }
  return undefined;
}

const FRAMEWORK_MODULES: [RegExp, string][] = [
  [/^fastify/, 'fastify'],
  [/^(@koa\/router|koa-router|koa)$/, 'koa'],
  [/^hono/, 'hono'],
  [/^@hapi\//, 'hapi'],
  [/^express/, 'express'],
];

function guessFramework(file: ProjectFile): string {
  for (const statement of file.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const module = statement.moduleSpecifier.text;
    const found = FRAMEWORK_MODULES.find(([pattern]) => pattern.test(module));
    if (found) return found[1];
  }
  return 'express';
}

function guessSyntax(file: ProjectFile): PathSyntax {
  return guessFramework(file) === 'hapi' ? 'hapi' : 'colon';
}
