import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { mayHoldSite } from '../../src/migrate/prefilter.js';

// A dynamic status slot the analysis reports must be read in a file with no 403 text too (breaker29 #08: a Hono
// middleware's `new HTTPException(getHTTPStatusCodeFromError(e))` read clean, `--check` exit 0). Each case runs
// the file as it is and with a `// 403` comment appended (which makes the prefilter pass it): the reports must be
// the same, and not empty. Every case but the last group failed on c5b5a35 (the plain run reported nothing).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sites(dependencies: string[], text: string): Promise<string[]> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pdk-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/a.ts'), text);
  const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
  return report.sites.map((s) => `${s.line} ${s.action} ${s.framework}`);
}

const CASES: [string, string[], string][] = [
  [
    'Hono HTTPException given a computed status (tRPC)',
    ['hono', '@trpc/server'],
    "import { HTTPException } from 'hono/http-exception';\nimport { getHTTPStatusCodeFromError } from '@trpc/server/http';\nexport const f = (e: any) => {\n  const status = getHTTPStatusCodeFromError(e);\n  throw new HTTPException(status as 400, { message: e.message });\n};",
  ],
  [
    'Hono HTTPException given a parameter',
    ['hono'],
    "import { HTTPException } from 'hono/http-exception';\nexport const f = (s: any) => { throw new HTTPException(s.code); };",
  ],
  [
    'Hono c.json given a status in parentheses',
    ['hono'],
    "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => c.json({}, (c.get('e') as any).code));",
  ],
  [
    'itty-router StatusError',
    ['itty-router'],
    "import { StatusError } from 'itty-router';\nexport const h = (e: any) => { throw new StatusError(e.code, 'x'); };",
  ],
  [
    'Oak createHttpError',
    ['oak'],
    "import { createHttpError } from 'https://deno.land/x/oak/mod.ts';\nexport const h = (e: any) => { throw createHttpError(e.code); };",
  ],
  [
    'Oak ctx.assert',
    ['oak'],
    "import { Context } from 'https://deno.land/x/oak/mod.ts';\nexport const h = (ctx: Context, e: any) => { ctx.assert(ok, e.code); };",
  ],
  [
    'Koa ctx.assert',
    ['koa'],
    "import type { Context } from 'koa';\nexport const f = (ctx: Context, e: any) => { ctx.assert(ok, e.code); };",
  ],
  [
    'tsoa setStatus',
    ['tsoa'],
    "import { Controller } from 'tsoa';\nexport class C extends Controller { m(e: any) { this.setStatus(e.code); } }",
  ],
  [
    'Marble.js HttpError',
    ['@marblejs/core'],
    "import { HttpError } from '@marblejs/http';\nexport const f = (e: any) => { throw new HttpError('x', e.code); };",
  ],
  [
    'LoopBack HttpErrors',
    ['@loopback/rest'],
    "import { HttpErrors } from '@loopback/rest';\nexport const f = (e: any) => { throw HttpErrors(e.code, 'x'); };",
  ],
  [
    'ts-rest result',
    ['@ts-rest/core'],
    "import { initServer } from '@ts-rest/express';\nconst s = initServer();\nexport const r = s.router(c, { get: async () => ({ status: e.code, body: {} }) });",
  ],
  [
    'tRPC TRPCError given a code',
    ['@trpc/server'],
    "import { TRPCError } from '@trpc/server';\nexport const f = (c: any) => { throw new TRPCError({ code: c }); };",
  ],
  // Session 30: the analysis did not read these at all (silent with or without 403 text in the file).
  [
    'uWebSockets.js writeStatus on a handler module with no uWS import',
    ['uWebSockets.js'],
    'export const f = (res: any, e: any) => res.writeStatus(e.code).end();',
  ],
  [
    "Sails actions2's this.res.status",
    ['sails'],
    'module.exports = { fn: async function (inputs) { const e = await f(inputs); return this.res.status(e.code).send(); } };',
  ],
  [
    'Encore APIError given a code in a name',
    ['encore.dev'],
    "import { APIError } from 'encore.dev/api';\nexport const f = (e: any) => { throw new APIError(e.code, 'x'); };",
  ],
  // Shapes that were read already (kept so the table covers each framework's dynamic slots).
  [
    'Hono c.status',
    ['hono'],
    "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => { c.status(x); return c.body(null); });",
  ],
  ['Web Response init', [], "export function GET() { return new Response('x', { status: x }); }"],
  [
    'Remix json init',
    ['@remix-run/node'],
    "import { json } from '@remix-run/node';\nexport const loader = () => json({}, { status: (e as any).code });",
  ],
  [
    'SvelteKit error',
    ['@sveltejs/kit'],
    "import { error } from '@sveltejs/kit';\nexport const load = () => { error(e.code, 'x'); };",
  ],
  [
    'itty-router status',
    ['itty-router'],
    "import { status } from 'itty-router';\nexport const h = () => status(e.code);",
  ],
];

describe("a status computed by tRPC's code table", () => {
  it('is named as a 403 source (FORBIDDEN answers 403)', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pdk-'));
    temps.push(cwd);
    writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies: { hono: '*' } }));
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src/a.ts'), CASES[0][2]);
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.map((s) => s.reason)).toEqual([
      expect.stringContaining(
        "tRPC's getHTTPStatusCodeFromError(…) (@trpc/server/http), whose table answers 403",
      ),
    ]);
  });
});

describe('a dynamic status slot in a file with no 403 text', () => {
  it.each(CASES)('%s is read as when the file names 403', async (_name, dependencies, text) => {
    const plain = await sites(dependencies, text);
    const named = await sites(dependencies, `${text}\n// 403\n`);
    expect(named.length).toBeGreaterThan(0);
    expect(plain).toEqual(named);
  });

  it.each([
    ['an arrow callback after a body', 'res.json(data, (err) => done(err));'],
    ['a literal code in a TRPCError', "throw new TRPCError({ code: 'NOT_FOUND' });"],
    ['a Marble.js HttpError with a library constant', "throw new HttpError('x', HttpStatus.NOT_FOUND);"],
    ['a literal assert message', "ctx.assert(user, 'no user');"],
    ['a status key with no body', 'const row = { status: job.status, id };'],
  ])('skips a file with %s', (_name, text) => {
    expect(mayHoldSite(text)).toBe(false);
  });
});

describe("http-errors' abstract HttpError", () => {
  it.each([
    [
      'http-errors',
      "import createError from 'http-errors';\nexport const a = () => new createError.HttpError(403, 'no');",
    ],
    [
      '@loopback/rest',
      "import { HttpErrors } from '@loopback/rest';\nexport const a = () => new HttpErrors.HttpError(403);",
    ],
  ])(
    'a 403 given to it (%s) is reported as the 500 it answers, not as an unknown shape',
    async (dependency, text) => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pdk-'));
      temps.push(cwd);
      writeFileSync(
        path.join(cwd, 'package.json'),
        JSON.stringify({ name: 'p', dependencies: { [dependency]: '*' } }),
      );
      mkdirSync(path.join(cwd, 'src'));
      writeFileSync(path.join(cwd, 'src/a.ts'), text);
      const { report } = await migrate({ cwd, status: 401, mode: 'check' });
      expect(report.sites.map((s) => [s.action, s.reason])).toEqual([
        ['manual', expect.stringContaining('abstract base class: constructing it throws a TypeError')],
      ]);
    },
  );
});
