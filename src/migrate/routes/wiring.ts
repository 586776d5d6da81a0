import type ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import type { PathSyntax } from './paths.js';
import type { DocumentFiles } from './document-files.js';
import type { Project, ProjectFile } from './project.js';
import type { OptionTemplate, PluginOptions } from './plugin-options.js';

/**
 * The contract between the router graph (graph.ts) and one framework's route wiring (express.ts, koa.ts,
 * hono.ts, fastify.ts, hapi.ts): which calls create routers, which calls register routes, mounts and
 * plugins. Adding a router framework is one module implementing `RouteWiring`, listed in wirings.ts.
 */

/** What a factory call or constructor makes: an app (a root of the mount tree) or a router. */
export interface Creation {
  framework: string;
  kind: 'app' | 'router';
  syntax: PathSyntax;
  /** The option of the constructor's first argument that prefixes the routes (default `prefix`; itty-router `base`). */
  prefixOption?: string;
}

/**
 * A mount prefix: a static path, or the source text of one computed at run time; `template` when that text is
 * built from the options of the plugin it is written in (`register(sub, { prefix: opts.base })`), which each
 * registration of that plugin fills in (compose.ts).
 */
export type Prefix = string | { dynamic: string; template?: OptionTemplate };

/** What a router registers, in source order. */
export type Entry =
  | {
      kind: 'route';
      method: string;
      paths: (string | undefined)[];
      handlers: Span[];
      file: ProjectFile;
      node: ts.Node;
      /** Where the registration is written, when `node` does not tell (a route fact: `node` is its file). */
      anchor?: number;
      /**
       * For each path computed at run time (`undefined` in `paths`), the template it spells over the options of
       * its plugin function (``app.get(`${opts.base}/x`, h)``), filled per registration (plugin-options.ts).
       */
      templates?: (OptionTemplate | undefined)[];
      /**
       * For each path computed at run time, the static tail it ends with (``${base}/messages/:id`` →
       * `/messages/:id`, path-tails.ts): the part a request's path is known to end with.
       */
      tails?: (string | undefined)[];
      /**
       * Why the code that answers it is hidden (handler-arguments.ts `unseenHandlers`): no argument after the path
       * is a handler mtls-fix reads (`app.get('/x', ...handlers)` with `handlers` a parameter).
       */
      unseen?: string;
      /** The security check a library runs for an operation, not a route (model.ts `CodeRoute.securityCheck`). */
      securityCheck?: string;
    }
  | {
      kind: 'middleware';
      spans: Span[];
      all: boolean;
      file: ProjectFile;
      node: ts.Node;
      /** `use('/docs', mw)`: runs only for the paths under this one (relative to its router); absent: all. */
      under?: string;
      /**
       * With `all`: runs for every route of the outermost app the router is mounted in, not only its own (a hapi
       * `server.ext()` in a plugin, whose `sandbox` defaults to `'server'`).
       */
      serverWide?: true;
    }
  | {
      kind: 'mount';
      path: Prefix;
      child: RouterNode;
      file: ProjectFile;
      node: ts.Node;
      /**
       * The child runs in the parent's own context (a Fastify plugin wrapped with `fastify-plugin`, an
       * autoload `autohooks` file): its hooks apply to every route of the parent too.
       */
      shared?: boolean;
      /** The child is the parent router itself, handed to a helper (`pre(app)`): its middleware stays registered. */
      same?: boolean;
      /**
       * Below the child, `by` is walked where `child` is mounted: a factory's call (`getApp()` returning `new
       * Hono().basePath('/api')`) serves its own copy of the app the factory makes, holding the call's router
       * (what the caller registers) in the place of the base-path child the factory returns (graph.ts `instanceAt`).
       */
      replaces?: { child: RouterNode; by: RouterNode };
      /** The options this registration gives the plugin function (Fastify / hapi `register`), for its templates. */
      options?: PluginOptions;
    }
  /** A registration whose route could not be read (a regex path, a route object built at run time). */
  | {
      kind: 'unread';
      method: string;
      why: string;
      handlers: Span[];
      file: ProjectFile;
      node: ts.Node;
      /** The path below the router the registration answers, when the code names it (else every path, `*`). */
      path?: string;
      /** Its method and path are known, only its handler is not (model.ts `CodeRoute.handlerUnread`). */
      handlerUnread?: true;
    };

/** One router (or app, or a parameter that receives one) and what it registers. */
export interface RouterNode {
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

/** A function the code declares, with its file. */
export interface FunctionRef {
  file: ProjectFile;
  node: ts.SignatureDeclaration & { body?: ts.Node };
}

/** What the router graph offers a wiring module while it reads calls. */
export interface RouterGraphApi {
  readonly project: Project;
  /** The YAML and JSON files this run reads (OpenAPI documents, their `$ref`d files), each parsed once. */
  readonly documents: DocumentFiles;
  /** Every router node read so far. */
  allRouters(): RouterNode[];
  /** The router an expression evaluates to, if the code shows one. */
  routerOf(file: ProjectFile, expression: ts.Expression): RouterNode | undefined;
  /** The functions an expression names (declarations, variables holding functions, imports, `fp(fn)`). */
  functionsOf(file: ProjectFile, expression: ts.Expression): FunctionRef[];
  /** What a name or import evaluates to, one step. */
  valuesOf(file: ProjectFile, expression: ts.Expression): { file: ProjectFile; node: ts.Node }[];
  /**
   * The functions a loop variable takes from the list it iterates (`fn` of `list.forEach((fn) => fn(router))`;
   * route-lists.ts `iteratedFunctions`); empty for any other callee.
   */
  iteratedFunctions(file: ProjectFile, callee: ts.Expression): FunctionRef[];
  /** A path argument: one string, an array of them; `undefined` entries are computed at run time. */
  paths(file: ProjectFile, expression: ts.Expression | undefined): (string | undefined)[];
  /** The router node made at `at` (created on first use). */
  node(file: ProjectFile, at: ts.Node, creation: Creation, suffix?: string): RouterNode;
  addRoute(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    method: string,
    paths: (string | undefined)[],
    handlers: ts.Expression[],
    /** The path argument, read for plugin option templates when a path is computed at run time. */
    pathArgument?: ts.Expression,
  ): void;
  /** `router.use('/p', child)`: the child under each path the argument spells (`undefined`: at the root). */
  addMount(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    pathArgument: ts.Expression | undefined,
    child: RouterNode,
  ): void;
  /**
   * `use(path?, child)` / `route(path, child)` called in a loop over a table of routers (`routes.forEach((r)
   * => app.route('/', r))`): one mount per element; false when the child is not read from such a loop.
   */
  mountTable(router: RouterNode, file: ProjectFile, call: ts.CallExpression): boolean;
  /** A mount at a known (or run-time) prefix, the child counted as mounted once. */
  mountAt(router: RouterNode, file: ProjectFile, call: ts.Node, path: Prefix, child: RouterNode): void;
  /** `x.route(path, child)` on a receiver that is no traced app or router: the child is mounted, not a root. */
  mountedOnUntraced(
    child: RouterNode,
    file: ProjectFile,
    call: ts.CallExpression,
    pathArgument: ts.Expression,
  ): void;
  addMiddleware(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    spans: Span[],
    all: boolean,
    under?: string,
    /** With `all`: the spans run for every route of the outermost app (the `serverWide` entry). */
    serverWide?: boolean,
  ): void;
  /**
   * A registration the graph saw but could not read: reported, never silently dropped. `path`: what it answers
   * below the router when the code names it (`/v2/*` under a plugin's `{ prefix: '/v2' }`), else `*`.
   */
  addUnread(
    router: RouterNode,
    file: ProjectFile,
    call: ts.Node,
    method: string,
    why: string,
    handlers: ts.Expression[],
    path?: string,
  ): void;
  /** The wiring an untyped receiver in `file` belongs to: the first framework the file imports, else Express. */
  guessWiring(file: ProjectFile): RouteWiring;
  /**
   * A route registered on a receiver the graph cannot trace to an app or router: kept, marked unreadable.
   * `receiver`: the expression it is registered on, so the middleware registered on the same receiver runs for it.
   */
  addUntracedRoute(route: CodeRoute, receiver?: { file: ProjectFile; expression: ts.Expression }): void;
  /**
   * Middleware or an error handler (`all`: it runs whatever its order) registered on a receiver the graph cannot
   * trace: it runs for the untraced routes registered on the same receiver (untraced-receivers.ts).
   */
  addUntracedMiddleware(
    file: ProjectFile,
    call: ts.Node,
    receiver: ts.Expression,
    spans: Span[],
    all: boolean,
  ): void;
  /** A router a receiver the graph cannot trace mounts at its root (`app.use(router.routes())`), at `call`. */
  addUntracedChild(file: ProjectFile, call: ts.Node, receiver: ts.Expression, child: RouterNode): void;
  /**
   * Parameter `index` of `fn` receives `parent` (a plugin, a helper taking the app) under `prefix`;
   * `shared`: the function runs in the parent's own context (see the `shared` mount).
   */
  linkParameter(
    parent: RouterNode,
    fn: FunctionRef,
    prefix: Prefix,
    at: ts.Node,
    file: ProjectFile,
    index?: number,
    shared?: boolean,
    options?: PluginOptions,
  ): void;
  /**
   * Fastify `register(plugin, { prefix })` / hapi `register(plugin | { plugin, routes: { prefix } } | [...])`.
   * `sharedPlugin` tells a plugin that runs in the parent's context (Fastify `fastify-plugin`): it is linked
   * without the prefix (Fastify ignores it there) and its hooks apply to the parent's routes.
   */
  registerPlugins(
    parent: RouterNode,
    file: ProjectFile,
    call: ts.CallExpression,
    sharedPlugin?: (file: ProjectFile, plugin: ts.Expression) => boolean,
    /** Fastify: the call's second argument is the plugin's options (hapi: `{ plugin, options }` only). */
    argumentOptions?: boolean,
  ): void;
}

/** Handles `receiver.NAME(...)`; returns true when the call was this framework's and is done. */
export type CallHandler = (
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
) => boolean;

/** One framework's route wiring. */
export interface RouteWiring {
  framework: string;
  syntax: PathSyntax;
  /** Router factories and constructors, by the package they come from (`member`: `express.Router` -> `Router`). */
  creations: Record<string, (member: string | undefined, isNew: boolean) => Creation | undefined>;
  /** Packages whose import makes an untyped router parameter in that file this framework's. */
  modules: RegExp;
  /** Methods that return their receiver (or the same router), so chains stay on it (`router.routes()`). */
  chainable?: readonly string[];
  /**
   * Names of `chainable`, `links` or `registrations` so common in other code (`resolve`, `add`, `error`) that a
   * function body using them is still trimmed by the `--spec` skeleton (skeleton.ts `wiringMethodNames`): they
   * register nothing a trimmed body could reach (such a body names no router from outside it).
   */
  trimSafe?: readonly string[];
  /** Methods that derive a new router from the receiver (Hono `basePath`). */
  derived?: Record<
    string,
    (
      graph: RouterGraphApi,
      file: ProjectFile,
      call: ts.CallExpression,
      receiver: ts.Expression,
    ) => RouterNode | undefined
  >;
  /** Calls that link plugins or helper parameters to routers (run first, to a fixed point). */
  links?: Record<string, CallHandler>;
  /** Calls that register routes, middleware or mounts (run after the links). */
  registrations?: Record<string, CallHandler>;
  /**
   * After all registrations: turns routers the scanned code never mounts into apps when something outside the
   * code mounts them at a known place (the plugin `fastify start app.js` loads).
   */
  roots?: (graph: RouterGraphApi) => void;
}

/** Parameter names the route graph takes for a router when nothing else says what the parameter is. */
export const ROUTER_PARAM_NAMES = /^(fastify|app|server|instance|router|api|routes|plugin)$/i;
/** Parameter types that make a parameter a router (`app: FastifyInstance`, `router: Router`). */
export const ROUTER_PARAM_TYPES =
  /\b(FastifyInstance|FastifyPluginAsync|Router|Express|Application|Hono|Server)\b/;

/** Route methods every router framework here spells as `router.METHOD(path, ...handlers)`. */
export const METHODS = new Set([
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
