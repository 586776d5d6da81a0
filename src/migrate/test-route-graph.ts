import { namedRoutePath } from './routes/japa-client.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import { describeRoute } from './routes/decide.js';
import type { CodeRoute } from './routes/model.js';
import { extractNestRoutes } from './routes/nestjs.js';
import { extractNextRoutes } from './routes/nextjs.js';
import {
  compareRanks,
  compareSegments,
  formatSegments,
  OPTIONAL_WILDCARD,
  PARAM,
  parseCodePath,
  WILDCARD,
} from './routes/paths.js';
import { isFunctionNode, type Project, type ProjectFile } from './routes/project.js';
import { Reach } from './routes/reach.js';
import { UNREAD_METHOD, type TestRequest } from './routes/requests.js';
import { extractRouterRoutes } from './routes/graph.js';
import { extractClassAndFileRoutes } from './routes/index.js';
import { registrationAnchor } from './routes/syntax.js';
import { WIRINGS } from './routes/wirings.js';
import { decoratedMembers } from './middleware-403-table.js';
import { importUses, TestAppScope } from './test-app-scope.js';
import { appExpression, TestAppValues } from './test-app-values.js';
import { builtInTests } from './test-built-apps.js';
import type { TestFileLinks } from './test-file-links.js';
import { unique } from './test-nodes.js';
import { lineStart, servedRange, type TextRange } from './test-scopes.js';
import { targetPlaces, type PlaceOptions, type TargetPlace } from './test-target-places.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/** Code some routes run (test-route-graph.ts `otherRoutesCode`): its place, its routes, and whether all of an app's run it. */
interface HandlerSpan {
  start: number;
  end: number;
  routes: Set<CodeRoute>;
  everywhere: boolean;
}

/** A deployment configuration's variable in a route's path or method (`${self:custom.prefix}`). */
const VARIABLE = /\$\{/;
const VARIABLES = /\$\{[^}]*\}/g;

/** The route graph's answers for the test follower, built once (`TestRoutes.graph`). */
interface RouteGraph {
  routes: CodeRoute[];
  segments: Map<CodeRoute, string[][]>;
  sitesByRoute: Map<CodeRoute, Site[]>;
  /** The NestJS routes with the bootstrap's global prefix and versioning (the app main.ts starts). */
  nestRoutes: ReadonlySet<CodeRoute>;
  /** The same routes as a testing module's own app serves them (no global prefix, no versioning). */
  bareNestRoutes: CodeRoute[];
  /**
   * Whether the Nest apps the project's tests build (in a spec or a test helper) are all built without the
   * bootstrap's prefix: then a test file that builds none itself (`async function check(app) {...}` handed
   * the app by its caller) reaches the bare paths too.
   */
  testAppsBare: boolean;
  /** Which routes reach a place of the code. */
  reach: Reach;
}

/**
 * The code routes a test's request reaches and the server sites behind them, for the test follower
 * (test-follow.ts): the `--spec` route graph (router frameworks, NestJS, Next.js, tsoa, routing-controllers,
 * Egg.js; test files included, so a test's own app that mounts product middleware counts), built on first use
 * (only an assertion on a request needs it).
 */
export class TestRoutes {
  private routeGraph?: RouteGraph;
  private routeLines?: Map<string, Set<number>>;
  private spans?: Map<string, HandlerSpan[]>;
  /** Per route a test file registers: the stretch of the file whose requests it serves (null: all of it). */
  private readonly served = new Map<CodeRoute, TextRange | null>();
  private readonly ownAppRoutes = new Map<CodeRoute, boolean>();
  /** Which app a test file's requests go to (the routes of the modules it loads). */
  private readonly apps: TestAppScope;
  /** Which app value of those modules a request is made on (two apps of one module, Nest testing modules). */
  private readonly values: TestAppValues;

  /**
   * @param project the follower's project (every file, tests included)
   * @param links which files are tests and what each imports
   * @param sites the run's non-test sites, each linked to the routes that reach it
   */
  constructor(
    private readonly project: Project,
    private readonly links: TestFileLinks,
    private readonly sites: readonly Site[],
  ) {
    this.apps = new TestAppScope(project, links);
    this.values = new TestAppValues(project, (relative) => links.isTest(relative));
  }

  /** The non-test sites the routes reach (each once, in route order). */
  sitesOf(routes: readonly CodeRoute[]): Site[] {
    return unique(routes.flatMap((r) => this.graph.sitesByRoute.get(r) ?? []));
  }

  /**
   * Places of the code the routes reach that name status `target` (test-target-places.ts): the answer of a
   * server an earlier run already rewrote.
   */
  targetPlaces(routes: readonly CodeRoute[], target: number, options?: PlaceOptions): TargetPlace[] {
    return targetPlaces(
      this.project,
      this.graph.reach,
      routes,
      target,
      (relative) => this.links.isTest(relative),
      options,
    );
  }

  /**
   * Whether code at `position` of `relative` is a decorator's (reach.ts `inDecorator`: `fastify.decorate(
   * 'authenticate', fn)`) that no route `reaches` accepts reads: it runs only for the routes that read its name
   * (`onRequest: [fastify.authenticate]`), never for this request, though the unit under test (the app's
   * factory) reaches it. Before session 41 a test of an unguarded route of such an app followed the decorator's
   * rewrite (and, after a server-only write, read "already answers 401" from it).
   */
  otherRoutesDecorator(relative: string, position: number, reaches: (route: CodeRoute) => boolean): boolean {
    const reach = this.graph.reach;
    if (!reach.inDecorator(relative, position)) return false;
    return ![...reach.routesAt(relative, position)].some(reaches);
  }

  /**
   * The product routes a stand-in copies: for code at `position` of test file `relative` that routes the test
   * code registers run (a stub app's handler in a test helper, `app.get('/admin', fakeHandler)` in a test), each
   * route of a file that is no test with the same method (or `ALL` on either side) and the same path, with the
   * non-test sites it reaches. Empty when no test-code route runs that code or none of them copies a product
   * route. Routes whose path or handlers are not read never match, nor do paths of no literal segment (`/`,
   * `/:id`, `*`): a test server's `GET /` is no copy of an example app's `GET /` (restify's own suite).
   */
  copiedRoutes(relative: string, position: number): { stub: CodeRoute; server: CodeRoute; sites: Site[] }[] {
    const graph = this.graph;
    const stubs = [...graph.reach.routesAt(relative, position)].filter(
      (r) => this.links.isTest(r.file) && !r.prefix && !r.unresolved && !r.unreadable,
    );
    if (!stubs.length) return [];
    const literal = (segment: string): boolean =>
      segment !== PARAM && segment !== WILDCARD && segment !== OPTIONAL_WILDCARD;
    const key = (route: CodeRoute): Set<string> =>
      new Set(
        parseCodePath(route.path, route.syntax)
          .filter((segments) => segments.some(literal))
          .map((segments) => JSON.stringify(segments)),
      );
    const found: { stub: CodeRoute; server: CodeRoute; sites: Site[] }[] = [];
    for (const stub of stubs) {
      const paths = key(stub);
      for (const server of graph.routes) {
        if (this.links.isTest(server.file) || server.prefix || server.unresolved || server.unreadable)
          continue;
        if (stub.method !== server.method && stub.method !== 'ALL' && server.method !== 'ALL') continue;
        if (![...key(server)].some((p) => paths.has(p))) continue;
        const sites = graph.sitesByRoute.get(server) ?? [];
        if (sites.length) found.push({ stub, server, sites });
      }
    }
    return found;
  }

  /**
   * The request path of the route a test names by `identifier` (japa-client.ts): its name (AdonisJS
   * `.as('users.show')`, a resource's name), its handler as written (`'UsersController.show'`), or its pattern
   * (`'/users/:id'`): `/users/{id}`. Undefined when no route, or routes of more than one path, answer to it, or
   * its path has an optional or wildcard part.
   */
  namedPath(identifier: string): string | undefined {
    const pattern = identifier.startsWith('/') ? identifier.replace(/(?<=.)\/+$/, '') : undefined;
    const paths = new Set(
      this.graph.routes
        .filter((r) => (pattern ? r.path === pattern : r.names?.includes(identifier)))
        .map((r) => r.path),
    );
    const [only] = paths;
    return paths.size === 1 && only !== undefined ? namedRoutePath(only) : undefined;
  }

  /** The route graph, built on first use. */
  private get graph(): RouteGraph {
    if (this.routeGraph) return this.routeGraph;
    const nest = extractNestRoutes(this.project);
    const routes = [
      // Path-scoped middleware too: `app.use('/files/:name', serveFile)` answers requests no route matches.
      // And hapi route objects a loader registers at run time (hapi-router): routes of an unknown app.
      ...extractRouterRoutes(this.project, new Map(), { scopedMiddleware: true, loadedRouteObjects: true }),
      ...nest,
      ...extractNextRoutes(this.project),
      ...extractClassAndFileRoutes(this.project),
    ];
    // An e2e test that builds its Nest app from a testing module runs none of the bootstrap's calls: its app
    // answers the controllers' paths without the global prefix (or versions) that main.ts sets.
    const testAppsBare = nest.length > 0 && this.bareTestApps();
    const bareNestRoutes =
      nest.length &&
      (testAppsBare || this.project.files.some((f) => this.links.isTest(f.relative) && buildsNestApp(f)))
        ? extractNestRoutes(this.project, new Map(), { appSettings: false })
        : [];
    const all = [...routes, ...bareNestRoutes];
    // Middleware under a path runs for that path and every path below it.
    const segments = new Map(
      all.map((r) => [
        r,
        parseCodePath(r.path, r.syntax).map((s) => (r.prefix ? [...s, OPTIONAL_WILDCARD] : s)),
      ]),
    );
    const sitesByRoute = new Map<CodeRoute, Site[]>();
    const reach = new Reach(this.project, all);
    for (const site of this.sites)
      for (const route of this.routesOfSite(reach, site)) {
        const reached = sitesByRoute.get(route) ?? [];
        reached.push(site);
        sitesByRoute.set(route, reached);
      }
    return (this.routeGraph = {
      routes,
      segments,
      sitesByRoute,
      nestRoutes: new Set(nest),
      bareNestRoutes,
      testAppsBare,
      reach,
    });
  }

  /**
   * The routes a site answers for: those that reach its place; for an implicit 403 reported at its import
   * (koa-csrf, koa-ip, lusca...), those behind the places the file uses it (`app.use(new CSRF())`).
   */
  private routesOfSite(reach: Reach, site: Site): Set<CodeRoute> {
    const routes = new Set(reach.routesAt(site.file, site.start));
    // A package that decorates the app (fastify-guard's `guard`): the routes that read the member run its check
    // (`preHandler: [fastify.guard.role(['admin'])]`), wherever the plugin is registered. Before session 39 such a
    // route reached no 403 site and its test followed another site's rewrite.
    // Read through a variable too (`const { guard } = fastify`, `const adminOnly = fastify.guard.role([…])`).
    for (const name of decoratedMembers(site.form))
      for (const { file, node } of reach.memberReads(name))
        for (const route of reach.routesAt(file.relative, node.getStart(file.sourceFile))) routes.add(route);
    const file = this.project.byRelative(site.file);
    if (routes.size || !file) return routes;
    for (const use of importUses(file, site.start))
      for (const route of reach.routesAt(site.file, use)) routes.add(route);
    return routes;
  }

  /**
   * The code routes a request made at `position` of test file `from` matches best (method exact, `ALL` and
   * GET-for-HEAD allowed); empty when none matches.
   */
  bestRoutes(request: TestRequest, from: ProjectFile, position: number): CodeRoute[] {
    // A request made once per method (a loop over methods) reaches each method's best routes; when one of its
    // methods matches no route, its server could not be found.
    if (request.methods) {
      const each = request.methods.map((method) =>
        this.bestRoutes({ ...request, method, methods: undefined }, from, position),
      );
      return each.some((routes) => !routes.length) ? [] : unique(each.flat());
    }
    let best: { routes: CodeRoute[]; rank: number[] } | undefined;
    const graph = this.graph;
    for (const route of this.inScope(request, from, position)) {
      for (const segments of graph.segments.get(route) ?? []) {
        const rank = compareSegments(segments, request.segments);
        if (!rank) continue;
        const order = best ? compareRanks(rank, best.rank) : -1;
        if (order < 0) best = { routes: [route], rank };
        else if (order === 0 && best && !best.routes.includes(route)) best.routes.push(route);
      }
    }
    return best?.routes ?? [];
  }

  /**
   * The routes a request whose URL is not read (test-unread-requests.ts) may reach: the endpoints of the app the
   * test loads that take its method (any, when it is not read) and reach a 403 site, each with the request as it
   * would be made to that route (the route's own path). A middleware under a path or a catch-all is no endpoint.
   */
  routesByMethod(
    request: TestRequest,
    from: ProjectFile,
    position: number,
  ): { route: CodeRoute; request: TestRequest }[] {
    const graph = this.graph;
    const methods = request.methods ?? [request.method];
    const found: { route: CodeRoute; request: TestRequest }[] = [];
    // Each call of an app factory is an app of its own (routes/factory-calls.ts): a test that calls `build()` twice
    // reaches each route declaration through both apps. One declaration at one path is one route to name.
    const seen = new Set<string>();
    for (const route of this.inScope(
      { ...request, method: UNREAD_METHOD, methods: undefined },
      from,
      position,
    )) {
      if (route.prefix || !(graph.sitesByRoute.get(route)?.length ?? 0)) continue;
      if (route.method !== 'ALL' && !methods.some((m) => m === UNREAD_METHOD || m === route.method)) continue;
      const segments = (graph.segments.get(route) ?? []).find(
        (s) => !s.includes(WILDCARD) && !s.includes(OPTIONAL_WILDCARD),
      );
      if (!segments) continue;
      const method =
        route.method !== 'ALL' ? route.method : methods.length === 1 ? request.method : UNREAD_METHOD;
      const key = `${route.method} ${route.file}:${route.line} ${segments.join('/')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ route, request: { method, segments, call: request.call } });
    }
    return found;
  }

  /**
   * The routes a request made at `position` of test file `from` may reach whatever its path: those of the app it
   * loads (and the app value it is made on), a test file's own routes only for its own requests, with the
   * request's method (any when it is not read).
   */
  private inScope(request: TestRequest, from: ProjectFile, position: number): CodeRoute[] {
    const graph = this.graph;
    const all =
      graph.bareNestRoutes.length && this.reachesBareApp(from)
        ? [...graph.routes.filter((r) => !graph.nestRoutes.has(r)), ...graph.bareNestRoutes]
        : graph.routes;
    // The request goes to the app the test loads (`request(app)` with `app` from `require('./app')`), never to a
    // route of the same path in another app of the repo; by path across the repo only when it loads none.
    const loaded = this.apps.routesOfApp(from, all) ?? all;
    // Of those, the routes of the app value the request is made on (`pub.request('/x')` beside `admin`).
    const narrowed = this.values.narrow(from, request, loaded) ?? loaded;
    // An app test code builds and hands no product code (`const fake = express()`, `request(stubApp())`) serves
    // the routes test code registers: a product route of the same path is not what its request reaches (session
    // 48 named `request(fake).get('/admin')` as also reaching the server's).
    // And a request on another app (the product's) never reaches a route test code registers on such an app.
    const own = this.ownApp(from, request);
    const candidates = narrowed.filter((r) =>
      own ? this.links.isTest(r.file) : !request.call || !this.onOwnApp(r),
    );
    const foreign = this.foreignCopies(from, candidates);
    return candidates.filter((route) => {
      if (route.unresolved) return false;
      // A route one test (or suite) of this file registers serves only that test's (suite's) requests.
      if (route.file === from.relative && this.links.isTest(route.file)) {
        const served = this.servedBy(from, route);
        if (served && (position < served.start || position >= served.end)) return false;
      }
      // A test file's own server (a fake backend, a stub app) serves that file's requests and those of the
      // files importing it, never another test file's requests to the product.
      if (
        route.file !== from.relative &&
        this.links.isTest(route.file) &&
        !this.links.importsOf(from).has(route.file)
      )
        return false;
      // The same product route under another test file's app and prefix is not this test's (see foreignCopies).
      if (foreign.has(route)) return false;
      return route.method === request.method || route.method === 'ALL' || request.method === UNREAD_METHOD;
    });
  }

  /**
   * Whether the code at `position` of test file `relative` runs only for routes that test code registers (a stand-in
   * app's handler) and none of them is among `routes`, the routes a request reaches: that 403 is another app's.
   */
  otherAppsOnly(relative: string, position: number, routes: readonly CodeRoute[]): boolean {
    const at = [...this.graph.reach.routesAt(relative, position)];
    return at.length > 0 && at.every((r) => this.links.isTest(r.file) && !routes.includes(r));
  }

  /**
   * Whether a route test code registers is registered on an app test code builds (`fake.get('/admin', h)` with
   * `const fake = express()`): the receiver of the registration call on its line. Cached per route.
   */
  private onOwnApp(route: CodeRoute): boolean {
    if (!this.links.isTest(route.file)) return false;
    const cached = this.ownAppRoutes.get(route);
    if (cached !== undefined) return cached;
    const file = this.project.byRelative(route.file);
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && file) {
        const anchor = registrationAnchor(node).getStart(file.sourceFile);
        if (lineAndCharacterAt(file.sourceFile, anchor).line + 1 === route.line) {
          const receiver = node.expression.expression;
          found = builtInTests(this.project, (relative) => this.links.isTest(relative), file, receiver);
          if (found) return;
        }
      }
      node.forEachChild(visit);
    };
    if (file) visit(file.sourceFile);
    this.ownAppRoutes.set(route, found);
    return found;
  }

  /** Whether the request is made on an app test code builds (test-built-apps.ts). */
  private ownApp(from: ProjectFile, request: TestRequest): boolean {
    const app = request.call && appExpression(request.call);
    return !!app && builtInTests(this.project, (relative) => this.links.isTest(relative), from, app);
  }

  /**
   * Copies of one product route served by several apps (`Fastify().register(App, { prefix: '/v1' })` in one
   * test file, fastify-cli's `helper.build([AppPath])` in test/helper.ts for others) that the test file `from`
   * does not build: an app rooted in another test file it does not import. Only for a registration served by two
   * apps or more: a route of one app keeps its place whatever file the graph roots that app in (a hapi server a
   * product factory builds, rooted where a test hands it on).
   */
  private foreignCopies(from: ProjectFile, candidates: readonly CodeRoute[]): Set<CodeRoute> {
    const copies = new Map<string, CodeRoute[]>();
    for (const route of candidates) {
      const key = `${route.file}:${route.line}:${route.method}`;
      const list = copies.get(key);
      if (list) list.push(route);
      else copies.set(key, [route]);
    }
    const foreign = new Set<CodeRoute>();
    const imports = this.links.importsOf(from);
    const isForeign = (route: CodeRoute): boolean =>
      route.app !== undefined &&
      route.app !== from.relative &&
      this.links.isTest(route.app) &&
      !imports.has(route.app);
    for (const list of copies.values()) {
      if (list.length < 2 || new Set(list.map((r) => r.app)).size < 2) continue;
      for (const route of list) if (isForeign(route)) foreign.add(route);
    }
    return foreign;
  }

  /**
   * The apps (one route file of each) whose routes a request of test file `from` matches by path alone,
   * when the test loads no route file (its app could not be resolved) and the routes lie in apps no module
   * ties together; empty otherwise. Such a request may go to either app: its assertion is manual.
   */
  severalApps(routes: readonly CodeRoute[], from: ProjectFile): string[] {
    if (this.apps.routesOfApp(from, routes)) return [];
    return this.apps.separateApps(routes);
  }

  /**
   * A route whose method and path are read but whose code is not (`handlerUnread`: an AWS CDK route whose Lambda
   * function comes from a stack prop, another stack's export, a handler file not among the sources) that a request
   * of test file `from` may reach as well as or better than `routes` (its best read routes; empty: none matches):
   * its code may answer the request, so what the read routes answer is not all. A more specific such route beats
   * a greedy `{proxy+}` match; a less specific one loses to a read route. Returns that route (its `unresolved`
   * says why it is unread).
   */
  unreadHandlerMayServe(
    request: TestRequest,
    from: ProjectFile,
    routes: readonly CodeRoute[],
  ): (CodeRoute & { unresolved: string }) | undefined {
    const graph = this.graph;
    const methods = request.methods ?? [request.method];
    const rankOf = (route: CodeRoute): number[] | undefined => {
      let best: number[] | undefined;
      for (const segments of graph.segments.get(route) ?? []) {
        const rank = compareSegments(segments, request.segments);
        if (rank && (!best || compareRanks(rank, best) < 0)) best = rank;
      }
      return best;
    };
    let bar: number[] | undefined;
    for (const route of routes) {
      const rank = rankOf(route);
      if (rank && (!bar || compareRanks(rank, bar) < 0)) bar = rank;
    }
    const candidates = this.apps.routesOfApp(from, graph.routes) ?? graph.routes;
    // A route whose path or method holds a deployment variable (serverless.yml `path: /${self:custom.prefix}/admin`):
    // the variable may be any segments and the method any, so a request its written parts match may be its.
    const variable = candidates.find(
      (route) =>
        route.unreadable &&
        route.unresolved !== undefined &&
        VARIABLE.test(`${route.method} ${route.path}`) &&
        (VARIABLE.test(route.method) ||
          route.method === 'ALL' ||
          methods.some((m) => m === UNREAD_METHOD || m === route.method)) &&
        parseCodePath(route.path.replace(VARIABLES, '*'), route.syntax).some(
          (segments) => compareSegments(segments, request.segments) !== undefined,
        ),
    );
    if (variable && isUnread(variable)) return variable;
    return candidates.find((route): route is CodeRoute & { unresolved: string } => {
      if (!route.handlerUnread || !isUnread(route)) return false;
      if (route.method !== 'ALL' && !methods.some((m) => m === UNREAD_METHOD || m === route.method))
        return false;
      const rank = rankOf(route);
      return rank !== undefined && (!bar || compareRanks(rank, bar) <= 0);
    });
  }

  /**
   * Whether a route whose path the graph could not read (`unresolved`: a prefix computed at run time, an
   * untraced receiver) may serve the request with a method it takes, and reaches a 403 site: then a request no
   * route matches may still be one of its, and what the app runs for every path is not all that answers it.
   * Returns why that route's path is unread (the first such route), else undefined.
   */
  unreadRouteMayServe(request: TestRequest): string | undefined {
    const methods = request.methods ?? [request.method];
    // The part of its path the route spells out is the end of the request's path (the prefix is unknown).
    const tailMatches = (route: CodeRoute): boolean =>
      (this.graph.segments.get(route) ?? []).some(
        (segments) =>
          segments.length <= request.segments.length &&
          compareSegments(segments, request.segments.slice(request.segments.length - segments.length)) !==
            undefined,
      );
    return this.graph.routes.find(
      (route) =>
        route.unresolved !== undefined &&
        (route.method === 'ALL' || methods.some((m) => m === UNREAD_METHOD || m === route.method)) &&
        (this.graph.sitesByRoute.get(route)?.length ?? 0) > 0 &&
        tailMatches(route),
    )?.unresolved;
  }

  /**
   * Whether `node` is an argument of a call that registers a route of the graph (`app.post('/admin', h)`,
   * `server.route({ method, path, handler })`, `fastify.route({ url, handler })`, Hono's `.get('/x', h)` of a
   * chain): the code only a request on that route runs, never one no route serves (a 404 runs the app's
   * path-less middleware alone). Read from where the graph's routes (not path-scoped middleware) are
   * registered: a call whose method name (`post` of `app\n  .post(…)`, where routes/compose.ts dates a route;
   * not the call's start, which a chain written over several lines puts on its first line) lies on a route's
   * registration line, whose first argument is no function and that is no `.use(...)` (path-less middleware
   * written on the same line).
   */
  routeArgument(file: ProjectFile, node: ts.Node): boolean {
    const call = node.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.some((a) => a === node)) return false;
    const lines = this.registrationLines.get(file.relative);
    if (!lines) return false;
    const first = call.arguments[0];
    if (!first || isFunctionNode(first)) return false;
    if (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'use') return false;
    const anchor = registrationAnchor(call).getStart(file.sourceFile);
    return lines.has(lineAndCharacterAt(file.sourceFile, anchor).line + 1);
  }

  /**
   * Whether `node` of `file` is code that only routes `reaches` refuses run: it lies inside the code some routes
   * of the graph run (a handler, route-level middleware, a guard: `CodeRoute.handlers`), none of which `reaches`
   * accepts. Code every route of an app runs (an `onRequest` hook, app-level middleware) also runs for a request
   * no route serves, and is never skipped. A unit walk for a request leaves the rest out (test-unit-walk.ts): a
   * hapi `createServer()` reaches every route's handler through its router plugin (past the walk's limit of
   * 1,000 declarations on DEFRA/forms-designer) while a request runs one route's. Path-scoped middleware and
   * the code of a route of any method (`ALL`) are never skipped.
   */
  otherRoutesCode(file: ProjectFile, node: ts.Node, reaches: (route: CodeRoute) => boolean): boolean {
    const spans = this.handlerSpans.get(file.relative);
    if (!spans) return false;
    const start = node.getStart(file.sourceFile);
    const end = node.getEnd();
    let other = false;
    for (const span of spans) {
      if (span.start > start || end > span.end) continue;
      // A route of any method (`ALL /*`: a plugin the graph cannot see into, a catch-all) may run for this
      // request as well as the one it matches best: its code is read.
      if (span.everywhere || [...span.routes].some((r) => r.method === 'ALL' || reaches(r))) return false;
      other = true;
    }
    return other;
  }

  /** Per file, the code spans of the graph's routes (not path-scoped middleware), each with the routes running it. */
  private get handlerSpans(): Map<string, HandlerSpan[]> {
    if (this.spans) return this.spans;
    const byKey = new Map<string, HandlerSpan & { file: string }>();
    const perApp = new Map<string | undefined, number>();
    const routes = this.graph.routes.filter((r) => !r.prefix);
    for (const route of routes) {
      perApp.set(route.app, (perApp.get(route.app) ?? 0) + 1);
      for (const span of route.handlers) {
        const key = `${span.file}:${span.start}:${span.end}`;
        const known = byKey.get(key) ?? { ...span, routes: new Set<CodeRoute>(), everywhere: false };
        known.routes.add(route);
        byKey.set(key, known);
      }
    }
    const out = new Map<string, HandlerSpan[]>();
    for (const span of byKey.values()) {
      // Run by every route of each app it serves: an app-level hook, not one route's code.
      const apps = new Map<string | undefined, number>();
      for (const r of span.routes) apps.set(r.app, (apps.get(r.app) ?? 0) + 1);
      span.everywhere = [...apps].every(([app, count]) => count >= (perApp.get(app) ?? 0));
      const list = out.get(span.file) ?? [];
      list.push(span);
      out.set(span.file, list);
    }
    return (this.spans = out);
  }

  /** Per file, the lines where the graph's routes (not path-scoped middleware) are registered. */
  private get registrationLines(): Map<string, Set<number>> {
    if (this.routeLines) return this.routeLines;
    const out = new Map<string, Set<number>>();
    for (const route of this.graph.routes) {
      if (route.prefix) continue;
      const lines = out.get(route.file) ?? new Set<number>();
      lines.add(route.line);
      out.set(route.file, lines);
    }
    return (this.routeLines = out);
  }

  /**
   * Whether every Nest app the tests build (`createNestApplication` in a test file or test helper) lacks a
   * global prefix and versioning: neither set in the builder itself nor in a project file it imports (a
   * shared `setupApp(app)` that main.ts calls too). False when no test builds one.
   */
  private bareTestApps(): boolean {
    const builders = this.project.files.filter(
      (f) => this.links.isTest(f.relative) && f.sourceFile.text.includes('createNestApplication'),
    );
    if (!builders.length) return false;
    return builders.every(
      (f) =>
        buildsNestApp(f) &&
        [...this.links.importsOf(f)].every((relative) => {
          const text = this.project.byRelative(relative)?.sourceFile.text ?? '';
          return !text.includes('setGlobalPrefix') && !text.includes('enableVersioning');
        }),
    );
  }

  /** Whether a test file's requests go to a Nest app built from a testing module without the bootstrap's prefix. */
  private reachesBareApp(file: ProjectFile): boolean {
    const text = file.sourceFile.text;
    if (text.includes('createNestApplication')) return buildsNestApp(file);
    return this.graph.testAppsBare && !text.includes('setGlobalPrefix') && !text.includes('enableVersioning');
  }

  /** Where in its own test file a route the file registers serves requests (undefined: the whole file). */
  private servedBy(file: ProjectFile, route: CodeRoute): TextRange | undefined {
    let served = this.served.get(route);
    if (served === undefined) {
      served = servedRange(file.sourceFile, lineStart(file.sourceFile, route.line)) ?? null;
      this.served.set(route, served);
    }
    return served ?? undefined;
  }
}

/**
 * Whether a test file builds its own NestJS app from a testing module (`moduleFixture.createNestApplication()`)
 * and sets neither a global prefix nor versioning on it: its requests go to the controllers' bare paths.
 */
function buildsNestApp(file: ProjectFile): boolean {
  const text = file.sourceFile.text;
  return (
    text.includes('createNestApplication') &&
    !text.includes('setGlobalPrefix') &&
    !text.includes('enableVersioning')
  );
}

/** `GET /x`, or `/x (its method could not be read)` for a request whose options do not show it. */
export function requestName(request: TestRequest): string {
  const path = formatSegments(request.segments);
  if (request.methods) return `${request.methods.join('|')} ${path}`;
  return request.method === UNREAD_METHOD
    ? `${path} (its method could not be read)`
    : `${request.method} ${path}`;
}

/**
 * A request whose method the test does not spell out matches the routes of every method on its path: when
 * they are not all of one method, which one it reaches is for a person.
 */
export function unreadMethod(request: TestRequest, routes: readonly CodeRoute[]): string | undefined {
  if (request.method !== UNREAD_METHOD || request.methods) return undefined;
  const methods = [...new Set(routes.map((r) => r.method))];
  if (methods.length <= 1) return undefined;
  return `on ${formatSegments(request.segments)} whose method could not be read: it may reach ${unique(routes.map(describeRoute)).join(', ')}`;
}

/** What a request reaches, for reasons: `route GET /a (app.ts:3)`, `middleware under /files (app.ts:5)`. */
export function routesVia(routes: readonly CodeRoute[]): string {
  return unique(routes.map((r) => (r.prefix ? describeRoute(r) : `route ${describeRoute(r)}`))).join(', ');
}

/**
 * Why no route matches, when the project is a framework's own repository (package.json `name` is a package the
 * route graph reads apps from: `express`, `hono`, ...): its tests and examples build apps from the framework's
 * source (`require('../../')`, `import { Hono } from '../../hono'`), read as that framework's apps only where the
 * factory is one the package exports (own-package.ts); an app built any other way is not traced.
 * `'this is the repository of hono, ...'`, or '' for any other project.
 */
export function ownFrameworkNote(cwd: string): string {
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { name?: unknown }).name;
  } catch {
    return '';
  }
  if (typeof name !== 'string' || !WIRINGS.some((w) => Object.hasOwn(w.creations, name))) return '';
  return `this is the repository of ${name}, whose tests build apps from its own source: only an app made by a factory the package exports is read as a ${name} app`;
}

/** Whether the route says why its code (or path) is not read. */
function isUnread(route: CodeRoute): route is CodeRoute & { unresolved: string } {
  return route.unresolved !== undefined;
}
