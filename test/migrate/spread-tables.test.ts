import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 33 (breaker33 04, 05): a 403 read through a copy of a status table (`const more = { ...Codes }`,
// `Object.assign({}, Codes)`, `{ ...require('./codes') }`), through `export const { DENY: DENIED } = ns`, or
// through `export * as codes` with an enum member, is the constant it is. On 6784a697 such a slot was a "Dynamic
// status: it may pass a 403 through (e.g. from an upstream…)", and a Lambda result reading it was not named at
// all (the census then wrote the 403 off as "not an emit (declaration)" when another slot read the same name).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>, dependencies: string[]): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-st-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

function addsUp(report: MigrateReport): void {
  const c = report.census;
  const notAnEmit = Object.values(c.notAnEmit).reduce((a, b) => a + b, 0);
  const notRead = Object.values(c.notRead).reduce((a, b) => a + b, 0);
  expect(c.rewritten + c.manual + c.ignored + c.outOfScope + notAnEmit + notRead).toBe(c.occurrences);
  expect(c.notAnEmit.unclassified ?? 0).toBe(0);
}

const CODES =
  'export const DENY = 403;\nexport const Codes = { DENY: 403, OK: 200 };\nexport enum Kinds { Deny = 403, Ok = 200 }\nexport const Responses = { denied: { statusCode: 403 }, ok: { statusCode: 200 } };\n';

/** Each slot kind: its packages, the lines before the route, and the route with `V` where the status goes. */
const SLOTS: Record<string, { deps: string[]; head: string; slot: string }> = {
  express: {
    deps: ['express'],
    head: "import express from 'express';\nconst app = express();\n",
    slot: "app.get('/x', (req, res) => res.status(V).end());\n",
  },
  koa: {
    deps: ['koa'],
    head: "import Koa from 'koa';\nconst app = new Koa();\n",
    slot: 'app.use((ctx) => { ctx.status = V; });\n',
  },
  fastify: {
    deps: ['fastify'],
    head: "import Fastify from 'fastify';\nconst app = Fastify();\n",
    slot: "app.get('/x', (req, reply) => reply.code(V).send());\n",
  },
  hono: {
    deps: ['hono'],
    head: "import { Hono } from 'hono';\nconst app = new Hono();\n",
    slot: "app.get('/x', (c) => c.json({}, V));\n",
  },
  lambda: {
    deps: ['aws-lambda'],
    head: "import type { APIGatewayProxyHandler } from 'aws-lambda';\n",
    slot: "export const handler: APIGatewayProxyHandler = async () => ({ statusCode: V, body: '' });\n",
  },
  'Response init': {
    deps: [],
    head: '',
    slot: 'export const GET = () => new Response(null, { status: V });\n',
  },
  nest: {
    deps: ['@nestjs/common'],
    head: "import { Controller, Get, HttpException } from '@nestjs/common';\n",
    slot: "@Controller()\nexport class C {\n  @Get() g() { throw new HttpException('no', V); }\n}\n",
  },
};

/** Each spelling: the lines that make the table (in app.ts), other files, and the read. */
const SPELLINGS: [string, { head: string; files?: Record<string, string>; read: string }][] = [
  [
    'a spread copy',
    { head: "import { Codes } from './codes';\nconst more = { ...Codes };\n", read: 'more.DENY' },
  ],
  [
    'a spread copy with a key of its own',
    {
      head: "import { Codes } from './codes';\nconst more = { ...Codes, TEAPOT: 418 };\n",
      read: 'more.DENY',
    },
  ],
  [
    'Object.assign({}, table)',
    { head: "import { Codes } from './codes';\nconst more = Object.assign({}, Codes);\n", read: 'more.DENY' },
  ],
  ['a spread of require()', { head: "const more = { ...require('./codes') };\n", read: 'more.DENY' }],
  [
    'a spread of a namespace import',
    { head: "import * as c from './codes';\nconst more = { ...c };\n", read: 'more.Kinds.Deny' },
  ],
  [
    "a spread of this file's table",
    { head: 'const Local = { DENY: 403 };\nconst more = { ...Local };\n', read: 'more.DENY' },
  ],
  [
    'an exported spread of a namespace',
    {
      head: "import { all } from './lib';\n",
      files: { 'lib.ts': "import * as c from './codes';\nexport const all = { ...c };\n" },
      read: 'all.DENY',
    },
  ],
  [
    'an exported spread of a table with a key of its own',
    {
      head: "import { more } from './lib';\n",
      files: {
        'lib.ts': "import { Codes } from './codes';\nexport const more = { ...Codes, TEAPOT: 418 };\n",
      },
      read: 'more.DENY',
    },
  ],
  [
    'an exported Object.assign copy',
    {
      head: "import { more } from './lib';\n",
      files: {
        'lib.ts': "import { Codes } from './codes';\nexport const more = Object.assign({}, Codes);\n",
      },
      read: 'more.DENY',
    },
  ],
  [
    'a destructured export of a namespace',
    {
      head: "import { DENIED } from './lib';\n",
      files: { 'lib.ts': "import * as c from './codes';\nexport const { DENY: DENIED } = c;\n" },
      read: 'DENIED',
    },
  ],
  [
    'a destructured export of a table',
    {
      head: "import { DENIED } from './lib';\n",
      files: { 'lib.ts': "import { Codes } from './codes';\nexport const { DENY: DENIED } = Codes;\n" },
      read: 'DENIED',
    },
  ],
  [
    "an enum member of an 'export * as' namespace",
    {
      head: "import { codes } from './lib';\n",
      files: { 'lib.ts': "export * as codes from './codes';\n" },
      read: 'codes.Kinds.Deny',
    },
  ],
  [
    'a nested entry of an imported table',
    { head: "import { Responses } from './codes';\n", read: 'Responses.denied.statusCode' },
  ],
];

describe('a 403 read through a copy of a table is the constant it is, in every slot kind', () => {
  const cases = Object.entries(SLOTS).flatMap(([slot, s]) =>
    SPELLINGS.map(([spelling, v]) => [slot, spelling, s, v] as const),
  );
  it.each(cases)('%s: %s', async (_slot, _spelling, slot, spelling) => {
    const app = `${slot.head}${spelling.head}${slot.slot.replace('V', spelling.read)}`;
    const line = app.split('\n').findLastIndex((l) => l.includes(spelling.read)) + 1;
    const report = await run({ 'codes.ts': CODES, ...spelling.files, 'app.ts': app }, slot.deps);
    const at = report.sites.filter((s) => s.file === 'app.ts' && s.line === line);
    expect(at.map((s) => s.action)).toEqual(['would-rewrite']);
    expect(at[0].replacement).toContain('401');
    expect(report.sites.some((s) => /^Dynamic status/.test(s.reason ?? ''))).toBe(false);
    addsUp(report);
  });
});

describe('what a copy does not make a constant', () => {
  it.each([
    [
      'a spread of a call (unknown)',
      'const more = { ...load() };\ndeclare function load(): Record<string, number>;\n',
    ],
    [
      'a later spread of a call over the key',
      'const more = { ...Codes, ...load() };\ndeclare function load(): Record<string, number>;\n',
    ],
  ])('%s stays a dynamic status', async (_name, head) => {
    const app = `import express from 'express';\nimport { Codes } from './codes';\n${head}const app = express();\napp.get('/x', (req, res) => res.status(more.DENY).end());\n`;
    const report = await run({ 'codes.ts': CODES, 'app.ts': app }, ['express']);
    const site = report.sites.find((s) => s.file === 'app.ts' && s.form.includes('more.DENY'));
    expect(site?.action).toBe('manual');
    expect(site?.reason).toMatch(/^Dynamic status/);
  });

  it('a key written after the spread wins: { ...Codes, DENY: 401 } sends 401', async () => {
    const app = `import express from 'express';\nimport { Codes } from './codes';\nconst more = { ...Codes, DENY: 401 };\nconst app = express();\napp.get('/x', (req, res) => res.status(more.DENY).end());\n`;
    const report = await run({ 'codes.ts': CODES, 'app.ts': app }, ['express']);
    expect(report.sites.filter((s) => s.file === 'app.ts')).toEqual([]);
  });

  it('a nested entry that is another status is no site (signalk-server: Responses.ok.statusCode)', async () => {
    const app = `import express from 'express';\nimport { Responses } from './codes';\nconst app = express();\napp.get('/x', (req, res) => res.status(Responses.ok.statusCode).end());\n`;
    const report = await run({ 'codes.ts': CODES, 'app.ts': app }, ['express']);
    expect(report.sites.filter((s) => s.file === 'app.ts')).toEqual([]);
  });
});

// A result serverless.yml names as a handler's (`handler.a`) is the response since session 34
// (frameworks/serverless-handlers.ts): rewritten as the other slot is; one it does not name stays named.
describe('a Lambda result reading a copy is named, whatever else reads the name (breaker33 05)', () => {
  const handler = (other: boolean): string =>
    `import { Codes } from './codes';\nconst more = { ...Codes };\nexport const a = async () => ({ statusCode: more.DENY, body: '' });\n${other ? 'export const c = () => new Response(null, { status: more.DENY });\n' : ''}`;
  it.each([
    ['with another slot reading the same entry', true, 'b'],
    ['alone', false, 'b'],
    ['with another slot, named by serverless.yml', true, 'a'],
    ['alone, named by serverless.yml', false, 'a'],
  ])('%s', async (_name, other, named) => {
    const report = await run(
      {
        'codes.ts': 'export const Codes = { DENY: 403, OK: 200 };\n',
        'handler.ts': handler(other),
        'serverless.yml': `service: s\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  a: {handler: handler.${named}, events: [{http: {path: a, method: get}}]}\n`,
      },
      ['aws-lambda', 'hono'],
    );
    const site = report.sites.find((s) => s.file === 'handler.ts' && s.line === 3);
    if (named === 'a') expect(site?.replacement).toBe("{ statusCode: 401, body: '' }");
    else {
      expect(site?.action).toBe('manual');
      expect(site?.reason).toMatch(/statusCode: 403/);
    }
    if (other)
      expect(report.sites.find((s) => s.file === 'handler.ts' && s.line === 4)?.action).toBe('would-rewrite');
    addsUp(report);
  });
});

describe('CommonJS copies', () => {
  it('module.exports = { ...Codes }, { ...require().Codes } and an inline Object.assign copy are read', async () => {
    const report = await run(
      {
        'codes.js': 'const Codes = { DENY: 403, OK: 200 };\nmodule.exports = { Codes, DENY: 403 };\n',
        'lib.js': "const { Codes } = require('./codes');\nmodule.exports = { ...Codes, TEAPOT: 418 };\n",
        'app.js': [
          "const express = require('express');",
          "const all = require('./lib');",
          "const Codes = require('./codes').Codes;",
          'const more = { ...Codes };',
          'const app = express();',
          "app.get('/1', (req, res) => res.status(all.DENY).end());",
          "app.get('/2', (req, res) => res.status(more.DENY).end());",
          "app.get('/3', (req, res) => res.sendStatus(Object.assign({}, Codes).DENY));",
          '',
        ].join('\n'),
      },
      ['express'],
    );
    expect(
      report.sites.filter((s) => s.file === 'app.js').map((s) => `${s.line} ${s.action} ${s.replacement}`),
    ).toEqual([
      '6 would-rewrite res.status(401)',
      '7 would-rewrite res.status(401)',
      '8 would-rewrite res.sendStatus(401)',
    ]);
    addsUp(report);
  });
});
