import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 24 (trials24): route paths and prefixes a registration gives, which a first reading of the route alone
// left "computed at run time" or missed. Each project mixes mTLS and public operations; `// expect:` marks every
// 403 line. No --mount.

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unmatchedRoutes: { method: string; path: string; file: string; line: number }[];
    unresolved: { method: string; path: string; file: string; line: number; reason: string }[];
  };
}

const routesOf = (report: Report): string[] =>
  report.coverage.handled
    .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
    .sort();

describe('migrate --spec: what the registration gives a route', () => {
  it("plugin options in a route url: each Fastify / hapi registration's own values, one route per registration", async () => {
    // Before (0c33c5f): every plugin route was "route path is computed at run time": 0 of 4 mTLS operations
    // handled, every 403 manual.
    const { report } = await runSpecProject<Report>('spellings-plugin-options');
    expect(routesOf(report)).toEqual([
      'GET /partners/payments/:id src/payments.ts:3', // register(payments, partners): a constant of options
      'GET /v1/orders/{id} src/orders.js:4', // hapi { plugin, options: { base } }, `const base = options.base`
      'GET /v1/payments/:id src/payments.ts:3', // ``${opts.base}/payments/:id``
      'POST /v1/consents src/consents.ts:3', // `{ base }` destructured, `url: base + '/consents'`
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // The one registration that does not give the option the url reads: named, with that registration.
    expect(report.coverage.unresolved.map((u) => [u.method, u.path, u.file, u.reason])).toEqual([
      [
        'GET',
        '/*',
        'src/legacy.ts',
        'route path reads the plugin option version, which the registration at src/server.ts:13 does not give as a string (src/legacy.ts:4)',
      ],
    ]);
  });

  it("hapi-openapi and swaggerize-express routes under the registration's prefix (hapi `routes.prefix`, Express `use` path)", async () => {
    // Before (0c33c5f): the routes sat at the bound documents' base paths only (/v2/settlements, /v1/accounts):
    // 0 of 3 mTLS operations of the hub's contract handled, 4 routes unmatched, the 403s left alone.
    const { report } = await runSpecProject<Report>('spellings-document-plugin-prefix');
    expect(routesOf(report)).toEqual([
      'GET /ledger/v1/accounts src/ledger/handlers/accounts.js:4',
      'GET /settlement/v2/settlements src/handlers/settlements.js:4',
      'PUT /settlement/v2/settlements/{id} src/handlers/settlements/{id}.js:4',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
  });
});

describe("migrate --spec: apps made from the project's own classes", () => {
  it('`new App()` of `class App extends Hono<Env>` imported by relative path (also a subclass of it, and Koa)', async () => {
    // Before (0c33c5f): every route was "registered on app, which mtls-fix could not trace to an app or router",
    // the Koa router "not mounted anywhere": 0 of 3 mTLS operations handled, every 403 manual.
    const { report } = await runSpecProject<Report>('spellings-app-classes');
    expect(routesOf(report)).toEqual([
      'GET /koa/payments/:id src/koa/server.ts:9',
      'GET /v1/accounts/:id src/hono/accounts.ts:4',
      'GET /v1/consents/:id src/hono/index.ts:6',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe('migrate --spec: Next.js rewrites', () => {
  it('next.config rewrites() (beforeFiles / afterFiles) serve public paths by the API routes they name', async () => {
    // Before (0c33c5f): 0 of 3 mTLS operations handled, the API routes unmatched and every 403 left alone (the
    // --check passed). Now each operation reaches its route through the rewrite; the route also answers its own
    // undocumented /api path, so its 403 is manual, naming both.
    const { report } = await runSpecProject<Report>('spellings-next-rewrites');
    expect(routesOf(report)).toEqual([
      'ALL /open-banking/v1/files/:path* pages/api/files/[...path].ts:2',
      'GET /open-banking/v1/payments/:paymentId app/api/payments/[id]/route.ts:1',
      'POST /open-banking/v1/consents app/api/consents/route.ts:1',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // A part of rewrites() built at run time is named, never skipped.
    expect(report.coverage.unresolved.map((u) => [u.file, u.line, u.reason])).toEqual([
      [
        'next.config.mjs',
        15,
        'next.config rewrites() entry legacyRewrites(process.env.LEGACY_API) is computed at run time: the routes it serves a public path by are not known (next.config.mjs:15)',
      ],
    ]);
    // The rewrite to another origin adds no route of this app.
    expect(report.coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'ALL /open-banking/api/files/:path+',
      'GET /open-banking/api/payments/:id',
      'POST /open-banking/api/consents',
    ]);
  });
});

describe('migrate --spec: a Fastify plugin package (trial: KORTxyz/ogcapi-gpkg)', () => {
  it("the package's entry plugin is an app; the glue's document is the file it decorates the instance with, copied", async () => {
    // Before (0c33c5f): the glue's `specification: removeTags(fastify.api, 'example')` was "computed at run time"
    // and the plugin, registered only by its tests, was mounted nowhere: 0 of 1 mTLS operation handled, its 403
    // left alone (`--check` passed).
    const { report } = await runSpecProject<Report>('spellings-plugin-package', { spec: 'src/openapi.yaml' });
    expect(routesOf(report)).toEqual(['GET /accounts/{accountId} src/routes/accounts.js:1']);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe('migrate --spec: chanfana endpoint classes', () => {
  it("fromHono(app) registers on the app; an endpoint class's handle() runs for its route", async () => {
    // Before (0c33c5f): no route (the registry was no router, and a class is no handler of an untraced
    // route): 0 of 4 mTLS operations handled, 0 sites, `--check` passed with four 403s left.
    const { report } = await runSpecProject<Report>('spellings-chanfana');
    expect(routesOf(report)).toEqual([
      'DELETE /api/tasks/:taskSlug src/index.ts:12',
      'GET /api/accounts/:id src/index.ts:17', // a sub-registry mounted with route()
      'GET /api/tasks/:taskSlug src/index.ts:11',
      'GET /legacy/tasks/:id src/legacy.ts:12', // @cloudflare/itty-router-openapi OpenAPIRouter({ base })
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });
});

// Session 25 (trials25): registrations that real services (mojaloop's central-ledger, ml-api-adapter) write, which
// no earlier reading followed.
describe('migrate --spec: route modules loaded from a directory listing (trial: mojaloop/central-ledger)', () => {
  it('globSync / readdirSync listings with their filters, every framework; plugins reaching register() through parameters', async () => {
    // Before (433619b): no route read from any listed module: 0 of 4 mTLS operations handled, the hapi plugin
    // (handed to `server.register(modules)` through `initialize({ modules })`) never linked, and nothing
    // named for it.
    const { report } = await runSpecProject<Report>('spellings-listed-modules');
    expect(routesOf(report)).toEqual([
      'GET /api/accounts/:id src/express/routes/accounts.js:5', // not `_disabled.js`: the filter keeps it out
      'GET /participants/{name} src/hapi/api/participants/routes.js:5',
      'POST /v1/payments src/fastify/plugins/payments.js:4',
    ]);
    expect(report.coverage.noHandler.map((o) => o.operation)).toEqual(['GET /reports/{id}']);
    // The listing whose filter mtls-fix cannot run is named, and so is the router the filter keeps out.
    expect(report.coverage.unresolved.map((u) => [u.method, u.path, u.file, u.reason])).toEqual([
      [
        'ALL',
        '/*',
        'src/hapi/api/routes.js',
        'the route table require(`../tables/${name}`) is built at run time',
      ],
      [
        'GET',
        '/accounts/:id',
        'src/express/routes/_disabled.js',
        'router is not mounted anywhere in the scanned code (src/express/routes/_disabled.js:4)',
      ],
    ]);
    // The plugin behind `process.env.METRICS && require('./metrics')` is registered when enabled.
    expect(report.coverage.unmatchedRoutes.map((r) => `${r.method} ${r.path} ${r.file}`)).toEqual([
      'GET /metrics src/hapi/metrics.js',
    ]);
  });
});

describe('migrate --spec: routes made from an openapi-backend’s operations (trial: mojaloop/ml-api-adapter)', () => {
  it('api.router.getOperations().filter(…).map((o) => ({ method, path, handler })) on hapi and Fastify', async () => {
    // Before (433619b): each table was "built at run time": 0 of 4 mTLS operations handled, the handlers' 403s
    // left alone.
    const { report } = await runSpecProject<Report>('spellings-backend-operations', {
      spec: ['openapi.yaml', 'fx.yaml'],
    });
    expect(routesOf(report)).toEqual([
      'GET /transfers/{ID} src/handlers/index.js:8', // by operationId
      'GET /transfers/{ID} src/setup.js:22',
      'POST /fxTransfers src/fx.js:10', // the handler the backend binds to the operationId
      'POST /fxTransfers src/fx.js:15', // the route object of the table
      'POST /transfers src/handlers/index.js:7',
      'POST /transfers src/setup.js:22',
    ]);
    // `/metrics` is filtered out of the table (a plugin serves it): no route, and no forwarding claimed for it.
    expect(report.coverage.noHandler.map((o) => o.operation)).toEqual(['GET /metrics']);
    // Each backend reads the document its caller's literal picks (`pathForInterface({ isHandlerInterface: true })`):
    // before, both read both, and each listed the other's operations as "no handler registered".
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe("migrate --spec: routes a project's app or router class registers on `this`", () => {
  it('`this.get()` in the constructor (and a method it calls) of `class Api extends Hono`, `class X extends Router`', async () => {
    // Before (433619b): each registration was "registered on this, which mtls-fix could not trace to an app or
    // router": 0 of 2 mTLS operations handled, every 403 manual.
    const { report } = await runSpecProject<Report>('spellings-class-registrations');
    expect(routesOf(report)).toEqual([
      'GET /api/accounts/:id src/api.ts:7', // under app.route('/api', new Api())
      'POST /v1/payments src/payments.ts:6', // koa.use(new PaymentsRouter().routes())
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
