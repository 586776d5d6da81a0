import { describe, expect, it } from 'vitest';
import { runSpecFiles, runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// trial37 (automatisch/automatisch @ 41f3c56a, repro /tmp/trial37/repro/http-client): two wrong "registrations not
// read" lines. `$.http.post(url, data)` of an action (an axios instance the engine makes) was "registered on $.http,
// which mtls-fix could not trace to an app or router"; an MCP route's `transport.handleRequest(req, res, body)` (the
// MCP SDK's StreamableHTTPServerTransport) "hands the request to an openapi-backend … that mtls-fix cannot tell among
// the 0 of the project". Each project marks every 403 line with `// expect:`.

const unresolved = (report: SpecReport): string[] =>
  report.coverage.unresolved.map((u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.reason}`);

describe('migrate --spec: HTTP client calls shaped like route registrations', () => {
  it('are no routes when no argument after the URL is a handler or the receiver is a client; unclear ones say so', async () => {
    // Before: POST /* and PATCH /* create-doc.js:20/22 and PUT /v2/ids :21 listed as registrations on $.http.
    const { report } = await runSpecProject('spellings-client-calls');
    const lines = unresolved(report);
    // `$.http.post(url, Object.entries(rest).reduce(fn, {}))`, `.map((i) => ({ … }))`, `JSON.stringify(x)`,
    // `{ params }`, `new FormData()`; axios / got / `axios.create()` / Angular HttpClient receivers; a typed body;
    // `const axios = require('axios')` with an argument it cannot tell (before: listed, perhaps a client call).
    expect(lines.filter((l) => /create-doc|accounts-client|required-client/.test(l))).toEqual([]);
    // Registrations on an untraced receiver with a handler stay routes, with the words they had: a spread of
    // middleware, an imported function, a wrapper around one, a project factory's middleware.
    expect(lines.filter((l) => l.includes('payments.js'))).toEqual([
      'POST /v1/payments src/plugins/payments.js:9 registered on kit, which mtls-fix could not trace to an app or router (src/plugins/payments.js:9)',
      'GET /v1/consents/:id src/plugins/payments.js:13 registered on kit, which mtls-fix could not trace to an app or router (src/plugins/payments.js:13)',
      'GET /v1/wrapped src/plugins/payments.js:14 registered on kit, which mtls-fix could not trace to an app or router (src/plugins/payments.js:14)',
      'GET /v1/validated src/plugins/payments.js:15 registered on kit, which mtls-fix could not trace to an app or router (src/plugins/payments.js:15)',
      // `body.map((part) => part.value)`: a call's result mtls-fix cannot tell (before: listed as a route).
      'POST /v1/unclear src/plugins/payments.js:17 registered on kit, which mtls-fix could not trace to an app or router, with no argument it reads as a handler: perhaps an HTTP client call, not a route (src/plugins/payments.js:17)',
    ]);
  });
});

describe('migrate --spec: a request handed to a dispatcher other than openapi-backend', () => {
  it('names the callee mtls-fix does not follow, at the route, with no openapi-backend in the project', async () => {
    // Before: `POST /* src/app.js:14 hands the request to an openapi-backend (transport.handleRequest) that mtls-fix
    // cannot tell among the 0 of the project`, the same for the per-session transport.
    const { report } = await runSpecProject('spellings-client-calls');
    expect(unresolved(report).filter((l) => l.includes('src/app.js'))).toEqual([
      'POST /mcp src/app.js:14 hands the request to transport.handleRequest(…), which mtls-fix does not follow (src/app.js:16)',
      'GET /mcp/sessions/:id src/app.js:20 hands the request to transports[req.params.id].handleRequest(…), which mtls-fix does not follow (src/app.js:21)',
    ]);
  });

  it("never takes an MCP transport for the project's only openapi-backend", async () => {
    // Before: the MCP route was taken to forward to the one backend: `POST /mcp: openapi-backend has no handler
    // registered for mcp`, at the backend.
    const { report } = await runSpecProject('spellings-mcp-beside-backend');
    expect(unresolved(report)).toEqual([
      'POST /mcp src/app.js:24 hands the request to transport.handleRequest(…), which mtls-fix does not follow (src/app.js:26)',
    ]);
    expect(
      report.coverage.handled.map(
        (h) => `${h.operation} <- ${h.routes.map((r) => r.file + ':' + r.line).join(', ')}`,
      ),
    ).toEqual(['GET /api/pets/{petId} <- src/app.js:10', 'POST /mcp <- src/app.js:24']);
  });
});

describe('migrate --spec: a call named as perhaps an HTTP client call', () => {
  it('shows no service to the document scoping (the only route elsewhere still answers the document)', async () => {
    // attio-mcp-server (session 38, first draft): one such call in the root package made the document "routes of .",
    // so the only route, a Worker's catch-all under examples/, no longer answered GET /health.
    const { report } = await runSpecFiles({
      'package.json': '{"name":"sdk","dependencies":{"axios":"^1"}}',
      'src/sync.js':
        "export async function sync(kit, items) {\n  await kit.post('/v1/sync', items.map((i) => i.value));\n}\n",
      'examples/worker/package.json': '{"name":"worker","dependencies":{"express":"^4"}}',
      'examples/worker/app.js':
        "const express = require('express');\nconst app = express();\n" +
        "app.get('/health', (req, res) => {\n  if (!req.client.authorized) return res.status(403).end();\n  res.end();\n});\nmodule.exports = app;\n",
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths:\n  /health:\n    get:\n      responses: {'200': {description: ok}}\n",
    });
    expect(unresolved(report).map((l) => l.split(' (')[0])).toEqual([
      'POST /v1/sync src/sync.js:2 registered on kit, which mtls-fix could not trace to an app or router, with no argument it reads as a handler: perhaps an HTTP client call, not a route',
    ]);
    expect(report.coverage.handled.map((h) => h.operation)).toEqual(['GET /health']);
  });
});

describe('migrate --spec: handlers passed through a call or an operator that hands them on', () => {
  it('stay registrations to review (Object.assign/freeze, slice, concat, the comma operator, typeof and callable types)', async () => {
    // Session 38 review: `Object.assign(h, { schema })` and `Object.freeze(h)` were read as data, so their
    // registrations on an untraced receiver vanished (before the client-call reading they were listed); `mw.slice(1)`,
    // `[].concat(mw)`, `(0, h)` and a parameter typed `typeof h` or `{ (req, res): void }` alike.
    const { report } = await runSpecFiles({
      'package.json': '{"name":"svc","dependencies":{"express":"^4"}}',
      'src/plug.ts':
        'const mw = [function a(req, res, next) { next(); }, function b(req, res) { res.end(); }];\n' +
        'function h(req, res) { res.status(403).end(); }\n' +
        'export function plug(kit, router, method: string, fn: typeof h, call: { (req: unknown, res: unknown): void }) {\n' +
        "  kit.post('/v1/assign', Object.assign(h, { schema: 1 }));\n" +
        "  kit.post('/v1/slice', mw.slice(1));\n" +
        "  kit.post('/v1/comma', (0, h));\n" +
        "  kit.post('/v1/freeze', Object.freeze(h));\n" +
        "  kit.post('/v1/concat', [].concat(mw));\n" +
        "  router[method]('/v1/typeof', fn);\n" +
        "  router[method]('/v1/callable', call);\n" +
        "  kit.post('/v1/body', Object.assign({}, { a: 1 }), [1, 2].slice(1), 'x'.concat('y'));\n" +
        '}\n',
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths:\n  /v1/assign:\n    post:\n      responses: {'200': {description: ok}}\n",
    });
    expect(unresolved(report).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      'POST /v1/assign src/plug.ts:4',
      'POST /v1/slice src/plug.ts:5',
      'POST /v1/comma src/plug.ts:6',
      'POST /v1/freeze src/plug.ts:7',
      'POST /v1/concat src/plug.ts:8',
      'ALL /v1/typeof src/plug.ts:9',
      'ALL /v1/callable src/plug.ts:10',
    ]);
  });
});
