import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { formatHuman } from '../../src/migrate/report.js';
import type { MigrateOptions, MigrateReport } from '../../src/migrate/types.js';

// "A result that reads clean must mean clean" (nt): scenarios on small projects written to a temp folder, each
// checking what the report says about a shape that used to be reported wrongly or not at all.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path -> text) with a package.json naming `dependencies`, runs a dry run. */
async function run(
  files: Record<string, string>,
  dependencies: string[] = ['express'],
  options: Partial<MigrateOptions> = {},
): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nt-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', ...options })).report;
}

describe('JSON replacement shows what changes', () => {
  it.each([
    [
      'a local constant rewritten where it is declared',
      "import type { Response } from 'express';\nexport function deny(res: Response, ok: boolean) {\n  const code = ok ? 200 : 403;\n  res.status(code).end();\n}\n",
      'line 3: const code = ok ? 200 : 401;',
    ],
    [
      'a variable assigned 403 on one branch',
      "import type { Response } from 'express';\nexport function deny(res: Response, ok: boolean) {\n  let code = 200;\n  if (!ok) code = 403;\n  res.sendStatus(code);\n}\n",
      'line 4: if (!ok) code = 401;',
    ],
  ])('%s', async (_name, text, replacement) => {
    const report = await run({ 'src/a.ts': text });
    expect(report.sites.map((s) => [s.action, s.replacement])).toEqual([['would-rewrite', replacement]]);
  });

  it('a form that changes itself keeps its replacement as before', async () => {
    const report = await run({
      'src/a.ts':
        "import type { Response } from 'express';\nexport const f = (res: Response) => res.status(403).end();\n",
    });
    expect(report.sites.map((s) => s.replacement)).toEqual(['res.status(401)']);
  });
});

describe('statuses known from the text are resolved, not "dynamic"', () => {
  const head =
    "import type { Response } from 'express';\nimport http2 from 'node:http2';\nimport { StatusCodes } from 'http-status-codes';\n";
  it.each([
    [
      'element access, local object',
      "const S = { OK: 200, UNAUTHORIZED: 401, FORBIDDEN: 403 };\nexport const f = (res: Response) => res.status(S['FORBIDDEN']).end();\n",
      "res.status(S['UNAUTHORIZED'])",
    ],
    [
      'element access, template key',
      'const S = { FORBIDDEN: 403 };\nexport const f = (res: Response) => res.status(S[`FORBIDDEN`]).end();\n',
      'res.status(401)',
    ],
    [
      'element access, library table',
      "export const f = (res: Response) => res.status(StatusCodes['FORBIDDEN']).end();\n",
      "res.status(StatusCodes['UNAUTHORIZED'])",
    ],
    [
      'Object.freeze map',
      'const S = Object.freeze({ OK: 200, FORBIDDEN: 403 });\nexport const f = (res: Response) => res.status(S.FORBIDDEN).end();\n',
      'res.status(401)',
    ],
    [
      'Object.freeze map as const, element access',
      "const S = Object.freeze({ UNAUTHORIZED: 401, FORBIDDEN: 403 } as const);\nexport const f = (res: Response) => res.status(S['FORBIDDEN']).end();\n",
      "res.status(S['UNAUTHORIZED'])",
    ],
    [
      'destructured http2.constants',
      'const { HTTP_STATUS_FORBIDDEN } = http2.constants;\nexport const f = (res: Response) => res.status(HTTP_STATUS_FORBIDDEN).end();\n',
      'res.status(401)',
    ],
    [
      "destructured require('http2').constants, renamed",
      "const { HTTP_STATUS_FORBIDDEN: DENIED } = require('http2').constants;\nexport const f = (res: Response) => res.status(DENIED).end();\n",
      'res.status(401)',
    ],
    [
      'destructured library enum, renamed',
      'const { FORBIDDEN: DENIED } = StatusCodes;\nexport const f = (res: Response) => res.status(DENIED).end();\n',
      'res.status(401)',
    ],
    [
      'destructured frozen project map, in the function',
      'const S = Object.freeze({ FORBIDDEN: 403 });\nexport function f(res: Response) {\n  const { FORBIDDEN } = S;\n  res.status(FORBIDDEN).end();\n}\n',
      'res.status(401)',
    ],
  ])('%s', async (_name, body, replacement) => {
    const report = await run({ 'src/a.ts': head + body });
    const rewrites = report.sites.filter((s) => s.action !== 'manual');
    expect(rewrites.map((s) => [s.action, s.replacement])).toEqual([['would-rewrite', replacement]]);
    // A project table's entry whose only read is written as the number is named once (session 29); nothing else.
    const manual = report.sites.filter((s) => s.action === 'manual');
    for (const site of manual)
      expect(site.reason).toMatch(/still holds 403 and no file of this run reads it/);
    expect(report.census.manual).toBe(manual.length);
  });

  it('an imported frozen map, read by element access', async () => {
    const report = await run({
      'src/codes.ts': 'export const STATUS = Object.freeze({ UNAUTHORIZED: 401, FORBIDDEN: 403 });\n',
      'src/a.ts':
        "import type { Response } from 'express';\nimport { STATUS } from './codes';\nexport const f = (res: Response) => res.status(STATUS['FORBIDDEN']).end();\n",
    });
    expect(report.sites.map((s) => [s.file, s.replacement])).toEqual([
      ['src/a.ts', "res.status(STATUS['UNAUTHORIZED'])"],
    ]);
  });

  it('a known other status stays untouched and unreported', async () => {
    const report = await run({
      'src/a.ts':
        head +
        "const S = Object.freeze({ OK: 200, FORBIDDEN: 403 });\nconst { HTTP_STATUS_OK } = http2.constants;\nexport const f = (res: Response) => res.status(S['OK']).end();\nexport const g = (res: Response) => res.status(HTTP_STATUS_OK).end();\n",
    });
    expect(report.sites.filter((s) => s.framework === 'express')).toEqual([]);
  });

  it('a table read by a computed key names the table and its 403 entry', async () => {
    const report = await run({
      'src/a.ts':
        head +
        "const S = Object.freeze({ OK: 200, FORBIDDEN: 403 });\nexport const f = (res: Response, key: 'OK' | 'FORBIDDEN') => res.status(S[key]).end();\n",
    });
    // The table's own 403 entry stays a manual item of its own (no site reads it by name).
    expect(report.sites.map((s) => s.reason)).toContainEqual(
      expect.stringContaining(
        "Computed status: read from S by a key known only at run time (key); S answers 403 for 'FORBIDDEN'",
      ) as string,
    );
  });
});

describe('a repeated decision is one report item', () => {
  const responses = [
    "const unauthorized = { description: 'Authorization information is missing or invalid.' } as const;",
    "const forbidden = { description: 'No permission.', content: {} } as const;",
    'const standardResponses = { 401: unauthorized, 403: forbidden } as const;',
  ].join('\n');
  const spellings: [string, string][] = [
    [
      'a rest parameter reduced into computed keys (Unleash)',
      'export const getStandardResponses = (...codes: (keyof typeof standardResponses)[]) =>\n  codes.reduce((acc, code) => ({ ...acc, [code]: standardResponses[code] }), {});\n',
    ],
    [
      'a for...of loop over a rest parameter',
      'export function getStandardResponses(...codes: number[]) {\n  const out: Record<number, unknown> = {};\n  for (const code of codes) out[code] = standardResponses[code as 401 | 403];\n  return out;\n}\n',
    ],
    [
      'a map over a rest parameter into entries',
      'export function getStandardResponses(...codes: (401 | 403)[]) {\n  return Object.fromEntries(codes.map((code) => [code, standardResponses[code]]));\n}\n',
    ],
  ];
  it.each(spellings)(
    '%s: an imported OpenAPI response helper, called in two files, is one item with its places',
    async (_name, helper) => {
      const route = (name: string) =>
        `import { getStandardResponses } from './openapi';\nexport const ${name} = { responses: { 200: {}, ...getStandardResponses(401, 403) } };\nexport const ${name}Again = { responses: { ...getStandardResponses(403) } };\n`;
      const report = await run({
        'src/openapi/responses.ts': `${responses}\n${helper}`,
        'src/openapi/index.ts': "export * from './responses';\n",
        'src/a.ts': route('a'),
        'src/b.ts': route('b'),
      });
      const calls = report.sites.filter((s) => s.form.startsWith('getStandardResponses'));
      expect(calls).toHaveLength(4);
      expect(calls.every((s) => s.framework === 'openapi' && s.action === 'manual')).toBe(true);
      expect(calls[0].reason).toMatch(
        /^Declares 403 in the API description: getStandardResponses \(src\/openapi\/responses\.ts:\d+\) only selects the 403 entry of standardResponses \(src\/openapi\/responses\.ts:3\), a table of OpenAPI Response Objects; nothing is sent here\./,
      );
      const group = report.groups.find((g) => g.framework === 'openapi');
      expect(group?.count).toBe(4);
      expect(group?.places.map((p) => `${p.file}:${p.line}`)).toEqual([
        'src/a.ts:2',
        'src/a.ts:3',
        'src/b.ts:2',
        'src/b.ts:3',
      ]);
    },
  );

  it('a helper in the same file indexing a table of plain values says it only selects an entry', async () => {
    const report = await run({
      'src/a.ts':
        "const messages = { 401: 'log in', 403: 'no access' };\nconst pick = (code: number) => messages[code as 401 | 403];\nexport const m = pick(403);\n",
    });
    expect(report.sites.map((s) => [s.framework, s.form])).toContainEqual(['key-helper', 'pick(403)']);
    expect(report.sites.find((s) => s.form === 'pick(403)')?.reason).toContain(
      'The 403 only selects an entry: pick (src/a.ts:2) uses it as a key of messages',
    );
  });

  it('a helper that also sends its parameter is not a key helper', async () => {
    const report = await run({
      'src/a.ts':
        "import type { Response } from 'express';\nconst messages = { 403: 'no access' };\nexport function deny(res: Response, code: number) {\n  res.status(code).send(messages[code as 403]);\n}\nexport const f = (res: Response) => deny(res, 403);\n",
    });
    expect(report.sites.some((s) => s.framework === 'key-helper' || s.framework === 'openapi')).toBe(false);
  });

  it('every use of one imported error class is one item, whatever specifier imports it', async () => {
    const thrower = (specifier: string) =>
      `import { DeniedError } from '${specifier}';\nexport function f() {\n  throw new DeniedError('no');\n}\n`;
    const report = await run({
      'src/errors/denied.ts':
        'export class DeniedError extends Error {\n  statusCode = 403;\n  constructor(m: string) {\n    super(m);\n  }\n}\n',
      'src/errors/index.ts': "export * from './denied';\n",
      'src/a.ts': thrower('./errors'),
      'src/deep/b.ts': thrower('../errors/denied'),
      'src/deep/c.ts': thrower('../errors/index'),
    });
    const uses = report.groups.filter((g) => g.reason.startsWith('DeniedError answers 403'));
    expect(uses).toHaveLength(1);
    expect(uses[0].reason).toContain('(declared in src/errors/denied.ts:1)');
    expect(uses[0].places.map((p) => p.file)).toEqual(['src/a.ts', 'src/deep/b.ts', 'src/deep/c.ts']);
  });
});

describe('the human report lists a group once', () => {
  it('with its count, its reason once and every place with its source line', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nt-'));
    temps.push(cwd);
    writeFileSync(path.join(cwd, 'package.json'), '{"dependencies":{"express":"*"}}');
    mkdirSync(path.join(cwd, 'src'));
    // A comment naming 403 makes the file one the scan reads.
    const call =
      'export function f(res: Response) {\n  res.status(upstream().status).end(); // may be 403\n}\n';
    writeFileSync(path.join(cwd, 'src/a.ts'), `import type { Response } from 'express';\n${call}`);
    writeFileSync(path.join(cwd, 'src/b.ts'), `import type { Response } from 'express';\n${call}`);
    writeFileSync(
      path.join(cwd, 'src/c.ts'),
      "import type { Response } from 'express';\nexport const g = (res: Response) => res.status(403).json({ e: 1 });\nconst code = 403;\n",
    );
    const result = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const text = formatHuman(result, 'dry-run');
    expect(text).toContain('Needs review (3 sites in 2 items):');
    expect(text).toMatch(
      /\n2 places {2}express {2}Dynamic status: [^\n]+\n {4}src\/a\.ts:3:3 {2}res\.status\(upstream\(\)\.status\)\.end\(\); \/\/ may be 403\n {4}src\/b\.ts:3:3 {2}res\.status\(upstream\(\)\.status\)\.end\(\); \/\/ may be 403\n/,
    );
    expect(text).toContain("src/c.ts:3:14  unknown  'code' still holds 403 and no file of this run reads it");
  });

  it('with a long source line cut around the site (a vendored one-line bundle, egg-cnode)', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-nt-'));
    temps.push(cwd);
    writeFileSync(path.join(cwd, 'package.json'), '{"dependencies":{"express":"*"}}');
    mkdirSync(path.join(cwd, 'public'));
    const rows = Array.from({ length: 400 }, (_, i) => `[${i * 7},${i * 5}]`);
    // A row with a letter: in a table of numbers only, the 403 is data (`number-table`, number-tables.test.ts).
    rows[200] = '[929,403,"L"]';
    // Like egg-cnode's `qrcode.js`: 614 lines of ordinary code around one long table (not a minified file).
    const code = Array.from({ length: 120 }, (_, i) => `var v${i} = ${i};`).join('\n');
    writeFileSync(path.join(cwd, 'public/qr.js'), `var LIMITS=[${rows.join(',')}];\n${code}\n`);
    const result = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const text = formatHuman(result, 'dry-run');
    const place = text.split('\n').findIndex((l) => l.startsWith('public/qr.js:1:'));
    expect(place).toBeGreaterThanOrEqual(0);
    const shown = text.split('\n')[place + 1];
    expect(shown).toContain('[929,403,"L"]');
    expect(shown.startsWith('    …')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(4 + 160 + 2);
  });
});

describe('a status passed through with no 403 in the file is reported', () => {
  it('an error handler, an upstream status and a proxy: each a manual site, none in a file that says 403', async () => {
    const report = await run(
      {
        'src/errors.js':
          'module.exports = function errorHandler(err, req, res, next) {\n  res.status(err.status || 500).json({ message: err.message });\n};\n',
        'src/upstream.js':
          "const express = require('express');\nconst router = express.Router();\nrouter.get('/x', async (req, res) => {\n  const r = await fetch('http://backend/x');\n  res.status(r.status).send(await r.text());\n});\nmodule.exports = router;\n",
        'src/gateway.js':
          "const express = require('express');\nconst { createProxyMiddleware } = require('http-proxy-middleware');\nconst app = express();\napp.use('/api', createProxyMiddleware({ target: 'http://backend:8080' }));\n",
        'src/static.js': 'module.exports = (res) => res.status(200).json({ ok: true });\n',
      },
      ['express', 'http-proxy-middleware'],
    );
    expect(report.summary.filesParsed).toBe(3);
    const places = report.sites.map((s) => `${s.file}:${s.line} ${s.action}`).sort();
    expect(places).toEqual(['src/errors.js:2 manual', 'src/gateway.js:2 manual', 'src/upstream.js:5 manual']);
    const gateway = report.sites.find((s) => s.file === 'src/gateway.js');
    expect(gateway?.reason).toMatch(
      /^Implicit 403: http-proxy-middleware answers 403 when the upstream answers 403/,
    );
  });
});

describe('status tables of packages mtls-fix does not read: their names say the status', () => {
  // DEFRA/cdp-self-service-ops: `h.response().code(statusCodes.ok)` with statusCodes from an internal package
  // was "Dynamic status: it may pass a 403 through" at 30 sites, a reason that was not true.
  it.each([
    [
      'hapi, a named import',
      ['@hapi/hapi'],
      "import { statusCodes } from '@defra/cdp-validation-kit';\nexport const h1 = (request, h) => h.response({}).code(statusCodes.ok);\nexport const h2 = (request, h) => h.response({}).code(statusCodes.internalError);\nexport const h3 = (request, h) => h.response({}).code(statusCodes.forbidden);\n",
    ],
    [
      'express, a default import and a nested table',
      ['express'],
      "import type { Response } from 'express';\nimport HTTP from '@acme/http';\nexport const a = (res: Response) => res.status(HTTP.codes.CREATED).end();\nexport const b = (res: Response) => res.status(HTTP.codes.INTERNAL_SERVER_ERROR).end();\nexport const c = (res: Response) => res.status(HTTP.codes.FORBIDDEN).end();\n",
    ],
    [
      'koa, a require and prefixed names',
      ['koa'],
      "const { httpStatus } = require('@acme/status');\nexports.a = (ctx) => { ctx.status = httpStatus.HTTP_OK; };\nexports.b = (ctx) => { ctx.status = httpStatus.HTTP_NO_CONTENT; };\nexports.c = (ctx) => { ctx.status = httpStatus.HTTP_FORBIDDEN; };\n",
    ],
  ])('%s', async (_name, dependencies, text) => {
    const report = await run({ 'src/a.js': text }, dependencies);
    const manual = report.sites.filter((s) => s.action === 'manual');
    expect(manual.map((s) => s.line)).toEqual([text.split('\n').length - 1]);
    expect(manual[0]?.reason).toMatch(
      / names 403 by its name in @(defra|acme)\/[a-z-]+, which mtls-fix does not read/,
    );
    expect(report.sites.some((s) => /^Dynamic status/.test(s.reason ?? ''))).toBe(false);
  });

  it('a project module or a name that is no status stays dynamic', async () => {
    const report = await run(
      {
        'src/a.js':
          "import { codes } from './codes.js';\nimport { statusCodes } from '@acme/kit';\nexport const a = (req, res) => res.status(codes.FORBIDDEN).end();\nexport const b = (req, res) => res.status(statusCodes.fromUpstream).end();\n",
        'src/codes.js': 'export const codes = compute();\n',
      },
      ['express'],
    );
    expect(report.sites.map((s) => [s.line, s.action, /^Dynamic status/.test(s.reason ?? '')])).toEqual([
      [3, 'manual', true],
      [4, 'manual', true],
    ]);
  });
});

describe('same-repo readers of tRPC codes', () => {
  // midday-ai/midday: the dashboard's `error.data?.code === "FORBIDDEN"` read a code the run rewrote to
  // UNAUTHORIZED in the API's procedures; it was a silent "string".
  const server =
    "import { initTRPC, TRPCError } from '@trpc/server';\nconst t = initTRPC.create();\nexport const appRouter = t.router({\n  create: t.procedure.mutation(() => {\n    throw new TRPCError({ code: 'FORBIDDEN', message: 'paid plans only' });\n  }),\n});\n";
  const client =
    "import { useTRPC } from './trpc';\nexport function onError(error) {\n  if (error.data?.code === 'FORBIDDEN') return 'paid';\n  switch (error.shape.data.code) {\n    case 'FORBIDDEN':\n      return 'paid';\n  }\n  return error.message === 'FORBIDDEN' ? 'text' : 'other';\n}\nexport const use = () => useTRPC();\n";

  it('a comparison with FORBIDDEN in code that uses tRPC is manual, naming the procedures', async () => {
    const report = await run({ 'api/router.js': server, 'web/team.js': client }, ['@trpc/server']);
    const readers = report.sites.filter((s) => s.framework === 'reader');
    expect(readers.map((s) => [s.file, s.line, s.action])).toEqual([
      ['web/team.js', 3, 'manual'],
      ['web/team.js', 5, 'manual'],
    ]);
    expect(readers[0]?.reason).toBe(
      "Reads the tRPC code FORBIDDEN; the procedures whose FORBIDDEN this run rewrote (api/router.js:5) now answer UNAUTHORIZED (401): handle 'UNAUTHORIZED' here too (or instead), or mark it // mtls-fix-ignore: <why>.",
    );
  });

  it("none for a project error's own code mapped into tRPC (openstatus's service adapter)", async () => {
    // `case 'FORBIDDEN'` of `switch (err.code)` under `err instanceof ServiceError` was "Reads the tRPC code".
    const adapter =
      "import { TRPCError } from '@trpc/server';\nimport { ServiceError } from './errors';\nexport function toTrpc(err: unknown): never {\n  if (err instanceof ServiceError) {\n    switch (err.code) {\n      case 'FORBIDDEN':\n        throw new TRPCError({ code: 'FORBIDDEN', message: err.message });\n    }\n    if (err.code === 'FORBIDDEN') throw err;\n  }\n  throw err;\n}\nexport function other(e: { code: string }) {\n  switch (e.code) {\n    case 'FORBIDDEN':\n      throw new TRPCError({ code: 'NOT_FOUND' });\n  }\n}\n";
    const errors =
      'export class ServiceError extends Error {\n  constructor(public code: string, m: string) {\n    super(m);\n  }\n}\n';
    const report = await run(
      { 'api/router.js': server, 'api/adapter.ts': adapter, 'api/errors.ts': errors },
      ['@trpc/server'],
    );
    expect(report.sites.filter((s) => s.framework === 'reader')).toEqual([]);
    expect(report.sites.filter((s) => s.file === 'api/adapter.ts').map((s) => [s.line, s.action])).toEqual([
      [7, 'would-rewrite'],
    ]);
  });

  it('none when no procedure was rewritten, or in a file that does not use tRPC', async () => {
    const kept = server.replace('    throw', '    // mtls-fix-ignore: web only\n    throw');
    const first = await run({ 'api/router.js': kept, 'web/team.js': client }, ['@trpc/server']);
    expect(first.sites.filter((s) => s.framework === 'reader')).toEqual([]);
    const plain = client.replace("import { useTRPC } from './trpc';\n", '').replace('useTRPC()', 'null');
    const second = await run({ 'api/router.js': server, 'web/team.js': plain }, ['@trpc/server']);
    expect(second.sites.filter((s) => s.framework === 'reader')).toEqual([]);
  });
});

describe("an error class whose super call holds a 403 and the text 'Forbidden'", () => {
  // gitroomhq/postiz-app: `class HttpForbiddenException extends HttpException { constructor() { super('Forbidden',
  // 403); } }` was reported as handing "the code 'Forbidden'" to HttpException, "not a status".
  it.each([
    ["super('Forbidden', 403)", "super('Forbidden', 403)"],
    ["super(403, 'Forbidden')", "super(403, 'Forbidden')"],
    [
      "super({ message: 'Forbidden' }, HttpStatus.FORBIDDEN)",
      "super({ message: 'Forbidden' }, HttpStatus.FORBIDDEN)",
    ],
  ])('%s: a class that answers 403', async (_name, call) => {
    const report = await run(
      {
        'src/errors.ts': `import { HttpException, HttpStatus } from '@nestjs/common';\nexport class Denied extends HttpException {\n  constructor() {\n    ${call};\n  }\n}\nvoid HttpStatus;\n`,
      },
      ['@nestjs/common'],
    );
    expect(report.sites.map((s) => [s.line, s.action, s.reason])).toEqual([
      [
        4,
        'manual',
        'Custom error class Denied answers 403 wherever it is thrown: add a sibling class for 401 and throw it on mTLS routes, or map it in the error handler.',
      ],
    ]);
  });

  it("super('FORBIDDEN', message) with no status still hands on a code", async () => {
    const report = await run({
      'src/errors.ts':
        "export class AppError extends Error { constructor(code: string, m: string) { super(m); } }\nexport class Denied extends AppError {\n  constructor(m: string) {\n    super('FORBIDDEN', m);\n  }\n}\n",
    });
    expect(report.sites.map((s) => s.reason?.slice(0, 40))).toEqual([
      "Denied hands the code 'FORBIDDEN' to App",
    ]);
  });
});

describe('a NestJS exception filter that answers another status for a 403 error class', () => {
  // gitroomhq/postiz-app: `@Catch(HttpForbiddenException)` answers 401 (registered in main.ts), yet each of the 9
  // throws of the class was "answers 403 wherever it is thrown".
  const errors =
    "import { HttpException } from '@nestjs/common';\nexport class Denied extends HttpException {\n  constructor() {\n    super('Forbidden', 403);\n  }\n}\n";
  const filter = (status: string) =>
    `import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';\nimport { Denied } from './errors';\n@Catch(Denied)\nexport class DeniedFilter implements ExceptionFilter {\n  catch(exception: Denied, host: ArgumentsHost) {\n    host.switchToHttp().getResponse().status(${status}).send();\n  }\n}\n`;
  const controller =
    "import { Denied } from './errors';\nexport function check(ok: boolean) {\n  if (!ok) throw new Denied();\n}\n";
  const files = (status: string, main: string) => ({
    'src/errors.ts': errors,
    'src/filter.ts': filter(status),
    'src/users.ts': controller,
    'src/main.ts': main,
  });
  const global =
    "import { NestFactory } from '@nestjs/core';\nimport { DeniedFilter } from './filter';\nexport async function boot(m: unknown) {\n  const app = await NestFactory.create(m);\n  app.useGlobalFilters(new DeniedFilter());\n}\n";
  const provider =
    "import { APP_FILTER } from '@nestjs/core';\nimport { DeniedFilter } from './filter';\nexport const providers = [{ provide: APP_FILTER, useClass: DeniedFilter }];\n";

  it.each([
    ['useGlobalFilters', global, 'src/main.ts:5'],
    ['APP_FILTER', provider, 'src/main.ts:3'],
  ])('registered with %s: the class and its throws say so', async (_name, main, at) => {
    const report = await run(files('401', main), ['@nestjs/common', '@nestjs/core']);
    const reason = `Denied is caught by the exception filter DeniedFilter (src/filter.ts:3), registered for the whole app (${at}), which answers 401: its throws never answer 403. Nothing to change here; mark it // mtls-fix-ignore: <why> to close it.`;
    expect(
      report.sites.filter((s) => s.framework === 'error-classes').map((s) => [s.file, s.line, s.reason]),
    ).toEqual([
      ['src/errors.ts', 4, reason],
      ['src/users.ts', 3, reason],
    ]);
  });

  it('not registered, or passing the status on: still answers 403', async () => {
    for (const [status, main] of [
      ['401', 'export {};\n'],
      ['exception.getStatus()', global],
    ] as const) {
      const report = await run(files(status, main), ['@nestjs/common', '@nestjs/core']);
      const thrown = report.sites.find((s) => s.file === 'src/users.ts');
      expect(thrown?.reason).toMatch(/^Denied answers 403 wherever it is thrown/);
    }
  });
});

describe('an error class that fixes 403 with a status library constant', () => {
  // `super(message, HttpStatus.FORBIDDEN)`: the class was reported where it is declared, but its throws in files
  // with no 403 in their text were never analysed (a literal `super(m, 403)` had them reported one by one).
  it.each([
    [
      'Nest HttpStatus in super',
      "import { HttpException, HttpStatus } from '@nestjs/common';\nexport class NoAccess extends HttpException {\n  constructor(m: string) {\n    super(m, HttpStatus.FORBIDDEN);\n  }\n}\n",
    ],
    [
      'http-status-codes in a field',
      "import { StatusCodes } from 'http-status-codes';\nexport class NoAccess extends Error {\n  status = StatusCodes.FORBIDDEN;\n}\n",
    ],
    [
      'an options object',
      "import { HttpStatus } from '@nestjs/common';\nclass Base extends Error { constructor(m: string, o: { status: number }) { super(m); } }\nexport class NoAccess extends Base {\n  constructor(m: string) {\n    super(m, { status: HttpStatus.FORBIDDEN });\n  }\n}\n",
    ],
  ])('%s: each throw elsewhere is listed', async (_name, errors) => {
    const report = await run(
      {
        'src/errors.ts': errors,
        'src/users.ts':
          "import { NoAccess } from './errors';\nexport function check(ok: boolean) {\n  if (!ok) throw new NoAccess('no');\n}\n",
      },
      ['@nestjs/common', 'http-status-codes'],
    );
    const thrown = report.sites.filter((s) => s.file === 'src/users.ts');
    expect(thrown.map((s) => [s.line, s.action, s.reason?.slice(0, 44)])).toEqual([
      [3, 'manual', 'NoAccess answers 403 wherever it is thrown ('],
    ]);
  });

  it('a class fixing another status constant is not listed', async () => {
    const report = await run(
      {
        'src/errors.ts':
          "import { HttpException, HttpStatus } from '@nestjs/common';\nexport class Payment extends HttpException {\n  constructor(m: string) {\n    super(m, HttpStatus.PAYMENT_REQUIRED);\n  }\n}\n",
        'src/users.ts':
          "import { Payment } from './errors';\nexport function check(ok: boolean) {\n  if (!ok) throw new Payment('no');\n}\n",
      },
      ['@nestjs/common'],
    );
    expect(report.sites).toEqual([]);
  });
});

describe('a NestJS exception filter passing on the status of the classes it catches', () => {
  // gitroomhq/postiz-app: `@Catch(SubscriptionException)` answers `exception.getStatus()`, and
  // SubscriptionException fixes 402: "Dynamic status: it may pass a 403 through" was not true.
  const errors =
    "import { HttpException, HttpStatus } from '@nestjs/common';\nexport class Payment extends HttpException {\n  constructor() {\n    super('pay', HttpStatus.PAYMENT_REQUIRED);\n  }\n}\nexport class Denied extends HttpException {\n  constructor() {\n    super('no', 403);\n  }\n}\n";
  const filter = (caught: string) =>
    `import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';\nimport { Denied, Payment } from './errors';\n@Catch(${caught})\nexport class PassFilter implements ExceptionFilter {\n  catch(exception: HttpException, host: ArgumentsHost) {\n    const status = exception.getStatus();\n    host.switchToHttp().getResponse().status(status).json({ statusCode: status });\n  }\n}\nvoid Denied;\nvoid Payment;\n`;
  const dynamic = async (caught: string) => {
    const report = await run({ 'src/errors.ts': errors, 'src/filter.ts': filter(caught) }, [
      '@nestjs/common',
    ]);
    return report.sites.filter((s) => s.file === 'src/filter.ts' && /^Dynamic status/.test(s.reason ?? ''))
      .length;
  };

  it('a class with a fixed status other than 403: not dynamic', async () => {
    expect(await dynamic('Payment')).toBe(0);
  });

  it('a 403 class among them, or every exception: still dynamic', async () => {
    expect(await dynamic('Payment, Denied')).toBe(1);
    expect(await dynamic('')).toBe(1);
  });
});

describe('an error class that carries a 403 code in an options object or a field is named', () => {
  // Openpanel-dev/openpanel packages/trpc/src/errors.ts: `class TRPCForbiddenError extends TRPCError` with
  // `super({ code: 'FORBIDDEN', message })` was counted "string, not an emit"; its 72 throws were each a shape
  // nobody knew, and a package exporting the class with no throw read clean.
  const trpcClass = (call: string) =>
    `import { TRPCError } from '@trpc/server';\nexport class Denied extends TRPCError {\n  constructor(message: string) {\n    ${call};\n  }\n}\n`;
  it.each([
    ['options object', trpcClass("super({ code: 'FORBIDDEN', message })"), 'trpc', 4],
    ['as const, after the message', trpcClass("super({ message, code: 'FORBIDDEN' as const })"), 'trpc', 4],
    ['quoted key', trpcClass("super({ 'code': 'FORBIDDEN', message })"), 'trpc', 4],
    [
      'options object after the message, another base',
      "import { AppError } from './base';\nexport class Denied extends AppError {\n  constructor(m: string) {\n    super(m, { errorCode: 'PERMISSION_DENIED' });\n  }\n}\n",
      'error-classes',
      4,
    ],
    ['a code field', "export class Denied extends Error {\n  code = 'FORBIDDEN';\n}\n", 'error-classes', 2],
    [
      'a code assigned in the constructor',
      "export class Denied extends Error {\n  errorCode: string;\n  constructor(m: string) {\n    super(m);\n    this.errorCode = 'Forbidden';\n  }\n}\n",
      'error-classes',
      5,
    ],
  ])('%s', async (_name, text, framework, line) => {
    const report = await run(
      {
        'src/base.ts': 'export class AppError extends Error {}\n',
        'src/errors.ts': text,
      },
      ['@trpc/server'],
    );
    expect(report.sites.map((s) => [s.file, s.line, s.framework, s.action])).toEqual([
      ['src/errors.ts', line, framework, 'manual'],
    ]);
    expect(report.summary.manual).toBe(1);
  });

  // census45: `this.errorCode = 'PERMISSION_DENIED'` was reported, yet its literal was counted "string, not an
  // emit" (the application-code check ran before the covering site): every code spelling the reader accepts.
  it.each([
    ["this.errorCode = 'PERMISSION_DENIED'", "this.errorCode = 'PERMISSION_DENIED'"],
    ["this.errorCode = 'permission_denied'", "this.errorCode = 'permission_denied'"],
    ["this.code = 'permission-denied'", "this.code = 'permission-denied'"],
    ["this.error_code = 'PermissionDenied'", "this.error_code = 'PermissionDenied'"],
    ["this.code = 'FORBIDDEN'", "this.code = 'FORBIDDEN'"],
    ["super(m, { errorCode: 'PERMISSION_DENIED' })", "super(m, { errorCode: 'PERMISSION_DENIED' })"],
  ])('the code %s is counted with its site, not as a string', async (_name, statement) => {
    const text = `export class Denied extends Error {\n  errorCode = '';\n  code = '';\n  error_code = '';\n  constructor(m: string) {\n    ${statement.startsWith('super') ? statement : `super(m);\n    ${statement}`};\n  }\n}\n`;
    const report = await run({ 'src/errors.ts': text }, []);
    expect(report.sites.map((s) => [s.framework, s.action])).toEqual([['error-classes', 'manual']]);
    expect(report.census.manual).toBe(1);
    expect(report.census.notAnEmit.string ?? 0).toBe(0);
  });

  it("the class's throws link to it, not each a shape nobody knows", async () => {
    const report = await run(
      {
        'src/errors.ts': trpcClass("super({ code: 'FORBIDDEN', message })"),
        'src/router.ts':
          "import { Denied } from './errors';\nexport function check(ok: boolean) {\n  if (!ok) throw new Denied('no');\n}\n",
      },
      ['@trpc/server'],
    );
    expect(report.sites.map((s) => [s.file, s.framework])).toEqual([['src/errors.ts', 'trpc']]);
    expect(report.sites[0]?.reason).toMatch(
      /^Denied extends TRPCError with the code 'FORBIDDEN': tRPC answers 403/,
    );
  });

  it.each([
    [
      "GraphQL's extensions.code (body only)",
      "import { GraphQLError } from 'graphql';\nexport class Denied extends GraphQLError {\n  constructor(m: string) {\n    super(m, { extensions: { code: 'FORBIDDEN' } });\n  }\n}\n",
    ],
    ['a code on a plain record', "export class Row {\n  code = 'FORBIDDEN';\n}\n"],
  ])('%s stays unreported', async (_name, text) => {
    const report = await run({ 'src/errors.ts': text }, ['graphql']);
    expect(report.sites).toEqual([]);
  });
});

describe('oRPC errors that answer 403 are rewritten or named', () => {
  // `new ORPCError('FORBIDDEN')` was "string, not an emit": a run of an oRPC server read clean.
  it.each([
    [
      'named import from @orpc/server',
      "import { ORPCError } from '@orpc/server';\nexport function f(ok: boolean) {\n  if (!ok) throw new ORPCError('FORBIDDEN');\n}\n",
      "new ORPCError('UNAUTHORIZED')",
    ],
    [
      'from @orpc/client, with options',
      "import { ORPCError } from '@orpc/client';\nexport function f(ok: boolean) {\n  if (!ok) throw new ORPCError('FORBIDDEN', { message: 'no' });\n}\n",
      "new ORPCError('UNAUTHORIZED', { message: 'no' })",
    ],
    [
      'a namespace import',
      "import * as orpc from '@orpc/server';\nexport function f(ok: boolean) {\n  if (!ok) throw new orpc.ORPCError('FORBIDDEN');\n}\n",
      "new orpc.ORPCError('UNAUTHORIZED')",
    ],
    [
      'a status in the options',
      "import { ORPCError } from '@orpc/server';\nexport function f(ok: boolean) {\n  if (!ok) throw new ORPCError('NO_PLAN', { status: 403 });\n}\n",
      "new ORPCError('NO_PLAN', { status: 401 })",
    ],
  ])('%s', async (_name, text, replacement) => {
    const report = await run({ 'src/a.ts': text }, ['@orpc/server']);
    expect(report.sites.map((s) => [s.framework, s.action, s.replacement])).toEqual([
      ['orpc', 'would-rewrite', replacement],
    ]);
  });

  it('a typed error declared with no status is reported at its definition; its throw links to it', async () => {
    const report = await run(
      {
        'src/a.ts':
          "import { oc } from '@orpc/contract';\nimport { implement } from '@orpc/server';\nconst contract = oc.errors({ FORBIDDEN: { message: 'no' } });\nexport const p = implement(contract).handler(({ errors }) => {\n  throw errors.FORBIDDEN();\n});\n",
      },
      ['@orpc/server', '@orpc/contract'],
      { explain: true },
    );
    expect(report.sites.map((s) => [s.line, s.framework, s.action])).toEqual([[3, 'orpc', 'manual']]);
    expect(report.census.notAnEmit.reference).toBe(1);
  });

  // census45: `errors.FORBIDDEN()` was reported at each throw even where its `.errors()` definition is rewritten
  // (`status: 403` -> 401), and under another name (`{ errors: e }`, `{ errors: { FORBIDDEN } }`) it was "a shape
  // mtls-fix does not know". Each throw now links to the definition (this file, or the builder's module).
  const throwing = (params: string, call: string, builder = 'base') =>
    `import { ${builder === 'base' ? 'os' : 'base'} } from '${builder === 'base' ? '@orpc/server' : './base'}';\n${builder === 'base' ? "const base = os.errors({\n  FORBIDDEN: { status: 403, message: 'no' },\n});\n" : "import '@orpc/server';\n\n\n"}export const p = base.handler((${params}) => {\n  throw ${call};\n});\n`;
  const baseModule =
    "import { os } from '@orpc/server';\nexport const base = os.errors({\n  FORBIDDEN: { status: 403, message: 'no' },\n});\n";
  it.each([
    ['errors', '{ errors }', 'errors.FORBIDDEN()', 'base', 1],
    ['errors renamed', '{ errors: e }', 'e.FORBIDDEN()', 'base', 1],
    ['errors destructured', '{ errors: { FORBIDDEN } }', 'FORBIDDEN()', 'base', 2],
    ['destructured and renamed', '{ context, errors: { FORBIDDEN: deny } }', 'deny()', 'base', 1],
    ['builder imported', '{ errors }', 'errors.FORBIDDEN()', './base', 1],
    ['builder imported, errors renamed', '{ errors: e }', 'e.FORBIDDEN({ message: "x" })', './base', 1],
  ])('%s: the throw links to the rewritten definition', async (_name, params, call, builder, references) => {
    const report = await run(
      { 'src/base.ts': baseModule, 'src/p.ts': throwing(params, call, builder) },
      ['@orpc/server'],
      { explain: true },
    );
    const definition = builder === 'base' ? 'src/p.ts' : 'src/base.ts';
    // The definition is rewritten (its key FORBIDDEN named beside it); the throw (line 6) asks nothing.
    expect(report.sites.filter((s) => s.file === 'src/p.ts' && s.line === 6)).toEqual([]);
    expect(report.sites.filter((s) => s.file === definition && s.action === 'would-rewrite')).toHaveLength(1);
    expect(report.census.notAnEmit.reference).toBe(references);
    expect(JSON.stringify(report)).toContain(`${definition}:3 (FORBIDDEN`);
  });

  it('a throw whose definition cannot be found is named with the oRPC reason', async () => {
    const report = await run(
      {
        'src/p.ts':
          "import { base } from '@my/orpc-base';\nimport '@orpc/server';\nexport const p = base.handler(({ errors: e }) => {\n  throw e.FORBIDDEN();\n});\n",
      },
      ['@orpc/server'],
    );
    expect(report.sites.map((s) => [s.line, s.framework, s.action])).toEqual([[4, 'orpc', 'manual']]);
    expect(report.sites[0]?.reason).toMatch(/^errors\.FORBIDDEN\(\) throws the typed error FORBIDDEN/);
  });
});
