import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 51, entry51. A status table of objects (`Errors = { FORBIDDEN_ROUTE: { status: 403, body } }`) whose entry
// is handed whole to a project helper sending `e.status` (`send(res, Errors.FORBIDDEN_ROUTE)`). The read
// `Errors['FORBIDDEN_ROUTE']` was counted as a text (not an emit, kind string): silent. The read `Errors.X` was
// "a shape mtls-fix does not know" without naming the call. Both are now manual naming the call and the entry.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-handed-entries-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({
  name: 'p',
  dependencies: { express: '^4', koa: '^2', '@koa/router': '^12', fastify: '^4', '@nestjs/common': '^10' },
});
const TABLE_ESM =
  "export const Errors = {\n  FORBIDDEN_ROUTE: { status: 403, body: { error: 'denied' } },\n  NOT_FOUND: { status: 404, body: { error: 'missing' } },\n};\n";
const TABLE_CJS =
  "const Errors = {\n  FORBIDDEN_ROUTE: { status: 403, body: { error: 'denied' } },\n  NOT_FOUND: { status: 404, body: { error: 'missing' } },\n};\nmodule.exports = { Errors };\n";

/** Each framework: the helper file and the route file, the route handing `read` to the helper. */
const SHAPES: [string, Record<string, (read: string) => string>][] = [
  [
    'express ESM',
    {
      'src/errors.ts': () => TABLE_ESM,
      'src/send.ts': () =>
        'export function send(res: any, e: { status: number; body: unknown }) {\n  res.status(e.status).json(e.body);\n}\n',
      'src/app.ts': (r) =>
        `import express from 'express';\nimport { Errors } from './errors';\nimport { send } from './send';\nconst app = express();\napp.get('/a', (req, res) => send(res, ${r}));\nexport default app;\n`,
    },
  ],
  [
    'express CommonJS',
    {
      'src/errors.js': () => TABLE_CJS,
      'src/send.js': () =>
        'function reply(res, e) {\n  res.status(e.status).json(e.body);\n}\nmodule.exports = { reply };\n',
      'src/app.js': (r) =>
        `const express = require('express');\nconst { Errors } = require('./errors');\nconst { reply } = require('./send');\nconst app = express();\napp.get('/a', (req, res) => reply(res, ${r}));\nmodule.exports = app;\n`,
    },
  ],
  [
    'koa',
    {
      'src/errors.ts': () => TABLE_ESM,
      'src/send.ts': () =>
        'export function send(ctx: any, e: { status: number; body: unknown }) {\n  ctx.status = e.status;\n  ctx.body = e.body;\n}\n',
      'src/app.ts': (r) =>
        `import Koa from 'koa';\nimport Router from '@koa/router';\nimport { Errors } from './errors';\nimport { send } from './send';\nconst app = new Koa();\nconst router = new Router();\nrouter.get('/a', (ctx) => send(ctx, ${r}));\napp.use(router.routes());\n`,
    },
  ],
  [
    'fastify',
    {
      'src/errors.ts': () => TABLE_ESM,
      'src/send.ts': () =>
        'export function send(reply: any, e: { status: number; body: unknown }) {\n  return reply.code(e.status).send(e.body);\n}\n',
      'src/app.ts': (r) =>
        `import Fastify from 'fastify';\nimport { Errors } from './errors';\nimport { send } from './send';\nconst app = Fastify();\napp.get('/a', async (req, reply) => send(reply, ${r}));\n`,
    },
  ],
  [
    'nestjs',
    {
      'src/errors.ts': () => TABLE_ESM,
      'src/raise.ts': () =>
        "import { HttpException } from '@nestjs/common';\nexport function raise(e: { status: number; body: Record<string, unknown> }): never {\n  throw new HttpException(e.body, e.status);\n}\n",
      'src/thing.controller.ts': (r) =>
        `import { Controller, Get } from '@nestjs/common';\nimport { Errors } from './errors';\nimport { raise } from './raise';\n@Controller('thing')\nexport class ThingController {\n  @Get()\n  get() {\n    raise(${r});\n  }\n}\n`,
    },
  ],
];

const READS = [
  'Errors.FORBIDDEN_ROUTE',
  "Errors['FORBIDDEN_ROUTE']",
  'Errors["FORBIDDEN_ROUTE"]',
  '(Errors.FORBIDDEN_ROUTE)',
];

describe('a status table entry handed whole to a helper', () => {
  for (const [shape, files] of SHAPES)
    for (const read of READS)
      it(`${shape}: ${read} is manual naming the call and the entry, never a text`, async () => {
        const cwd = project({
          'package.json': PACKAGE,
          ...Object.fromEntries(Object.entries(files).map(([name, make]) => [name, make(read)])),
        });
        const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', explain: true });
        const handed = report.sites.filter(
          (s) => s.action === 'manual' && /is handed whole to (send|reply|raise)\(/.test(s.reason ?? ''),
        );
        expect(handed).toHaveLength(1);
        expect(handed[0]?.reason).toContain('FORBIDDEN_ROUTE');
        expect(handed[0]?.reason).toContain("change the entry's status to 401 by hand");
        expect(
          (report.notAnEmit ?? []).filter((n) => /FORBIDDEN_ROUTE'|FORBIDDEN_ROUTE"/.test(n.text)),
        ).toEqual([]);
        // The entry's 403 stays accounted where it is declared.
        expect(report.sites.some((s) => s.action === 'manual' && s.form === '403')).toBe(true);
      });

  it('a string key read in a log call stays a logged text', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/errors.ts': TABLE_ESM,
      'src/app.ts': "import { Errors } from './errors';\nconsole.log(Errors['FORBIDDEN_ROUTE']);\n",
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', explain: true });
    expect(report.sites.filter((s) => /is handed whole/.test(s.reason ?? ''))).toEqual([]);
  });
});
