import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CANDIDATE, CANDIDATE_TEST, mayHoldSite } from '../../src/migrate/prefilter.js';
import { NAMED_NUMBER_SOURCE } from '../../src/migrate/occurrence-source.js';
import { regExpAlternatives } from '../../src/util/regexp-anchors.js';
import { texts } from '../helpers/near-matches.js';

const POSITIVE: [string, string][] = [
  ['Encore.ts', "throw APIError.permissionDenied('admins only');"],
  ['Encore.ts ErrCode', 'new APIError(ErrCode.PermissionDenied, m)'],
  ['gRPC', 'callback({ code: status.PERMISSION_DENIED })'],
  ['gRPC PERMISSION_DENIED as its number', "callback({ code: 7, message: 'no' })"],
  ['nice-grpc PERMISSION_DENIED as its number', "throw new ServerError(7, 'no');"],
  ['gRPC PERMISSION_DENIED as a cast number', "callback({ 'code': 7 as grpc.status, details: 'no' })"],
  ['nice-grpc PERMISSION_DENIED as a cast number', "throw new ServerError(<Status>7, 'no');"],
  ['Connect', 'new ConnectError(m, Code.PermissionDenied)'],
  ['Oak', 'ctx.throw(Status.Forbidden)'],
  ['Adonis', 'response.forbidden()'],
  ['an HTTP API authorizer response set by assignment', 'response.isAuthorized = false;'],
  ['an HTTP API authorizer response set by key', "response['isAuthorized'] = valid;"],
  ['number', 'res.status(403)'],
  ['a pass-through status', 'res.status(err.status || 500).json({ message: err.message })'],
  ['an upstream status', 'reply.code(upstream.statusCode).send(body)'],
  ['a status from a variable', 'res.writeHead(code, headers)'],
  ['a Koa status assignment', 'ctx.status = e.status;'],
  ['a status code assignment', 'res.statusCode = result.status;'],
  ['a proxy', "const { createProxyMiddleware } = require('http-proxy-middleware');"],
  ['a middleware that answers 403', "import ip from 'koa-ip';"],
  ['a name carrying the number', 'this.throw403();'],
  ['a library name carrying the number (breaker44)', 'send403(res);'],
  ['a result name carrying the number (breaker44)', 'return api403Response;'],
  ['a constant carrying the number', 'throw HTTP_403;'],
  ['a code carrying the number', "const code = 'E403';"],
  ['Ghost NoPermissionError', "throw new errors.NoPermissionError({ message: 'no' });"],
  ['Strapi PolicyError', "throw new PolicyError('no');"],
  ['a Strapi policy', 'module.exports = (policyContext, config) => false;'],
  ['an AdonisJS bouncer import', "import { BasePolicy } from '@adonisjs/bouncer';"],
  ['an Egg.js config', 'module.exports = appInfo => ({ keys: appInfo.name });'],
  ['an Egg.js plain exports config', "exports.keys = 'k';"],
  ['an Egg.js plain object config', "module.exports = { keys: 'my keys' };"],
  ['a Payload collection', "export const Media: CollectionConfig = { slug: 'media', fields: [] };"],
  ['an Egg 4 config', "import { defineConfig } from 'egg';\nexport default defineConfig({});"],
  ['a Koa pass-through', 'ctx.throw(r.status, r.statusText);'],
  ['an http-errors pass-through', 'next(createError(upstream.status, m));'],
  ['a restify pass-through', 'errors.makeErrFromCode(r.statusCode, m)'],
  ['a routing-controllers pass-through', 'throw new HttpError(r.status, m);'],
  ['a Nest pass-through', 'throw new HttpException(r.body, r.status);'],
  ['a Nest pass-through after a call', 'throw new HttpException(format(e, 1), e.getStatus());'],
  ['a Moleculer pass-through', 'throw new MoleculerError(e.message, e.code);'],
  ['a Payload pass-through', 'throw new APIError(e.message, code);'],
  ['a Boom constructor', "new Boom.Boom('upstream', { statusCode: r.status })"],
  ['an h3 status read off an answer', 'throw createError({ statusCode: res.status, statusMessage: m });'],
  ["Nest's static serving", "app.useStaticAssets(join(__dirname, '..', 'public'));"],
  ['the old Fastify static plugin', "fastify.register(require('fastify-static'), { root });"],
  ['express static loaded in place', "app.use(require('express').static(dir));"],
  ['express static bound by name', "const { static: serveFiles } = require('express');"],
  ['express static imported by name', "import { static as serveFiles } from 'express';"],
  ["restify's static plugin", "server.get('/docs/*', restify.plugins.serveStatic({ directory: './docs' }));"],
  // Session 32 (breakfix32a, breaker32 01): file senders over send answer 403 with no 403 and no import in the file.
  ['Express res.sendFile', "app.get('/f/*', (req, res) => res.sendFile(req.params[0], { root: dir }));"],
  ['Express res.download', "app.get('/d/:n', (req, res) => res.download(req.params.n, { root: dir }));"],
  ['Express 4 res.sendfile', 'res.sendfile(name, { root: dir });'],
  ['@fastify/static reply.sendFile', "fastify.get('/f/:n', (req, reply) => reply.sendFile(req.params.n));"],
  ['@hapi/inert h.file', 'handler: (request, h) => h.file(request.params.name),'],
  // Session 33: the hapi toolkit under other names, and WebSocket handshake options (socket-handshakes.ts).
  ['hapi 16 reply.file', 'handler: (request, reply) => reply.file(request.params.name),'],
  ['a toolkit named toolkit', 'return toolkit.file(request.params.name);'],
  ['engine.io allowRequest', "module.exports = { allowRequest: (req, cb) => cb('no', false) };"],
  ['ws verifyClient', 'new WebSocketServer({ verifyClient: (info, cb) => cb(false, info.req.code) });'],
  // A status that folds to 403 with no 403 written (session 32, breaker32 #04).
  ['literal arithmetic in a status call', 'res.status(400 + 3).end();'],
  ['literal arithmetic over lines', 'res.status(\n  806 / 2,\n);'],
  ['a Koa status set to arithmetic', 'ctx.status = 400 + 3;'],
  ['a Lambda result with arithmetic', 'return { statusCode: 0x190 | 3, body };'],
  ['a Hono positional status with arithmetic', 'return c.json(body, 400 + 3);'],
  ['an error constructor with arithmetic', "throw createError(400 + 3, 'no');"],
  ['numeric strings joined', "res.status('4' + '03');"],
  ['a template of arithmetic', 'res.status(`${400 + 3}`);'],
  ['an exponent', 'res.sendStatus(4.03e2);'],
  ['a padded hex number', 'res.status(0x0193);'],
  ['separators placed otherwise', 'reply.code(4_0_3);'],
  ['a legacy octal number', 'res.writeHead(0623);'],
  // Session 33: a value that folds to 403 away from any slot (a constants file another file reads).
  ['a folded constant', 'export const DENIED = 806 / 2;'],
  ['a folded table entry', 'module.exports = { DENIED: 0x190 | 3 };'],
  ['a folded enum member', 'enum E { A = 400 + 3 }'],
  ['a folded const read by a later slot', 'const S = 3 + 400;\nmodule.exports = S;'],
  ['numeric strings joined', "const Q = '4' + '03';"],
  ['parseInt of leading digits', "const P = parseInt('403px');"],
  ['a quoted status key with arithmetic', 'return { "statusCode": 13 * 31 };'],
  // A SvelteKit config answers 403 by its CSRF check with no 403 in its text (frameworks/origin-checks.ts).
  [
    'a SvelteKit config with a community adapter',
    "import adapter from 'svelte-adapter-bun';\nexport default { kit: { adapter: adapter() } };",
  ],
  [
    'a SvelteKit config typed by its JSDoc',
    "/** @type {import('@sveltejs/kit').Config} */\nconst config = { kit: {} };",
  ],
];

const NEGATIVE: [string, string][] = [
  ['no status', 'res.status(200)'],
  ['a longer number', 'const port = 4030;'],
  // Session 47 (tests47): words and numbers that merely hold the digits made the file a candidate.
  ['a hex colour', "const c = '#ffa403';"],
  ['an upper-case hex colour', "const c = '#A403FF';"],
  ['a hex number', 'const n = 0x403;'],
  ['a hex number with letters', 'const n = 0xa403;'],
  ['a code point', "const u = 'u+0403';"],
  ['a longer number in a string', "const s = '1403';"],
  ['a word holding the digits', "const s = 'x403y';"],
  ['a hash holding the digits', "const h = '9f2ca403bd';"],
  [
    'literal statuses only',
    "res.status(200).json(x); res.sendStatus(404); res.statusCode = 201; ctx.status = '204';",
  ],
  ['a status read, not set', 'if (res.status === 500) retry(); const ok = res.statusCode == 200;'],
  ['a local named status', 'const status = compute(); let statusCode = 0;'],
  ['an error object thrown by ctx.throw', 'ctx.throw(err); ctx.throw(e, { expose: true });'],
  [
    'literal and library-constant statuses in error constructors',
    "ctx.throw(404); createError(400, 'x'); new HttpException('x', HttpStatus.BAD_REQUEST); new HttpError(500);",
  ],
  ["another tool's defineConfig", "import { defineConfig } from 'vite';\nexport default defineConfig({});"],
  ['an Angular view query', "@ViewChild('terminal', { static: true }) terminal: ElementRef;"],
  ['a message split over +', "throw new Error('no access to ' + 'this route');"],
  ['arithmetic in another statement', 'const ttl = 60 * 1000; res.status(200).end();'],
  ['a fraction next to a status', 'res.status(200).json({ ratio: 0.05 });'],
  ['a status then a line comment', 'res.status(404); // 2 / 3 of them'],
  ['time arithmetic in a constant', 'export const TTL = 60 * 1000; const big = 1024 * 1024;'],
  ['text joined', "const msg = 'a' + 'b';"],
];

describe('mayHoldSite', () => {
  it.each(POSITIVE)('parses a file holding %s', (_name, text) => {
    expect(mayHoldSite(text)).toBe(true);
  });

  it.each(NEGATIVE)('skips a file with %s', (_name, text) => {
    expect(mayHoldSite(text)).toBe(false);
  });
});

/** Every source and fixture file of the repository (code of every framework the census knows, 403s and not). */
function repositoryFiles(): string[] {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return ['src', 'test'].flatMap((top) =>
    readdirSync(path.join(root, top), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(?:[cm]?[jt]sx?|astro|vue|svelte)$/.test(file))
      .map((file) => path.join(root, top, file)),
  );
}

/** What CANDIDATE_TEST answers, the slow way: CANDIDATE (case-insensitive) or a name carrying the number. */
const NAMED_NUMBER = new RegExp(NAMED_NUMBER_SOURCE);
const reference = (text: string): boolean => CANDIDATE.test(text) || NAMED_NUMBER.test(text);

describe('CANDIDATE_TEST: the prefilter pattern, run faster, with the same answers', () => {
  it("answers as CANDIDATE on the repository's sources and fixtures", () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(1000);
    const differ = files.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return CANDIDATE_TEST.test(text) !== reference(text);
    });
    expect(differ).toEqual([]);
  });

  it("answers as CANDIDATE on generated texts made of the alternatives' literals and the cases above", () => {
    const alternatives = regExpAlternatives(CANDIDATE.source, true) ?? [];
    // Every alternative of the pattern has literals to look for (else it runs on every text).
    expect(alternatives.filter((a) => !a.anchors)).toEqual([]);
    const pieces = [
      ...alternatives.flatMap((a) => a.anchors ?? []),
      ...[...POSITIVE, ...NEGATIVE].map(([, text]) => text),
    ];
    const all = texts(pieces, 20_000, 15);
    const matching = all.filter((text) => CANDIDATE.test(text)).length;
    expect(matching).toBeGreaterThan(all.length / 10);
    expect(matching).toBeLessThan(all.length - all.length / 10);
    expect(all.filter((text) => CANDIDATE_TEST.test(text) !== reference(text))).toEqual([]);
  });
});
