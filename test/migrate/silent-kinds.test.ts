import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateOptions, MigrateReport } from '../../src/migrate/types.js';

// Plain `migrate` leaves nothing silent (session 23): each shape below was counted as rewritten, or as a plain
// string, while a 403 (or its reason phrase) stayed in what the server sends. Each fails on 66c28b1.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` with a package.json naming `dependencies`, runs a dry run with status 401. */
async function run(
  files: Record<string, string>,
  dependencies: string[],
  options: Partial<MigrateOptions> & { manifest?: Record<string, unknown> } = {},
): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-sk-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ ...pkg, ...options.manifest }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  const rest: Partial<MigrateOptions> & { manifest?: unknown } = { ...options };
  delete rest.manifest;
  return (await migrate({ cwd, status: 401, mode: 'dry-run', ...rest })).report;
}

/** `line action framework` of every site, and the census's own sum. */
function sites(report: MigrateReport): string[] {
  return report.sites.map((s) => `${s.file}:${s.line} ${s.action}`);
}

function reasonAt(report: MigrateReport, file: string, line: number): string {
  return report.sites.find((s) => s.file === file && s.line === line && s.action === 'manual')?.reason ?? '';
}

function addsUp(report: MigrateReport): void {
  const c = report.census;
  const notAnEmit = Object.values(c.notAnEmit).reduce((a, b) => a + b, 0);
  const notRead = Object.values(c.notRead).reduce((a, b) => a + b, 0);
  expect(c.rewritten + c.manual + c.ignored + c.outOfScope + notAnEmit + notRead).toBe(c.occurrences);
  expect(c.notAnEmit.unclassified ?? 0).toBe(0);
}

describe('a 403 inside a rewritten form that no edit changes', () => {
  // hono's ip-restriction with its own HTTPException class and Context type: the outer status is a known slot,
  // the inner `c.text(…, { status: 403 })` / `new Response(…, { status: 403 })` is not.
  const exception =
    'export class HTTPException extends Error {\n  constructor(readonly status: number, readonly options?: { res?: Response }) {\n    super();\n  }\n}\n';
  it.each([
    ['a context of its own', "c.text('no', {\n      status: 403,\n    })"],
    ['a Response whose class is shadowed', "new Res('no', {\n      status: 403,\n    })"],
  ])('%s', async (_name, inner) => {
    const report = await run(
      {
        'src/http-exception.ts': exception,
        'src/context.ts':
          'export interface Context { text(b: string, i: { status: number }): Response }\nexport declare const Res: new (b: string, i: { status: number }) => Response;\n',
        'src/deny.ts': `import { HTTPException } from './http-exception';\nimport { Res, type Context } from './context';\nexport const block = (c: Context) =>\n  new HTTPException(403, {\n    res: ${inner},\n  });\n`,
      },
      ['hono'],
    );
    expect(sites(report)).toContain('src/deny.ts:4 would-rewrite');
    expect(reasonAt(report, 'src/deny.ts', 6)).toMatch(
      /^A 403 inside a form this run rewrites \(line 4: new HTTPException\(403/,
    );
    addsUp(report);
  });
});

describe('a reason phrase held by a name, read beside a rewritten status', () => {
  const head = "import type { Response } from 'express';\n";
  it.each([
    [
      'a frozen table, read in the body that goes with the status',
      "const ERR = Object.freeze({ DENIED: 'Forbidden' });",
      'res.status(403); res.json({ e: ERR.DENIED });',
      4,
      /^The text 'Forbidden' \(ERR\.DENIED, line 2\) goes with a status that becomes 401/,
    ],
    [
      'a const, read inside the rewritten form',
      "const MESSAGE = 'Forbidden';",
      'res.status(403).send(MESSAGE);',
      4,
      /^The text 'Forbidden' \(MESSAGE, line 2\) goes with a status that becomes 401/,
    ],
    [
      'a const cast as const, read inside the rewritten form (session 24; string on 0c33c5f)',
      "const MESSAGE = 'Forbidden' as const;",
      'res.status(403).send(MESSAGE);',
      4,
      /^The text 'Forbidden' \(MESSAGE, line 2\) goes with a status that becomes 401/,
    ],
    [
      'an enum member, read inside the rewritten form',
      "enum Msg { Denied = 'FORBIDDEN' }",
      "res.status(403).send(Msg['Denied']);",
      4,
      /^The text 'FORBIDDEN' \(Msg\['Denied'\], line 2\) goes with a status/,
    ],
  ])('%s', async (_name, declaration, use, line, reason) => {
    const report = await run(
      { 'src/a.ts': `${head}${declaration}\nexport function f(res: Response) {\n  ${use}\n}\n` },
      ['express'],
    );
    expect(reasonAt(report, 'src/a.ts', line)).toMatch(reason);
    addsUp(report);
  });

  it.each([
    [
      'an exported table',
      "export const MESSAGES = Object.freeze({ DENIED: 'Forbidden' });\n",
      'MESSAGES',
      'MESSAGES.DENIED',
    ],
    ['an exported enum', "export enum Msg {\n  Denied = 'Forbidden',\n}\n", 'Msg', 'Msg.Denied'],
    ['an exported const', "export const MESSAGE = 'Forbidden';\n", 'MESSAGE', 'MESSAGE'],
  ])('%s read in another file', async (_name, declaration, owner, read) => {
    const report = await run(
      {
        'src/messages.ts': declaration,
        'src/a.ts': `${head}import { ${owner} } from './messages';\nexport function f(res: Response) {\n  res.status(403).json({ message: ${read} });\n}\n`,
      },
      ['express'],
    );
    expect(report.sites.find((s) => s.file === 'src/messages.ts')?.reason).toMatch(
      new RegExp(
        `^The text 'Forbidden' \\(${read.replace('.', '\\.')}\\) is read inside a form this run rewrites to 401`,
      ),
    );
    addsUp(report);
  });

  it.each([
    ['a status', "res.status(reason === 'forbidden' ? 403 : 500).json({ error: reason });"],
    ['a switch', "switch (reason) {\n    case 'forbidden':\n      res.status(403).end();\n  }"],
  ])(
    'a text compared inside %s that rewrites is not sent (was reported, session 24)',
    async (_name, body) => {
      const report = await run(
        { 'src/a.ts': `${head}export function f(res: Response, reason: string) {\n  ${body}\n}\n` },
        ['express'],
      );
      expect(report.sites.filter((s) => s.action === 'manual')).toEqual([]);
      expect(report.census.notAnEmit.string).toBe(1);
      addsUp(report);
    },
  );

  it('a phrase after a function that rewrites is not beside it (was reported)', async () => {
    const report = await run(
      {
        'src/a.ts': `${head}export function f(res: Response) {\n  res.status(403).end();\n}\nconst OTHER = 'Forbidden';\nexport const g = (res: Response) => res.status(404).send(OTHER);\n`,
      },
      ['express'],
    );
    expect(sites(report)).toEqual(['src/a.ts:3 would-rewrite']);
    addsUp(report);
  });
});

describe('a reason phrase another file reads, exported in any spelling (session 24)', () => {
  // silence23 read `export const` holders only; CommonJS tables, `export { X }`, `export default {…}` and a
  // `'Forbidden' as const` were plain strings while their text went out with a rewritten status. Each is
  // `string` on 0c33c5f.
  const use = (read: string): string =>
    `const express = require('express');\nconst m = require('./messages');\nconst { DENIED, MESSAGE } = require('./messages');\nconst r = express.Router();\nr.get('/x', (req, res) => res.status(403).json({ message: ${read} }));\nmodule.exports = r;\n`;
  it.each([
    [
      'module.exports = { KEY: … }',
      "module.exports = { DENIED: 'Forbidden', GONE: 'Not found' };\n",
      'm.DENIED',
      'DENIED',
    ],
    ['exports.KEY = …', "exports.DENIED = 'Forbidden';\n", 'DENIED', 'DENIED'],
    ['module.exports.KEY = …', "module.exports.DENIED = 'Forbidden';\n", 'm.DENIED', 'DENIED'],
    [
      'a table exported whole',
      "const T = Object.freeze({ DENIED: 'Forbidden' });\nmodule.exports = T;\n",
      'm.DENIED',
      'DENIED',
    ],
    [
      'a table in an exported object',
      "const T = { DENIED: 'Forbidden' };\nmodule.exports = { T };\n",
      'm.T.DENIED',
      'T.DENIED',
    ],
    ['a const under another key', "const M = 'Forbidden';\nexports.MESSAGE = M;\n", 'MESSAGE', 'MESSAGE'],
    [
      'a const cast as const',
      "const M = 'Forbidden' as const;\nmodule.exports = { MESSAGE: M };\n",
      'MESSAGE',
      'MESSAGE',
    ],
  ])('%s', async (_name, messages, read, names) => {
    const report = await run({ 'src/messages.ts': messages, 'src/routes.js': use(read) }, ['express']);
    expect(report.sites.find((s) => s.file === 'src/messages.ts')?.reason).toMatch(
      new RegExp(
        `^The text 'Forbidden' \\(${names.replace('.', '\\.')}\\) is read inside a form this run rewrites to 401`,
      ),
    );
    addsUp(report);
  });

  it.each([
    ['export { X as Y }', "const M = 'Forbidden';\nexport { M as MESSAGE };\n", 'MESSAGE', 'MESSAGE'],
    ['export default {…}', "export default { DENIED: 'Forbidden' };\n", 'DENIED', 'm.DENIED'],
    ['export const … as const', "export const MESSAGE = 'Forbidden' as const;\n", 'MESSAGE', 'MESSAGE'],
  ])('%s (ES)', async (_name, messages, names, read) => {
    const head = "import type { Response } from 'express';\nimport m, { MESSAGE } from './messages';\n";
    const report = await run(
      {
        'src/messages.ts': messages,
        'src/a.ts': `${head}export function f(res: Response) {\n  res.status(403).json({ message: ${read} });\n}\n`,
      },
      ['express'],
    );
    expect(report.sites.find((s) => s.file === 'src/messages.ts')?.reason).toMatch(
      new RegExp(
        `^The text 'Forbidden' \\(${names.replace('.', '\\.')}\\) is read inside a form this run rewrites to 401`,
      ),
    );
    addsUp(report);
  });

  it('a CommonJS table no rewritten form reads stays a string', async () => {
    const report = await run(
      {
        'src/messages.js': "module.exports = { DENIED: 'Forbidden' };\n",
        'src/routes.js': use('m.OTHER').replace('403', '404'),
      },
      ['express'],
    );
    expect(report.sites).toEqual([]);
    expect(report.census.notAnEmit.string).toBe(1);
    addsUp(report);
  });
});

describe('a project table of statuses another file reads with a run-time key', () => {
  it.each([
    [
      'an object',
      'export const codes: Record<string, number> = {\n  timeout: 504,\n  denied: 403,\n};\n',
      'denied',
    ],
    [
      'a frozen object',
      'export const codes = Object.freeze({\n  timeout: 504,\n  denied: 403,\n});\n',
      'denied',
    ],
    ['an enum', 'export enum codes {\n  Timeout = 504,\n  Denied = 403,\n}\n', 'Denied'],
  ])('%s', async (_name, table, entry) => {
    const report = await run(
      {
        'src/constants.ts': table,
        'src/handler.ts':
          "import type { Response } from 'express';\nimport { codes } from './constants';\nexport function fail(res: Response, kind: string) {\n  res.status((codes as Record<string, number>)[kind]).end();\n}\n",
      },
      ['express'],
    );
    expect(reasonAt(report, 'src/handler.ts', 4)).toContain(
      `codes answers 403 for '${entry}' (src/constants.ts:3)`,
    );
    addsUp(report);
  });

  it('the entry names the table a status slot reads', async () => {
    const report = await run(
      {
        'src/constants.ts':
          'export const codes: Record<string, number> = {\n  timeout: 504,\n  denied: 403,\n};\n',
        'src/handler.ts':
          "import type { Response } from 'express';\nimport { codes } from './constants';\nexport function fail(res: Response, kind: string) {\n  res.status(codes[kind]).end();\n}\n",
      },
      ['express'],
    );
    expect(reasonAt(report, 'src/constants.ts', 3)).toMatch(
      /^'denied' of codes holds 403, and a status slot reads codes/,
    );
    addsUp(report);
  });
});

describe("AdonisJS 4: use('App/…') is an import of the autoloaded folder", () => {
  const exception =
    "'use strict'\nconst { LogicalException } = require('@adonisjs/generic-exceptions')\nclass ForbiddenAccessException extends LogicalException {\n  handle(error, { response }) {\n    return response.status(403).json({ message: 'no' })\n  }\n}\nmodule.exports = ForbiddenAccessException\n";
  const service =
    "const ForbiddenAccessException = use('App/Exceptions/ForbiddenAccessException')\nclass AuthorizationService {\n  verify(resource, user) {\n    if (resource.user_id !== user.id) throw new ForbiddenAccessException()\n  }\n}\nmodule.exports = new AuthorizationService()\n";
  it.each([
    ['the package.json autoload key', { autoload: { App: './source' } }, 'source'],
    ['the default namespace of an Adonis 4 app', {}, 'app'],
  ])('%s', async (_name, manifest, folder) => {
    const report = await run(
      {
        [`${folder}/Exceptions/ForbiddenAccessException.js`]: exception,
        [`${folder}/Services/AuthorizationService.js`]: service,
      },
      ['@adonisjs/framework', '@adonisjs/fold'],
      { manifest },
    );
    expect(sites(report)).toEqual([`${folder}/Exceptions/ForbiddenAccessException.js:5 would-rewrite`]);
    expect(report.census.notAnEmit.reference).toBe(2);
    addsUp(report);
  });
});

describe("a library's 403 passed on by the project's own code", () => {
  it.each([
    [
      '@fastify/send (reply.send(metadata.error))',
      "const send = require('@fastify/send')\nmodule.exports = async function serve(req, reply) {\n  const { statusCode, stream, metadata } = await send(req.raw, req.url, { root: '/srv', dotfiles: 'deny' })\n  if (metadata.error) return reply.send(metadata.error)\n  return reply.code(statusCode).send(stream)\n}\n",
      ['fastify', '@fastify/send'],
      'fastify',
    ],
    [
      'send (the stream error handed to next)',
      "import send from 'send';\nimport type { Request, Response, NextFunction } from 'express';\nexport function files(req: Request, res: Response, next: NextFunction) {\n  send(req, req.path, { root: '/srv' }).on('error', next).pipe(res);\n}\n",
      ['express', 'send'],
      'node-http',
    ],
  ])('%s', async (_name, text, dependencies, framework) => {
    const report = await run({ 'src/serve.ts': text }, dependencies);
    const site = report.sites.find((s) => s.file === 'src/serve.ts' && s.line === 1);
    expect(site?.action).toBe('manual');
    expect(site?.framework).toBe(framework);
    expect(site?.reason).toMatch(/^Implicit 403: .*send answers 403 when a requested path leaves the root/);
    addsUp(report);
  });
});

describe('a text that says Forbidden beside a rewritten status (session 25; counted rewritten on 433619b)', () => {
  // Each text stays in the body while the status becomes 401: `[file, text, dependencies, line]`.
  const said = /says Forbidden \(403\) and goes with a status that becomes 401: reword it/;
  it.each([
    [
      'Express, in the body of the same chain',
      "import type { Response } from 'express';\nexport function f(res: Response) {\n  res.status(403).json({ error: 'Forbidden: insufficient scope' });\n}\n",
      ['express'],
      3,
    ],
    [
      'Express, in the statement after the status',
      "import type { Response } from 'express';\nexport function f(res: Response) {\n  res.status(403);\n  res.json({ error: 'Access forbidden for this client' });\n}\n",
      ['express'],
      4,
    ],
    [
      'a template',
      "import type { Response } from 'express';\nexport function f(res: Response, ip: string) {\n  res.status(403).send(`Forbidden for ${ip}`);\n}\n",
      ['express'],
      3,
    ],
    [
      'node:http, writeHead then end with a text holding 403',
      "import type { ServerResponse } from 'node:http';\nexport function f(res: ServerResponse) {\n  res.writeHead(403);\n  res.end('403 - you may not pass');\n}\n",
      [],
      4,
    ],
    [
      'Hono, c.json',
      "import type { Context } from 'hono';\nexport const f = (c: Context) =>\n  c.json({ message: 'Forbidden - admins only' }, 403);\n",
      ['hono'],
      3,
    ],
    [
      "Hono, HTTPException's message",
      "import { HTTPException } from 'hono/http-exception';\nexport function f() {\n  throw new HTTPException(403, { message: 'Forbidden: not your project' });\n}\n",
      ['hono'],
      3,
    ],
    [
      "NestJS, ForbiddenException's message",
      "import { ForbiddenException } from '@nestjs/common';\nexport function f() {\n  throw new ForbiddenException('Forbidden resource for this user');\n}\n",
      ['@nestjs/common'],
      3,
    ],
    [
      'Koa, ctx.throw',
      "import type { Context } from 'koa';\nexport function f(ctx: Context) {\n  ctx.throw(403, 'Forbidden: read-only token');\n}\n",
      ['koa'],
      3,
    ],
  ])('%s', async (_name, text, dependencies, line) => {
    const report = await run({ 'src/a.ts': text }, dependencies);
    expect(report.sites.some((s) => s.action === 'would-rewrite')).toBe(true);
    expect(reasonAt(report, 'src/a.ts', line)).toMatch(said);
    addsUp(report);
  });

  it('a text only logged or compared beside the status is not sent', async () => {
    const report = await run(
      {
        'src/a.ts':
          "import type { Response } from 'express';\ndeclare const logger: { warn(m: string): void };\nexport function f(res: Response, e: { message: string }) {\n  logger.warn('forbidden access attempt');\n  if (e.message === 'Forbidden by policy') res.status(403).json({ ok: false });\n}\n",
      },
      ['express'],
    );
    expect(report.sites.filter((s) => s.action === 'manual')).toEqual([]);
    addsUp(report);
  });
});

describe('a tRPC code given by the caller (session 25; every FORBIDDEN a string on 433619b)', () => {
  const errors =
    "import { TRPCError } from '@trpc/server';\nexport function deny(code: TRPCError['code'], message?: string): never {\n  throw new TRPCError({ code, message });\n}\nexport const fail = (code: TRPCError['code'] = 'FORBIDDEN') => new TRPCError({ code });\nexport function make(opts: { code: TRPCError['code'] }) {\n  return new TRPCError({ code: opts.code });\n}\n";
  const router =
    "import { deny, fail, make } from './errors';\nexport const a = () => deny('FORBIDDEN', 'not yours');\nexport const b = () => deny('NOT_FOUND');\nexport const c = () => {\n  throw fail();\n};\nexport const d = () => make({ code: 'FORBIDDEN' });\nexport const e = (code: 'FORBIDDEN' | 'NOT_FOUND') => deny(code);\nexport const f = () => e('FORBIDDEN');\n";
  it('callers in other files, a default, an options key and a forwarding function', async () => {
    const report = await run({ 'src/errors.ts': errors, 'src/router.ts': router }, ['@trpc/server']);
    expect(sites(report)).toEqual([
      'src/errors.ts:3 manual',
      'src/errors.ts:5 would-rewrite',
      'src/errors.ts:7 manual',
      'src/router.ts:2 would-rewrite',
      'src/router.ts:7 would-rewrite',
      'src/router.ts:8 manual',
      'src/router.ts:9 would-rewrite',
    ]);
    expect(reasonAt(report, 'src/errors.ts', 3)).toMatch(
      /^Shared helper: the tRPC code of a TRPCError comes from its caller \(parameter 'code'\)/,
    );
    const replaced = report.sites.filter((s) => s.action === 'would-rewrite').map((s) => s.replacement);
    expect(replaced.join('\n')).not.toMatch(/FORBIDDEN/);
    expect(report.census.notAnEmit.string ?? 0).toBe(0);
    addsUp(report);
  });
});

describe("a package's 403 helper held under a project name (session 25; a generic unknown shape on 433619b)", () => {
  it('@fastify/sensible httpErrors.forbidden in an exported table, called in another file (tf2pickup)', async () => {
    const report = await run(
      {
        'src/errors.ts':
          "import { httpErrors } from '@fastify/sensible';\nexport const errors = {\n  unauthorized: httpErrors.unauthorized,\n  forbidden: httpErrors.forbidden,\n} as const;\n",
        'src/chat.ts':
          "import { errors } from './errors';\nexport function send(muted: boolean) {\n  if (muted) throw errors.forbidden('you are muted');\n}\n",
      },
      ['fastify', '@fastify/sensible'],
    );
    expect(reasonAt(report, 'src/errors.ts', 4)).toMatch(
      /^'httpErrors\.forbidden' of @fastify\/sensible \(its forbidden helper, a 403\) is held here under 'forbidden', not called: .*\(httpErrors\.unauthorized\)/,
    );
    expect(reasonAt(report, 'src/chat.ts', 3)).toMatch(
      /^'errors\.forbidden\(…\)' calls @fastify\/sensible's httpErrors\.forbidden \(held at src\/errors\.ts:4\), which throws a 403: call the 401 one \(errors\.unauthorized/,
    );
    addsUp(report);
  });

  it('a table of the same file, the helper held through a cast', async () => {
    const report = await run(
      {
        'src/deny.ts':
          "import { httpErrors } from '@fastify/sensible';\nconst errors = { forbidden: httpErrors.forbidden as () => Error };\nexport const check = (ok: boolean) => {\n  if (!ok) throw errors.forbidden();\n};\n",
      },
      ['fastify', '@fastify/sensible'],
    );
    expect(reasonAt(report, 'src/deny.ts', 2)).toMatch(/^'httpErrors\.forbidden' of @fastify\/sensible/);
    expect(reasonAt(report, 'src/deny.ts', 4)).toMatch(
      /^'errors\.forbidden\(…\)' calls @fastify\/sensible's httpErrors\.forbidden \(held at src\/deny\.ts:2\)/,
    );
    addsUp(report);
  });

  // Session 48 (breaker48's agent-cal): a reason phrase held as a schema's example read "its FORBIDDEN helper ...
  // whoever calls it throws a 403"; it is the text 'Forbidden', named as such, with the phrase to hold instead.
  it.each([
    ["import { ReasonPhrases } from 'http-status-codes';", 'ReasonPhrases', 'http-status-codes'],
    ["import * as HttpStatusPhrases from 'stoker/http-status-phrases';", 'HttpStatusPhrases', 'stoker'],
  ])('a reason phrase held as an example: %s', async (imported, table, module) => {
    const report = await run(
      { 'src/schema.ts': `${imported}\nexport const example = {\n  message: ${table}.FORBIDDEN,\n};\n` },
      [module],
    );
    expect(reasonAt(report, 'src/schema.ts', 3)).toMatch(
      new RegExp(
        `^'${table}\\.FORBIDDEN' of [^ ]+ is the reason phrase 'Forbidden' \\(403\\), held here under 'message': nothing is sent here\\. .*hold ${table}\\.UNAUTHORIZED \\('Unauthorized'\\)`,
      ),
    );
    addsUp(report);
  });

  it("a project's own copy of the phrases (agent-cal's @/lib/misc/http-status-phrases)", async () => {
    const report = await run(
      {
        'src/phrases.ts':
          'export const UNAUTHORIZED = "Unauthorized";\nexport const FORBIDDEN = "Forbidden";\n',
        'src/schema.ts':
          "import * as HttpStatusPhrases from './phrases';\nexport const example = {\n  message: HttpStatusPhrases.FORBIDDEN,\n};\n",
      },
      [],
    );
    expect(reasonAt(report, 'src/schema.ts', 3)).toMatch(
      /^'HttpStatusPhrases\.FORBIDDEN' is the reason phrase 'Forbidden' \(403, declared at src\/phrases\.ts:2\): nothing is sent here\. .*use HttpStatusPhrases\.UNAUTHORIZED \('Unauthorized'\)/,
    );
    addsUp(report);
  });
});

describe('a text that says Forbidden beside a rewritten status, in more frameworks (session 25)', () => {
  const forms: [string, string, string[]][] = [
    [
      'Lambda',
      "export const handler = async () => ({ statusCode: 403, body: JSON.stringify({ message: 'Forbidden: x' }) });",
      ['aws-lambda'],
    ],
    [
      'Fastify',
      "import type { FastifyReply } from 'fastify';\nexport const a = (reply: FastifyReply) => reply.code(403).send({ message: 'Forbidden: x' });",
      ['fastify'],
    ],
    [
      'hapi Boom',
      "import Boom from '@hapi/boom';\nexport const b = () => Boom.forbidden('Forbidden: x');",
      ['@hapi/boom'],
    ],
    [
      'h3',
      "import { createError } from 'h3';\nexport const c = () => createError({ statusCode: 403, statusMessage: 'Forbidden: x' });",
      ['h3'],
    ],
    [
      'Next.js',
      "import { NextResponse } from 'next/server';\nexport const d = () => NextResponse.json({ error: 'Forbidden: x' }, { status: 403 });",
      ['next'],
    ],
    [
      'SvelteKit',
      "import { error } from '@sveltejs/kit';\nexport const e = () => error(403, 'Forbidden: x');",
      ['@sveltejs/kit'],
    ],
  ];
  it.each(forms)('%s', async (_name, text, dependencies) => {
    const report = await run({ 'src/a.ts': `${text}\n` }, dependencies);
    const line = text.split('\n').length;
    expect(report.sites.some((s) => s.line === line && s.action === 'would-rewrite')).toBe(true);
    expect(reasonAt(report, 'src/a.ts', line)).toMatch(/^The text 'Forbidden: x' says Forbidden \(403\)/);
    addsUp(report);
  });
});

describe('a run-time status beside a 403 fallback (session 25; only the fallback rewritten on 433619b)', () => {
  it.each([
    [
      'Koa, err.status || 403',
      "import type { Context } from 'koa';\nexport async function errors(ctx: Context, next: () => Promise<void>) {\n  try {\n    await next();\n  } catch (error) {\n    ctx.status = (error as { status?: number }).status || 403;\n  }\n}\n",
      ['koa'],
      6,
    ],
    [
      'Express, err.statusCode ?? 403',
      "import type { Request, Response, NextFunction } from 'express';\nexport function handler(err: Error & { statusCode?: number }, req: Request, res: Response, next: NextFunction) {\n  const e = err;\n  res.status(e.statusCode ?? 403).end();\n}\n",
      ['express'],
      4,
    ],
    [
      'Fastify, a choice with an upstream status',
      "import type { FastifyReply } from 'fastify';\ndeclare function upstream(): Promise<Response>;\nexport async function f(reply: FastifyReply, own: boolean) {\n  const r = await upstream();\n  return reply.code(own ? 403 : r.status).send();\n}\n",
      ['fastify'],
      5,
    ],
  ])('%s', async (_name, text, dependencies, line) => {
    const report = await run({ 'src/a.ts': text }, dependencies);
    expect(report.sites.some((s) => s.line === line && s.action === 'would-rewrite')).toBe(true);
    expect(reasonAt(report, 'src/a.ts', line)).toMatch(/^Dynamic status beside the rewritten 403 \(/);
    addsUp(report);
  });
});

// Session 27: an application's error code (`'permission_denied'`, `'forbidden_binding'`, `'FORBIDDEN_SCOPE'`) beside
// a rewritten status was reported as a Forbidden text to reword (13 of capgo's 57 review items): it names the
// cause, and clients match on it. Now it is a `string`; the message beside it is still read.
describe("an application's error code beside a rewritten status is no Forbidden text", () => {
  it.each([
    [
      'Express, in the body of the same chain',
      "import type { Response } from 'express';\nexport function f(res: Response) {\n  res.status(403).json({ code: 'FORBIDDEN_SCOPE' });\n}\n",
      ['express'],
    ],
    [
      'Express, in the statement after the status',
      "import type { Response } from 'express';\nexport function f(res: Response) {\n  res.status(403);\n  res.json({ code: 'PermissionDenied' });\n}\n",
      ['express'],
    ],
    [
      'Hono, c.json',
      "import type { Context } from 'hono';\nexport const f = (c: Context) => c.json({ error: 'permission_denied' }, 403);\n",
      ['hono'],
    ],
    [
      "Hono, a helper's code argument (capgo's quickError)",
      "import { HTTPException } from 'hono/http-exception';\nexport function quickError(status: number, code: string, message: string): never {\n  throw new HTTPException(status as 403, { message, cause: { code } });\n}\nexport function f() {\n  quickError(403, 'forbidden_binding', 'You may not bind this key');\n}\n",
      ['hono'],
    ],
    [
      'Koa, ctx.throw with a code',
      "import type { Context } from 'koa';\nexport function f(ctx: Context) {\n  ctx.throw(403, 'auth/forbidden-origin');\n}\n",
      ['koa'],
    ],
  ])('%s', async (_name, text, dependencies) => {
    const report = await run({ 'src/a.ts': text }, dependencies);
    expect(report.sites.filter((s) => /^The text/.test(s.reason ?? '')).map((s) => s.reason)).toEqual([]);
    expect(report.sites.some((s) => s.action === 'would-rewrite')).toBe(true);
    const { string = 0, body = 0 } = report.census?.notAnEmit ?? {};
    expect(string + body).toBe(1);
    addsUp(report);
  });

  it('a message beside the code is still read', async () => {
    const report = await run(
      {
        'src/a.ts':
          "import type { Response } from 'express';\nexport function g(res: Response) {\n  res.status(403).json({ code: 'permission_denied', message: 'Forbidden: admins only' });\n}\n",
      },
      ['express'],
    );
    expect(report.sites.filter((s) => /^The text/.test(s.reason ?? '')).map((s) => s.line)).toEqual([3]);
    addsUp(report);
  });
});
