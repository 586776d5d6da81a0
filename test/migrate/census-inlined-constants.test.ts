import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 28, silence28. (a) A constant holding 403 whose only readers are status slots this run rewrites was
// inlined at each use (`res.status(DENIED)` -> `res.status(401)`) while its definition kept 403 and was counted
// `declaration`: the first run read clean there, the second named it a leftover. Now the first run names it. (d) The
// names a site reads were every word of its text: `send('forbidden')` or `{ error: 'DENIED' }` counted as a read
// of a `forbidden` / `DENIED` constant elsewhere, whose 403 then went unreported.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-inlined-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({
  name: 'p',
  dependencies: { express: '^4', koa: '^2', fastify: '^4', hono: '^4', h3: '^1' },
});

const manual = (report: MigrateReport): string[] =>
  report.sites.filter((s) => s.action === 'manual').map((s) => `${s.file}:${s.line}`);

describe('a constant whose every read this run inlines', () => {
  it.each([
    [
      'express',
      'import express from "express";\nconst app = express();\napp.get("/a", (req, res) => res.status(DENIED).end());\n',
    ],
    [
      'koa',
      'import Koa from "koa";\nconst app = new Koa();\napp.use(async (ctx) => { ctx.status = DENIED; });\n',
    ],
    [
      'fastify',
      'import Fastify from "fastify";\nconst app = Fastify();\napp.get("/a", async (req, reply) => reply.code(DENIED).send());\n',
    ],
    [
      'hono',
      'import { Hono } from "hono";\nconst app = new Hono();\napp.get("/a", (c) => c.text("no", DENIED));\n',
    ],
    [
      'h3',
      'import { createError, defineEventHandler } from "h3";\nexport default defineEventHandler(() => { throw createError({ statusCode: DENIED }); });\n',
    ],
  ])('%s: the imported definition is named with the uses', async (_name, server) => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.ts': 'export const DENIED = 403;\nexport const OK = 200;\n',
      'src/server.ts': `import { DENIED } from "./codes";\n${server}`,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.filter((s) => s.action === 'would-rewrite').map((s) => s.file)).toEqual([
      'src/server.ts',
    ]);
    expect(manual(report)).toEqual(['src/codes.ts:1']);
    const site = report.sites.find((s) => s.file === 'src/codes.ts');
    expect(site?.reason).toMatch(
      /^'DENIED' still holds 403: this run writes 401 in place of it where a status slot read it \(src\/server\.ts:\d+ .+\), so no rewritten site reads it any more\./,
    );
    expect(report.census.notAnEmit.declaration ?? 0).toBe(0);
  });

  it('a definition read elsewhere too (a log, a comparison, an importer) stays a declaration', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.ts': 'export const DENIED = 403;\nexport const LOGGED = 403;\n',
      'src/server.ts':
        'import express from "express";\nimport { DENIED, LOGGED } from "./codes";\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(DENIED).end());\napp.get("/b", (req, res) => { console.log(LOGGED); res.status(LOGGED).end(); });\n',
      'src/check.ts':
        'import { DENIED } from "./codes";\nexport const denied = (s: number) => s === DENIED;\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual([]);
    expect(report.census.notAnEmit.declaration).toBe(2);
  });

  it('a same-file constant: edited with its readers when they are all rewritten, named when inlined', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/server.ts':
        'import express from "express";\nconst LOCAL = 403;\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(LOCAL).end());\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual([]);
    // The write edits the declaration (`const LOCAL = 401`), not the read: its 403 is the one rewritten, and the
    // site is reported there (breakfix33d; it was counted "not an emit (declaration)", rewritten 0).
    expect(report.census.notAnEmit).toEqual({});
    expect(report.census.rewritten).toBe(1);
    expect(report.sites.map((s) => [s.line, s.form, s.replacement, s.reads?.map((r) => r.line)])).toEqual([
      [2, 'const LOCAL = 403;', 'const LOCAL = 401;', [4]],
    ]);
  });

  it('an exported constant no file of the run imports may be read outside it: unchanged', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/server.ts':
        'import express from "express";\nexport const SHARED = 403;\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.sendStatus(SHARED));\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual([]);
  });

  it('under --spec a rewrite left out keeps reading the constant', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'openapi.yaml':
        'openapi: 3.1.0\ninfo: { title: t, version: "1" }\nservers: [{ url: "https://mtls.example.com" }]\npaths:\n  /a:\n    get:\n      responses: { "403": { description: d } }\n',
      'src/codes.ts': 'export const DENIED = 403;\n',
      'src/server.ts':
        'import express from "express";\nimport { DENIED } from "./codes";\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(DENIED).end());\napp.get("/b", (req, res) => res.status(DENIED).end());\n',
    });
    const { report } = await migrate({
      cwd,
      status: 401,
      mode: 'check',
      spec: { files: ['openapi.yaml'], mtls: { schemes: [], servers: [], everywhere: false } },
    });
    expect(report.sites.filter((s) => s.action === 'would-rewrite').map((s) => s.line)).toEqual([4]);
    expect(manual(report)).toEqual([]);
  });
});

describe('the names a site reads', () => {
  it('a word of a message or a comment is no read of a constant', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.ts': 'export const forbidden = 403;\nexport const DENIED = 403;\n',
      'src/server.ts':
        'import express from "express";\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(403).json({ error: "DENIED" /* forbidden */ }));\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual(['src/codes.ts:1', 'src/codes.ts:2']);
  });

  it("an element access's key is a read", async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/server.ts':
        'import express from "express";\nconst S = { OK: 200, UNAUTHORIZED: 401, FORBIDDEN: 403 };\nconst app = express();\n' +
        'app.get("/a", (req, res) => res.status(S[\'FORBIDDEN\']).end());\n',
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual([]);
    expect(report.sites.map((s) => s.replacement)).toEqual(["res.status(S['UNAUTHORIZED'])"]);
  });
});

// Session 29, silence29. An enum member or a constant table's entry holding 403 whose every read
// this run rewrites stayed a `declaration` on the first run and became a manual "no status slot using it" on the
// second. Now both runs say the same: named when its reads were written as the number (no 401 sibling), a
// declaration when they were renamed to the sibling (the table keeps both names).
describe('an entry of a status table whose every read this run rewrites', () => {
  const definitions: [string, string, string][] = [
    ['enum', 'export enum Http {\n  Ok = 200,\n  Forbidden = 403,\n}\n', 'Http.Forbidden'],
    ['table', 'export const Http = { Ok: 200, Forbidden: 403 } as const;\n', 'Http.Forbidden'],
    ['frozen table', 'export const Http = Object.freeze({ Ok: 200, Forbidden: 403 });\n', 'Http.Forbidden'],
    ['element access', 'export enum Http {\n  Ok = 200,\n  Forbidden = 403,\n}\n', "Http['Forbidden']"],
  ];
  const servers: [string, (read: string) => string][] = [
    [
      'express',
      (r) =>
        `import express from "express";\nconst app = express();\napp.get("/a", (req, res) => res.status(${r}).end());\n`,
    ],
    [
      'koa',
      (r) =>
        `import Koa from "koa";\nconst app = new Koa();\napp.use(async (ctx) => { ctx.status = ${r}; });\n`,
    ],
    [
      'fastify',
      (r) =>
        `import Fastify from "fastify";\nconst app = Fastify();\napp.get("/a", async (req, reply) => reply.code(${r}).send());\n`,
    ],
    [
      'hono',
      (r) =>
        `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/a", (c) => c.text("no", ${r}));\n`,
    ],
    [
      'h3',
      (r) =>
        `import { createError, defineEventHandler } from "h3";\nexport default defineEventHandler(() => { throw createError({ statusCode: ${r} }); });\n`,
    ],
  ];
  const cases = definitions.flatMap(([kind, definition, read]) =>
    servers.map(([framework, server]) => [`${kind}, ${framework}`, definition, server(read)] as const),
  );

  it.each(cases)(
    '%s: named on the first run and the next, with the same words',
    async (_name, definition, server) => {
      const cwd = project({
        'package.json': PACKAGE,
        'src/codes.ts': definition,
        'src/server.ts': `import { Http } from "./codes";\n${server}`,
      });
      const first = (await migrate({ cwd, status: 401, mode: 'write' })).report;
      expect(first.sites.filter((s) => s.action === 'rewritten').map((s) => s.replacement)).toEqual([
        expect.stringContaining('401'),
      ]);
      const line = definition.split('\n').findIndex((l) => l.includes('403')) + 1;
      expect(manual(first)).toEqual([`src/codes.ts:${line}`]);
      expect(first.sites.find((s) => s.action === 'manual')?.reason).toMatch(
        /^'Http\.Forbidden' still holds 403 and no file of this run reads it after this run: its reads \(src\/server\.ts:\d+ .+\) now send 401\./,
      );
      const second = (await migrate({ cwd, status: 401, mode: 'check' })).report;
      expect(manual(second)).toEqual([`src/codes.ts:${line}`]);
      expect(second.sites[0]?.reason).toMatch(
        /^'Http\.Forbidden' still holds 403 and no file of this run reads it\./,
      );
      expect(second.census.notAnEmit.declaration ?? 0).toBe(first.census.notAnEmit.declaration ?? 0);
    },
  );

  it.each([
    ['enum', 'export enum Http {\n  Unauthorized = 401,\n  Forbidden = 403,\n}\n'],
    ['table', 'export const Http = { Unauthorized: 401, Forbidden: 403 };\n'],
  ])('%s with a 401 sibling: renamed reads, a declaration on both runs', async (_name, definition) => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.ts': definition,
      'src/server.ts': `import { Http } from "./codes";\n${servers[0][1]('Http.Forbidden')}`,
    });
    const first = (await migrate({ cwd, status: 401, mode: 'write' })).report;
    expect(first.sites.map((s) => s.replacement)).toEqual(['res.status(Http.Unauthorized)']);
    const second = (await migrate({ cwd, status: 401, mode: 'check' })).report;
    expect(second.sites).toEqual([]);
    expect(second.census.notAnEmit.declaration).toBeGreaterThan(0);
  });

  it('an entry read elsewhere too (a comparison) stays a declaration', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/codes.ts': 'export enum Http {\n  Ok = 200,\n  Forbidden = 403,\n}\n',
      'src/server.ts': `import { Http } from "./codes";\n${servers[0][1]('Http.Forbidden')}export const denied = (s: number) => s === Http.Forbidden;\n`,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual([]);
  });

  it('an exported table no file of the run imports may be read outside it: unchanged', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/server.ts': `export enum Http {\n  Ok = 200,\n  Forbidden = 403,\n}\n${servers[0][1]('Http.Forbidden')}`,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(manual(report)).toEqual([]);
  });
});
