import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 26: prefixes a document leaves out, and prefixes routers name in their own construction
// (test/fixtures/spec-projects/spellings-code-prefix*, spellings-router-subclass). No --mount.

interface Report {
  sites: { file: string; line: number; action: string; reason?: string }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string }[] }[];
    noHandler: { operation: string }[];
    ambiguous: unknown[];
    unresolved: unknown[];
    codePrefixes?: { document: string; prefix: string; operations: number }[];
  };
}

const routesOf = (report: Report): string[] =>
  report.coverage.handled.map((h) => `${h.operation} <- ${h.routes.map((r) => r.path).join(', ')}`).sort();

describe('migrate --spec: a prefix the code serves the document under, which the document leaves out', () => {
  it('Express app.use("/v1", router) for a document of /accounts: matched under /v1, and said so', async () => {
    const { report, human } = await runSpecProject<Report>('spellings-code-prefix', { human: true });
    expect(routesOf(report)).toEqual([
      'GET /accounts/{id} <- /v1/accounts/:id',
      'GET /accounts/{id}/balances <- /v1/accounts/:id/balances',
      'POST /payments <- /v1/payments',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    // /health matches at the root; /status, /accounts/*, /payments under /v1.
    expect(report.coverage.codePrefixes).toEqual([
      { document: 'openapi.yaml', prefix: '/v1', operations: 4 },
    ]);
    expect(human).toContain('the code serves 4 of its operations under /v1');
  });

  it('a hapi plugin under routes.prefix, in front of the document basePath', async () => {
    const { report } = await runSpecProject<Report>('spellings-code-prefix-hapi');
    expect(routesOf(report)).toEqual([
      'GET /orders/{id} <- /api/orders-service/orders/{id}',
      'POST /orders <- /api/orders-service/orders',
    ]);
    expect(report.coverage.codePrefixes).toEqual([
      { document: 'openapi.yaml', prefix: '/api', operations: 3 },
    ]);
  });
});

describe('migrate --spec: a prefix only one operation shows is not inferred, but named', () => {
  it('POST /uploads/receipt served at /api/uploads/receipt alone: no handler, the route named on its entry', async () => {
    const { report, human } = await runSpecProject<Report>('spellings-code-prefix-single', { human: true });
    expect(routesOf(report)).toEqual(['GET /accounts/{id} <- /accounts/:id']);
    expect(report.coverage.codePrefixes).toBeUndefined();
    // 87e166c: the entry said only "no handler found", nothing named the route that answers it under /api.
    expect(report.coverage.noHandler).toEqual([
      {
        operation: 'POST /uploads/receipt',
        why: "scheme 'clientCert'",
        servedUnder: [
          {
            prefix: '/api',
            route: {
              method: 'POST',
              path: '/api/uploads/receipt',
              file: 'src/app.js',
              line: 13,
              framework: 'express',
            },
          },
        ],
      },
    ]);
    expect(human).toContain(
      'POST /api/uploads/receipt  src/app.js:13 answers it under /api, a prefix no other operation shows: not matched',
    );
    // Session 28: its 403 (the `// expect: manual` marker) names the operation; before, only a leftAlone entry.
    const site = report.sites.find((s) => s.line === 14);
    expect(site?.reason).toContain(
      'Reached from POST /api/uploads/receipt (src/app.js:13), which answers mTLS operation POST /uploads/receipt under /api',
    );
  });
});

describe('migrate --spec: prefixes a router names when it is made', () => {
  it('super({ prefix }) in router subclasses (literal, from a parameter, options passed through), var/let constants', async () => {
    const { report } = await runSpecProject<Report>('spellings-router-subclass');
    expect(routesOf(report)).toEqual([
      'GET /api/orders/{id} <- /api/orders/:id',
      'GET /cards/{id} <- /cards/:id',
      'GET /items/{id} <- /items/:id',
      'GET /loans/{id} <- /loans/:id',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.codePrefixes).toBeUndefined();
  });
});

describe('migrate --spec: base paths and nested prefixes', () => {
  it('a server variable enum value (/{basePath} = v2 beside its default v1) and a second server', async () => {
    const { report } = await runSpecProject<Report>('spellings-server-variables');
    expect(routesOf(report)).toEqual([
      'GET /accounts/{id} <- /v2/accounts/:id',
      'GET /cards/{id} <- /internal/cards/:id',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });

  it('a nested registration prefix read from the plugin options (Fastify `/${opts.version}`, hapi options.base), Koa nested use', async () => {
    const { report } = await runSpecProject<Report>('spellings-nested-prefixes');
    expect(routesOf(report)).toEqual([
      'GET /f/api/v1/accounts/{id} <- /f/api/v1/accounts/:id',
      'GET /h/api/v1/loans/{id} <- /h/api/v1/loans/{id}',
      'GET /k/api/v1/cards/{id} <- /k/api/v1/cards/:id',
    ]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});

describe('migrate --spec: statuses from a module re-exported whole', () => {
  it('module.exports = require(), Object.assign(module.exports, require()), a spread of require(), export *', async () => {
    const { report } = await runSpecProject<Report>('spellings-reexported-statuses');
    expect(report.sites.map((s) => s.action)).toEqual(Array(4).fill('would-rewrite'));
  });
});

describe('migrate --spec: registrations that cannot be read are named by their call', () => {
  it('Fastify and hapi register() of a project plugin chosen at run time (a package plugin is not listed)', async () => {
    const { report } = await runSpecProject<Report>('spellings-unread-registrations');
    expect(
      (report.coverage.unresolved as { file: string; line: number; reason: string; byHand?: boolean }[]).map(
        (u) => `${u.file}:${u.line} ${u.byHand === true} ${u.reason}`,
      ),
    ).toEqual([
      'src/fastify.js:9 true registration of loadPlugin(process.env.API_PLUGIN) at src/fastify.js:9 loads a plugin mtls-fix cannot read',
      'src/hapi.js:9 true registration of plugins[process.env.MODE] at src/hapi.js:9 loads a plugin mtls-fix cannot read',
    ]);
  });
});
