import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

// FlowFuse (trials18): `app.decorate('needsPermission', needsPermission)` in a plugin, then
// `preHandler: app.needsPermission('device:delete')` on a route. The 403s of the decorated function were reached
// from no route, so `--spec` left them alone as "reached from no mTLS operation" although every documented
// operation ran them: a clean result (0 rewritten, 0 manual, --check 0) that was not clean. The same for each way a
// framework attaches a function under a name that routes then read as a member: Fastify `decorate` (the
// `fastify.authenticate` idiom), `decorateReply`, Express `app.response.name = fn`, Koa `app.context.name = fn`.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'svc',
    dependencies: { fastify: '^5', 'fastify-plugin': '^5', express: '^5', koa: '^2', '@koa/router': '^13' },
  }),
  'src/fastify/permissions.js': [
    "const fp = require('fastify-plugin');",
    'module.exports = fp(async function (app) {',
    '  function needsPermission(scope) {',
    '    return async (request, reply) => {',
    '      if (!request.user) {',
    "        reply.code(403).send({ error: 'unauthorized', scope });",
    '        throw new Error();',
    '      }',
    '    };',
    '  }',
    "  app.decorate('needsPermission', needsPermission);",
    "  app.decorate('authenticate', async function (request, reply) {",
    "    if (!request.headers['x-user']) return reply.code(403).send({ error: 'no user' });",
    '  });',
    "  app.decorateReply('deny', function () {",
    '    return this.code(403).send();',
    '  });',
    '});',
    '',
  ].join('\n'),
  'src/fastify/app.js': [
    "const fastify = require('fastify');",
    'const app = fastify();',
    "app.register(require('./permissions'));",
    'app.register(',
    '  async function (api) {',
    "    api.get('/things/:id', { preHandler: api.needsPermission('thing:read') }, async (request) => request.params);",
    "    api.get('/me', { onRequest: [api.authenticate] }, async () => ({}));",
    "    api.get('/deny', async (request, reply) => reply.deny());",
    '  },',
    "  { prefix: '/api' },",
    ');',
    'app.listen({ port: 3000 });',
    '',
  ].join('\n'),
  'src/express/app.js': [
    "const express = require('express');",
    'const app = express();',
    'app.response.forbidden = function () {',
    '  return this.status(403).end();',
    '};',
    "app.get('/admin', (req, res) => res.forbidden());",
    'app.listen(3001);',
    '',
  ].join('\n'),
  'src/koa/app.js': [
    "const Koa = require('koa');",
    "const Router = require('@koa/router');",
    'const app = new Koa();',
    'const router = new Router();',
    'app.context.refuse = function () {',
    '  this.status = 403;',
    '};',
    "router.get('/koa', (ctx) => ctx.refuse());",
    'app.use(router.routes());',
    'app.listen(3002);',
    '',
  ].join('\n'),
  'openapi.yaml': [
    'openapi: 3.0.0',
    'info: { title: t, version: "1" }',
    'paths:',
    '  /api/things/{id}:',
    '    get:',
    '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
    "      responses: { '200': { description: ok } }",
    "  /api/me: { get: { responses: { '200': { description: ok } } } }",
    "  /api/deny: { get: { responses: { '200': { description: ok } } } }",
    "  /admin: { get: { responses: { '200': { description: ok } } } }",
    "  /koa: { get: { responses: { '200': { description: ok } } } }",
    '',
  ].join('\n'),
};

interface Report {
  sites: { file: string; line: number; action: string; operation: string | null }[];
  census: { outOfScope: number };
  coverage: { notReached: number };
}

describe('functions a framework attaches under a name', () => {
  it('are reached from the routes that read that name, under --spec', () => {
    const cwd = tempProject(FILES);
    temps.push(cwd);
    const result = runCli(
      ['migrate', 'src', '--spec', 'openapi.yaml', '--mtls-everywhere', '--json', '--dry-run'],
      {
        cwd,
      },
    );
    const report = JSON.parse(result.stdout) as Report;
    expect(report.sites.map((s) => [s.file, s.line, s.action, s.operation])).toEqual([
      ['src/express/app.js', 4, 'would-rewrite', 'GET /admin'],
      ['src/fastify/permissions.js', 6, 'would-rewrite', 'GET /api/things/{id}'],
      ['src/fastify/permissions.js', 13, 'would-rewrite', 'GET /api/me'],
      ['src/fastify/permissions.js', 16, 'would-rewrite', 'GET /api/deny'],
      ['src/koa/app.js', 6, 'would-rewrite', 'GET /koa'],
    ]);
    expect(report.census.outOfScope).toBe(0);
    expect(report.coverage.notReached).toBe(0);
  });
});
