import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 33, breaker33 #06: a shared helper's note said "Call sites that pass 403 … are rewritten" when none
// was (a method a middleware installs on the response, called from other handlers: nodeclub's
// `res.renderError = function (msg, statusCode)`). The note now says what the run did (analysis/helper-notes.ts).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-helper-notes-'));
  temps.push(cwd);
  const dependencies = { express: '*', koa: '*', fastify: '*' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

function helperNote(report: MigrateReport): string {
  return report.sites.find((s) => (s.reason ?? '').startsWith('Shared helper'))?.reason ?? '';
}

// Session 34 (silence34): such a call is linked to the method installed under its name on that kind of object
// (analysis/installed-helpers.ts) and rewritten; before, it was an unknown shape and the note said none was linked.
describe('a helper installed on a response object, called by its name on another handler', () => {
  it.each([
    [
      'Express res in a middleware (nodeclub)',
      {
        'middlewares/error_page.js':
          'exports.errorPage = function (req, res, next) {\n  res.renderError = function (error, statusCode) {\n    res.status(statusCode || 400);\n    return res.send(String(error));\n  };\n  next();\n};\n',
        'controllers/topic.js':
          "exports.edit = function (req, res) {\n  return res.renderError('you cannot edit this', 403);\n};\n",
      },
      'controllers/topic.js:2',
    ],
    [
      'app.response',
      {
        'app.js':
          "const express = require('express');\nconst app = express();\napp.response.renderError = function (error, statusCode) {\n  this.status(statusCode);\n  return this.send(String(error));\n};\napp.get('/a', (req, res) => res.renderError('no', 403));\n",
      },
      'app.js:7',
    ],
    [
      'express.response',
      {
        'app.js':
          "const express = require('express');\nexpress.response.showError = function (error, code) {\n  this.status(code);\n  return this.send(String(error));\n};\nconst app = express();\napp.get('/b', (req, res) => res.showError('no', 403));\n",
      },
      'app.js:7',
    ],
    [
      'Koa ctx',
      {
        'app.js':
          "const Koa = require('koa');\nconst app = new Koa();\napp.use(async (ctx, next) => {\n  ctx.fail = (msg, status) => {\n    ctx.status = status;\n    ctx.body = msg;\n  };\n  await next();\n});\napp.use(async (ctx) => ctx.fail('no', 403));\n",
      },
      'app.js:10',
    ],
    [
      'Fastify reply',
      {
        'app.js':
          "const fastify = require('fastify')();\nfastify.addHook('onRequest', async (request, reply) => {\n  reply.deny = function (msg, code) {\n    reply.code(code).send(msg);\n  };\n});\nfastify.get('/', async (request, reply) => reply.deny('no', 403));\n",
      },
      'app.js:7',
    ],
    [
      'Fastify decorateReply',
      {
        'app.js':
          "const fastify = require('fastify')();\nfastify.decorateReply('deny', function (msg, code) {\n  return this.code(code).send(msg);\n});\nfastify.get('/', async (request, reply) => reply.deny('no', 403));\n",
      },
      'app.js:5',
    ],
    [
      // kinds35: TypeScript's casts at the installation and at the call (was an unknown shape).
      'Express res behind TypeScript casts',
      {
        'app.ts':
          "import express from 'express';\nconst app = express();\napp.use((req, res, next) => {\n  (res as any).fail = (msg: string, code: number) => res.status(code).send(msg);\n  next();\n});\napp.get('/a', (req, res) => (res as any).fail('no', 403));\n",
      },
      'app.ts:7',
    ],
    [
      'Koa ctx behind a non-null assertion',
      {
        'app.ts':
          "import Koa from 'koa';\nconst app = new Koa();\napp.use(async (ctx: any, next) => {\n  ctx!.fail = (msg: string, status: number) => {\n    ctx.status = status;\n  };\n  await next();\n});\napp.use(async (ctx: any) => ctx!.fail('no', 403));\n",
      },
      'app.ts:9',
    ],
    [
      // kinds35: TypeScript's `this` parameter takes no argument (the status is the call's first argument).
      'Koa app.context with a this parameter',
      {
        'app.ts':
          "import Koa from 'koa';\nconst app = new Koa();\napp.context.fail = function (this: Koa.Context, msg: string, status: number) {\n  this.status = status;\n};\napp.use(async (ctx) => ctx.fail('no', 403));\n",
      },
      'app.ts:6',
    ],
    [
      'Fastify decorateReply with a this parameter',
      {
        'app.ts':
          "import Fastify, { type FastifyReply } from 'fastify';\nconst fastify = Fastify();\nfastify.decorateReply('deny', function (this: FastifyReply, msg: string, code: number) {\n  return this.code(code).send(msg);\n});\nfastify.get('/', async (request, reply) => reply.deny('no', 403));\n",
      },
      'app.ts:6',
    ],
    [
      'an arrow with a default, called through a forwarding function',
      {
        'middlewares/errors.js':
          'exports.errors = function (req, res, next) {\n  res.renderError = (error, statusCode = 400) => res.status(statusCode).send(String(error));\n  next();\n};\n',
        'controllers/a.js':
          "function refuse(res, code) {\n  return res.renderError('nope', code);\n}\nexports.a = function (req, res) {\n  return refuse(res, 403);\n};\n",
      },
      'controllers/a.js:5',
    ],
  ])('%s', async (_name, files, caller) => {
    const report = await run(files);
    const [file, line] = caller.split(':');
    const call = report.sites.find((s) => s.file === file && s.line === Number(line));
    expect(call?.action).toBe('would-rewrite');
    expect(call?.replacement).toMatch(/\b401\)$/);
    expect(report.census.manual).toBe(0);
    expect(report.census.rewritten).toBe(report.census.occurrences);
    const notes = report.sites.filter((s) => (s.reason ?? '').startsWith('Shared helper'));
    expect(notes.some((s) => (s.reason ?? '').includes(`rewritten (${caller})`))).toBe(true);
  });
});

describe('a helper whose callers the run links', () => {
  it('lists the calls it rewrites, and leaves out the calls of another helper of the same name', async () => {
    const report = await run({
      'deny.js':
        "function deny(res, status) {\n  res.status(status).send('no');\n}\nmodule.exports = (req, res) => deny(res, 403);\n",
      'app.js':
        "const fastify = require('fastify')();\nfastify.addHook('onRequest', async (request, reply) => {\n  reply.deny = function (msg, code) {\n    reply.code(code).send(msg);\n  };\n});\n",
    });
    const notes = report.sites.filter((s) => (s.reason ?? '').startsWith('Shared helper'));
    expect(notes.find((s) => s.file === 'deny.js')?.reason).toContain(
      'The 1 call passing 403 that this run links to it is rewritten (deny.js:4)',
    );
    expect(notes.find((s) => s.file === 'app.js')?.reason).toMatch(
      /No call passing 403 was linked to it, so none is rewritten through it: find its callers/,
    );
  });
});

describe('a name installed by several methods, not all taking the status there', () => {
  it('names the call with each installation, and the helper note lists it as not rewritten', async () => {
    const report = await run({
      'mw.js':
        'exports.a = function (req, res, next) {\n  res.fail = function (error, statusCode) {\n    return res.status(statusCode).send(error);\n  };\n  next();\n};\nexports.b = function (req, res, next) {\n  res.fail = function (error, level) {\n    console.log(level);\n    return res.status(500).send(error);\n  };\n  next();\n};\n',
      'c.js': "exports.x = function (req, res) {\n  return res.fail('no', 403);\n};\n",
    });
    const call = report.sites.find((s) => s.file === 'c.js' && s.line === 2);
    expect(call?.action).toBe('manual');
    expect(call?.reason).toContain(
      "res.fail(…) runs the method the project installs under the name 'fail', which may be any of 2: mw.js:2 sends its parameter 'statusCode' as the status; mw.js:8 does not take the status there.",
    );
    expect(report.census.manual).toBe(1);
    expect(helperNote(report)).toContain('(c.js:2) were NOT rewritten: change them to 401 by hand');
  });
});

// Session 47 (server47): a base error class whose constructor takes the status (`class HttpError { constructor(
// status, msg) { this.status = status } }`) said "No call passing 403 was linked to it" while a subclass passes 403
// through `super(403, …)`, named at the subclass (micheletriaca/express-backbone's RestError / ForbiddenError).
describe('a base error class whose subclass passes 403 through super', () => {
  const base = (exported: string): string =>
    `${exported}class HttpError extends Error {\n  constructor(status, msg) {\n    super(msg);\n    this.status = status;\n  }\n}\n`;
  const app =
    "const express = require('express');\nconst app = express();\napp.use((err, req, res, next) => res.status(err.status).send(err.message));\nmodule.exports = app;\n";
  it.each([
    [
      'same file (JavaScript)',
      {
        'src/errors.js': `${base('')}class ForbiddenError extends HttpError {\n  constructor(msg) {\n    super(403, msg || 'FORBIDDEN');\n  }\n}\nmodule.exports = { HttpError, ForbiddenError };\n`,
        'src/app.js': app,
      },
      'ForbiddenError at src/errors.js:9',
    ],
    [
      'another file, a constant of a status library (TypeScript)',
      {
        'src/http-error.ts': base('export '),
        'src/forbidden.ts':
          "import { StatusCodes } from 'http-status-codes';\nimport { HttpError } from './http-error';\nexport class Denied extends HttpError {\n  constructor() {\n    super(StatusCodes.FORBIDDEN, 'no');\n  }\n}\n",
        'src/app.js': app,
      },
      'Denied at src/forbidden.ts:5',
    ],
    [
      'through a namespace',
      {
        'src/http-error.js': `${base('')}module.exports = { HttpError };\n`,
        'src/forbidden.js':
          "const errors = require('./http-error');\nclass NoAccess extends errors.HttpError {\n  constructor() {\n    super(403, 'no');\n  }\n}\nmodule.exports = { NoAccess };\n",
        'src/app.js': app,
      },
      'NoAccess at src/forbidden.js:4',
    ],
  ])('%s: the base class note names the subclass', async (_name, files, subclass) => {
    const note = helperNote(await run(files));
    expect(note).toContain(`passes 403 to it through super(…) (${subclass}), named there`);
    expect(note).not.toMatch(/No call passing 403 was linked/);
  });

  it('a subclass passing another status leaves the note as it was', async () => {
    const note = helperNote(
      await run({
        'src/errors.js': `${base('')}class NotFound extends HttpError {\n  constructor() {\n    super(404, 'no');\n  }\n}\nmodule.exports = { HttpError, NotFound };\n`,
        'src/app.js': app,
      }),
    );
    expect(note).toMatch(/No call passing 403 was linked to it/);
  });
});
