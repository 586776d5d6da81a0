import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';
import { runSpecProject, SPEC_PROJECTS } from '../../helpers/spec-run.js';

// Issue 9 §2 (session 23, trials23): handlers found through the document by libraries mojaloop's hapi services use.
// Each project mixes mTLS and public operations; `// expect:` marks every 403 line. No --mount.
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null; reason: string | null }[];
  coverage: {
    handled: { operation: string; routes: { method: string; path: string; file: string; line: number }[] }[];
    noHandler: { operation: string }[];
    unresolved: {
      method: string;
      path: string;
      file: string;
      line: number;
      reason: string;
      byHand?: boolean;
    }[];
    leftAlone?: { file: string; line: number; form: string }[];
  };
}

const routesOf = (report: Report): string[] =>
  report.coverage.handled
    .flatMap((h) => h.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`))
    .sort();

describe('migrate --spec: handlers the document binds (hapi-openapi, openapi-backend behind hapi routes)', () => {
  it('hapi-openapi: a handlers folder laid out as the document paths, registered through functions', async () => {
    // Before (66c28b1): 0 code routes; 5 of 5 mTLS operations "no handler found", every 403 left alone.
    const { report } = await runSpecProject<Report>('spellings-hapi-openapi');
    expect(routesOf(report)).toEqual([
      'GET /v2/settlements src/api/handlers/settlements.js:9',
      'GET /v2/settlements/{id} src/api/handlers/settlements/{id}.js:4',
      'POST /v2/settlements src/api/handlers/settlements.js:13', // [pre, handler]: the pre runs too
      'PUT /v2/settlements/{id} src/api/handlers/settlements/{id}.js:8',
    ]);
    // No module for it: hapi-openapi makes no route, and the operation says so.
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /participants/{id}']);
    expect(report.coverage.leftAlone?.map((l) => `${l.file}:${l.line}`)).toEqual([
      'src/api/handlers/health.js:5',
    ]);
  });

  it('swaggerize-express: the same handler layout on an Express app, under the Swagger basePath', async () => {
    // Before (66c28b1): 0 code routes; 2 of 2 operations "no handler found", the 403 left alone.
    const { report } = await runSpecProject<Report>('spellings-swaggerize-express', {
      args: ['--mtls-everywhere'],
    });
    expect(routesOf(report)).toEqual([
      'GET /api/accounts src/handlers/accounts.js:4',
      'GET /api/accounts/{id} src/handlers/accounts/{id}.js:4',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });

  it("openapi-backend made by a library (mojaloop's OpenapiBackend.initialise) and hapi routes that forward to it", async () => {
    // Before (66c28b1): the route table, a parameter of createServer, was "built at run time"; 4 of 4 mTLS operations
    // had no handler, the handlers' 403s were left alone. (With the table read, the operations matched the
    // forwarding hapi routes only: "handled", 0 rewritten.) The document is picked at run time
    // (`let apiFile` assigned in branches, `'../' + apiFile`), the handlers by a conditional.
    const { report } = await runSpecProject<Report>('spellings-openapi-backend-hapi');
    expect(routesOf(report)).toEqual([
      'GET /authorizations/{ID} src/routes.js:13',
      'GET /transactionRequests/{ID} src/handlers/index.js:12',
      'GET /transactionRequests/{ID} src/routes.js:11',
      'POST /transactionRequests src/handlers/index.js:11',
      'POST /transactionRequests src/routes.js:10',
      'PUT /transactionRequests/{ID} src/handlers/index.js:13',
      'PUT /transactionRequests/{ID} src/routes.js:12',
    ]);
    // In the handler map but forwarded by no hapi route (hapi answers 404): no route, its 403 left alone.
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['GET /consents/{ID}']);
    // The forwarded operation no handler map names: listed where the backend is made.
    expect(report.coverage.unresolved.map((u) => [u.method, u.file, u.line, u.byHand, u.reason])).toEqual([
      [
        'GET',
        'src/server.js',
        23,
        true,
        'GET /authorizations/{ID}: openapi-backend has no handler registered for AuthorizationsByIdGet',
      ],
    ]);
  });
  it('a backend whose definition is computed at run time: its forwarding routes answer no operation by themselves', async () => {
    // Before (66c28b1) and before this branch's last change: every operation was "handled" by the forwarding
    // route alone (mojaloop/thirdparty-sdk: 38 of 38 by a `/{path*}` catch-all), its handler never reached.
    const server = [
      "'use strict';",
      "const Hapi = require('@hapi/hapi');",
      "const { OpenapiBackend } = require('@mojaloop/central-services-shared').Util;",
      "const Handlers = require('./handlers');",
      "const Routes = require('./routes');",
      'const createServer = async (port, specPath) => {',
      '  const server = new Hapi.Server({ port });',
      '  const api = await OpenapiBackend.initialise(specPath, Handlers);',
      '  server.route(Routes.APIRoutes(api));',
      '  return server;',
      '};',
      'module.exports = { start: () => createServer(3000, process.env.SPEC_PATH) };',
      '',
    ].join('\n');
    const dir = tempProject(
      { 'src/server.js': server },
      path.join(SPEC_PROJECTS, 'spellings-openapi-backend-hapi'),
    );
    temps.push(dir);
    const result = await runCliAsync(['migrate', '--json', '--dry-run', '--spec', 'openapi.yaml'], {
      cwd: dir,
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(routesOf(report)).toEqual([]);
    expect(report.sites).toEqual([]);
    const byHand = report.coverage.unresolved.filter((u) => u.reason.startsWith('hands the request'));
    expect(byHand.map((u) => [u.method, u.file, u.line, u.byHand])).toEqual([
      ['GET', 'src/routes.js', 9, true],
      ['POST', 'src/routes.js', 10, true],
      ['GET', 'src/routes.js', 11, true],
      ['PUT', 'src/routes.js', 12, true],
      ['GET', 'src/routes.js', 13, true],
    ]);
  });
});
