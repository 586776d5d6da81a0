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

describe('a helper installed on a response object, whose callers are not linked to it', () => {
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
  ])('%s', async (_name, files, caller) => {
    const report = await run(files);
    const note = helperNote(report);
    expect(note).not.toMatch(/are rewritten/);
    expect(note).toContain(`No call passing 403 was linked to it, so none is rewritten through it`);
    expect(note).toContain(`(${caller}) were NOT rewritten: change them to 401 by hand`);
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
