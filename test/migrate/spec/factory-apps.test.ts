import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 41 (trial41b, usesend/useSend): apps a project function makes and returns, the caller adding the routes.

const handled = (report: SpecReport): string[] =>
  report.coverage.handled
    .map(
      (h) =>
        `${h.operation} <- ${h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`).join(', ')}`,
    )
    .sort();

describe('migrate --spec: middleware a factory adds to the app it returns', () => {
  // 35372ffb: every guard below was "403 sites no mTLS operation reaches (left alone)" and `--check` exited 0 (trial41b
  // 01): the factory's app was mounted below the call's as a router of its own, its middleware running only for the
  // routes the factory itself registered.
  it('runs for every route the caller registers: function, arrow with options, async, class method, default export; Express, Koa, Fastify, Hono, hapi', async () => {
    const { report } = await runSpecProject('spellings-factory-middleware');
    expect(report.coverage.leftAlone ?? []).toEqual([]);
    const reached = report.sites.map((s) => `${s.file}:${s.line}`).sort();
    expect(reached).toEqual([
      'src/express/default-factory.ts:6',
      'src/express/factories.ts:20',
      'src/express/factories.ts:31',
      'src/express/factories.ts:43',
      'src/express/factories.ts:5',
      'src/fastify/app.ts:6',
      'src/hapi/server.ts:6',
      'src/hono/app.ts:8',
      'src/koa/app.ts:8',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe('migrate --spec: a Hono app a factory makes with a base path, served by Next.js or @hono/node-server', () => {
  // 35372ffb: 0 of 2 handled, each route "router is not mounted anywhere in the scanned code", advice `--mount
  // <the file of the helper registering it>=PREFIX` that changed nothing; mounted by hand, the base path was lost.
  it('serves the call’s app as an app made in place would be: under the factory’s basePath, after its guard', async () => {
    const { report } = await runSpecProject('spellings-factory-hono-apps', {
      spec: ['openapi.yaml', 'internal.yaml'],
    });
    expect(handled(report)).toEqual([
      'GET /v1/things/{id} <- GET /api/v1/things/:id src/server/api/routes/get-thing.ts:12',
      'GET /v2/widgets/{id} <- GET /internal/v2/widgets/:id src/node/server.ts:5',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.leftAlone ?? []).toEqual([]);
  });
});

describe('migrate --spec: the --mount advice names the file whose --mount gives the prefix', () => {
  // 35372ffb: "pass --mount src/api/things.ts=PREFIX" (the helper that registers on the router it is handed), which
  // changes nothing: only the file that makes the router (or calls the factory making it) does.
  it('names the router’s own file, and following the advice matches the routes', async () => {
    const { report } = await runSpecProject('spellings-mount-advice');
    const unresolved = report.coverage.unresolved;
    expect(unresolved.map((u) => `${u.file}:${u.line} ${u.mountFile}`).sort()).toEqual([
      'src/api/things.ts:4 src/api/index.ts',
      'src/koa/items.ts:4 src/koa/index.ts',
    ]);
    const mounted = await runSpecProject('spellings-mount-advice', {
      args: unresolved.flatMap((u) => ['--mount', `${u.mountFile ?? ''}=/${u.file.split('/')[1]}`]),
    });
    expect(handled(mounted.report)).toEqual([
      'GET /api/v1/things/{id} <- GET /api/v1/things/:id src/api/things.ts:4',
      'GET /koa/v1/items/{id} <- GET /koa/v1/items/:id src/koa/items.ts:4',
    ]);
  });
});

describe('migrate --spec: an app a factory makes, mounted in one place and served directly in another', () => {
  // 3085419c: once one call of the factory was mounted (`main.use('/v2', both())`), a call only served
  // (`both().listen(3001)`, `export default both()`, `createServer(createApi().callback())`) was never read, so
  // `GET /e/c/{id}`, `/h/c/{id}`, `/k/a/{id}` had "no handler found"; Fastify's `register(makePlugin(), { prefix })`
  // of a plugin a function returns was "a plugin mtls-fix cannot read", its route "not mounted anywhere".
  it('lists each route once per place it is served: under the mount prefix, and at the root where served directly', async () => {
    const { report } = await runSpecProject('spellings-factory-mounted');
    expect(handled(report)).toEqual([
      'GET /api/h/a/{id} <- GET /api/h/a/:id src/hono/app.ts:11',
      'GET /api/h/b/{id} <- GET /api/h/b/:id src/hono/app.ts:15',
      'GET /e/c/{id} <- GET /e/c/:id src/express/api.ts:19',
      'GET /h/c/{id} <- GET /h/c/:id src/hono/app.ts:19',
      'GET /k/a/{id} <- GET /k/a/:id src/koa/app.ts:10',
      'GET /v1/e/a/{id} <- GET /v1/e/a/:id src/express/api.ts:6',
      'GET /v1/e/b/{id} <- GET /v1/e/b/:id src/express/api.ts:12',
      'GET /v1/f/a/{id} <- GET /v1/f/a/:id src/fastify/app.ts:5',
      'GET /v1/k/a/{id} <- GET /v1/k/a/:id src/koa/app.ts:10',
      'GET /v1/p/a/{id} <- GET /v1/p/a/{id} src/hapi/server.ts:7',
      'GET /v2/e/c/{id} <- GET /v2/e/c/:id src/express/api.ts:19',
      'GET /v2/h/c/{id} <- GET /v2/h/c/:id src/hono/app.ts:19',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.leftAlone ?? []).toEqual([]);
  });
});

describe('migrate --spec: the app an async factory resolves, taken by a then callback', () => {
  // 86357a9d: the callback's parameter was traced to nothing: its routes "registered on app, which mtls-fix could
  // not trace … review by hand", and the guard the factory adds "no mTLS operation reaches (left alone)", so
  // `--check` passed with the guard's 403 in place.
  it('is the factory’s app: its guard runs for the callback’s routes (Express, Koa, Fastify, Hono, hapi)', async () => {
    const { report } = await runSpecProject('spellings-promised-apps');
    expect(handled(report)).toEqual([
      'GET /e/items/{id} <- GET /e/items/:id src/express.ts:10',
      'GET /f/items/{id} <- GET /f/items/:id src/fastify.ts:14',
      'GET /h/items/{id} <- GET /h/items/:id src/hono.ts:14',
      'GET /k/items/{id} <- GET /k/items/:id src/koa.ts:15',
      'GET /p/items/{id} <- GET /p/items/{id} src/hapi.ts:12',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.leftAlone ?? []).toEqual([]);
  });
});

describe('migrate --spec: route functions handed to an app factory in a member of its options', () => {
  // 6b6dc653: `config.routes.forEach((route) => route(router))` gave no function (only a name or a parameter was
  // followed to its list), so every router was "not mounted anywhere" (AI-Engineer-Foundation/agent-protocol's JS
  // SDK: 0 of 9 operations).
  it('follows the member to the lists the calls pass: an object literal, a name holding one, a method returning one', async () => {
    const { report } = await runSpecProject('spellings-config-route-lists');
    expect(handled(report)).toEqual([
      'GET /ap/v1/steps <- GET /ap/v1/steps src/agent.ts:9',
      'GET /ap/v1/tasks <- GET /ap/v1/tasks src/agent.ts:5',
      'GET /h/things <- GET /h/things src/hono.ts:6',
      'GET /k/items <- GET /k/items src/koa.ts:15',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
