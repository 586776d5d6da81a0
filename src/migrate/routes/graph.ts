import ts from '../../typescript.cjs';
import { loadedRouteObjects } from './loaded-route-objects.js';
import type { CodeRoute, Mounts, Span } from './model.js';
import { assignedValues } from './assignments.js';
import { memberDeclarations } from './members.js';
import { tableMounts } from './mount-tables.js';
import { iteratedFunctions } from './route-lists.js';
import { callStrings } from './call-strings.js';
import { parameterPath } from './parameter-segments.js';
import { joinPaths } from './paths.js';
import {
  argumentLeaves,
  declarationSlot,
  decodeSteps,
  parameterSlot,
  slotKey,
  slotOf,
  type Slot,
  type Step,
} from './slots.js';
import {
  importCallOf,
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
import { externalImport, nodeKey, returnedExpressions, span } from './syntax.js';
import {
  instanceFieldValues,
  instanceMethodsWithClass,
  isThisMember,
  thisMemberValues,
} from './class-fields.js';
import {
  classFieldValues,
  inheritedClassValues,
  inheritedFieldValues,
  type InheritedValue,
} from './this-fields.js';
import { packageBaseField } from './package-bases.js';
import { loopPaths } from './loop-paths.js';
import {
  METHODS,
  ROUTER_PARAM_NAMES,
  ROUTER_PARAM_TYPES,
  type CallHandler,
  type Creation,
  type FunctionRef,
  type Prefix,
  type RouteWiring,
  type RouterNode,
} from './wiring.js';
import { WIRINGS } from './wirings.js';
import { ownPackageExport, reExportedPackage } from './own-package.js';
import { composeRoutes } from './compose.js';
import { mountSubclassRouters, withDefaults } from './base-mounts.js';
import { isHapiPluginServer } from './hapi.js';
import { mountHandedRouters } from './handed-routers.js';
import { pathTail } from './path-tails.js';
import { creationPrefix } from './creation-prefix.js';
import { optionTemplate, optionValues, type PluginOptions } from './plugin-options.js';
import { constructorsOf, functionsOf, valuesOf } from './values.js';
import { pluginsOf } from './plugin-values.js';
import { computedMethod, registerMethod, registerUse, type RegistrationGraph } from './registrations.js';
import { unseenHandlers } from './handler-arguments.js';
import type { RouteFact } from './route-fact-model.js';
import { lineAndCharacterAt } from '../../util/lines.js';
import { UntracedReceivers } from './untraced-receivers.js';
import { instantiateFactoryCalls } from './factory-calls.js';
import { DocumentFiles } from './document-files.js';

/**
 * Router-object frameworks (Express, Koa + @koa/router, Hono, Fastify, hapi): every router the code creates
 * (or receives as a plugin/helper parameter), what it registers in order (routes, middleware, mounts of other
 * routers under a prefix), then the full paths by walking mounts from the apps down. Prefixes the code
 * computes at run time make the routes below them unresolved (reported; `--mount` supplies them). What is
 * framework-specific (factories, registration calls, plugins) lives in one wiring module per framework.
 */
export function extractRouterRoutes(
  project: Project,
  mounts: Mounts,
  options: RouterRouteOptions = {},
): CodeRoute[] {
  return new RouterGraph(project, WIRINGS, options).build(mounts);
}

/** What `extractRouterRoutes` adds to the routes the code registers. */
export interface RouterRouteOptions {
  /**
   * Also one `prefix` route per path-scoped middleware (`app.use('/files/:name', serveFile)`): the code that
   * answers a request below that path when no route does. For linking tests' requests only, never for
   * `--spec` coverage (middleware that passes the request on is no operation's handler).
   */
  scopedMiddleware?: boolean;
  /**
   * Also the hapi route objects a module exports that no registration of the code made (loaded-route-objects.ts:
   * hapi-router's glob registers them at run time), as routes of an unknown app. For linking tests' requests only
   * (a request on such a path is told which route may serve it); `--spec` names listings it cannot run instead.
   */
  loadedRouteObjects?: boolean;
}

class RouterGraph implements RegistrationGraph {
  private readonly routers = new Map<string, RouterNode>();
  private readonly resolving = new Set<string>();
  /** Routers made so far (any kind): answers kept in `notRouters` hold until it changes. */
  private generation = 0;
  /** Expressions an outermost `routerOf` found to be no router, with the `generation` they were asked at. */
  private readonly notRouters = new Map<string, number>();
  private readonly linked = new Set<string>();
  /**
   * Routers a wiring derives from another at their own node (Hono `app.basePath('/api')`, mounted under it at the
   * derived call): the router each is derived from, and the file of that call.
   */
  private readonly derivedFrom = new Map<RouterNode, { parent: RouterNode; file: ProjectFile }>();
  /** Calls whose untraced app arguments `handUntraced` has read, by node key. */
  private readonly handed = new Set<string>();
  /** Routers bound to a slot inside a parameter (`args[0]`, `{ router }` of `opts`), by the binding's key. */
  private readonly inSlots = new Map<string, { steps: Step[]; router: RouterNode }[]>();
  private readonly untracedRoutes: CodeRoute[] = [];
  /** Functions that make the app they return (`instanceAt`), each with that app: every call of one serves a copy. */
  private readonly appFactories = new Map<ts.Node, RouterNode>();
  /** Receivers the graph cannot trace: the middleware registered on each, for the untraced routes on it. */
  private readonly untraced: UntracedReceivers;
  /**
   * Route-fact receivers (`registerFact`) already traced, by file and name, to the router made at their
   * declaration's initializer: every later fact on that receiver gets the same answer without a lookup.
   */
  private readonly factReceivers = new Map<string, RouterNode>();
  /**
   * Apps mounted below a path on a receiver the graph cannot trace (`this.ctx.server.route(this.config.basepath,
   * hono)`): not roots; their routes are walked under the path the call names (if static), with why the place
   * is unknown.
   */
  private readonly untracedParents = new Map<RouterNode, { under: string; why: string }>();
  /** Nodes made outside `routerOf` (links); a link round that makes none needs no next round. */
  private linkedNodes = 0;
  /** Depth of `routerOf` calls on the stack. */
  private inRouterOf = 0;
  private readonly chainable: Set<string>;
  private readonly links: Map<string, CallHandler[]>;
  private readonly registrations: Map<string, CallHandler[]>;
  readonly documents = new DocumentFiles();

  constructor(
    readonly project: Project,
    private readonly wirings: readonly RouteWiring[],
    private readonly options: RouterRouteOptions = {},
  ) {
    this.chainable = new Set([...METHODS, 'use', ...wirings.flatMap((w) => w.chainable ?? [])]);
    this.links = handlers(wirings, (w) => w.links);
    this.registrations = handlers(wirings, (w) => w.registrations);
    this.untraced = new UntracedReceivers(project);
  }

  build(mounts: Mounts): CodeRoute[] {
    // Links first (plugins, helper functions taking the app): they turn parameters into routers. Another
    // round runs only when one made a node outside `routerOf` (a linked parameter or slot, an autoload
    // folder): the nodes `routerOf` makes on first sight (a `Router()` call, an `app` parameter) are the
    // same whichever round asks, so they change no answer.
    for (let round = 0; round < 4; round++) {
      const before = this.linkedNodes;
      this.eachCall((file, call) => this.link(file, call));
      // `new UsersRoutes(app)`, `new Collection({ app, colName })`: a constructor that receives the router
      for (const file of this.project.files)
        for (const construction of this.project.constructions(file)) this.link(file, construction);
      if (this.linkedNodes === before) break;
    }
    // Registrations in the order a walk meets them, a file's route facts (route-facts.ts) where their statements
    // stood among its calls.
    for (const file of this.project.files) {
      const calls = this.project.calls(file);
      const facts = file.routeFacts;
      if (!facts) {
        for (const call of calls) this.register(file, call);
        continue;
      }
      let next = 0;
      for (const call of calls) {
        while (next < facts.length && facts[next].receiverStart < call.end)
          this.registerFact(file, facts[next++]);
        this.register(file, call);
      }
      while (next < facts.length) this.registerFact(file, facts[next++]);
    }
    // `app.use(baseRoute, this.router)` in a base constructor: each subclass's router, at what it hands `super`.
    mountSubclassRouters(this.allRouters(), this.project);
    // `mount(app, users)` into `function mount(app, router) { app.use('/api', router) }`: users is mounted there.
    mountHandedRouters(this.allRouters());
    // `const api = createApi(); main.use('/v1', api)` beside `createApi().listen(3001)`: each call is an app.
    instantiateFactoryCalls(this, this.appFactories);
    for (const wiring of this.wirings) wiring.roots?.(this);
    this.untraced.attach();
    const composed = [
      ...composeRoutes([...this.routers.values()], this.untracedParents, mounts, this.options),
      ...this.untracedRoutes,
    ];
    if (!this.options.loadedRouteObjects) return composed;
    // hapi route objects a module exports for a loader (hapi-router's glob): routes no registration of the code made.
    const spans = composed.flatMap((r) => r.handlers);
    const loaded = loadedRouteObjects(this.project.files, (file, start, end) =>
      spans.some((s) => s.file === file && s.start < end && start < s.end),
    );
    return loaded.length ? [...composed, ...loaded] : composed;
  }

  allRouters(): RouterNode[] {
    return [...new Set(this.routers.values())];
  }

  private eachCall(visit: (file: ProjectFile, call: ts.CallExpression) => void): void {
    for (const file of this.project.files) for (const call of this.project.calls(file)) visit(file, call);
  }

  // ---- which expression is which router ----------------------------------------------------------------

  node(file: ProjectFile, at: ts.Node, creation: Creation, suffix = ''): RouterNode {
    const key = nodeKey(file, at) + suffix;
    let router = this.routers.get(key);
    if (!router) {
      router = { key, file, node: at, ...creation, prefix: '', entries: [], mountedBy: 0 };
      this.routers.set(key, router);
      this.generation++;
      if (!this.inRouterOf) this.linkedNodes++;
      const steps = suffix ? decodeSteps(suffix) : undefined;
      if (steps?.length) {
        const base = nodeKey(file, at);
        this.inSlots.set(base, [...(this.inSlots.get(base) ?? []), { steps, router }]);
      }
    }
    return router;
  }

  routerOf(file: ProjectFile, expression: ts.Expression): RouterNode | undefined {
    const node = unwrap(expression);
    const key = nodeKey(file, node);
    return this.routerAt(key, () => this.routerOfUncached(file, node, key));
  }

  /** `routerOf` for the expression whose `nodeKey` is `key`, answered by `find`: the cycle guard and the cache. */
  private routerAt(key: string, find: () => RouterNode | undefined): RouterNode | undefined {
    if (this.resolving.has(key)) return undefined;
    // An outermost question answered "no router" is not asked again while no router has been made since: every
    // identifier argument of every call is asked in each linking round (a class whose methods pass `this.x`
    // around made that the larger part of a run). Answers inside a resolution are not kept: a cycle cut short
    // there can give "no" for an expression that has a router.
    const outermost = this.resolving.size === 0;
    if (outermost && this.notRouters.get(key) === this.generation) return undefined;
    const generation = this.generation;
    this.resolving.add(key);
    this.inRouterOf++;
    try {
      const found = find();
      if (!found && outermost && this.generation === generation) this.notRouters.set(key, generation);
      return found;
    } finally {
      this.inRouterOf--;
      this.resolving.delete(key);
    }
  }

  /** `nodeKeyOf`: `nodeKey(file, node)`, which `routerOf` has just made (a position lookup and a string each). */
  private routerOfUncached(
    file: ProjectFile,
    node: ts.Expression,
    nodeKeyOf: string,
  ): RouterNode | undefined {
    const existing = this.routers.get(nodeKeyOf);
    if (existing) return existing;
    // `this.get('/x', h)` in a constructor or method of `class App extends Hono`: the class's own routes.
    if (node.kind === ts.SyntaxKind.ThisKeyword) return this.classRouter(file, node);
    // `const server = await new Hapi.Server(…)`, `await Fastify()`: awaiting the app gives the app.
    if (ts.isAwaitExpression(node)) return this.routerOf(file, node.expression);
    // `config.app ?? express()`, `options.app || new Koa()`, `opts.app ? opts.app : Fastify()`: the app handed in,
    // or the one the code makes when it is handed none.
    const alternatives = ts.isConditionalExpression(node)
      ? [node.whenTrue, node.whenFalse]
      : ts.isBinaryExpression(node) &&
          (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
            node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
        ? [node.left, node.right]
        : undefined;
    if (alternatives) return this.routerOfAlternatives(file, alternatives);
    // `const app = (module.exports = express())`, `app = exports.app = new Koa()`: a chained assignment's value.
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      return this.routerOf(file, node.right);
    if (ts.isIdentifier(node)) {
      for (const declaration of this.project.lookup(file, node, node.text)) {
        const found = this.routerOfDeclaration(declaration);
        if (found) return found;
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      // `require('./public').router`: a CommonJS export read inline
      const required = requireOf(node);
      if (required) {
        const target = this.project.resolveModule(file, required.module);
        return target ? this.routerOfExport(target, required.property ?? 'default') : undefined;
      }
      // `createLimitsRouter(limiter).router`: a member of the object a project function returns
      const made = unwrap(node.expression);
      const returned = ts.isCallExpression(made)
        ? this.routerMemberReturned(file, made, node.name.text)
        : undefined;
      if (returned) return returned;
      // `routes.users`: a namespace import's export, or a member of an object (`export default { users }`)
      for (const declaration of this.memberDeclarations(file, node)) {
        const found = this.routerOfDeclaration(declaration);
        if (found) return found;
      }
      // `this.app` where the class assigns `this.app = express()` (or declares `app = express()`)
      for (const value of thisMemberValues(node)) {
        const found = this.routerOf(file, value);
        if (found) return found;
      }
      // `this.router` where only a base class sets it (`abstract class BaseRouter { router = Router() }`): one
      // router per subclass, as each instance has its own at run time (since session 28)
      for (const value of inheritedFieldValues(node, file, (at, e) => this.project.classesNamed(at, e))) {
        const found = this.inheritedRouter(value, node.name.text);
        if (found) return found;
      }
      // `this.app` set by a package's base class (`class AccountService extends Service` of common-svc-lib):
      // an app (or router) of that class, as a parameter named `app` is (since session 28)
      const held = packageBaseField(this.project, file, node, ROUTER_PARAM_NAMES, (m) =>
        this.wirings.some((w) => w.modules.test(m)),
      );
      if (held) {
        const wiring = this.guessWiring(file);
        const creation = { framework: wiring.framework, kind: held.kind, syntax: wiring.syntax };
        return this.node(held.file, held.cls, creation, `@${node.name.text}`);
      }
      // `this.apiRouter.router`, `api.router`: a field of another project class's instance
      for (const value of instanceFieldValues(this.project, file, node)) {
        const found = this.routerOf(value.file, value.node);
        if (found) return found;
      }
    }
    // `routers['items']`: a member spelled as a string
    const key = ts.isElementAccessExpression(node) ? staticString(node.argumentExpression) : undefined;
    if (key !== undefined && ts.isElementAccessExpression(node)) {
      for (const declaration of memberDeclarations(this, file, node.expression, key)) {
        const found = this.routerOfDeclaration(declaration);
        if (found) return found;
      }
    }
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && this.inSlots.size) {
      // `args[0]`, `opts.router`: a slot of a parameter that receives routers
      const slot = slotOf(this.project, file, node);
      if (slot) return this.routerInSlot(slot);
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      // `import('./routes/items.js')` (Fastify's `register` awaits it): the module's default export.
      const loaded = ts.isCallExpression(node) ? importCallOf(node) : undefined;
      if (loaded !== undefined) {
        const target = this.project.resolveModule(file, loaded);
        return target ? this.routerOfExport(target, 'default') : undefined;
      }
      // chanfana's `fromHono(app, options)`: the OpenAPI registry registers its routes on the app it is given.
      const wrapped = ts.isCallExpression(node) ? this.wrappedRouter(file, node) : undefined;
      if (wrapped) return this.routerOf(file, wrapped);
      const creation = this.creationOf(file, node);
      if (creation) {
        const router = this.node(file, node, creation);
        // `new App()` of a project class: what the class registers on `this` is the instance's too.
        const own = ts.isNewExpression(node) ? this.ownClassRouter(file, node, creation) : undefined;
        if (own && !router.entries.some((e) => e.kind === 'mount' && e.child === own))
          this.mountAt(router, file, node, '', own);
        // `new Router({ prefix })`, a constant's value too, or what a project subclass hands `super(…)`.
        const prefix = creationPrefix(this, file, node, creation.prefixOption ?? 'prefix');
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
        // `controller.routes()` whose class (or a base) hands on its router (`return this.router.routes()`)
        const handed = this.routerHandedOn(file, node.expression);
        if (handed) return handed;
        for (const wiring of this.wirings) {
          // Own keys only: `x.toString()` must not find Object.prototype.toString.
          const derive =
            wiring.derived && Object.hasOwn(wiring.derived, method) ? wiring.derived[method] : undefined;
          if (derive) return derive(this, file, node, receiver);
        }
        if (this.chainable.has(method)) return this.routerOf(file, receiver);
      }
      if (ts.isCallExpression(node)) return this.routerReturnedBy(file, node);
    }
    return undefined;
  }

  /**
   * The router of a value that is one of several (`config.app ?? express()`, a ternary): the app (or router) the
   * code makes there (a creation, a factory's call, awaited or not), the value it serves when the caller hands none,
   * as for a parameter's default (`function init(app = new Koa())`). The app handed in is no other app to the code
   * that registers on it: its routes and its error handlers go to one router either way. Undefined when no
   * alternative makes one there (`isProd ? prodRouter : devRouter` stays unread, as before).
   */
  private routerOfAlternatives(
    file: ProjectFile,
    alternatives: readonly ts.Expression[],
  ): RouterNode | undefined {
    for (const alternative of alternatives) {
      let made = unwrap(alternative);
      while (ts.isAwaitExpression(made)) made = unwrap(made.expression);
      if (!ts.isCallExpression(made) && !ts.isNewExpression(made)) continue;
      const found = this.routerOf(file, made);
      if (found && found.node === made) return found;
    }
    return undefined;
  }

  /**
   * The router a base class's field `name` holds for the instances of one subclass: a creation there (`router =
   * Router()`, `this.router = new Router({ prefix })`) is a router of its own per subclass, placed at the
   * subclass (its file is what `--mount` names, its line what "not mounted anywhere" cites); anything else is
   * what that value evaluates to. What the classes above register on `this.<name>` (`this.router.use(auth)` in the
   * base constructor) is registered on each subclass's router too, first: each class's router holds its nearest
   * base class's, as that class's own members see it.
   */
  private inheritedRouter(
    value: InheritedValue<ProjectFile>,
    name: string,
    depth = 0,
  ): RouterNode | undefined {
    const made = unwrap(value.node);
    // `get router() { return this._router }` in the base: the subclass's own `_router`
    if (
      ts.isPropertyAccessExpression(made) &&
      made.expression.kind === ts.SyntaxKind.ThisKeyword &&
      depth < 4
    ) {
      const held = inheritedClassValues(value.subclass, value.subclassFile, made.name.text, (at, e) =>
        this.project.classesNamed(at, e),
      );
      for (const next of held) {
        const found = this.inheritedRouter(next, made.name.text, depth + 1);
        if (found) return found;
      }
    }
    const creation =
      ts.isCallExpression(made) || ts.isNewExpression(made) ? this.creationOf(value.file, made) : undefined;
    if (!creation || !(ts.isCallExpression(made) || ts.isNewExpression(made)))
      return this.routerOf(value.file, value.node);
    let parent = this.routerOf(value.file, made);
    for (const cls of [...[...value.between].reverse(), { file: value.subclassFile, node: value.subclass }]) {
      const fresh = !this.routers.has(nodeKey(cls.file, cls.node) + `@${name}`);
      const router = this.node(cls.file, cls.node, creation, `@${name}`);
      if (fresh) {
        // `new Router({ prefix })` in a base constructor `constructor(app, prefix)`: what this class hands `super`.
        const prefix = creationPrefix(
          this,
          value.file,
          made,
          creation.prefixOption ?? 'prefix',
          withDefaults(value),
        );
        if (prefix !== undefined) router.prefix = prefix;
        // A prefix the creation gives (`new Router({ prefix })`) is each instance's: a base router holding one
        // is not put below a subclass's again (its routes stay listed as not mounted rather than doubled).
        if (parent && !parent.prefix) {
          parent.mountedBy++;
          router.entries.push({
            kind: 'mount',
            path: '',
            child: parent,
            file: value.file,
            node: made,
            same: true,
          });
        }
      }
      parent = router;
    }
    return parent;
  }

  /**
   * The router a project class's method hands on when called on an instance (`new OrdersController().routes()`,
   * `health.getRouter()`), read for the instance's class: `return this.router.routes()` in a base class `Controller`
   * gives the router of `OrdersController`'s instance (one per subclass, as `this.router.get(…)` in its constructor
   * registers on), not one router of the base class that no subclass registers on. Undefined when the receiver is
   * no instance of a project class declaring that method, or the method returns no `this` member.
   */
  private routerHandedOn(file: ProjectFile, access: ts.PropertyAccessExpression): RouterNode | undefined {
    for (const { cls, method } of instanceMethodsWithClass(this.project, file, access))
      for (const returned of returnedExpressions(method)) {
        const found = this.routerOfInstanceMember(cls, returned);
        if (found) return found;
      }
    return undefined;
  }

  /**
   * `this.<field>` (also through a chainable call, `this.router.routes()`) read for the instances of `cls`: the
   * class's own field values, else what a base class gives the field for this class (`inheritedRouter`).
   */
  private routerOfInstanceMember(
    cls: { file: ProjectFile; node: ts.ClassLikeDeclaration },
    expression: ts.Expression,
    depth = 0,
  ): RouterNode | undefined {
    const node = unwrap(expression);
    if (depth > 4) return undefined;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      this.chainable.has(node.expression.name.text)
    )
      return this.routerOfInstanceMember(cls, node.expression.expression, depth + 1);
    if (!isThisMember(node)) return undefined;
    const name = (node as ts.PropertyAccessExpression).name.text;
    const own = classFieldValues(cls.node).get(name);
    if (own) {
      for (const value of own) {
        const found = this.routerOf(cls.file, value);
        if (found) return found;
      }
      return undefined;
    }
    for (const value of inheritedClassValues(cls.node, cls.file, name, (at, e) =>
      this.project.classesNamed(at, e),
    )) {
      const found = this.inheritedRouter(value, name);
      if (found) return found;
    }
    return undefined;
  }

  private routerOfDeclaration(declaration: Declaration): RouterNode | undefined {
    const { file, node } = declaration;
    if (ts.isVariableDeclaration(node) && node.initializer) return this.routerOf(file, node.initializer);
    if (ts.isVariableDeclaration(node)) {
      // `let app; beforeEach(() => { app = new Hono() })`: what is assigned to it
      for (const value of assignedValues(this.project, file, node)) {
        const found = this.routerOf(file, value);
        if (found) return found;
      }
      return undefined;
    }
    if (ts.isParameter(node)) {
      const existing = this.routers.get(nodeKey(file, node));
      if (existing) return existing;
      // `function init(app: Koa = new Koa())` (outline's web service): called without that argument it serves
      // the app it makes, so the parameter is what its default is (an app is a root of the walk, not a router
      // waiting for a mount); a call that passes an app links that one to it as for any parameter.
      const made = node.initializer ? this.routerOf(file, node.initializer) : undefined;
      if (made) return made;
      const promised = this.promisedRouter(file, node);
      if (promised) return promised;
      if (looksLikeRouterParameter(node, file)) {
        // The server of a hapi plugin object (`{ name, register(server) {…} }`) is hapi's, whatever the file
        // imports: a plugin registered only by a plugin no one registers keeps its routes (named "not mounted").
        const hapi = isHapiPluginServer(node) ? this.wirings.find((w) => w.framework === 'hapi') : undefined;
        const wiring = hapi ?? this.guessWiring(file);
        return this.node(file, node, { framework: wiring.framework, kind: 'router', syntax: wiring.syntax });
      }
      return undefined;
    }
    if (ts.isExportAssignment(node)) return this.routerOf(file, node.expression);
    if (ts.isBinaryExpression(node)) return this.routerOf(file, node.right);
    if (ts.isSourceFile(node)) return this.routerOfExport(file, 'default');
    if (ts.isPropertyAssignment(node)) return this.routerOf(file, node.initializer);
    if (ts.isBindingElement(node)) {
      // `function f({ router })`, `const [router, tenant] = args`, `const { app } = opts`
      const slot = declarationSlot(this.project, file, node);
      const inSlot = slot ? this.routerInSlot(slot) : undefined;
      // `function start({ app = express() } = {})`, `const { app = new Koa() } = options`: the default, as for a
      // parameter's, when nothing handed in is traced.
      return (
        inSlot ??
        this.routerDestructured(file, node) ??
        (node.initializer ? this.routerOf(file, node.initializer) : undefined)
      );
    }
    if (ts.isExpression(node) && !ts.isIdentifier(node)) return this.routerOf(file, node);
    return undefined;
  }

  /**
   * `createApp().then((app) => { app.get(…); app.listen() })`: the first parameter of a `then` callback is what the
   * promise resolves to, the router the receiver of `then` gives (an async factory's call: its app, with what the
   * factory registered on it). Undefined for any other parameter (since session 42; before, the callback's routes
   * were "registered on app, which mtls-fix could not trace" and the factory's middleware was left alone).
   */
  private promisedRouter(file: ProjectFile, parameter: ts.ParameterDeclaration): RouterNode | undefined {
    const fn = parameter.parent;
    if (!isFunctionNode(fn) || fn.parameters[0] !== parameter) return undefined;
    let call: ts.Node = fn.parent;
    while (ts.isParenthesizedExpression(call)) call = call.parent;
    if (!ts.isCallExpression(call) || !call.arguments.some((a) => unwrap(a) === fn)) return undefined;
    const callee = call.expression;
    if (
      !ts.isPropertyAccessExpression(callee) ||
      callee.name.text !== 'then' ||
      unwrap(call.arguments[0]) !== fn
    )
      return undefined;
    return this.routerOf(file, callee.expression);
  }

  /** `const { items } = routers`, `const { items: list } = require('./routes')`: the member it reads. */
  private routerDestructured(file: ProjectFile, element: ts.BindingElement): RouterNode | undefined {
    const declaration = element.parent.parent;
    if (!ts.isObjectBindingPattern(element.parent) || !ts.isVariableDeclaration(declaration))
      return undefined;
    if (!declaration.initializer || element.dotDotDotToken) return undefined;
    const key = element.propertyName
      ? propertyName(element.propertyName)
      : element.name.getText(file.sourceFile);
    if (key === undefined) return undefined;
    const made = unwrap(declaration.initializer);
    if (ts.isCallExpression(made) && !requireOf(made)) {
      const returned = this.routerMemberReturned(file, made, key);
      if (returned) return returned;
    }
    for (const found of memberDeclarations(this, file, declaration.initializer, key)) {
      const router = this.routerOfDeclaration(found);
      if (router) return router;
    }
    return undefined;
  }

  /** The router linked to a slot (`args[0]`, the `router` of `{ router }`), if any. */
  private routerInSlot(slot: Slot): RouterNode | undefined {
    return this.routers.get(slotKey(slot));
  }

  /** The routers linked inside a slot, by the steps below it (`opts` holds `.router`, `args` holds `[0]`). */
  private routersHeld(slot: Slot): { steps: Step[]; value: RouterNode }[] {
    const out: { steps: Step[]; value: RouterNode }[] = [];
    for (const { steps, router } of this.inSlots.get(nodeKey(slot.file, slot.node)) ?? []) {
      const prefix = slot.steps;
      if (steps.length <= prefix.length) continue;
      const same = prefix.every((s, i) => JSON.stringify(s) === JSON.stringify(steps[i]));
      if (same) out.push({ steps: steps.slice(prefix.length), value: router });
    }
    return out;
  }

  /**
   * What `a.b` names: the export `b` of a namespace import `a`, or the member `b` of the object `a` holds
   * (`export default { items }`, `module.exports = { items }`, `const routers = { items }`), nested too.
   */
  private memberDeclarations(file: ProjectFile, access: ts.PropertyAccessExpression): Declaration[] {
    return memberDeclarations(this, file, access.expression, access.name.text);
  }

  private routerOfExport(file: ProjectFile, name: string): RouterNode | undefined {
    for (const declaration of this.project.exportOf(file, name)) {
      const found = this.routerOfDeclaration(declaration);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * `createLimitsRouter(limiter).router` (also destructured, `const { router } = createX()`): the router the
   * member `name` holds in an object literal a project function returns (`return { router, reset }`), one
   * router per call when the function makes it.
   */
  private routerMemberReturned(
    file: ProjectFile,
    call: ts.CallExpression,
    name: string,
  ): RouterNode | undefined {
    for (const fn of this.functionsOf(file, call.expression)) {
      for (const returned of returnedExpressions(fn)) {
        if (!ts.isObjectLiteralExpression(unwrap(returned))) continue;
        for (const declaration of memberDeclarations(this, fn.file, returned, name)) {
          const found = this.routerOfDeclaration(declaration);
          if (found) return this.instanceAt(file, call, fn, found);
        }
      }
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
      if (found) return this.instanceAt(file, call, fn, found);
    }
    return undefined;
  }

  /**
   * Each call of a factory that builds its router inside (`createRouter() { return new OpenAPIHono() }`)
   * makes a new one: the call site gets its own node, holding what the factory registers (mounted at its
   * root), so two calls (`createApp()` and `createRouter()` of hono-open-api-starter) are two routers, not
   * one router mounted inside itself. A router made outside the factory (a module-level one it returns)
   * stays that one router.
   */
  private instanceAt(
    file: ProjectFile,
    call: ts.CallExpression,
    fn: FunctionRef,
    made: RouterNode,
  ): RouterNode {
    const inside =
      made.file === fn.file &&
      made.node.pos >= fn.node.pos &&
      made.node.end <= fn.node.end &&
      made.node !== fn.node;
    if (!inside || ts.isParameter(made.node)) return made;
    const existing = this.routers.get(nodeKey(file, call));
    if (existing) return existing;
    if (made.kind === 'app') this.appFactories.set(fn.node, made);
    const instance = this.node(file, call, {
      framework: made.framework,
      kind: made.kind,
      syntax: made.syntax,
    });
    // The call's value is the object the factory made: what the factory registered on it (`app.use(auth)`
    // before `return app`) runs before what the caller registers after the call, as for `pre(app)`.
    // `return new Hono().basePath('/api')`: the call returns a child of an app the factory makes. The call's copy
    // of that app is what serves (a root, as the app made in place would be), with the call's router in the
    // child's place, so what the caller registers sits under the child's path, after the factory's middleware.
    const whole = made.mountedBy > 0 ? factoryRoot(this.derivedFrom, fn, made) : undefined;
    made.mountedBy++;
    instance.entries.push({ kind: 'mount', path: '', child: made, file, node: call, same: true });
    if (whole) {
      const copy = this.node(
        file,
        call,
        { framework: whole.framework, kind: whole.kind, syntax: whole.syntax },
        '#made',
      );
      whole.mountedBy++;
      instance.mountedBy++;
      copy.entries.push({
        kind: 'mount',
        path: '',
        child: whole,
        file,
        node: call,
        same: true,
        replaces: { child: made, by: instance },
      });
    }
    return instance;
  }

  /**
   * A router made in the argument itself: `car(server, new Router())` (renpass-projeto-final), `f(app,
   * express.Router())`: the helper's parameter receives a router of its own, made at that call.
   */
  private isCreation(file: ProjectFile, argument: ts.Expression): boolean {
    const node = unwrap(argument);
    return (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) && this.creationOf(file, node) !== undefined
    );
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
    // `require('express')()`, `require('express').Router()`, `new (require('@koa/router'))()`: the package
    // named inline, with no binding to look up.
    const inline = ts.isCallExpression(callee)
      ? requireOf(callee)
      : ts.isPropertyAccessExpression(callee)
        ? requireOf(unwrap(callee.expression))
        : undefined;
    if (inline && !inline.property) {
      const inlineMember = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      for (const wiring of this.wirings) {
        const factory = wiring.creations[inline.module];
        const creation = factory?.(inlineMember, ts.isNewExpression(node));
        if (creation) return creation;
      }
      return undefined;
    }
    if (!root) return undefined;
    return this.creationNamed(file, root, member, ts.isNewExpression(node), 0);
  }

  /**
   * The router `this` is inside a constructor, method or field of a project class that extends a framework's app
   * or router class (`class App extends Hono { constructor() { super(); this.get('/x', h) } }`): one router per
   * class, mounted at the root of each `new App()` (ownClassRouter).
   */
  private classRouter(file: ProjectFile, node: ts.Node): RouterNode | undefined {
    let at: ts.Node | undefined = node.parent;
    while (at && (ts.isArrowFunction(at) || !(isFunctionNode(at) || ts.isClassLike(at)))) at = at.parent;
    const owner = at && (ts.isConstructorDeclaration(at) || ts.isMethodDeclaration(at)) ? at.parent : at;
    if (!owner || !ts.isClassDeclaration(owner) || !owner.name) return undefined;
    const creation = this.creationNamed(file, owner.name, undefined, true, 0);
    return creation ? this.node(file, owner, creation, '#this') : undefined;
  }

  /** The class router of `new C()` when C is a project class whose code registers on `this`. */
  private ownClassRouter(
    file: ProjectFile,
    node: ts.NewExpression,
    creation: Creation,
  ): RouterNode | undefined {
    const callee = unwrap(node.expression);
    if (!ts.isIdentifier(callee)) return undefined;
    for (const value of this.valuesOf(file, callee)) {
      const cls = value.node;
      if (!ts.isClassDeclaration(cls) || !/\bthis\.\w+\(/.test(cls.getText(value.file.sourceFile))) continue;
      return this.node(value.file, cls, creation, '#this');
    }
    return undefined;
  }

  /**
   * The router argument of a call to a library function that returns a wrapper registering on that router
   * (`ROUTER_WRAPPERS`: chanfana's `fromHono(app)` / `fromIttyRouter(router)`, whose `openapi.get(path,
   * EndpointClass)` adds the route to the app); undefined for any other call.
   */
  private wrappedRouter(file: ProjectFile, call: ts.CallExpression): ts.Expression | undefined {
    const callee = unwrap(call.expression);
    const first = call.arguments[0];
    if (!first || !ts.isIdentifier(callee)) return undefined;
    for (const declaration of this.project.lookup(file, callee, callee.text)) {
      const imported = externalImport(declaration.node);
      if (imported && ROUTER_WRAPPERS[imported.module]?.includes(imported.name)) return first;
    }
    return undefined;
  }

  /**
   * What calling (or `new`-ing) `root[.member]` makes: a framework's factory or class by its import, or, for
   * `new App()`, the project's own class that extends one (`class App extends Hono`, `class Api extends Koa`,
   * through other project classes and imports by relative path), which makes what its base class makes.
   */
  private creationNamed(
    file: ProjectFile,
    root: ts.Identifier,
    member: string | undefined,
    isNew: boolean,
    depth: number,
  ): Creation | undefined {
    for (const declaration of this.project.lookup(file, root, root.text)) {
      // A framework's own source (its repository's examples and tests, a workspace package linked by path) is
      // that framework (own-package.ts).
      const imported =
        externalImport(declaration.node) ??
        ownPackageExport(declaration, this.project.cwd, (module) =>
          this.wirings.some((w) => Object.hasOwn(w.creations, module)),
        );
      // A named class or function of the framework's source is an app only where the factory tells names apart
      // (hono's `Hono`, not any class of koa's repository, whose factory takes every name).
      if (
        imported &&
        imported.name !== 'default' &&
        !externalImport(declaration.node) &&
        this.wirings.some((w) => w.creations[imported.module]?.('\u0000', isNew))
      )
        continue;
      if (!imported) {
        const base = isNew && member === undefined && depth < 4 ? baseClassOf(declaration.node) : undefined;
        const creation =
          base && this.creationNamed(declaration.file, base.root, base.member, true, depth + 1);
        if (creation) return creation;
        continue;
      }
      for (const wiring of this.wirings) {
        const factory = wiring.creations[imported.module];
        if (!factory) continue;
        // `import express from 'express'` calls express() / express.Router(); `import { Router }` calls Router().
        const named = imported.name !== 'default' && imported.name !== '*';
        const creation = factory(named && member === undefined ? imported.name : member, isNew);
        if (creation) return creation;
      }
    }
    // `import { express } from '@acme/http'` where that workspace package re-exports the framework.
    const reExported = depth === 0 ? reExportedPackage(this.project, file, root.text) : undefined;
    if (reExported)
      for (const wiring of this.wirings) {
        const named = reExported.name !== 'default' && reExported.name !== '*';
        const creation = wiring.creations[reExported.module]?.(
          named && member === undefined ? reExported.name : member,
          isNew,
        );
        if (creation) return creation;
      }
    return undefined;
  }

  /** The wiring an untyped router parameter belongs to: the first framework the file imports (else Express). */
  guessWiring(file: ProjectFile): RouteWiring {
    for (const statement of file.sourceFile.statements) {
      // `import x from 'm'`, and `const x = require('m')` in CommonJS files
      const modules = ts.isImportDeclaration(statement)
        ? [ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : '']
        : ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.map((d) =>
              d.initializer ? (requireOf(unwrap(d.initializer))?.module ?? '') : '',
            )
          : [];
      for (const module of modules) {
        const found = module ? this.wirings.find((w) => w.modules.test(module)) : undefined;
        if (found) return found;
      }
    }
    return this.wirings.find((w) => w.framework === 'express') ?? this.wirings[0];
  }

  // ---- links: parameters that receive a router -----------------------------------------------------

  private link(file: ProjectFile, call: ts.CallExpression | ts.NewExpression): void {
    const callee = call.expression;
    if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee)) {
      for (const handler of this.links.get(callee.name.text) ?? [])
        if (handler(this, file, call, callee)) return;
    }
    const args = call.arguments ?? [];
    if (!args.length) return;
    // `registerRoutes(app)`, `routes.accounts(router, tenant)`, `require('./accounts')(router)`: the
    // helper's parameter (or its rest parameter) is the router itself; `accounts({ app: router })` and
    // `f(...args)` put it in a slot of the helper's parameters (slots.ts).
    const leaves = argumentLeaves(
      this.project,
      file,
      args,
      (argument, at) =>
        ts.isIdentifier(argument) ||
        isThisMember(argument) ||
        isHeldRouter(argument) ||
        this.isCreation(at, argument)
          ? this.routerOf(at, argument)
          : undefined,
      this.inSlots.size ? (slot) => this.routersHeld(slot) : undefined,
    );
    if (!leaves.length) return this.handUntraced(file, call, args);
    // A router's own method (`app.use(router)`) is a registration, not a helper.
    if (ts.isPropertyAccessExpression(callee) && this.routerOf(file, callee.expression)) return;
    // `new C(app)` and a subclass's `super(app, …)` run a constructor (the base's when C declares none)
    const constructs = ts.isNewExpression(call) || callee.kind === ts.SyntaxKind.SuperKeyword;
    const direct = constructs ? constructorsOf(this, file, callee) : this.functionsOf(file, callee);
    const functions = direct.length || constructs ? direct : iteratedFunctions(this, file, callee);
    for (const leaf of leaves)
      for (const fn of functions) {
        const slot = parameterSlot(fn.file, fn.node, leaf.index, leaf.steps);
        if (slot) this.linkSlot(leaf.value, slot, '', call, file, false, true);
      }
  }

  /**
   * `RegisterRoutes(app)` with `app` a value the graph cannot trace (`const app = container.resolve('app')`): the
   * helper's parameter is read as a router of its own ("not mounted anywhere"), but it is that app, so what the
   * app registers (its error handler) runs for the parameter's routes too (untraced-receivers.ts). Only arguments
   * named as apps and routers are (`ROUTER_PARAM_NAMES`), each call once.
   */
  private handUntraced(
    file: ProjectFile,
    call: ts.CallExpression | ts.NewExpression,
    args: readonly ts.Expression[],
  ): void {
    const named = args.map((a) => {
      const node = unwrap(a);
      const name = ts.isIdentifier(node)
        ? node.text
        : isThisMember(node)
          ? (node as ts.PropertyAccessExpression).name.text
          : undefined;
      return name !== undefined && ROUTER_PARAM_NAMES.test(name) ? node : undefined;
    });
    if (!named.some((n) => n !== undefined)) return;
    const key = nodeKey(file, call);
    if (this.handed.has(key)) return;
    this.handed.add(key);
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && this.routerOf(file, callee.expression)) return;
    const constructs = ts.isNewExpression(call) || callee.kind === ts.SyntaxKind.SuperKeyword;
    const functions = constructs ? constructorsOf(this, file, callee) : this.functionsOf(file, callee);
    for (const [index, node] of named.entries()) {
      if (!node || this.routerOf(file, node)) continue;
      for (const fn of functions) {
        const parameter = fn.node.parameters[index];
        if (parameter)
          this.untraced.addChild(file, call, node, () => this.routers.get(nodeKey(fn.file, parameter)));
      }
    }
  }

  linkParameter(
    parent: RouterNode,
    fn: FunctionRef,
    prefix: Prefix,
    at: ts.Node,
    file: ProjectFile,
    index = 0,
    shared = false,
    options?: PluginOptions,
  ): void {
    const slot = parameterSlot(fn.file, fn.node, index, []);
    if (slot) this.linkSlot(parent, slot, prefix, at, file, shared, false, options);
  }

  /**
   * The binding at `slot` receives `parent` (registered at `at`) under `prefix`. `same`: the binding is the
   * router object itself, handed to a helper (`registerMiddleware(app)`), so what the helper registers is
   * registered on `parent`, in the order of the helper's call.
   */
  private linkSlot(
    parent: RouterNode,
    slot: Slot,
    prefix: Prefix,
    at: ts.Node,
    file: ProjectFile,
    shared: boolean,
    same = false,
    options?: PluginOptions,
  ): void {
    const key = slotKey(slot);
    // One link per registration: a plugin registered twice by one call (`register([{ plugin: p, options: a },
    // { plugin: p, options: b }])`) is two registrations when the options differ.
    const optionsKey = options ? `(${[...options.values].map(([k, v]) => `${k}=${v}`).join(',')})` : '';
    const linkKey = `${parent.key}@${file.relative}#${at.getStart(file.sourceFile)}->${key}${optionsKey}`;
    if (this.linked.has(linkKey)) return;
    this.linked.add(linkKey);
    const suffix = key.slice(nodeKey(slot.file, slot.node).length);
    const child = this.node(
      slot.file,
      slot.node,
      { framework: parent.framework, kind: 'router', syntax: parent.syntax },
      suffix,
    );
    if (child === parent) return;
    child.mountedBy++;
    parent.entries.push({
      kind: 'mount',
      path: prefix,
      child,
      file,
      node: at,
      ...(shared ? { shared } : {}),
      ...(same ? { same } : {}),
      ...(options ? { options } : {}),
    });
  }

  registerPlugins(
    parent: RouterNode,
    file: ProjectFile,
    call: ts.CallExpression,
    sharedPlugin?: (file: ProjectFile, plugin: ts.Expression) => boolean,
    argumentOptions = false,
  ): void {
    // A plugin of the project whose functions cannot be read (`register(load(process.env.PLUGIN))`): its routes
    // are unknown, so the registration itself is listed for review by hand, never silent.
    const missed = (expression: ts.Expression, at: ProjectFile, prefix: Prefix): void =>
      this.addUnread(
        parent,
        file,
        call,
        'ALL',
        `registration of ${expression.getText(at.sourceFile)} at ${file.relative}:${lineOf(file, call)} loads a plugin mtls-fix cannot read`,
        // What the expression itself runs (`loadPlugin(…)`) is reached from it.
        at === file ? [expression] : [],
        // Under the registration's prefix when the code fixes it (`{ prefix: '/api' }`).
        typeof prefix === 'string' ? joinPaths(prefix, '*') : undefined,
      );
    // Only on a Fastify or hapi app: a `register` on a receiver guessed to be a router (`api.register(name, h)` of
    // openapi-backend on a parameter named `api`) registers no plugin.
    const plugins =
      (parent.framework === 'fastify' || parent.framework === 'hapi') &&
      !/['"]openapi-backend['"]/.test(file.sourceFile.text);
    for (const plugin of pluginsOf(this, file, call, argumentOptions, plugins ? missed : undefined)) {
      const shared = sharedPlugin?.(file, plugin.expression) ?? false;
      const values = plugin.options ? optionValues(this.project, file, plugin.options) : undefined;
      const options = values?.size
        ? { fn: plugin.fn.node, values, at: `${file.relative}:${lineOf(file, call)}` }
        : undefined;
      this.linkParameter(parent, plugin.fn, shared ? '' : plugin.prefix, call, file, 0, shared, options);
    }
  }

  /** The functions an expression names (values.ts `functionsOf`). */
  functionsOf(file: ProjectFile, expression: ts.Expression, depth = 0): FunctionRef[] {
    return functionsOf(this, file, expression, depth);
  }

  /** The functions a loop variable takes from the list it iterates (route-lists.ts `iteratedFunctions`). */
  iteratedFunctions(file: ProjectFile, callee: ts.Expression): FunctionRef[] {
    return iteratedFunctions(this, file, callee);
  }

  /** What a name or import evaluates to, one step (values.ts `valuesOf`). */
  valuesOf(file: ProjectFile, expression: ts.Expression, depth = 0): { file: ProjectFile; node: ts.Node }[] {
    return valuesOf(this, file, expression, depth);
  }

  // ---- registrations ---------------------------------------------------------------------------------

  private register(file: ProjectFile, call: ts.CallExpression): void {
    const callee = call.expression;
    if (ts.isElementAccessExpression(callee)) return computedMethod(this, file, call, callee);
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    for (const handler of this.registrations.get(method) ?? []) if (handler(this, file, call, callee)) return;
    if (METHODS.has(method)) return registerMethod(this, file, call, callee, method);
    if (method === 'use') return registerUse(this, file, call, callee);
  }

  /**
   * A registration read from the tokens (route-facts.ts): what `register` does with the call it stands for,
   * `R.M('/path', (…) => {…})` at the top level of its file. The registration handlers of M (Express route chains,
   * Koa named routes) read nothing from such a call (`routeFactMethods`); the receiver is looked up from the
   * file's scope, where the call's identifier would be, under the identifier's own key.
   */
  private registerFact(file: ProjectFile, fact: RouteFact): void {
    const receiverKey = `${file.relative}\0${fact.receiver}`;
    const router = this.factReceivers.get(receiverKey) ?? this.factReceiver(file, fact, receiverKey);
    const method = fact.method === 'del' ? 'DELETE' : fact.method.toUpperCase();
    const handlers = [{ file: file.relative, start: fact.handlerStart, end: fact.handlerEnd }];
    if (router) {
      router.entries.push({
        kind: 'route',
        method,
        paths: [fact.path],
        handlers,
        file,
        node: file.sourceFile,
        anchor: fact.methodStart,
      });
      return;
    }
    // `untraced`, for a plain path and a function handler.
    if (!fact.path.startsWith('/')) return;
    const wiring = this.guessWiring(file);
    const line = lineAndCharacterAt(file.sourceFile, fact.receiverStart).line + 1;
    const receiver = fact.receiver;
    this.untracedRoutes.push({
      framework: wiring.framework,
      method,
      path: fact.path,
      syntax: wiring.syntax,
      file: file.relative,
      line,
      handlers,
      unresolved: `registered on ${receiver.length > 40 ? `${receiver.slice(0, 40)}…` : receiver}, which mtls-fix could not trace to an app or router (${file.relative}:${line})`,
      mountFile: file.relative,
      unreadable: true,
    });
  }

  /**
   * The router of a fact's receiver, as `routerOf` answers for the identifier the fact stands for: looked up from
   * the file's scope, under the identifier's own key. The receiver is a `const` of the file made by a call
   * (route-facts.ts), so a lookup gives its one declaration; when the answer is the router made at that
   * declaration's initializer, it is the answer for every fact on the receiver (`routerOf` of the initializer
   * finds that router first, and routers are never dropped), and it is kept under `receiverKey`.
   */
  private factReceiver(file: ProjectFile, fact: RouteFact, receiverKey: string): RouterNode | undefined {
    const key = `${file.relative}#${fact.receiverStart}-${fact.receiverEnd}`;
    const declarations = this.project.lookup(file, file.sourceFile, fact.receiver);
    const router = this.routerAt(key, () => {
      const existing = this.routers.get(key);
      if (existing) return existing;
      for (const declaration of declarations) {
        const found = this.routerOfDeclaration(declaration);
        if (found) return found;
      }
      return undefined;
    });
    const only = declarations.length === 1 ? declarations[0] : undefined;
    if (
      router &&
      only &&
      ts.isVariableDeclaration(only.node) &&
      only.node.initializer &&
      this.routers.get(nodeKey(only.file, unwrap(only.node.initializer))) === router
    )
      this.factReceivers.set(receiverKey, router);
    return router;
  }

  addUntracedRoute(route: CodeRoute, receiver?: { file: ProjectFile; expression: ts.Expression }): void {
    this.untracedRoutes.push(route);
    if (receiver) this.untraced.addRoute(route, receiver.file, receiver.expression);
  }

  addUntracedMiddleware(
    file: ProjectFile,
    call: ts.Node,
    receiver: ts.Expression,
    spans: Span[],
    all: boolean,
  ): void {
    this.untraced.addMiddleware(file, call, receiver, spans, all);
  }

  addUntracedChild(file: ProjectFile, call: ts.Node, receiver: ts.Expression, child: RouterNode): void {
    this.untraced.addChild(file, call, receiver, () => child);
    this.routerOnUntraced(child, file, call, receiver);
  }

  /**
   * A router (no app) mounted at the root of a receiver the graph cannot trace (`container.resolve('app')
   * .use(router)`, Koa `app.use(router.routes())`): its prefix is that receiver's, unknown. Its routes say where it
   * is mounted (since session 42: before, "router is not mounted anywhere", though the line mounting it was there).
   * An app stays a root: the receiver is as likely the app that serves it.
   */
  private routerOnUntraced(child: RouterNode, file: ProjectFile, call: ts.Node, on: ts.Expression): void {
    if (child.kind === 'app' || child.mountedBy > 0 || this.untracedParents.has(child)) return;
    const receiver = on.getText(file.sourceFile).replace(/\s+/g, ' ');
    const short = receiver.length > 40 ? `${receiver.slice(0, 40)}…` : receiver;
    this.untracedParents.set(child, {
      under: '',
      why: `mounted on ${short}, which mtls-fix could not trace to an app or router (${file.relative}:${lineOf(file, call)})`,
    });
  }

  /** `use(path?, child)` / `route(path, child)` in a loop over a table of routers: one mount per element. */
  mountTable(router: RouterNode, file: ProjectFile, call: ts.CallExpression): boolean {
    const args = call.arguments;
    const child = args[args.length - 1];
    if (!child || args.length > 2) return false;
    const mounts = tableMounts(this, file, args.length === 2 ? args[0] : undefined, child);
    for (const mount of mounts ?? []) this.mountAt(router, file, call, mount.path, mount.child);
    return mounts !== undefined;
  }

  paths(file: ProjectFile, expression: ts.Expression | undefined): (string | undefined)[] {
    if (!expression) return [undefined];
    const node = unwrap(expression);
    if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => this.project.stringOf(file, e));
    // A project function that builds the path(s) from its arguments: `app.get(backwardsCompat('/plugins'), h)`.
    if (ts.isCallExpression(node) && !requireOf(node)) {
      const built = callStrings(this.project, file, node, this.functionsOf(file, node.expression));
      // Only what reads as a route path: a factory returning other strings (`format('dev')`) is no path.
      if (built?.every((p) => p.startsWith('/') || p === '*')) return built;
    }
    const spelled = this.project.stringOf(file, node);
    if (spelled !== undefined) return [spelled];
    // ``router.get(`/menu/${type}`, h)`` in `for (const type of Object.values(TYPES))`: one path per element
    const looped = loopPaths(this.project, file, node);
    if (looped) return looped;
    // `'/' + colName` inside `function Collection({ app, colName })`: a parameter filling a segment reads `/:colName`
    return [parameterPath(this.project, file, node)];
  }

  addMount(
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

  /**
   * `x.route(path, child)` / `x.use(path, child)` where `x` is no app or router the graph can trace: the child
   * is mounted somewhere, so it is no root app serving at `/`. A mount at `''` or `/` (the untraced receiver is
   * as likely the root app itself) changes nothing.
   */
  mountedOnUntraced(
    child: RouterNode,
    file: ProjectFile,
    call: ts.CallExpression,
    pathArgument: ts.Expression,
  ): void {
    const callee = call.expression;
    const on = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
    this.untraced.addChild(file, call, on, () => child);
    if (this.untracedParents.has(child)) return;
    const paths = this.paths(file, pathArgument);
    const path = paths.length === 1 ? paths[0] : undefined;
    if (path === '' || path === '/') return this.routerOnUntraced(child, file, call, on);
    const receiver = on.getText(file.sourceFile).replace(/\s+/g, ' ');
    const short = receiver.length > 40 ? `${receiver.slice(0, 40)}…` : receiver;
    const at = path === undefined ? ` at ${pathArgument.getText(file.sourceFile).replace(/\s+/g, ' ')}` : '';
    this.untracedParents.set(child, {
      under: path ?? '',
      why: `mounted${at} on ${short}, which mtls-fix could not trace to an app or router (${file.relative}:${lineOf(file, call)})`,
    });
  }

  /** A mount at a known prefix (or a dynamic one), counted once per child. */
  mountAt(router: RouterNode, file: ProjectFile, call: ts.Node, path: Prefix, child: RouterNode): void {
    child.mountedBy++;
    if (call === child.node) this.derivedFrom.set(child, { parent: router, file });
    router.entries.push({ kind: 'mount', path, child, file, node: call });
  }

  addMiddleware(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    spans: Span[],
    all: boolean,
    under?: string,
    serverWide?: boolean,
  ): void {
    const scoped = under !== undefined && joinPaths(under) !== '/';
    router.entries.push({
      kind: 'middleware',
      spans,
      all,
      file,
      node: call,
      ...(scoped ? { under } : {}),
      ...(serverWide && all ? { serverWide: true as const } : {}),
    });
  }

  addRoute(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    method: string,
    paths: (string | undefined)[],
    handlers: ts.Expression[],
    pathArgument?: ts.Expression,
  ): void {
    // ``app.get(`${opts.base}/x`, h)`` in a plugin: filled in by each registration's options (compose.ts).
    const template =
      pathArgument && paths.length === 1 ? optionTemplate(this.project, file, pathArgument) : undefined;
    // ``app.get(`${base}/messages/:id`, h)`` with `base` unread: the tail is still known (a candidate by it).
    const tail =
      pathArgument && paths.length === 1 && paths[0] === undefined
        ? pathTail(this.project, file, pathArgument)
        : undefined;
    // `app.get('/x', ...handlers)` with `handlers` a parameter: a route whose answering code is not seen, named.
    const unseenWhy = unseenHandlers(this, file, handlers);
    const unseen = unseenWhy && `${unseenWhy} (${file.relative}:${lineOf(file, call)})`;
    router.entries.push({
      kind: 'route',
      method: method === 'del' ? 'DELETE' : method.toUpperCase(),
      paths,
      handlers: handlers.map((h) => span(file, h)),
      file,
      node: call,
      ...(template ? { templates: [template] } : {}),
      ...(tail ? { tails: [tail] } : {}),
      ...(unseen ? { unseen } : {}),
    });
  }

  addUnread(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    method: string,
    why: string,
    handlers: ts.Expression[],
    path?: string,
  ): void {
    router.entries.push({
      kind: 'unread',
      method: method === 'del' ? 'DELETE' : method.toUpperCase(),
      why,
      handlers: handlers.map((h) => span(file, h)),
      file,
      node: call,
      ...(path !== undefined ? { path } : {}),
    });
  }
}

/**
 * The app a factory makes around the router it returns when that router is derived from it (`new
 * Hono().basePath('/api')`, or `root.basePath('/x')` on a `root` it made: the wiring's `derived` methods, whose
 * mount is written at the derived router's own node), followed up through such mounts inside the factory to a
 * router it makes itself; undefined when the returned router is derived from nothing there (it is the app itself),
 * or the way up leaves the factory (a parameter's base path: the caller's app holds it). A router the factory only
 * mounts (`app.use('/api', router); return router`) is not one: the caller may serve or mount it elsewhere.
 */
function factoryRoot(
  derivedFrom: ReadonlyMap<RouterNode, { parent: RouterNode; file: ProjectFile }>,
  fn: FunctionRef,
  made: RouterNode,
): RouterNode | undefined {
  const inside = (node: ts.Node, at: ProjectFile): boolean =>
    at === fn.file && node.pos >= fn.node.pos && node.end <= fn.node.end && node !== fn.node;
  let current = made;
  for (let depth = 0; depth < 4; depth++) {
    const from = derivedFrom.get(current);
    if (!from || !inside(current.node, from.file)) break;
    current = from.parent;
  }
  if (current === made || !inside(current.node, current.file) || ts.isParameter(current.node))
    return undefined;
  return current;
}

function handlers(
  wirings: readonly RouteWiring[],
  pick: (wiring: RouteWiring) => Record<string, CallHandler> | undefined,
): Map<string, CallHandler[]> {
  const out = new Map<string, CallHandler[]>();
  for (const wiring of wirings)
    for (const [name, handler] of Object.entries(pick(wiring) ?? {}))
      out.set(name, [...(out.get(name) ?? []), handler]);
  return out;
}

/** Library functions returning a wrapper that registers routes on the router they are given, by package. */
const ROUTER_WRAPPERS: Readonly<Record<string, readonly string[]>> = {
  chanfana: ['fromHono', 'fromIttyRouter'],
};

/**
 * The base a class declaration extends, as a name and member (`class App extends Hono<Env>` → `Hono`,
 * `extends Hapi.Server` → `Hapi` and `Server`); also a class expression held by a variable.
 */
function baseClassOf(node: ts.Node): { root: ts.Identifier; member: string | undefined } | undefined {
  const cls =
    ts.isVariableDeclaration(node) && node.initializer ? unwrap(node.initializer) : (node as ts.Expression);
  if (!ts.isClassDeclaration(cls) && !ts.isClassExpression(cls)) return undefined;
  const clause = cls.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  const base = clause?.types[0]?.expression;
  if (!base) return undefined;
  if (ts.isIdentifier(base)) return { root: base, member: undefined };
  if (ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression))
    return { root: base.expression, member: base.name.text };
  return undefined;
}

/**
 * `server.app`, `this.server.router`: a member named as apps and routers are, of a variable or field (an app
 * class's instance handing its app to `new AccountsRouter().loadRoutes(server.app)`; since session 28). Other
 * members (`req.body`) are never asked: every call's arguments are, in every linking round.
 */
function isHeldRouter(argument: ts.Expression): boolean {
  const node = unwrap(argument);
  return (
    ts.isPropertyAccessExpression(node) &&
    ROUTER_PARAM_NAMES.test(node.name.text) &&
    (ts.isIdentifier(node.expression) || isThisMember(node.expression))
  );
}

function looksLikeRouterParameter(parameter: ts.ParameterDeclaration, file: ProjectFile): boolean {
  if (!isFunctionNode(parameter.parent) || parameter.parent.parameters[0] !== parameter) return false;
  if (parameter.type && ROUTER_PARAM_TYPES.test(parameter.type.getText(file.sourceFile))) return true;
  return ts.isIdentifier(parameter.name) && ROUTER_PARAM_NAMES.test(parameter.name.text);
}
