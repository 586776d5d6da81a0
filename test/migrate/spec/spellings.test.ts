import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Issue 9 §1/§2, sibling spellings of each idiom (test/fixtures/spec-projects/spellings-*): the ones a first
// reading handled only in the example's spelling. Each project mixes mTLS and public operations; `// expect:`
// marks every 403 line (`tests=` for assertions under --include-tests). No --mount.
const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: { method: string; path: string }[];
    ambiguous: unknown[];
    unresolved: {
      method: string;
      path: string;
      file: string;
      line: number;
      reason: string;
      byHand?: boolean;
      count?: number;
    }[];
    leftAlone?: { file: string; line: number; form: string }[];
  };
}

/** Runs `migrate --spec` on a copy of the project; checks every marked line (`kinds` read in turn, later ones win). */
async function run(name: string, kinds: string[], ...args: string[]): Promise<Report> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', 'openapi.yaml', ...args], {
    cwd: dir,
  });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = new Map(kinds.flatMap((kind) => [...specMarkers(dir, kind)]));
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}

const routesOf = (report: Report): string[] =>
  report.coverage.handled
    .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
    .sort();

describe('migrate --spec reads sibling spellings of each idiom', () => {
  it('module resolution: solution-style tsconfig references, `$`-aliases, `.js` specifiers, `.default` of a require', async () => {
    const report = await run('spellings-resolve', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /api/cards/:id src/legacy/cards.ts:4', // `$legacy/*` in the referenced tsconfig.app.json
      'GET /api/items/:id src/routes/items.ts:4', // `~/routes/items.js`
      'GET /api/loans/:id src/routes/loans.ts:4', // require('~/routes/loans') then `loans.default`
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  // breaker35 #03: `module.exports = { isAdmin: isAdmin }` and `isAdmin = fn` (a script's implicit global) were not
  // followed from the route, so the middleware's 403 read "no mTLS operation reaches (left alone)".
  it('middleware exported by name in every shape: key: value, quoted and computed keys, renamed, implicit globals, chained, Object.assign, wrapped, a static method, export default { k: v }, export { x as y }; Express, Koa, Fastify preHandler / onRequest, hapi pre', async () => {
    const report = await run('spellings-exported-middleware', ['plain']);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    // bezkoder/node-js-jwt-auth's table: isModerator (GET /x/mod only) and an unused helper are not /x/admin's
    expect((report.coverage.leftAlone ?? []).map((s) => `${s.file}:${s.line}`).sort()).toEqual([
      'src/mw/authJwt.js:13',
      'src/mw/authJwt.js:18',
    ]);
    // keys made at run time: the chain member is not followed, so its module's 403 is named, not left alone
    expect(report.sites.find((s) => s.file === 'src/mw/run-time-keys.js')?.reason).toContain(
      'handler chain names factory.isAdmin (src/express.js:30)',
    );
  });

  it('modules loaded as values: `import()` given to register, `(await import()).default`, a namespace re-exported with `export * as`', async () => {
    const report = await run('spellings-module-loads', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /api/cards/:id src/routes/cards.ts:3', // app.use('/api/cards', (await import('./routes/cards.js')).default)
      'GET /api/loans/:id src/routes/loans.ts:3', // const loans = await import(...); loans.loansRouter
      'GET /api/orders/:id src/routes/orders.ts:3', // routers.all.orders, `export * as all from './bundle.js'`
      'GET /open-banking/accounts/:id src/fastify/accounts.ts:3', // register(import('./accounts.js'), { prefix })
      'GET /open-banking/consents/:id src/fastify/consents.ts:3', // register(await import('./consents.js'), ...)
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it("a project's own method named `register` that receives a router (not Fastify's nor hapi's register)", async () => {
    const report = await run('spellings-register-methods', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /api/accounts/:id src/express-accounts.ts:4', // accounts.register(router), a class method
      'GET /fy/consents/:id src/fastify-app.ts:5', // consentRoutes.register(scoped) inside a plugin
      'POST /koa/payments src/koa-payments.ts:4', // new PaymentRoutes().register({ router: api })
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it("swagger-jsdoc blocks: the 403 key of an mTLS route's block follows it, a public route's stays", async () => {
    const report = await run('spellings-jsdoc-blocks', ['plain']);
    expect(routesOf(report)).toEqual(['GET /api/accounts/:id src/app.ts:13']);
    expect(report.coverage.leftAlone?.map((s) => `${s.file}:${s.line}`).sort()).toEqual([
      'src/app.ts:23',
      'src/app.ts:27',
    ]);
  });

  it('routers as members: spreads, renamed members, destructuring, string keys, tables mounted in loops, koa-mount, a prefix passed to a helper, module objects, router arrays', async () => {
    const report = await run('spellings-members', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /api/cards/:id src/routes/cards.ts:4', // const { cards } = routers
      'GET /api/items/:id src/routes/items.ts:4', // { ...base } where base = { items: itemsRouter }
      'GET /api/limits/:id src/register.ts:5', // registerLimits(app, '/api'): `${base}/limits/:id`
      'GET /api/loans/:id src/routes/loans.ts:4', // routers['loans']
      'GET /api/orders/:id src/routes/orders.ts:4', // `/api${ordersModule.path}`, [audit, ordersModule.router]
      'GET /api/payments/:id src/routes/payments.ts:4', // for (const entry of table) app.use(`/api${entry.path}`, …)
      'GET /api/quotes/:id src/app.ts:26', // registerQuotes(app, '/api'), one of two calls
      'GET /kmount/refunds/:id src/koa/refunds.ts:5', // app.use(mount('/kmount', refundsApp)), koa-mount
      'GET /koa/transfers/:id src/koa/transfers.ts:4', // for (const [path, router] of Object.entries({...}))
      'GET /v2/consents/:id src/routes/consents.ts:4', // Object.entries(v2).forEach(([prefix, router]) => …)
      'GET /v2/statements/:id src/routes/statements.ts:4',
    ]);
    // registerQuotes is called with two prefixes: a route per call (since session 31; before, one entry for review
    // by hand standing for both calls). /v2/quotes/:id is in no operation: the shared handler's 403 is manual.
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([
      expect.objectContaining({ method: 'GET', path: '/v2/quotes/:id', file: 'src/app.ts', line: 27 }),
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('class instances: a router in a field of another class, a route helper method of an instance, controllers exported as instances', async () => {
    const report = await run('spellings-class-instances', ['plain']);
    expect(routesOf(report)).toEqual([
      // router.use('/api', this.apiRouter.router), ApiRouter's constructor: this.router = express();
      // LibraryController.findOne.bind(this) with module.exports = new LibraryController()
      'GET /base/api/libraries/:id server/routers/ApiRouter.js:12',
      'POST /base/login server/Auth.js:6', // await this.auth.initAuthRoutes(router), this.auth = new Auth()
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('hono-open-api-starter: routers from one factory, mounted from a table; a mount cycle is listed', async () => {
    const report = await run('spellings-hono-starter', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /api/tasks/:id src/routes/tasks/tasks.index.ts:6',
      'PATCH /api/tasks/:id src/routes/tasks/tasks.index.ts:7',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // The public operations are matched too (their sites are left alone): nothing unmatched.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`)).toEqual([
      'GET /tasks/:id src/cycle.ts:8',
    ]);
    expect(report.coverage.unresolved[0]?.reason).toContain('cycle of mounts');
  });
});

describe('migrate --spec reads OpenAPI-first handler maps passed to use()', () => {
  it('Koa, Express and Hono: each path key and method of the map is a route, in the syntax its keys are written in', async () => {
    const report = await run('spellings-handler-maps', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /legacy/cards/:id src/express/legacy.ts:6', // app.all('/legacy/*', dispatcher(map)), method `get() {}`
      'GET /parties/{Type}/{ID} src/koa/handlers.js:25', // app.use(dispatch(handlers)), handlers = require(...)
      'GET /transfers/{ID} src/koa/handlers.js:21',
      'GET /v1/accounts/:id src/express/routes.ts:12', // app.use('/v1', dispatcher(routes)), `GET:` keys
      'GET /v2/statements/{id} src/hono/app.ts:5', // Hono app.use('/v2/*', dispatch(handlers))
      'PUT /transfers/{ID} src/koa/handlers.js:22',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe('migrate --spec reads route tables registered with a computed method', () => {
  it('Express, Koa, Hono, Fastify: router[r.method](r.path, r.handler) in a loop over the table is one route per row', async () => {
    const report = await run('spellings-route-loops', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /api/items/:id src/items.ts:17', // itemRoutes.forEach((route) => router[route.method.toLowerCase()](…))
      'GET /api/items/:id src/items.ts:16',
      'GET /v2/loans/:id src/hono.ts:6', // loans.forEach(({ method, path, handler }) => app[method](`/v2${path}`, handler))
      'POST /fastify/limits/:id src/fastify.ts:14', // for (const r of limits) instance[r.method](r.url, r.handler)
      'PUT /koa/cards/:id src/koa.ts:15', // for (const { method, path, handler } of routes) router[method](path, handler)
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe('migrate --spec reads a route table of zod-openapi routes served through Next.js', () => {
  it('one route per row, its middlewares included; the adapter behind a variable or a fetch pass-through', async () => {
    const report = await run('spellings-hono-table', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /api/admin/tasks/:id src/lib/api.ts:23', // row with middlewares: [requireAdmin]
      'GET /api/cards/:id src/lib/api.ts:31', // { ...cardBase, middleware }
      'GET /api/tasks/:id src/lib/api.ts:21',
    ]);
    // Neither the catch-all route.ts (`const handler = handle(app)`) nor the `apiApp.fetch(req)` one is a
    // route of its own: before, they "handled" every operation while reaching none of its code.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    const role = report.sites.find((s) => s.file === 'src/lib/require-role.ts');
    expect(role?.operation).toBe('DELETE /api/admin/tasks/{id}');
  });

  it('a unit test of the middleware on its own app (assigned in beforeEach) follows the server', async () => {
    await run('spellings-hono-table', ['plain', 'tests'], '--include-tests');
  });
});

describe('migrate --spec --include-tests: assertions follow the server', () => {
  it('links route handlers called directly, Fastify inject, node:assert and tap to their server', async () => {
    const report = await run('spellings-tests', ['plain', 'tests'], '--include-tests');
    const manual = report.sites.find((s) => s.file === 'test/server.test.ts' && s.action === 'manual');
    expect(manual?.reason).toContain('still emitted by reply.code(Number(process.env.RATES_STATUS))');
    // The assertion on the public DELETE (its server left alone) is not listed, as its server is not.
    expect(report.sites.some((s) => s.file === 'test/route.test.ts' && s.line === 14)).toBe(false);
  });
});

// Egg.js (docs/migrate-spec.md, "Trials, session 12"): routes live in app/router.js and name controllers,
// services and middleware by file; before, no route was read (0 code routes), so every egg-mock test was
// "server could not be found" and every site "outside --spec".
describe('migrate --spec reads Egg.js routes', () => {
  it('router.js and app/router/*.js, resources, namespace, string handlers, services, app-wide middleware', async () => {
    const report = await run('spellings-egg', ['plain', 'tests'], '--include-tests');
    expect(routesOf(report)).toEqual([
      'DELETE /api/cards/:id app/router.js:9',
      'GET /api/accounts/:id app/router.js:6',
      'GET /api/cards app/router.js:9',
      'GET /api/cards/:id app/router.js:9',
      'GET /api/legacy/:id app/router/legacy.js:3',
      'GET /api/partners/:id app/router.js:11',
      'GET /api/reports/:id app/router/reports.js:3',
      'GET /v2/loans/:id ts-app/app/router.ts:6',
      'POST /api/admin/users app/router.js:8',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // The public routes are read too: nothing is left over, nothing unread.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    const maintenance = report.sites.find((s) => s.file === 'app/middleware/maintenance.js');
    expect(maintenance?.reason).toContain('GET /api/status (app/router.js:7)');
  });
});

// Session 14: app-wide egg middleware runs only where its config options let it (`enable: false`, `match` /
// `ignore` strings, regexes and arrays, also from config.prod.js); before, it ran for every route, so a middleware
// matched to the mTLS routes was manual (shared with public ones) and one they ignore was listed too.
describe('migrate --spec reads the match / ignore options of egg app middleware', () => {
  it('match and ignore strings, regexes, arrays; enable: false; a match function may run anywhere', async () => {
    const report = await run('spellings-egg-match', ['plain', 'tests'], '--include-tests');
    expect(report.coverage.noHandler).toEqual([]);
    const sampled = report.sites.find((s) => s.file === 'app/middleware/sampled.js');
    expect(sampled?.reason).toContain('GET /api/public/news');
  });
});

// Session 12 (docs/migrate-spec.md): a package that answers 403 by default is a site at its import, in no
// handler, so --spec counted it "reached from no route" and left it alone, even where the package runs for mTLS
// operations (motora-dev realworld: csrf-csrf through the Nest app's `app.use`). And a NestJS CQRS handler's 403
// was reached from no route (the bus dispatches by the command's class).
describe('migrate --spec scopes the 403 of a package by where it runs', () => {
  it('Express app.use after the public route, the Nest app.use, a Koa router of public routes only; CQRS handlers', async () => {
    const report = await run('spellings-import-sites', ['plain']);
    const site = (file: string): string | null | undefined =>
      report.sites.find((s) => s.file === file)?.operation;
    expect(site('express/app.ts')).toBe('POST /express/accounts/{id}');
    expect(site('nest/src/main.ts')).toBe('POST /nest/cards/{id}/lock');
    expect(site('nest/src/cards/cards.service.ts')).toBe('POST /nest/cards/{id}/lock');
  });
});

// Connect RPC (docs/migrate-spec.md, "Trials, session 12"): procedures were read as no route, so a Connect
// handler's 403 (Code.PermissionDenied) was "reached from no route" under --spec and an e2e fetch to
// `/pkg.Service/Method` found no server.
describe('migrate --spec reads Connect RPC services', () => {
  it('router.service and router.rpc of v1 descriptors; a v2 descriptor is read by hand; e2e fetches follow', async () => {
    const report = await run('spellings-connect', ['plain', 'tests'], '--include-tests');
    expect(routesOf(report)).toEqual([
      'POST /acme.admin.v1.AdminService/Purge src/routes.ts:22',
      'POST /connectrpc.eliza.v1.ElizaService/Say src/routes.ts:13',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual([
      'POST /acme.billing.v1.BillingService/Charge',
    ]);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['POST /* src/routes.ts:23 true']);
  });
});

// SignalK (docs/migrate-spec.md, "Trials, session 13"): `theApp.get(backwardsCompat('/plugins'), h)`, the paths
// built by a project function from its argument (`[`${PREFIX}${url}`, url]`), were computed at run time; on a
// receiver traced to no app the registration was not even listed.
describe('migrate --spec reads paths a project function builds from its arguments', () => {
  it('Express, Koa, Hono: an array of paths, `+`, a template with a default parameter; run-time parts stay listed', async () => {
    const report = await run('spellings-path-builders', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /api/v2/cards/:id src/koa.ts:6', // api(path, version = 'v2')
      'GET /hono/v1/loans/:id src/hono.ts:8', // an arrow's template body, under basePath
      'GET /plugins src/app.ts:6', // backwardsCompat: both paths of the array
      'GET /skServer/plugins src/app.ts:6',
      'POST /plugins/:id/config src/app.ts:9',
      'POST /v1/orders src/app.ts:12', // '/v1' + path
    ]);
    // The legacy path of the POST is in no operation: its handler is shared with one (manual, above).
    expect(report.coverage.unmatchedRoutes).toEqual([
      expect.objectContaining({ method: 'POST', path: '/skServer/plugins/:id/config' }),
    ]);
    // `process.env.BASE_PATH + path` and a curried builder are not read: listed, never dropped. A receiver
    // traced to no app (a module loaded by a computed name) is listed under the paths it is given, a built one
    // and a template with a run-time part included (they vanished before: only a literal path was listed).
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`)).toEqual([
      'GET /* src/app.ts:15',
      'GET /hono/* src/hono.ts:9',
      'PUT /skServer/settings src/interface.ts:9',
      'PUT /settings src/interface.ts:9',
      'DELETE /* src/interface.ts:12',
    ]);
  });

  it('routers handed to constructors: `new Collection({ app, colName })`, `new Routes(app)`, parameter properties; a parameter segment', async () => {
    // nightscout's lib/api3 (trials, session 16): the collection routes vanished (their 403s "out of scope").
    const report = await run('spellings-constructors', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /api/:colName/:identifier src/collection.js:9', // prefix + '/:identifier', prefix = '/' + colName
      'GET /api/:colName src/collection.js:8', // new Collection({ app, colName: 'entries' | 'food' })
      'GET /api/items/:id src/items.js:3', // new ItemsRoutes(api, 'items'): `/${name}/:id`
      'GET /api/orders/:id src/orders.ts:7', // constructor(private readonly router: Router)
      'GET /api/users/:id src/users.js:4', // constructor(app) { this.app = app }
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // `/v${version}` is no whole segment, and an untraced receiver with a run-time path: listed, never dropped.
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`)).toEqual([
      'GET /api/* src/app.js:17', // registerVersions(api, process.env.API_VERSION): where the call is written
      'GET /* src/legacy.js:7',
    ]);
  });

  it('responses declared beside a handler (Fastify route schema, createRoute configs, controller decorators) or by method and path (registerPath, @openapi blocks)', async () => {
    // Before: the handler's 403 became 401 and the declaration beside it stayed 403, left "outside --spec"
    // (@hono/zod-openapi then types the 401 reply against a config that lists 403; Swagger documents 403 again).
    const report = await run('spellings-route-declarations', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /hono/users/:id src/hono.ts:7',
      'GET /cards/{id} src/cards.controller.ts:6',
      'GET /fastify/accounts/:id src/fastify.ts:7',
      'GET /hono/users/:id src/hono.ts:6',
      'GET /nest/accounts/:id src/nest.controller.ts:8',
      'GET /nest/mixed/:id src/nest.controller.ts:18',
      'POST /hono/payments src/hono.ts:16',
    ]);
    // The class declaration shared by an mTLS and a public route is for a person to split, named with both.
    const shared = report.sites.find((s) => s.file === 'src/nest.controller.ts' && s.line === 15);
    // Declared by method and path, run by no route: named with the operation of that method and path.
    expect(
      report.sites.filter((s) => s.file === 'src/registry.ts').map((s) => `${s.line} ${s.operation}`),
    ).toEqual(['5 GET /docs/payments/{id}', '13 POST /docs/cards/{cardId}']);
    expect(shared?.reason).toMatch(
      /Shared by mTLS GET \/nest\/mixed\/\{id\}.*non-mTLS GET \/nest\/mixed\/public\/\{id\}/,
    );
  });

  it('documentation blocks: @openapi YAML that does not parse, no path item, apiDoc @api lines, @apiDefine groups', async () => {
    // Before: every 403 of these blocks was "outside --spec" with no name (11 occurrences, 0 manual): a block
    // whose YAML does not parse, or which names no path item, read as declaring nothing; apiDoc blocks were not
    // read at all.
    const report = await run('spellings-doc-blocks', ['plain']);
    const manual = (file: string, line: number): string =>
      report.sites.find((s) => s.file === file && s.line === line)?.reason ?? '';
    expect(manual('src/openapi-blocks.ts', 9)).toMatch(
      /Its YAML does not parse \(bad indentation of a mapping entry at line 7\), so the @openapi block at src\/openapi-blocks.ts:3 names no operation/,
    );
    expect(manual('src/openapi-blocks.ts', 19)).toMatch(
      /at line 21\), so the @swagger block at src\/openapi-blocks.ts:14/,
    );
    expect(manual('src/openapi-blocks.ts', 31)).toMatch(/holds no path item whose responses list 403/);
    expect(manual('src/apidoc.ts', 18)).toMatch(/defines the group 'ForbiddenError'.*@apiUse ForbiddenError/);
    expect(manual('src/apidoc.ts', 23)).toMatch(/has no @api \{method\} \/path line/);
    expect(report.sites.filter((s) => s.operation).map((s) => `${s.file}:${s.line} ${s.operation}`)).toEqual([
      'src/apidoc.ts:6 GET /users/{id}',
      'src/openapi-blocks.ts:51 POST /cards/{cardId}',
    ]);
  });

  it('Lambda routes from serverless.yml (http, httpApi string and object) and AWS SAM template.yaml (Api events)', async () => {
    // Before (90e640c): no route was read from either file (0 code routes): every handler's 403 was "outside
    // --spec". Read by main's lambda-config.ts (trials21) since the merge; this branch's own reader was dropped.
    const report = await run('spellings-lambda-configs', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /accounts/:id svc-b/accounts/app.ts:1',
      'GET /cards/:cardId svc-a/src/handlers/cards.ts:1',
    ]);
    // A function whose handler is no export mtls-fix reads is named, never a route that runs no code.
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.reason}`),
    ).toEqual([
      'DELETE /cards/:cardId svc-a/serverless.yml:19 Lambda route of svc-a/serverless.yml:19 not read: its handler file (svc-a/src/handlers/gone) is not among the sources',
    ]);
  });

  it('moleculer-web: aliases (method, REST, under settings.path and the route path) and autoAliases to actions', async () => {
    // Before: no alias was a route (0 code routes): every action's 403 was "outside --spec".
    const report = await run('spellings-moleculer-web', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /api/auto/cards/:cardId services/api.service.js:17',
      'GET /api/v1/accounts services/api.service.js:12',
      'GET /api/v1/accounts/:id services/api.service.js:12',
      'GET /api/v1/cards/:cardId services/api.service.js:11',
    ]);
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.reason}`)).toEqual([
      "GET /api/v1/missing action 'nowhere.get' is in no service mtls-fix reads",
    ]);
  });

  it('inversify-express-utils: @controller / @httpGet / @httpMethod under the server rootPath; this.json(x, 403); super.create()', async () => {
    // Before: no route was read and this.json / this.statusCode were unknown shapes: "outside --spec", unnamed.
    const report = await run('spellings-inversify', ['plain']);
    // super.create() in a route's method runs the base class's create (before: not followed, its 403 unreached).
    expect(routesOf(report)).toEqual([
      'GET /api/accounts/:id src/accounts.controller.ts:5',
      'POST /api/valet-tokens src/valet.controller.ts:6',
    ]);
  });

  it('ts-rest: contract entries under nested pathPrefixes, s.router members, a named implementation, Nest tsRestHandler', async () => {
    // Before: no ts-rest route was read (0 code routes), the handlers' `{ status: 403 }` were only reported and
    // the contract's 403 keys stayed "outside --spec".
    const report = await run('spellings-ts-rest', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /api/accounts/:id src/server.ts:13',
      'GET /api/accounts/:id src/server.ts:13',
      'GET /api/cards/:cardId src/cards.controller.ts:9',
      'GET /api/cards/:cardId src/server.ts:13',
      'POST /api/admin/audit src/server.ts:21',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('Elysia: a chain on new Elysia() ended by listen(), use(plugin) under its prefix, group(), lifecycle hooks', async () => {
    // Before: no Elysia instance was a router (each registration "could not be traced to an app or router").
    const report = await run('spellings-elysia', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /accounts/:id src/index.ts:7',
      'GET /admin/audit src/admin.ts:8',
      'GET /cards/:id src/cards.ts:3',
      'POST /v1/payments src/index.ts:23',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('restify createServer(), itty-router AutoRouter({ base }), oak Router({ prefix }), Encore.ts api({ method, path })', async () => {
    // Before: restify, itty-router and oak registrations were "not traced to an app or router"; Encore endpoints
    // were no routes at all (their 403s "outside --spec").
    const report = await run('spellings-small-routers', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /accounts/:id src/restify.ts:4',
      'GET /cards/:id src/encore.ts:3',
      'GET /itty/items/:id src/itty.ts:4',
      'GET /oak/things/:id src/oak.ts:4',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('SvelteKit +server endpoints, Nuxt server/api and server/routes files, h3 createRouter(), uWebSockets.js App()', async () => {
    // Before: none of these was a route; their 403s were "outside --spec" or "not traced to an app or router".
    const report = await run('spellings-file-routes', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /api/cards/:id src/routes/api/cards/[id]/+server.ts:8',
      'GET /api/cards/:id src/routes/api/cards/[id]/+server.ts:3',
      'GET /api/orders/:id server/api/orders/[id].get.ts:1',
      'GET /h3/items/:id src/h3.ts:5',
      'GET /uws/x/:id src/uws.ts:5',
      'POST /webhook server/routes/webhook.post.ts:1',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('Bun.serve / serve from bun routes tables, Deno.serve and default-exported fetch servers: routes and catch-alls', async () => {
    // Before: none of these was a route; their 403s were "outside --spec", and --check failed with every mTLS
    // operation "no handler found".
    const report = await run('spellings-fetch-servers', ['plain']);
    expect(routesOf(report)).toEqual([
      'ALL /* src/bun-server.ts:20', // fetch(): what no route matches (/api/legacy/{id})
      'ALL /* src/deno.ts:1',
      'ALL /* src/worker/index.ts:2', // export default { fetch }
      'ALL /api/items/:id src/bun-server.ts:8', // a handler for every method
      'GET /api/cards/:id src/bun-server.ts:16', // { GET: getCard }, imported
      'GET /api/hono/:id src/hono-on-bun.ts:4', // Bun.serve({ fetch: app.fetch }): Hono's routes, no catch-all
      'GET /api/orders/:id src/orders.ts:5', // serve as start, routes held in a const, GET() method
      'POST /api/items/:id/notes src/bun-server.ts:14',
    ]);
    expect(report.coverage.unresolved).toEqual([
      expect.objectContaining({ file: 'src/orders.ts', line: 10, byHand: true }),
    ]);
  });

  it('LoopBack 4: @get / @del / @operation(verb, path) methods, under the basePath of @api({ basePath })', async () => {
    // Before: LoopBack controllers gave no routes; their 403s were "outside --spec".
    const report = await run('spellings-loopback', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /widgets/{id} src/controllers/widget.controller.ts:10',
      'GET /widgets/{id} src/controllers/widget.controller.ts:4',
      'PATCH /v2/ledgers/{id} src/controllers/ledger.controller.ts:5',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });
  it('path keys with a fragment or a query: several operations of one method and path (NHS EPS `$process-message#…`)', async () => {
    // Before: each such operation was "no handler found" and its route unmatched (`#…` / `?…` was read as part of
    // the last segment); two of them on one route would then have been "ambiguous".
    const report = await run('spellings-path-keys', ['plain']);
    expect(routesOf(report)).toEqual([
      'GET /Patient src/server.js:39', // #mtls (and #public: shared, for review)
      'GET /reports src/server.js:23', // ?format=csv
      'POST /FHIR/R4/$process-message src/server.js:7', // #dispense-notification
      'POST /FHIR/R4/$process-message src/server.js:7', // #prescription-order
      'POST /FHIR/R4/Task src/server.js:15', // #withdraw
      'POST /backend/claims backend/app.js:8', // openapi-backend: the route is the key's path
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.ambiguous).toEqual([]);
  });
  it('serverless.ts: the exported configuration, functions imported (re-exported defaults, spreads) and `${handlerPath(__dirname)}/handler.main` handlers', async () => {
    // Before (931d2f3): 0 code routes; 6 of 6 mTLS operations "no handler found", every 403 outside --spec.
    const report = await run('spellings-serverless-ts', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /cards/:cardId src/cards/handler.ts:3', // httpApi: 'DELETE /cards/{cardId}' in place
      'GET /accounts/:accountId src/functions/accounts/handler.ts:3', // `export { default as accounts }`
      'GET /payments src/payments/handler.ts:3', // ...paymentFunctions, http: 'GET payments'
      'POST /hello src/functions/hello/handler.ts:3', // import hello from '@functions/hello'
      'POST /payments src/payments/handler.ts:3',
    ]);
    // The authorizer named by POST /hello (http) and DELETE /cards (httpApi, provider.httpApi.authorizers) runs
    // for both: its Deny is manual. `...buildReports()` adds functions mtls-fix cannot read: listed where spread.
    expect(report.coverage.unresolved.map((u) => [u.method, u.path, u.file, u.line, u.byHand])).toEqual([
      ['ALL', '/*', 'serverless.ts', 33, true],
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /reports']);
  });
  it('AWS CDK: RestApi resources (addResource, resourceForPath, variables) and addMethod, HttpApi addRoutes, LambdaRestApi handlers; NodejsFunction entries and lambda.Function assets', async () => {
    // Before (931d2f3): 0 code routes; 7 of 7 mTLS operations "no handler found", every 403 outside --spec.
    const report = await run('spellings-aws-cdk', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /cards/:cardId lib/api-stack.ts:42', // Code.fromAsset(path.join(__dirname, …)) + 'index.deleteCard'
      'GET /accounts/:accountId lib/api-stack.ts:37', // entry: path.join(__dirname, …); { authorizer } runs too
      'GET /ledger/:entryId lib/api-stack.ts:57', // LambdaRestApi({ handler, proxy: false }), addMethod('GET')
      'GET /limits/:limitId lib/api-stack.ts:48', // addRoutes({ methods: [HttpMethod.GET, HttpMethod.PUT] })
      'POST /payments lib/api-stack.ts:40', // entry 'src/payments.ts' from the folder holding cdk.json
      'PUT /limits/:limitId lib/api-stack.ts:48',
    ]);
    // A function the stack is handed (props.reports): listed for review by hand, never dropped.
    expect(report.coverage.unresolved.map((u) => [u.method, u.path, u.file, u.line, u.byHand])).toEqual([
      ['GET', '/reports', 'lib/api-stack.ts', 45, true],
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /reports']);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
  it('CloudFormation API Gateway resources: Method / Resource trees and HTTP API routes, to functions through !Sub, aliases, a state machine and nested stacks (YAML and JSON)', async () => {
    // Before (931d2f3): no code route; all 6 mTLS operations "no handler found", every 403 outside --spec.
    // The AuthorizerId's Lambda authorizer runs for GET /accounts/{accountId}: its Deny is manual there.
    const report = await run('spellings-cloudformation', ['plain']);
    expect(routesOf(report)).toEqual([
      'DELETE /cards/:cardId packages/cards/index.ts:3', // ApiGatewayV2::Route -> Integration -> !GetAtt F.Arn
      'GET /accounts/:accountId packages/accounts/src/getAccount.ts:3', // parameter <- parent <- child output (JSON)
      'GET /reports packages/reports/src/reports.ts:2', // StartSyncExecution -> state machine substitutions
      'POST /payments packages/payments/src/payments.ts:3', // Fn::Sub ${Alias} -> AWS::Lambda::Function Code
    ]);
    // An HTTP integration and a function imported from another stack: listed, never dropped; the MOCK method
    // (GET /status) and the Python function's route are no routes.
    expect(report.coverage.unresolved.map((u) => [u.method, u.path, u.file, u.line, u.byHand])).toEqual([
      ['GET', '/legacy', 'templates/apis/api.yaml', 133, true],
      ['GET', '/imported', 'templates/apis/api.yaml', 150, true],
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /legacy', 'GET /imported']);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    // Left alone, and named (931d2f3 only counted them): the public operation's 403 and a handler no route
    // read reaches (it may be the imported function's: GET /imported has no handler found).
    expect(report.coverage.leftAlone?.map((s) => `${s.file}:${s.line}`)).toEqual([
      'packages/legacy/src/unused.ts:2',
      'packages/public/src/public.ts:5',
    ]);
  });
  it('Lambda functions routed by serverless.yml (http / httpApi, object and string forms) and a SAM template (Api / HttpApi, CodeUri + Handler, esbuild EntryPoints); functions a serverless.yml includes with ${file(…)}', async () => {
    // Before: no code route at all; every operation "no handler found", every 403 outside --spec. The SAM
    // API's DefaultAuthorizer runs for GET /cards/{cardId}: its Deny (src/sam/auth.ts) is manual (931d2f3: absent).
    const report = await run('spellings-lambda-config', ['plain']);
    expect(routesOf(report)).toEqual([
      'ALL /files/* src/handlers/files.ts:3', // http: { path: files/{proxy+}, method: any }
      'DELETE /cards/:cardId src/sam/deleteCard.ts:3', // SAM HttpApi, Metadata.BuildProperties.EntryPoints
      'GET /accounts/:id src/handlers/accounts.ts:3', // http: { path, method }
      'GET /cards/:cardId src/sam/cards.ts:3', // SAM Api, CodeUri + Handler
      'GET /ledger/:id services/ledger/src/ledger.ts:3', // functions: [${file(./functions.yml):functions}]
      'GET /payments src/handlers/payments.ts:3', // http: GET payments
      'POST /payments src/handlers/payments.ts:3', // httpApi: { method, path }
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // A path holding a serverless variable the file answers (`${self:custom.reportsPath}/{id}`) is read since
    // session 32 (`GET /reports/:id`, in no operation: its 403 stays); before, it was listed for review. The Python
    // function's event (runtime: python3.12) is no route and not listed: its handler is no file to read.
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path}`)).toContain('GET /reports/:id');
  });

  it("responses and status lists a route declares in its own registration follow its operation: Logto's koaGuard lists, hono-openapi describeRoute, routing-controllers-openapi @OpenAPI, koa-joi-router routes and their output rules", async () => {
    const report = await run('spellings-route-status-lists', ['plain']);
    // The public operations' declarations and 403s stay (no marker).
    expect(routesOf(report)).toEqual([
      'GET /accounts/:id src/app.ts:8',
      'GET /hono/payments/:id src/hono.ts:6',
      'GET /joi/cards/:id src/joi.ts:6',
      'GET /rc/loans/:id src/rc.controller.ts:7',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });
});
