import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli.js';
import { runSpecFiles, type SpecReport, type SpecRoute } from '../../helpers/spec-run.js';

// Session 39 (routes39): route-reading gaps earlier sessions named. A registration whose arguments after the path
// hold no function mtls-fix sees, and one of a kind it cannot tell (`app.get('/x', ...handlers)` with `handlers` a
// parameter, a package's `getHandlers()`), read as an answered operation with 0 sites (traced router) or vanished
// with no word (untraced receiver); HTTP clients typed through an interface member or a type alias read as routes;
// a namespace import's type (`lib.Context`) said nothing where the named import said koa.

const spec = (paths: string[]): string =>
  "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths:\n" +
  paths
    .map(
      (p) => `  ${p.split(' ')[1]}:\n    ${p.split(' ')[0]}:\n      responses: {'200': {description: ok}}\n`,
    )
    .join('');

/** The report with the coverage fields this file reads beside the shared ones. */
interface Report extends SpecReport {
  coverage: Omit<SpecReport['coverage'], 'handled' | 'noHandler'> & {
    handled: { operation: string; routes: SpecRoute[]; unseen?: string[] }[];
    noHandler: { operation: string; mayAnswer?: (SpecRoute & { reason: string })[] }[];
    unseenHandlers?: (SpecRoute & { reason: string })[];
  };
}

async function runSpec(files: Record<string, string>): Promise<{ report: Report; text: string }> {
  const { report, dir, args } = await runSpecFiles<Report>(files);
  const text = await runCliAsync(args, { cwd: dir });
  return { report, text: text.stdout };
}

const where = (r: { method: string; path: string; file: string; line: number }): string =>
  `${r.method} ${r.path} ${r.file}:${r.line}`;

describe('migrate --spec: registrations with handlers mtls-fix cannot see', () => {
  it('are named in coverage, on their operation and in a list of their own, in every framework', async () => {
    const { report, text } = await runSpec({
      'package.json':
        '{"name":"s","dependencies":{"express":"^4","koa":"^2","@koa/router":"^12","hono":"^4","fastify":"^4"}}',
      'src/express.js':
        "const express = require('express');\nconst { getHandlers } = require('some-pkg');\n" +
        'const app = express();\nconst router = express.Router();\n' +
        "function build(list) {\n  app.get('/x', ...list);\n}\nbuild(global.handlers);\n" +
        "router.post('/y', require('mw-pkg'), getHandlers());\n" +
        "app.use('/z', require(process.env.NAME));\napp.use(router);\n" +
        "app.get('/w', (req, res) => res.status(403).end());\nmodule.exports = app;\n",
      'src/koa.ts':
        "import Koa from 'koa';\nimport Router from '@koa/router';\n" +
        'export function mount(handlers: any[]) {\n  const app = new Koa();\n  const router = new Router();\n' +
        "  router.get('/k', ...handlers);\n  app.use(router.routes());\n  return app;\n}\n",
      'src/hono.ts':
        "import { Hono } from 'hono';\nimport { pick } from 'handler-pkg';\n" +
        "const app = new Hono();\napp.get('/h', pick('h'));\nexport default app;\n",
      'src/fastify.ts':
        "import fastify from 'fastify';\nimport hooks from 'hooks-pkg';\n" +
        "const app = fastify();\napp.post('/f', { schema: {} }, hooks.handler);\napp.listen({ port: 1 });\n",
      'src/plugin.js': "export function plug(kit, handlers) {\n  kit.get('/u', ...handlers);\n}\n",
      'openapi.yaml': spec([
        'get /x',
        'post /y',
        'get /z/a',
        'get /w',
        'get /k',
        'get /h',
        'post /f',
        'get /u',
      ]),
    });
    const c = report.coverage;
    // Before: GET /x, POST /y, GET /k, GET /h, POST /f "handled", 0 rewritten, 0 manual, nothing more said.
    const unseen = (c.unseenHandlers ?? []).map((u) => `${where(u)} ${u.reason}`).sort();
    expect(unseen).toEqual([
      "GET /h src/hono.ts:4 registered with handlers mtls-fix cannot see: pick('h') (src/hono.ts:4)",
      'GET /k src/koa.ts:6 registered with handlers mtls-fix cannot see: ...handlers (src/koa.ts:6)',
      'GET /x src/express.js:6 registered with handlers mtls-fix cannot see: ...list (src/express.js:6)',
      'POST /f src/fastify.ts:4 registered with handlers mtls-fix cannot see: { schema: {} }, hooks.handler (src/fastify.ts:4)',
      "POST /y src/express.js:9 registered with handlers mtls-fix cannot see: require('mw-pkg'), getHandlers() (src/express.js:9)",
    ]);
    // Each such operation says so where it is listed as handled; one whose handler is seen does not.
    const handled = new Map(c.handled.map((h) => [h.operation, h]));
    for (const op of ['GET /x', 'POST /y', 'GET /k', 'GET /h', 'POST /f'])
      expect(handled.get(op)?.unseen?.[0]).toMatch(/^registered with handlers mtls-fix cannot see: /);
    expect(handled.get('GET /w')?.unseen).toBeUndefined();
    expect(text).toContain('Routes registered with handlers mtls-fix cannot see (5):');
    expect(text).toContain(
      'registered with handlers mtls-fix cannot see: ...list (src/express.js:6): its 403s are not counted; review by hand',
    );
    // On a receiver mtls-fix cannot trace, such a registration is listed (before: dropped with no word).
    expect(
      c.unresolved.filter((u) => u.file === 'src/plugin.js').map((u) => `${where(u)} ${u.reason}`),
    ).toEqual([
      'GET /u src/plugin.js:2 registered on kit, which mtls-fix could not trace to an app or router, registered with handlers mtls-fix cannot see: ...handlers: perhaps an HTTP client call, not a route (src/plugin.js:2)',
    ]);
    // An operation no route answers names the registration not read that may (before: "no handler found" alone).
    const z = c.noHandler.find((n) => n.operation === 'GET /z/a');
    expect(z?.mayAnswer?.map((m) => where(m))).toEqual(['ALL /z/* src/express.js:10']);
    expect(text).toContain('perhaps answered by ALL /z/*  src/express.js:10, a registration not read');
  });
});

describe('migrate --spec: unseen handlers of routes no mTLS operation answers', () => {
  it('are not listed for review (sahat/hackathon-starter: 12 passport.authenticate routes beside a one-path document)', async () => {
    // rv39: `coverage.unseenHandlers` listed every route with handlers mtls-fix cannot see, also those in no
    // operation of the document and those of an operation that is not mTLS-secured, whose 403s migrate leaves
    // alone: "review by hand" for nothing. Only routes matched to an mTLS operation are listed.
    const { report, text } = await runSpec({
      'package.json': '{"name":"p","dependencies":{"express":"^4","passport":"^0.7"}}',
      'src/app.js':
        "const express = require('express');\nconst passport = require('passport');\nconst app = express();\n" +
        "app.get('/auth/github', passport.authenticate('github'));\n" +
        "app.get('/public', passport.authenticate('bearer'));\n" +
        "app.get('/secure', passport.authenticate('client-cert'));\n" +
        'module.exports = app;\n',
      'openapi.yaml':
        "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths:\n" +
        "  /public:\n    get:\n      x-mtls: false\n      responses: {'200': {description: ok}}\n" +
        "  /secure:\n    get:\n      responses: {'200': {description: ok}}\n",
    });
    expect((report.coverage.unseenHandlers ?? []).map((u) => where(u))).toEqual(['GET /secure src/app.js:6']);
    expect(text).toContain('Routes registered with handlers mtls-fix cannot see (1):');
  });
});

describe('migrate --spec: HTTP clients typed through an interface member or a type alias', () => {
  it('are requests, not routes', async () => {
    const { report } = await runSpec({
      'package.json': '{"name":"c","dependencies":{"express":"^4","axios":"^1"}}',
      'src/client.ts':
        "import axios, { AxiosInstance } from 'axios';\n" +
        'interface Deps { http: AxiosInstance }\n' +
        'type Api = ReturnType<typeof axios.create>;\n' +
        'type Holder = { client: Api };\n' +
        'export async function send(deps: Deps, api: Api, h: Holder, body: unknown) {\n' +
        "  await deps.http.post('/orders', body);\n" +
        "  await api.post('/orders', body);\n" +
        "  await h.client.put('/orders', body);\n" +
        '}\n',
      'src/api.ts': "import axios from 'axios';\nexport type Api = ReturnType<typeof axios.create>;\n",
      'src/use.ts':
        "import type { Api } from './api';\n" +
        "export async function go(api: Api, b: unknown) {\n  await api.patch('/orders', b);\n}\n",
      'openapi.yaml': spec(['post /orders']),
    });
    // Before: `api.post` was "router is not mounted anywhere (src/client.ts:5)" (a parameter named like a router).
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.unseenHandlers).toBeUndefined();
    expect(report.coverage.noHandler.map((n) => n.operation)).toEqual(['POST /orders']);
  });
});

describe('migrate --spec: a namespace import as a receiver type', () => {
  it('says what the named import says (lib.Context of a module re-exporting koa)', async () => {
    const { report } = await runSpec({
      'package.json': '{"name":"n","dependencies":{"koa":"^2","@koa/router":"^12"}}',
      'src/lib/index.ts': "import { Context as KoaContext } from 'koa';\nexport type Context = KoaContext;\n",
      'src/app.ts':
        "import Koa from 'koa';\nimport Router from '@koa/router';\nimport * as lib from './lib';\n" +
        'const app = new Koa();\nconst router = new Router();\n' +
        "router.get('/deny', (ctx: lib.Context) => ctx.throw(403));\napp.use(router.routes());\nexport default app;\n",
      'openapi.yaml': spec(['get /deny']),
    });
    // Before: manual, "A 403 in a shape mtls-fix does not know (ctx.throw(403))".
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
      'src/app.ts:6 would-rewrite',
    ]);
  });
});
