import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// A status slot reading a parameter of a callback handed to a call (`got(url).then((response) => …)`, Node's
// `http.get(url, (up) => …)`, request's `(error, response) => …`): the callee passes the status in, no call of the
// project does, so the site is a relay to map there, not a shared helper whose callers a user could change
// (session 52, ging/fiware-pep-proxy's `res.statusCode = response.statusCode`).
const { temp } = tempDirs('callback-relays');

async function run(files: Record<string, string>) {
  return migrate({ cwd: temp(files), status: 401, mode: 'dry-run' });
}

describe('status slots relaying a callback parameter', () => {
  it('names each with its read and its callee, in every framework and module spelling', async () => {
    const result = await run({
      'package.json': JSON.stringify({
        dependencies: { express: '^4', koa: '^2', fastify: '^4', got: '^11' },
      }),
      'src/express.js': [
        "const express = require('express');",
        "const got = require('got');",
        "const http = require('node:http');",
        "const request = require('request');",
        'const app = express();',
        "app.get('/a', (req, res) => {",
        "  got('http://up/a', { throwHttpErrors: false }).then((response) => {",
        '    res.statusCode = response.statusCode;',
        '    res.send(response.body);',
        '  });',
        '});',
        "app.get('/b', (req, res) => {",
        "  http.get('http://up/b', function (up) { res.writeHead(up.statusCode, up.headers); up.pipe(res); });",
        '});',
        "app.get('/c', (req, res) => {",
        "  request({ uri: 'http://up/c' }, (error, response, body) => res.status(response.statusCode).send(body));",
        '});',
        'module.exports = app;',
        '',
      ].join('\n'),
      'src/koa.ts': [
        "import Koa from 'koa';",
        "import { request } from 'undici';",
        'const app = new Koa();',
        'app.use(async (ctx) => {',
        "  await request('http://up/d').then(({ statusCode }) => { ctx.status = statusCode; });",
        '});',
        'export default app;',
        '',
      ].join('\n'),
      'src/fastify.ts': [
        "import Fastify from 'fastify';",
        'const app = Fastify();',
        "app.get('/e', (req, reply) => {",
        "  relay('http://up/e', (status: number) => { reply.code(status).send(); });",
        '});',
        'declare function relay(url: string, done: (status: number) => void): void;',
        'export default app;',
        '',
      ].join('\n'),
    });
    const sites = result.report.sites.map((s) => [s.file, s.line, s.action, s.reason ?? '']);
    expect(sites.map(([file, line, action]) => [file, line, action])).toEqual([
      ['src/express.js', 8, 'manual'],
      ['src/express.js', 13, 'manual'],
      ['src/express.js', 16, 'manual'],
      ['src/fastify.ts', 4, 'manual'],
      ['src/koa.ts', 5, 'manual'],
    ]);
    const expected = [
      ['response.statusCode', 'got(…).then(…)'],
      ['up.statusCode', 'http.get(…)'],
      ['response.statusCode', 'request(…)'],
      ['status', 'relay(…)'],
      ['statusCode', 'request(…).then(…)'],
    ];
    sites.forEach(([, , , reason], i) => {
      const [read, callee] = expected[i] ?? [];
      expect(reason).toContain(
        `Relayed status: the status is ${read}, a parameter of the callback handed to ${callee}`,
      );
      expect(reason).toContain(`(${read} === 403 ? 401 : ${read})`);
      expect(reason).not.toMatch(/Shared helper/);
    });
  });

  it('keeps a helper the project calls by name a shared helper (named function, framework decoration)', async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { express: '^4', fastify: '^4' } }),
      'src/app.ts': [
        "import express from 'express';",
        "import Fastify from 'fastify';",
        'const app = express();',
        'const deny = (res: express.Response, status: number) => res.status(status).end();',
        "app.get('/f', (req, res) => deny(res, 403));",
        'const f = Fastify();',
        "f.decorateReply('refuse', function (status: number) { this.code(status).send(); });",
        '',
      ].join('\n'),
    });
    const manual = result.report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => s.line)).toEqual([4, 7]);
    for (const site of manual) {
      expect(site.reason).toMatch(/^Shared helper: the status comes from its caller/);
      expect(site.reason).not.toMatch(/Relayed status/);
    }
    expect(result.report.sites.find((s) => s.line === 5)?.action).toBe('would-rewrite');
  });
});
