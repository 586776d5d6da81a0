import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 36 (trials36): swagger-tools' `swaggerRouter({ controllers })` and the a127 swagger-node runners
// (`SwaggerExpress.create(config, (err, runner) => runner.register(app))`) route each operation of a Swagger 2.0
// document to `<controllers>/<x-swagger-router-controller>`'s export `operationId` (else the method). No --mount.

const routesOf = (report: SpecReport): string[] =>
  report.coverage.handled
    .map((h) => `${h.operation} <- ${h.routes.map((r) => `${r.path} ${r.file}:${r.line}`).join(', ')}`)
    .sort();

describe('migrate --spec: routers that route a Swagger document to controller modules', () => {
  it('swagger-tools: initializeMiddleware(doc, (mw) => app.use(mw.swaggerRouter({ controllers })))', async () => {
    const { report } = await runSpecProject('spellings-swagger-tools-router', {
      spec: 'api/swagger.yaml',
      args: ['--mtls-everywhere'],
    });
    // 82ec3d4b: 0 of 4 handled, 0 code routes; the three 403s left alone (BlockInfinity/api: 0 of 29).
    expect(routesOf(report)).toEqual([
      'DELETE /accounts/{id} <- /v2/accounts/{id} controllers/Accounts.js:11',
      'GET /accounts/{id} <- /v2/accounts/{id} controllers/Accounts.js:3',
      'POST /payments <- /v2/payments controllers/Payments.js:3',
    ]);
    // An operation whose export the controller lacks is named for review, not dropped.
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /events']);
    expect(report.coverage.unresolved).toMatchObject([
      {
        file: 'index.js',
        reason:
          "GET /events: x-swagger-router-controller 'Payments' names no export streamEvents under controllers",
      },
    ]);
  });

  it("a127 swagger-node: SwaggerExpress.create({ appRoot }, …register(app)), config/default.yaml's controllersDirs", async () => {
    const { report } = await runSpecProject('spellings-swagger-node-runner', {
      spec: 'api/swagger/swagger.yaml',
      args: ['--mtls-everywhere'],
    });
    // 82ec3d4b: 0 of 2 handled, no code route; both 403s left alone.
    expect(routesOf(report)).toEqual([
      'GET /hello <- /hello api/controllers/hello_world.js:5',
      'GET /orders/{id} <- /orders/{id} api/handlers/orders.js:4',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
  });
});
