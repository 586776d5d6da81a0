import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { siteOutcomes, specMarkers } from '../../helpers/spec-markers.js';

// Issue 9 §2, route wiring found on real code bases (docs/migrate-spec.md, "Trials, session 8"): each fixture
// project mixes mTLS and public operations; `// expect:` marks every 403 line. No --mount.
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
    unmatchedRoutes: unknown[];
    unresolved: {
      method: string;
      path: string;
      file: string;
      line: number;
      reason: string;
      byHand?: boolean;
    }[];
  };
}

async function run(name: string, folder: string, spec = 'openapi.yaml'): Promise<Report> {
  const dir = tempProject({}, path.join(root, name));
  temps.push(dir);
  const cwd = path.join(dir, folder);
  const result = await runCliAsync(['migrate', '--json', '--check', '--spec', spec], { cwd });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  const expected = specMarkers(cwd, 'plain');
  const actual = siteOutcomes(report.sites);
  for (const [where, outcome] of expected)
    expect([where, actual.get(where) ?? 'none']).toEqual([where, outcome]);
  for (const where of actual.keys()) expect(expected.has(where), where).toBe(true);
  return report;
}

// Route objects a factory makes (growthbook's `createApiRequestHandler(validator)(handler)`), their method and
// path read from a contract object in another workspace package, registered in a loop with a computed method.
// Run from the API package's folder, as a user of a monorepo would, with no node_modules (a fresh clone): the
// workspace packages are found from pnpm-workspace.yaml.
describe('migrate --spec reads route objects made by factories', () => {
  it('curried and plain factories, contracts from workspace packages, a loop with a computed method', async () => {
    const report = await run('spellings-route-factories', 'packages/api');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'GET /v1/accounts/:id src/accounts.ts:4', // defineRoute(getAccountSpec)(fn), spec from '@bank/contracts/specs' (a .d.ts shim)
      'GET /v2/payments/:id src/payments.ts:10', // { ...paymentSpec, middleware }, package `exports`, `version ?? 'v1'`
      'POST /v1/accounts src/accounts.ts:12', // plainRoute(spec, h) returning { ...spec, handler }
    ]);
    // The public GET /v1/status is read too (its 403 is left alone): no code route is left over.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    // The row whose method comes from the environment is listed, where its factory call is written.
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /v1/reports']);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['ALL /* src/reports.ts:4 true']);
    expect(report.coverage.unresolved[0]?.reason).toContain("the route's method is computed at run time");
  });
});

describe('migrate --spec names Hono apps mounted with mount() that it cannot read', () => {
  it('a fetch handler of the project and a package handler are each an ALL /prefix/* registration for review by hand', async () => {
    const report = await run('spellings-hono-mount', '.');
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['ALL /api/legacy/* src/app.ts:14 true', 'ALL /api/files/* src/app.ts:15 true']);
    expect(report.coverage.unresolved[0]?.reason).toContain('mounts legacyFetch, an app or handler');
    // Their operations are still without a handler (nothing read proves them), and `--check` says why.
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual([
      'GET /api/legacy/cards/{id}',
      'GET /api/files/{name}',
    ]);
  });
});

// NodeBB's `setupApiRoute(router, 'get', '/:uid', [...middlewares], controller)`, which calls
// `router[verb](name, …)` with the method and path taken from its `...args`: one route per call of the helper.
describe('migrate --spec reads registration helpers whose method and path are parameters', () => {
  it('Express (rest parameter destructured, CommonJS exports alias) and Koa: one route per call', async () => {
    const report = await run('spellings-route-helpers', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /api/v1/accounts/:id src/routes/accounts.js:15', // [checkOwner] middleware of the call
      'GET /api/v1/accounts/:id src/routes/accounts.js:14', // controllers.accounts.get through two modules
      'GET /koa/cards/:id src/koa.js:18', // register(router, 'GET', …) into target[method.toLowerCase()]
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    // The call whose method is chosen at deploy time is listed where it is written, not at the helper.
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['ALL /api/v1/accounts/* src/routes/accounts.js:17 true']);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['POST /api/v1/accounts/extra']);
  });
});

// NodeBB's page routes (docs/real-world-trials.md, "Trials, session 31"): `helpers.setupPageRoute(router, '/x', [mw],
// controller)` into a helper held as a member of `module.exports` (through an alias), whose method is written
// and whose path is a parameter (`router.get(name, …)`, `` router.get(`/api${name}`, …) ``). Each call is a route
// where it is written, also through a helper that calls the helper (`setupAdminPageRoute`), `exports.f =`,
// `module.exports.f =` and a top-level object's methods; route groups held by an object (`_mounts.main = …`), and a
// router mounted by the helper it is handed to (`addCoreRoutes(app, router)`). Before: every registration was "not
// mounted anywhere" at the helper, and no mTLS operation had a handler.
describe('migrate --spec reads route helpers held as members whose path is a parameter', () => {
  it('one route per call of the helper, through nested helpers; a computed path is named where it is written', async () => {
    const report = await run('spellings-member-route-helpers', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /v2/keys/:id src/routes/objects.js:14', // local.remove(router, …) of `const local = { remove() {} }`
      'GET /accounts/:id src/routes/index.js:14', // helpers.setupPageRoute on `const helpers = module.exports`
      'GET /admin/settings src/routes/index.js:16', // setupAdminPageRoute -> helpers.setupPageRoute(`/admin${name}`)
      'GET /api/accounts/:id src/routes/index.js:14',
      'GET /api/admin/settings src/routes/index.js:16',
      'POST /payments src/routes/index.js:17', // exports.post = function (router, path, handler)
    ]);
    // The public routes are read too (PUT through `module.exports.put = (…) => …`): no code route is left over.
    // `_mounts.main = …` assigned after `const _mounts = { keys: require('./objects') }`, both called by member,
    // and the router mounted by addCoreRoutes(app, router), the helper it is handed to.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    // One entry per route the computed path reaches (since session 33, trials33): setupPageRoute registers `name`
    // and `/api${name}` (helpers.js:21 and :22), each named with the call that left the path to run time.
    expect(
      report.coverage.unresolved.map(
        (u) =>
          `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand} ${/helpers\.js:\d+/.exec(u.reason ?? '')?.[0]}`,
      ),
    ).toEqual([
      'GET /* src/routes/index.js:26 true helpers.js:21',
      'GET /* src/routes/index.js:26 true helpers.js:22',
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /extra']);
  });
});

// tsoa (jadogeri/User_Management_App, saveur1/community-system; docs/migrate-spec.md "Trials, session 9"): the
// controllers' decorators are the routes. The generated routes.ts only forwards to them by method name, and is
// often not committed at all (here it is written at build time). A project's own `@Controller()` DI marker on a
// tsoa class is not read as NestJS's (that gave `/login` for `/auths/login`).
describe('migrate --spec reads tsoa controllers', () => {
  it('@Route + @Get paths under tsoa.json basePath, @Middlewares and @Security run for the route; an interface-typed injected field reaches its implementation', async () => {
    const report = await run('spellings-tsoa', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /api/v1/accounts/{accountId} src/controllers/accounts.ts:14',
      'GET /api/v1/accounts/{accountId} src/controllers/accounts.ts:8',
      // `@Get(':cardId')`: a parameter, as tsoa's Express routes read it (before session 41, the literal `:cardId`)
      'GET /api/v1/cards/{cardId} src/controllers/cards.ts:25',
      'POST /api/v1/accounts src/controllers/accounts.ts:20',
      'PUT /api/v1/cards/{cardId}/freeze src/controllers/cards.ts:14',
      'PUT /api/v1/cards/{cardId}/unlock src/controllers/cards.ts:19', // reaches CardService through its interface
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // public-keys (@NoSecurity) and /api/status are read too: no code route is left over.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    // expressAuthentication runs for the three @Security routes (class level), not for @NoSecurity public-keys.
    const auth = report.sites.find((s) => s.file === 'src/authentication.ts');
    expect(auth?.operation?.split(', ').sort()).toEqual([
      'DELETE /api/v1/accounts/{accountId}',
      'GET /api/v1/accounts/{accountId}',
      'POST /api/v1/accounts',
    ]);
  });
});

// express-openapi-validator operationHandlers (GiganticPlayground/memcard; docs/migrate-spec.md "Trials, session 9"):
// the document binds each operation to a handler module's export and there is no router file. Before, no route
// was read (0 code routes) and every 403 in a handler was "not reached", unlisted.
describe('migrate --spec reads express-openapi-validator operationHandlers', () => {
  it('each x-eov-operation-handler operation is a route under the server base path; a missing export is listed', async () => {
    const report = await run('spellings-operation-handlers', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /v1/accounts/{accountId} src/handlers/accounts.ts:20', // x-eov-operation-id over operationId
      'GET /v1/accounts/{accountId} src/handlers/accounts.ts:11',
      'GET /v1/admin/reports src/handlers/admin/reports.js:3', // under app.use('/v1/admin', requireAdmin)
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['POST /accounts/{accountId}/freeze']);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['POST /v1/accounts/{accountId}/freeze src/app.ts:11 true']);
    expect(report.coverage.unresolved[0]?.reason).toContain(
      'names no export freezeAccount under src/handlers',
    );
  });
});

// oas3-tools, as swagger-codegen's nodejs-server stub writes it: the app comes from the library and the document's
// x-swagger-router-controller + operationId pick the controller export (the same kind as operationHandlers).
describe('migrate --spec reads oas3-tools routing', () => {
  it('each x-swagger-router-controller operation (operation or path item) is a route of getApp()', async () => {
    const report = await run('spellings-oas3-tools', '.', 'api/openapi.yaml');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /v2/pet/{petId} controllers/Pet.js:12',
      'GET /v2/pet/{petId} controllers/Pet.js:6',
      'GET /v2/user/login controllers/User.js:3', // the controller named on the path item
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['POST /pet/{petId}/uploadImage']);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['POST /v2/pet/{petId}/uploadImage index.js:15 true']);
  });
});

// fastify-openapi-glue: the same kind on Fastify; handlers are the service class's methods by operationId and
// the security class's methods by scheme name run first.
describe('migrate --spec reads fastify-openapi-glue', () => {
  it('each operation is a route under the plugin prefix; securityHandlers run for the operations that require them', async () => {
    const report = await run('spellings-openapi-glue', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /v1/accounts/{accountId} src/service.ts:11',
      'GET /v1/accounts/{accountId} src/service.ts:6',
    ]);
    // GET /status (security: []) is read too: its 403 is left alone and `bearer` does not run for it.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual([
      'GET /accounts/{accountId}/statements',
    ]);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['GET /v1/accounts/{accountId}/statements src/app.ts:16 true']);
    const bearer = report.sites.find((s) => s.file === 'src/security.ts');
    // GET …/statements has no handler found, but its security handlers run all the same (fixr40b).
    expect(bearer?.operation?.split(', ').sort()).toEqual([
      'DELETE /accounts/{accountId}',
      'GET /accounts/{accountId}',
      'GET /accounts/{accountId}/statements',
    ]);
  });
});

// openapi-backend: the same kind again; handlers in the constructor and added by register(), one function hands
// every request to api.handleRequest().
describe('migrate --spec reads openapi-backend', () => {
  it('each operation with a handler is a route under the use path and apiRoot; one without is listed', async () => {
    const report = await run('spellings-openapi-backend', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /api/pets/{petId} src/app.js:23', // api.register('deletePet', fn)
      'GET /api/pets/{petId} src/app.js:11', // handlers: { getPetById }
      'POST /api/pets src/app.js:27', // api.register({ createPet }), the function in another module
    ]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['PUT /pets/{petId}/photo']);
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand}`),
    ).toEqual(['PUT /api/pets/{petId}/photo src/app.js:32 true']);
  });
});

// trial39 #04 (AppQuality/unguess-core): openapi-backend's unauthorizedHandler answers 403 for every operation whose
// security fails, and its security handlers run before each secured operation; they were read as reached by no
// operation, so a --spec run left the 403 alone and read clean.
describe('migrate --spec reads openapi-backend security hooks', () => {
  it('unauthorizedHandler (handlers option, register({ … }), register(name, fn)) and security handlers (securityHandlers option, registerSecurityHandler) are reached by the secured operations only', async () => {
    const report = await run('spellings-security-hooks', '.');
    const reached = (file: string, line: number) =>
      report.sites.find((s) => s.file === file && s.line === line)?.operation;
    expect(reached('src/mw/unauthorized.js', 5)).toBe('GET /b/quests');
    expect(reached('src/mw/cert.js', 5)).toBe('GET /c/quests');
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

// trial39 #04 on AppQuality/unguess-core (@7ed073e): its handlers are registered under names read from comments at
// run time, so no operation has a handler found; the unauthorizedHandler runs for them all the same. Three faults:
// the hooks were put on no such registration (3b54d430); a registration not read on an openapi-backend's (or hapi's)
// router was read as the path `/*` with a literal `*`, which answers only operations with a path parameter (as
// unguess-core's document has): with none, the 403 was left alone, "no mTLS operation reaches"; and an operation
// with no handler found was read as every path (`*`), though its method and path are known (fixr40b).
describe('migrate --spec: security hooks of operations with no handler read', () => {
  it('openapi-backend with no handler found, handlers under computed names; a hapi route path computed at run time', async () => {
    const report = await run('spellings-security-hooks-unread', '.');
    const site = (file: string) => report.sites.find((s) => s.file === file);
    // Reached by GET /f/quests alone (its method and path are known, only its handler is not): rewritten.
    expect(site('src/unauthorized.js')?.operation).toBe('GET /f/quests');
    expect(site('src/app.js')?.reason).toContain('registered under a name computed at run time');
    expect(site('src/server.js')?.reason).toContain('route path is computed at run time');
    expect(report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line}`).sort()).toEqual(
      [
        'ALL /g/* src/app.js:14',
        'GET /* src/server.js:7',
        'GET /f/quests src/app.js:23',
        'GET /g/quests src/app.js:24',
      ],
    );
  });
});

// trial39 #04, same kind: express-openapi-validator's `validateSecurity: { handlers }` run before the operations
// requiring their scheme; written in another module they were reached by no operation, left alone, read clean.
describe('migrate --spec reads express-openapi-validator security handlers', () => {
  it('a routing validator: the handler of each scheme an operation requires; a plain one: middleware of the routes after it', async () => {
    const report = await run('spellings-security-hooks-eov', '.');
    const reached = (file: string, line: number) =>
      report.sites.find((s) => s.file === file && s.line === line)?.operation;
    expect(reached('src/security.js', 5)).toBe('GET /routed/quests');
    expect(reached('src/plain-security.js', 6)).toBe('GET /plain/quests');
  });
});

// routing-controllers: the decorator-controller kind tsoa belongs to. @JsonController was not read at all and its
// @Controller was read as NestJS's, without the routePrefix of useExpressServer.
describe('migrate --spec reads routing-controllers', () => {
  it('@JsonController / @Controller actions under routePrefix; @UseBefore runs for the action', async () => {
    const report = await run('spellings-routing-controllers', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /api/accounts/:id src/controllers/account.ts:12',
      'GET /api/accounts/:id src/controllers/account.ts:6',
      'PUT /api/accounts/:id/limits src/controllers/account.ts:18', // @Method('put', '/:id/limits')
    ]);
    // GET /api/status (@Controller from routing-controllers) is read under the prefix too: nothing is left over.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.noHandler).toEqual([]);
  });
});

// Session 10 (guillemso1er/orbitcheck, AppQuality/unguess-api): the document a library routes from is often not
// a path. orbitcheck gives fastify-openapi-glue `import spec from '@orbitcheck/contracts/openapi.v1.json'`, a
// workspace package export that a package.json script bundles (`redocly bundle openapi/v1/openapi.yml --output
// dist/openapi.v1.json`) from a document whose operations are `$ref`s of their own, and its `serviceHandlers` is
// what a factory returns, spread together from other factories. Before: one "document computed at run time"
// entry and 0 of 70 operations. openapi-backend and express-openapi-validator take a parsed document too.
describe('migrate --spec reads documents given as parsed objects, imports and bundles', () => {
  it('glue: a JSON module of a workspace package, built from a multi-file document; handlers a factory returns', async () => {
    const report = await run(
      'spellings-document-sources',
      'packages/api',
      '../contracts/openapi/openapi.yaml',
    );
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /accounts/{accountId} src/handlers.ts:10', // an operation `$ref` (./paths/delete-account.yaml)
      'GET /accounts/{accountId} src/handlers.ts:6', // `...accountHandlers(db)` in what serviceHandlers() returns
      'POST /payments src/handlers.ts:15', // a path item `$ref`; a method of the object paymentHandlers() returns
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });

  it('openapi-backend: YAML.parse(readFileSync(…)); a namespace spread into handlers; register() on the backend passed as a parameter; a computed name is listed', async () => {
    const report = await run('spellings-document-sources', 'packages/ledger');
    const routes = report.coverage.handled.flatMap((h) =>
      h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`),
    );
    routes.sort();
    expect(routes).toEqual([
      'GET /entries/{id} src/routes.ts:26',
      'POST /close src/more.js:2', // api.register(require('./more')), `module.exports = { closeLedger() {} }`
      'POST /entries/{id}/reverse src/entries.ts:5', // handlers: { ...entries }, `import * as entries`
    ]);
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['POST /entries']);
    // The registration under `route.name` is itself an entry, and the operation left without a handler names it.
    expect(
      report.coverage.unresolved.map((u) => `${u.method} ${u.file}:${u.line} ${u.byHand} ${u.reason}`),
    ).toEqual([
      'POST src/app.ts:18 true POST /entries: openapi-backend has no handler registered for postEntry, unless one registered under a name computed at run time serves it (src/routes.ts:30)',
      'ALL src/routes.ts:30 true openapi-backend handler registered under a name computed at run time (route.name), serving operations known only at run time',
    ]);
  });

  it('express-openapi-validator: apiSpec is yaml.load(fs.readFileSync(…))', async () => {
    const report = await run('spellings-document-sources', 'packages/cards');
    const routes = report.coverage.handled.flatMap((h) =>
      h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`),
    );
    expect(routes).toEqual(['POST /v1/cards/{cardId}/block src/handlers/cards.js:1']);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

// Session 10 (guillemso1er/orbitcheck): guards put in tables a function builds (`const guards = { csrf:
// verifyCsrf }`, `byScheme[s]`) and attached to every route by an `onRoute` hook; middleware in a local array a
// route spreads in. Before, the walk from the 403 stopped at the function that builds the table (a plugin, a
// router factory: no route), and both sites were left alone, unlisted, although the plain run rewrites them.
describe('migrate --spec follows functions through tables a function builds', () => {
  it('a Fastify onRoute guard table reaches every route (public too: manual); an Express middleware array its route', async () => {
    const report = await run('spellings-guard-tables', '.');
    const manual = report.sites.find((s) => s.file === 'src/security.ts');
    expect(manual?.reason).toContain('GET /v1/status');
    expect(report.sites.find((s) => s.file === 'src/express-app.ts')?.operation).toBe(
      'DELETE /admin/jobs/{id}',
    );
  });

  it('Express: names destructured from what a function returns (an error handler after the routes, a guard)', async () => {
    // `const [notFound, respond] = errorHandlers()` then `app.use(respond)` after the routes: a 4-parameter error
    // handler runs for every route before it, the public GET /admin/health too (manual); `const {
    // requireAuditor } = makeGuards()` runs for its route only. Before, both were left alone, unlisted.
    const report = await run('spellings-guard-tables', '.');
    const respond = report.sites.find((s) => s.file === 'src/errors.ts' && s.line === 11);
    expect(respond?.reason).toContain('GET /admin/health');
    expect(report.sites.find((s) => s.file === 'src/errors.ts' && s.line === 26)?.operation).toBe(
      'GET /admin/audit/{id}',
    );
  });
});

// Session 10 (Weebs-Incorporated/AIMS: `applyPreRouteMiddleware(app, config)` then `applyRoutes(app, …)`): middleware
// that a helper registers on the app it receives ran for no route (the helper's parameter was a router of its
// own), so its 403s were left alone, unlisted. It runs for the routes registered after the helper's call, and
// not for those before it. Error handlers were left alone too: an Express one a factory returns, Fastify's
// setErrorHandler and Hono's onError (each for the routes of its own app or plugin).
describe('migrate --spec keeps the middleware a helper registers on the app it receives', () => {
  it('Express and Koa: a guard registered by a helper runs for the routes after its call only; error handlers of Express, Fastify and Hono run for their routes', async () => {
    const report = await run('spellings-helper-middleware', '.');
    // the error handler a factory returns runs for every route: the public GET /v1/health too (manual)
    expect(report.sites.find((s) => s.file === 'src/express/errors.ts')?.reason).toContain('GET /v1/health');
    const operations = report.sites.map((s) => `${s.file}:${s.line} ${s.operation}`).sort();
    expect(operations).toEqual([
      'src/express/errors.ts:7 GET /v1/items/{id}', // app.use(errorResponder(opts)): a factory's error handler
      'src/express/security.ts:4 GET /v1/items/{id}', // GET /v1/health is registered before applySecurity(app)
      'src/fastify/app.ts:9 DELETE /f/admin/jobs/{id}', // setErrorHandler in the plugin: its routes only
      'src/hono/app.ts:7 GET /h/items/{id}', // the sub-app's onError: not the parent's GET /h/ping
      'src/koa/guard.ts:6 GET /k/items/{id}', // GET /k/ping's router is used before guard(app)
    ]);
  });
});

// The same kind in NestJS: filters and guards bound for the whole app (`app.useGlobalFilters(new F())`,
// `{ provide: APP_GUARD, useClass: G }`) ran for no route under --spec, so their 403s were left alone, unlisted.
describe('migrate --spec runs NestJS global filters and guards for every route', () => {
  it('useGlobalFilters and an APP_GUARD provider reach both controllers', async () => {
    const report = await run('spellings-nest-globals', '.');
    const operations = report.sites.map((s) => `${s.file}:${s.line} ${s.operation}`).sort();
    expect(operations).toEqual([
      'src/cert.guard.ts:8 DELETE /orders/{id}, GET /items/{id}',
      'src/denied.filter.ts:8 DELETE /orders/{id}, GET /items/{id}',
    ]);
  });
});

// Session 19 (cnpm/cnpmcore, egg 4): tegg HTTP controllers. Before: no route read (0 of 103 operations matched, every
// 403 "outside --spec"); the fields a controller uses were declared by its base class (`@Inject() protected
// userRoleManager: UserRoleManager` in an abstract controller), which reach did not follow; egg-errors' `E403` alias
// was in no file the prefilter let through.
describe('migrate --spec reads Egg.js tegg controllers', () => {
  it('@HTTPController / @HTTPMethod routes, @Middleware, fields and methods of a base class, E403', async () => {
    const report = await run('spellings-tegg', '.');
    const routes = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
      .sort();
    expect(routes).toEqual([
      'DELETE /-/npm/v1/hooks/hook/:id app/port/controller/HookController.ts:9', // under @HTTPController({ path })
      'GET /-/package/:fullname(@[^/]+/[^/]+|[^@/]+)/collaborators app/port/controller/AccessController.ts:9',
      'PUT /-/package/:fullname(@[^/]+/[^/]+|[^@/]+)/blocks app/port/controller/AccessController.ts:15',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // GET /-/ping (no method: tegg's default GET) is the public operation's route: nothing is left over.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});

// Session 19 (postalsys/emailengine, hapi): what hapi runs for every request of the server (lifecycle extensions,
// authentication strategies and schemes) was reached from no route, so under --spec the 403s of an API token's
// `validate` were "outside --spec" and `--check` read clean while every documented operation ran them.
describe('migrate --spec reaches what hapi runs for every request', () => {
  it('server.ext (both forms, request events only), auth.strategy options, auth.scheme', async () => {
    const report = await run('spellings-hapi-lifecycle', '.');
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});

// Session 37 (breakfix37a): hapi applies a plugin's `server.ext()` (and its auth scheme) to every route of the
// server unless the ext says `sandbox: 'plugin'`; before, it was scoped to the plugin's own routes, so a public
// plugin's 403 answering mTLS routes was "left alone" and an mTLS plugin's one shared with GET /v1/status was
// rewritten. Route-level `options.ext` stays with its route.
describe('migrate --spec: a hapi plugin’s extensions run for every route of the server', () => {
  it('string, object and array spellings, nested plugins, sandbox: plugin, auth.scheme, route-level ext', async () => {
    const report = await run('spellings-hapi-plugin-ext', '.');
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    const shared = report.sites.filter((s) => s.action === 'manual');
    for (const site of shared) expect(site.reason).toMatch(/non-mTLS GET \/v1\/status/);
  });
});

// Session 37 (breakfix37a): middleware a framework runs before its routes by file convention. Before, its 403s were
// "403 sites no mTLS operation reaches (left alone)" and `--check` passed (breaker37 04).
describe('migrate --spec: request middleware attached by file convention runs before the routes it covers', () => {
  const project = 'spellings-request-middleware';
  it('Next.js middleware.ts: matcher strings and { source, has } objects cover the mTLS routes only', async () => {
    const report = await run(project, 'next-matcher');
    expect(report.sites.map((s) => s.operation)).toEqual(['GET /api/accounts/{id}, GET /api/cards/{id}']);
  });
  it('Next.js src/middleware.ts: the negative-lookahead matcher leaves out the public path', async () => {
    const report = await run(project, 'next-negative');
    expect(report.sites).toHaveLength(1);
  });
  it('Next 16 proxy.ts with no config runs for every route: shared with the public one', async () => {
    const report = await run(project, 'next-proxy');
    expect(report.sites[0]?.reason).toMatch(/non-mTLS GET \/api\/status/);
  });
  it('Next.js: a matcher computed at run time is read as every route, and named', async () => {
    const report = await run(project, 'next-computed');
    expect(report.sites[0]?.reason).toMatch(/non-mTLS GET \/api\/status/);
    expect(report.coverage.unresolved.map((u) => u.reason)).toEqual([
      expect.stringMatching(
        /^Next\.js middleware middleware\.ts: matcher protectedPaths\(\) is computed at run time/,
      ),
    ]);
  });
  it('SvelteKit hooks.server.ts handle = sequence(cert, log)', async () => {
    const report = await run(project, 'sveltekit');
    expect(report.sites[0]?.reason).toMatch(/non-mTLS GET \/api\/status/);
  });
  it('Nuxt server/middleware runs for every request', async () => {
    const report = await run(project, 'nuxt');
    expect(report.sites[0]?.reason).toMatch(/non-mTLS GET \/api\/status/);
  });
  it('Astro src/middleware.ts onRequest, whose routes are not read: named for review, never left alone', async () => {
    const report = await run(project, 'astro');
    expect(report.sites[0]?.reason).toMatch(/Astro middleware src\/middleware\.ts runs before the requests/);
  });
});
