import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 49, server49: four kinds left over from session 48, each across frameworks and spellings.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-s49-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({
  name: 'p',
  dependencies: {
    express: '^4',
    koa: '^2',
    fastify: '^4',
    'http-status-codes': '^2',
    'http-status': '^1',
    'routing-controllers': '^0.10',
    '@midwayjs/core': '^3',
    '@tsed/schema': '^7',
    '@tsed/core': '^7',
    '@tsed/common': '^7',
  },
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = project({ 'package.json': PACKAGE, ...files });
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  return report;
}

const lines = (report: MigrateReport, action: string, file: string): number[] =>
  report.sites.filter((s) => s.action === action && s.file === file).map((s) => s.line);

const SERVERS: [string, (read: string) => string][] = [
  [
    'express',
    (r) =>
      `const express = require("express");\nconst app = express();\napp.get("/a", (req, res) => res.status(${r}).end());\n`,
  ],
  [
    'koa',
    (r) =>
      `const Koa = require("koa");\nconst app = new Koa();\napp.use(async (ctx) => { ctx.status = ${r}; });\n`,
  ],
  [
    'fastify',
    (r) =>
      `const app = require("fastify")();\napp.get("/a", async (req, reply) => reply.code(${r}).send());\n`,
  ],
];

describe('kind 1: nested status tables', () => {
  const TABLES: [string, string, string, string][] = [
    // shape, codes module, the read, the name the definition's reason shows
    [
      'module.exports = { STATUS: { … } }',
      'module.exports = { STATUS: { FORBIDDEN: 403, OK: 200 } };\n',
      'codes.STATUS.FORBIDDEN',
      'module.exports.STATUS.FORBIDDEN',
    ],
    [
      'module.exports = { http: { errors: { … } } }',
      'module.exports = { http: { errors: { FORBIDDEN: 403 } } };\n',
      'codes.http.errors.FORBIDDEN',
      'module.exports.http.errors.FORBIDDEN',
    ],
    [
      'exports.STATUS = { errors: { … } }',
      'exports.STATUS = { errors: { FORBIDDEN: 403 } };\n',
      'codes.STATUS.errors.FORBIDDEN',
      'exports.STATUS.errors.FORBIDDEN',
    ],
    [
      'const codes = { STATUS: { … } } (frozen)',
      'const codes = Object.freeze({ STATUS: Object.freeze({ FORBIDDEN: 403 }) });\nmodule.exports = codes;\n',
      'codes.STATUS.FORBIDDEN',
      'codes.STATUS.FORBIDDEN',
    ],
  ];
  const READS: [string, (read: string) => string, (read: string) => string][] = [
    ['a member of the bound module', () => 'const codes = require("./codes");\n', (r) => r],
    ['the module read in place', () => '', (r) => r.replace(/^codes/, 'require("./codes")')],
  ];
  const cases = TABLES.flatMap(([shape, codes, read, shown]) =>
    SERVERS.flatMap(([server, text]) =>
      READS.map(
        ([how, load, spell]) =>
          [`${shape} / ${server} / ${how}`, codes, load(read) + text(spell(read)), shown] as const,
      ),
    ),
  );
  it.each(cases)('%s: the read is rewritten, the entry named', async (_name, codes, server, shown) => {
    const report = await run({ 'src/codes.js': codes, 'src/server.js': server });
    expect(lines(report, 'would-rewrite', 'src/server.js')).toHaveLength(1);
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => s.reason)).toEqual([expect.stringContaining(`'${shown}' still holds 403`)]);
    expect(manual.every((s) => !/does not know/.test(s.reason ?? ''))).toBe(true);
  });

  it('a flat table read in place (`require("./codes").FORBIDDEN`) resolves as a bound one does', async () => {
    const report = await run({
      'src/codes.js': 'module.exports = { FORBIDDEN: 403 };\n',
      'src/server.js': SERVERS[0][1]('require("./codes").FORBIDDEN'),
    });
    expect(lines(report, 'would-rewrite', 'src/server.js')).toEqual([3]);
    expect(report.sites.some((s) => /Dynamic status/.test(s.reason ?? ''))).toBe(false);
  });

  it('an ES module nested table (`export const HTTP = { errors: { FORBIDDEN: 403 } } as const`)', async () => {
    const report = await run({
      'src/codes.ts': 'export const HTTP = { errors: { FORBIDDEN: 403 } } as const;\n',
      'src/server.ts':
        'import express from "express";\nimport { HTTP } from "./codes";\nconst app = express();\napp.get("/a", (req, res) => res.status(HTTP.errors.FORBIDDEN).end());\n',
    });
    expect(lines(report, 'would-rewrite', 'src/server.ts')).toEqual([4]);
    expect(report.sites.filter((s) => s.action === 'manual').map((s) => s.reason)).toEqual([
      expect.stringContaining("'HTTP.errors.FORBIDDEN' still holds 403"),
    ]);
  });
});

describe("kind 2: a read of 403's name or reason phrase", () => {
  const READS: [string, string, string][] = [
    ['StatusCodes[403]', 'import { StatusCodes } from "http-status-codes";\n', 'StatusCodes[403]'],
    ["httpStatus['403']", 'import httpStatus from "http-status";\n', "httpStatus['403']"],
    ['httpStatus[`403`]', 'import httpStatus from "http-status";\n', 'httpStatus[`403`]'],
    [
      'httpStatus[httpStatus.FORBIDDEN]',
      'import httpStatus from "http-status";\n',
      'httpStatus[httpStatus.FORBIDDEN]',
    ],
    ['http.STATUS_CODES[403]', 'import * as http from "node:http";\n', 'http.STATUS_CODES[403]'],
    ["STATUS_CODES['403']", 'import { STATUS_CODES } from "http";\n', "STATUS_CODES['403']"],
  ];
  const STATUS_SLOTS: [string, (r: string) => string][] = [
    [
      'express res.status',
      (r) =>
        `import express from "express";\nconst app = express();\napp.get("/a", (req, res) => res.status(${r} as any).end());\n`,
    ],
    [
      'koa ctx.status =',
      (r) =>
        `import Koa from "koa";\nconst app = new Koa();\napp.use(async (ctx) => { ctx.status = ${r} as any; });\n`,
    ],
    [
      'fastify reply.code',
      (r) =>
        `import Fastify from "fastify";\nconst app = Fastify();\napp.get("/a", async (req, reply) => reply.code(${r} as any).send());\n`,
    ],
  ];
  it.each(
    READS.flatMap(([name, load, read]) =>
      STATUS_SLOTS.map(([slot, text]) => [`${name} / ${slot}`, load + text(read), read] as const),
    ),
  )('%s: in a status slot it is named as text, not an unknown shape', async (_name, server, read) => {
    const report = await run({ 'src/server.ts': server });
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => s.reason)).toEqual([
      expect.stringContaining(`${read} reads the text a status table holds for 403`),
    ]);
    expect(report.census.manual).toBe(report.census.occurrences - (report.census.notAnEmit.import ?? 0));
  });

  const TEXTS: [string, (r: string) => string][] = [
    [
      'express res.send',
      (r) =>
        `import express from "express";\nconst app = express();\napp.get("/a", (req, res) => res.send(${r}));\n`,
    ],
    [
      'koa ctx.body =',
      (r) =>
        `import Koa from "koa";\nconst app = new Koa();\napp.use(async (ctx) => { ctx.body = ${r}; });\n`,
    ],
    [
      'koa ctx.body = { code }',
      (r) =>
        `import Koa from "koa";\nconst app = new Koa();\napp.use(async (ctx) => { ctx.body = { code: ${r} }; });\n`,
    ],
  ];
  it.each(
    READS.flatMap(([name, load, read]) =>
      TEXTS.flatMap(([slot, text]) =>
        // `res.send(http.STATUS_CODES[403])` was already a body before session 49.
        name === 'http.STATUS_CODES[403]' && slot === 'express res.send'
          ? []
          : [[`${name} / ${slot}`, load + text(read)] as const],
      ),
    ),
  )('%s: as text it is no emit and no manual site', async (_name, server) => {
    const report = await run({ 'src/server.ts': server });
    expect(report.sites).toEqual([]);
    expect(report.census.manual).toBe(0);
  });
});

describe('kind 3: Lambda handlers under any exported name', () => {
  const RESULT = "{ statusCode: 403, body: '' }";
  const HANDLERS: [string, string][] = [
    ['module.exports = { del }', `const del = async (event) => (${RESULT});\nmodule.exports = { del };\n`],
    [
      'module.exports = { put: put }',
      `const put = async (event) => { return ${RESULT}; };\nmodule.exports = { put: put };\n`,
    ],
    [
      'module.exports = { post } (a function)',
      `async function post(event) { return ${RESULT}; }\nmodule.exports = { post };\n`,
    ],
    [
      'module.exports.patch = patch',
      `const patch = async (event) => (${RESULT});\nmodule.exports.patch = patch;\n`,
    ],
    [
      'exports.run = middy(base) inline require',
      `const base = async (event) => (${RESULT});\nexports.run = require("@middy/core")(base);\n`,
    ],
    [
      'exports.run = wrap(base).use(x)',
      `const wrap = (f) => f;\nconst base = async (event) => (${RESULT});\nexports.run = wrap(base).use({});\n`,
    ],
    [
      'module.exports = { run: wrap(base) }',
      `const wrap = (f) => f;\nconst base = async (event) => (${RESULT});\nmodule.exports = { run: wrap(base) };\n`,
    ],
    [
      'a Powertools import',
      `const { Logger } = require("@aws-lambda-powertools/logger");\nconst main = async () => (${RESULT});\nmodule.exports.main = main;\n`,
    ],
  ];
  it.each(HANDLERS)('%s: the result is rewritten', async (_name, text) => {
    const report = await run({ 'src/handler.js': text });
    expect(report.sites.map((s) => `${s.action} ${s.framework}`)).toEqual(['would-rewrite serverless']);
  });
});

describe('kind 4: decorator factories composed or called outside @', () => {
  const CASES: [string, string, string][] = [
    [
      'routing-controllers HttpCode in a project decorator',
      'import { HttpCode } from "routing-controllers";\nexport const Denied = () => HttpCode(403);\n',
      'HttpCode(401)',
    ],
    [
      'routing-controllers OnUndefined applied by hand',
      'import { OnUndefined } from "routing-controllers";\nexport function D() { return (t: object, k: string) => { OnUndefined(403)(t, k); }; }\n',
      'OnUndefined(401)',
    ],
    [
      'routing-controllers OnNull through a namespace',
      'import * as RC from "routing-controllers";\nimport { StatusCodes } from "http-status-codes";\nexport const D = () => RC.OnNull(StatusCodes.FORBIDDEN);\n',
      'RC.OnNull(StatusCodes.UNAUTHORIZED)',
    ],
    [
      'Midway HttpCode in a project decorator',
      'import { HttpCode } from "@midwayjs/core";\nexport const Denied = () => HttpCode(403);\n',
      'HttpCode(401)',
    ],
    [
      'Ts.ED applyDecorators(Returns, Status)',
      'import { applyDecorators } from "@tsed/core";\nimport { Returns, Status } from "@tsed/schema";\nexport const D = () => applyDecorators(Returns(403), Status(403));\n',
      'applyDecorators(Returns(401), Status(401))',
    ],
    [
      'Ts.ED useDecorators(Returns(…).Description)',
      'import { useDecorators } from "@tsed/core";\nimport { Returns } from "@tsed/schema";\nexport const D = () => useDecorators(Returns(403).Description("Forbidden"));\n',
      'useDecorators(Returns(401).Description("Unauthorized"))',
    ],
  ];
  it.each(CASES)('%s: rewritten where it is written', async (_name, text, written) => {
    const cwd = project({ 'package.json': PACKAGE, 'src/decorators.ts': text });
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(report.sites.filter((s) => s.action !== 'rewritten')).toEqual([]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path.join(cwd, 'src/decorators.ts'), 'utf8')).toContain(written);
  });

  const MIDDLEWARE: [string, string][] = [
    [
      'routing-controllers @UseBefore (req, res, next)',
      'import { JsonController, UseBefore } from "routing-controllers";\n@JsonController("/a")\n@UseBefore((req: any, res: any, next: any) => res.status(403).end())\nexport class A {}\n',
    ],
    [
      'routing-controllers @UseBefore (ctx, next)',
      'import { JsonController, UseBefore } from "routing-controllers";\n@JsonController("/a")\n@UseBefore(async (ctx: any, next: any) => { ctx.status = 403; })\nexport class A {}\n',
    ],
    [
      'Ts.ED @UseBefore (req, res, next)',
      'import { Controller, UseBefore } from "@tsed/common";\n@Controller("/a")\n@UseBefore((req: any, res: any, next: any) => res.status(403).end())\nexport class A {}\n',
    ],
  ];
  // A package that names neither Express nor Koa (a workspace whose server package holds them): only the decorator
  // says what the function receives.
  const DECORATOR_ONLY = JSON.stringify({
    name: 'p',
    dependencies: { 'routing-controllers': '^0.10', '@tsed/common': '^7' },
  });
  it.each(MIDDLEWARE)('%s: the middleware answer is rewritten', async (_name, text) => {
    const cwd = project({ 'package.json': DECORATOR_ONLY, 'src/controller.ts': text });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.map((s) => s.action)).toEqual(['would-rewrite']);
  });
});
