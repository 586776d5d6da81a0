import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../src/typescript.cjs';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource, type SourceResult } from '../../src/migrate/transform.js';

const root = path.resolve(import.meta.dirname, '../fixtures');

function run(file: string, text: string, testFile = false): SourceResult {
  return migrateSource(file, text, { target: 401, frameworks: FRAMEWORKS, testFile });
}

/** The class of each occurrence: its not-an-emit kind, or the covering site's kind (`rewrite` / `manual`). */
function classes(result: SourceResult): string[] {
  return result.occurrences.map((o) => {
    if (o.kind) return o.kind;
    const covering = result.sites
      .filter((s) => s.span.start <= o.start && o.end <= s.span.end)
      .sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start))[0];
    if (!covering) return 'UNCLASSIFIED';
    return covering.ignoreReason ? 'ignored' : covering.kind;
  });
}

/**
 * An independent count of 403 tokens: TypeScript's scanner over the whole text (comments included), one per
 * token. The census places regex matches on the syntax tree instead; the two must agree.
 */
function scannerCount(file: string, text: string): number {
  const variant = /\.[cm]?jsx?$|\.tsx$/.test(file) ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, variant, text);
  const holds = /\b403\b|\b0[xX]193\b|\b4_03\b|forbidden|permission[_-]?denied|[a-z_$]403(?![0-9])/i;
  let count = 0;
  let previous = ts.SyntaxKind.Unknown;
  // Open braces per template substitution being read (`${` ... `}`), innermost last: the `}` that closes a
  // substitution continues its template, which the scanner reads only when asked to (reScanTemplateToken).
  const substitutions: number[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.TemplateHead) substitutions.push(0);
    else if (kind === ts.SyntaxKind.OpenBraceToken && substitutions.length)
      substitutions[substitutions.length - 1]++;
    else if (kind === ts.SyntaxKind.CloseBraceToken && substitutions.length) {
      if (substitutions[substitutions.length - 1] > 0) substitutions[substitutions.length - 1]--;
      else {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) substitutions.pop();
      }
    }
    // A `/` where an expression starts is a regular expression; `}` inside a template continues it.
    if (
      (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) &&
      [
        ts.SyntaxKind.OpenParenToken,
        ts.SyntaxKind.CommaToken,
        ts.SyntaxKind.EqualsToken,
        ts.SyntaxKind.ColonToken,
        ts.SyntaxKind.OpenBracketToken,
        ts.SyntaxKind.ReturnKeyword,
      ].includes(previous)
    )
      kind = scanner.reScanSlashToken();
    const token = scanner.getTokenText();
    if (kind === ts.SyntaxKind.NumericLiteral) {
      if (Number(token.replace(/_/g, '')) === 403) count++;
    } else if (
      kind !== ts.SyntaxKind.WhitespaceTrivia &&
      kind !== ts.SyntaxKind.NewLineTrivia &&
      holds.test(token)
    ) {
      count++;
    }
    if (kind !== ts.SyntaxKind.WhitespaceTrivia && kind !== ts.SyntaxKind.NewLineTrivia) previous = kind;
  }
  return count;
}

describe('the census on every fixture', () => {
  const cases = readdirSync(root).flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((f) => /\.(input|unchanged)\.[cm]?[jt]sx?$/.test(f))
      .map((f) => `${dir}/${f}`),
  );

  it.each(cases)('%s: every occurrence is classified, none missed', (name) => {
    const text = readFileSync(path.join(root, name), 'utf8');
    const result = run(name, text, /^\uFEFF?\/\/ fixture:.*\btests\b/.test(text));
    expect(classes(result)).not.toContain('UNCLASSIFIED');
    expect(classes(result)).not.toContain('unclassified');
    // Template literals with substitutions are scanned in pieces by both; the counts agree on the fixtures. A 403
    // folded from literals (`400 + 3`, session 33) has no token to scan: folded-status.test.ts counts those.
    expect(result.occurrences.filter((o) => !o.folded).length).toBe(scannerCount(name, text));
  });
});

interface Scenario {
  name: string;
  code: string;
  /** Expected class of each occurrence, in text order. */
  expected: string[];
}

const scenarios: Scenario[] = [
  {
    name: 'a comparison reads a status',
    code: `export const f = (r: { status: number }) => r.status === 403 || [401, 403].includes(r.status);`,
    expected: ['comparison', 'comparison'],
  },
  {
    name: 'a switch case reads a status',
    code: `export function f(s: number) { switch (s) { case 403: return 'x'; default: return 'y'; } }`,
    expected: ['comparison'],
  },
  {
    name: 'a comment is prose; an @openapi JSDoc block declares a response',
    code: `// answers 403 when the tenant differs\n/**\n * @openapi\n * /a:\n *   get:\n *     responses:\n *       '403': { description: no }\n */\nexport function a() { return 1; }`,
    expected: ['comment', 'manual'],
  },
  {
    name: 'a swagger-autogen comment declares a response (each spelling of the key); its other responses are prose',
    code: `app.get('/v1/auth', (req, res) => {\n  /*\n  #swagger.responses[200] = { description: 'ok' }\n  #swagger.responses[403] = { schema: { $ref: '#/definitions/Denied' } }\n  */\n  res.json({});\n});\napp.get('/v1/b', (req, res) => {\n  // #swagger.responses['403'] = { description: 'no key' }\n  res.json({});\n});\napp.get('/v1/c', (req, res) => {\n  /* #swagger.responses["403"] = { description: 'no key' } */\n  res.json({});\n});\n// #swagger.description = 'answers 403 when the key is missing'\nexport {};`,
    expected: ['manual', 'manual', 'manual', 'comment'],
  },
  {
    name: 'imports and declarations are counted where they are used',
    code: `import { ForbiddenException } from '@nestjs/common';\nexport class TenantForbiddenError extends Error {}`,
    expected: ['import', 'declaration'],
  },
  {
    name: 'a type position',
    code: `export type Denied = { status: 401 | 403 };`,
    expected: ['type'],
  },
  {
    name: 'numbers that are not statuses',
    code: `setTimeout(() => undefined, 403);\nexport const box = { width: 403, retryAfterMs: 403 };\nexport const buf = Buffer.alloc(403);`,
    expected: ['unrelated-number', 'unrelated-number', 'unrelated-number', 'unrelated-number'],
  },
  {
    name: 'a Joi validator',
    code: `import Joi from 'joi';\nexport const schema = Joi.object({ admin: Joi.boolean().forbidden() });`,
    expected: ['validator'],
  },
  {
    name: 'an unknown call with 403 is manual, never dropped',
    code: `import { deny } from './somewhere';\nexport const h = () => deny(403);`,
    expected: ['manual'],
  },
  {
    name: 'a project error class named for 403, used in an unknown shape, is manual',
    code: `import { ForbiddenError } from './errors';\nexport function h() { throw new ForbiddenError('no'); }`,
    expected: ['import', 'manual'],
  },
  {
    name: 'a status map entry keyed 403 is manual',
    code: `export const messages = { 401: 'log in', 403: 'not yours' };`,
    expected: ['manual'],
  },
  {
    name: 'a constant no site uses is manual; one a site uses is a declaration',
    code: `import type { Response } from 'express';\nconst NOPE = 403;\nconst DENIED = 403;\nexport const h = (res: Response) => res.status(DENIED).end();`,
    expected: ['manual', 'declaration'],
  },
  {
    name: 'a rewritten status: its 403 is rewritten; the reason phrase in the next statement follows it',
    code: `import http from 'node:http';\nexport function h(res: http.ServerResponse) {\n  res.writeHead(403);\n  res.end('Forbidden');\n}`,
    expected: ['rewrite', 'rewrite'],
  },
  {
    name: 'a reason phrase with no status near it is a string',
    code: `export const label = 'Forbidden';`,
    expected: ['string'],
  },
  {
    name: 'a raw HTTP status line is manual',
    code: `export const line = 'HTTP/1.1 403 Forbidden\\r\\n';`,
    expected: ['manual'],
  },
  {
    name: 'a call of a method of the same class is a reference to it (its 403 is counted in its body)',
    code: `import { ForbiddenException } from '@nestjs/common';\nexport class Svc {\n  forbidden(id: string) { throw new ForbiddenException(id); }\n  get(id: string) { if (!id) this.forbidden(id); return id; }\n}`,
    expected: ['import', 'declaration', 'rewrite', 'reference'],
  },
  {
    name: 'a plain method or function named for 403 that emits nothing is a reference, not an unknown shape',
    code: `export class Words {\n  isForbidden(w: string) { return w.startsWith('x'); }\n  check(w: string) { return this.isForbidden(w) ? 'no' : 'yes'; }\n}\nfunction forbiddenWords() { return ['x']; }\nexport const all = forbiddenWords();`,
    expected: ['declaration', 'reference', 'declaration', 'reference'],
  },
  {
    name: 'an error class handing the code FORBIDDEN to its base is one manual site; its throws link to it',
    code: `type Code = 'NOT_FOUND' | 'FORBIDDEN';\nexport class ServiceError extends Error {\n  constructor(public code: Code, message: string) { super(message); }\n}\nexport class ForbiddenError extends ServiceError {\n  constructor(message: string) { super('FORBIDDEN', message); }\n}\nexport function own(a: string, b: string) { if (a !== b) throw new ForbiddenError('not yours'); }`,
    expected: ['type', 'declaration', 'manual', 'reference'],
  },
  {
    name: 'a shared error object: the throw links to its definition, which is the site',
    code: `import { HttpException } from '@nestjs/common';\nconst forbiddenError = new HttpException('no', 403);\nexport function h() { throw forbiddenError; }`,
    expected: ['declaration', 'rewrite', 'reference'],
  },
  {
    name: 'a helper named for 403: its calls are references to it',
    code: `import type { Response } from 'express';\nfunction sendForbidden(res: Response) { return res.status(403).end(); }\nexport const h = (res: Response) => sendForbidden(res);`,
    expected: ['declaration', 'rewrite', 'reference'],
  },
  {
    name: 'a variable named for 403 whose value holds no 403 is a reference (only its name says Forbidden)',
    code: `export function v(args: { constraints: string[] }, obj: Record<string, unknown>) {\n  const forbidden = args.constraints[0];\n  return obj[forbidden] === undefined;\n}`,
    expected: ['declaration', 'reference'],
  },
  {
    name: 'a variable initialised from something named for 403 stays manual',
    code: `import { makeForbidden } from './errors';\nexport function h() {\n  const forbiddenError = makeForbidden();\n  throw forbiddenError;\n}`,
    expected: ['import', 'declaration', 'manual', 'manual'],
  },
  {
    name: 'a local class named for 403 with no site in it stays manual (its status comes from elsewhere)',
    code: `class ForbiddenError extends Error {}\nexport function h() { throw new ForbiddenError('no'); }`,
    expected: ['declaration', 'manual'],
  },
  {
    name: 'a parameter named for 403 stays manual (its value comes from the caller)',
    code: `export function h(forbidden: () => never) { forbidden(); }`,
    expected: ['declaration', 'manual'],
  },
  {
    name: 'a member of an object of helpers is a reference to the helper (its 403 is counted in its body)',
    code: `import type { Response } from 'express';\nconst forbiddenResponse = (res: Response) => res.status(403).end();\nconst responses = { forbiddenResponse, gone: (res: Response) => res.status(410).end() };\nexport const h = (res: Response) => responses.forbiddenResponse(res);`,
    expected: ['declaration', 'rewrite', 'declaration', 'reference'],
  },
  {
    name: 'an error-code string named for 403 is a reference where used (its status is decided where it is mapped)',
    code: `export const DOCS_FORBIDDEN_ACCESS = 'published_docs/forbidden_access';\nexport const left = (e: string) => ({ left: e });\nexport const check = (ok: boolean) => (ok ? null : left(DOCS_FORBIDDEN_ACCESS));`,
    expected: ['declaration', 'string', 'reference'],
  },
  {
    name: 'a constant holding the reason phrase stays manual where used in an unknown shape',
    code: `import { deny } from './somewhere';\nconst FORBIDDEN_TEXT = 'Forbidden';\nexport const h = () => deny(FORBIDDEN_TEXT);`,
    expected: ['declaration', 'string', 'manual'],
  },
  {
    name: 'a 403 recorded in a log call is a log field, not an emit',
    code: `declare const log: { warn(o: object, m: string): void };\nexport function h(logger: Console) {\n  log.warn({ statusCode: 403, clientId: 'x' }, 'denied');\n  logger.error('Forbidden');\n  console.info(\`answered \${403}\`);\n}`,
    expected: ['log', 'log', 'log'],
  },
  {
    name: 'a 403 in a callback given to a logger is not a log field',
    code: `import { deny } from './somewhere';\ndeclare const log: { warn(f: () => void): void };\nexport const h = () => log.warn(() => deny(403));`,
    expected: ['manual'],
  },
  {
    name: 'a member named for 403 that the project gives another number is an application code',
    code: `import { BadRequest } from './errors';\nexport enum ERRORS { PermissionDenied = 1006 }\nexport const CODES = { FORBIDDEN: 40301 } as const;\nexport const a = () => new BadRequest(ERRORS.PermissionDenied);\nexport const b = () => new BadRequest(CODES.FORBIDDEN);`,
    expected: ['declaration', 'declaration', 'app-code', 'app-code'],
  },
  {
    name: 'a member named for 403 holding a gRPC-sized code stays unknown (7 is PERMISSION_DENIED)',
    code: `import { fail } from './errors';\nexport enum Code { PermissionDenied = 7 }\nexport const a = () => fail(Code.PermissionDenied);`,
    expected: ['declaration', 'manual'],
  },
  {
    name: 'a sentence used as a translation key is a string; a status-named key stays an entry to review',
    code: `export const messages = {\n  'Forbidden!': { pt: 'Proibido!' },\n  'You are forbidden to edit': 'Não pode editar',\n  Forbidden: { pt: 'Proibido' },\n  'forbidden!': 403,\n};`,
    expected: ['string', 'string', 'declaration', 'manual', 'manual'],
  },
  {
    name: 'a status text given to a status-named slot is reviewed; the same text elsewhere is a string',
    code: `import { send, log } from './somewhere';\nexport const a = (res: { writeStatus(s: string): void }) => res.writeStatus('403 Forbidden');\nexport const b = () => send({ statusLine: '403 Access Denied' });\nexport const c = (o: { status?: string }) => { o.status = '403'; };\nexport const d = () => log('403 Forbidden');\nexport const e = (s: string) => s === '403 Forbidden';`,
    expected: ['manual', 'manual', 'manual', 'string', 'comparison'],
  },
  {
    name: 'a status text given to a status-named variable, parameter or fallback is reviewed, as one given to a member is (trial42: a FHIR batch entry status)',
    code: `import { send } from './somewhere';\nexport const a = (ok: boolean) => { let status = '200 OK'; if (!ok) status = '403 Forbidden'; return send({ status }); };\nexport const b = () => { const statusLine = '403 Forbidden'; return send({ statusLine }); };\nexport function c(status = '403 Forbidden') { return send({ status }); }\nexport const d = ({ status = '403 Forbidden' }: { status?: string }) => send({ status });\nexport const e = (o: { status?: string }) => { o.status ||= '403 Forbidden'; };\nexport const f = (ok: boolean) => send({ statusLine: ok ? '200 OK' : ('403 Forbidden' as string) });\nexport const g = (o: { status?: string }) => { o['status'] = o.status ?? '403 Forbidden'; };\nexport const h = () => { const message = '403 Forbidden'; return send({ message }); };\nexport const i = (ok: boolean) => send({ text: ok ? 'fine' : '403 Forbidden' });\nexport const j = (why: string) => { const status = '403 ' + why; return send({ status }); };\nexport const k = (why: string) => send({ status: why + '403 x' });`,
    expected: [
      'manual',
      'manual',
      'manual',
      'manual',
      'manual',
      'manual',
      'manual',
      'string',
      'string',
      'manual',
      'string',
    ],
  },
  {
    name: 'a status text or code under a status-named key of an Express body is reviewed, as in a Koa body or a returned object (review42: a FHIR batch entry sent with res.json)',
    code: `import express from 'express';\nimport Koa from 'koa';\nconst app = express();\nconst koa = new Koa();\napp.post('/a', (_q, res) => { res.json({ entry: [{ response: { status: '403 Forbidden' } }] }); });\napp.post('/b', (_q, res) => { res.send({ statusCode: 403, error: 'x' }); });\nkoa.use(async (ctx) => { ctx.body = { entry: [{ response: { status: '403 Forbidden' } }] }; });\napp.post('/c', (_q, res) => { res.json({ message: 'Error 403 upstream' }); });\napp.post('/d', (_q, res) => { res.json(403); });`,
    expected: ['manual', 'manual', 'manual', 'body', 'body'],
  },
  {
    name: 'names of things that are not allowed are no 403; error and response names stay unknown shapes',
    code: `import { checkArgs, send, config } from './somewhere';\nexport const a = (c: { forbiddenArgs: string[] }) => checkArgs(c.forbiddenArgs);\nexport const b = (p: string) => config.isForbiddenPath(p);\nexport const d = () => config.FORBIDDEN_GLOBS.length;\nexport const e = () => send(config.forbiddenResponse);\nexport const f = () => send(config.ForbiddenError);`,
    expected: ['type', 'name', 'name', 'name', 'manual', 'manual'],
  },
  {
    name: 'a predicate named for forbidden asks yes or no, no 403 (lead50: typebot read without its workspace packages)',
    code: `import { isReadTypebotForbidden, hasForbiddenScope, shouldBeForbidden, sendForbidden } from './somewhere';\nexport const a = async (t: unknown, u: unknown) => (await isReadTypebotForbidden(t, u)) ? 404 : 200;\nexport const b = (u: unknown) => hasForbiddenScope(u);\nexport const c = (u: unknown) => shouldBeForbidden(u);\nexport const d = (r: unknown) => sendForbidden(r);`,
    expected: ['import', 'import', 'import', 'import', 'name', 'name', 'name', 'manual'],
  },
  {
    name: 'the 403 default of a status parameter is reported as such, not as an unknown shape',
    code: `import type { Response } from 'express';\nexport function deny(res: Response, status = 403) {\n  res.status(status).end();\n}\nexport class Reply {\n  constructor(public body: unknown, public statusCode: number) {}\n}\nexport class Denied extends Reply {\n  constructor(body?: unknown, statusCode = (403 as number)) {\n    super(body, statusCode);\n  }\n}`,
    expected: ['manual', 'manual'],
  },
  {
    name: 'a name destructured from a status library is an import, as a named import of it is (session 32)',
    code: `import express from 'express';\nimport { StatusCodes } from 'http-status-codes';\nimport http2 from 'node:http2';\nconst { FORBIDDEN } = StatusCodes;\nconst { HTTP_STATUS_FORBIDDEN: H } = http2.constants;\nconst { constants: { HTTP_STATUS_FORBIDDEN } } = require('http2');\nconst app = express();\napp.get('/a', (_q, res) => { res.status(FORBIDDEN).end(); });\napp.get('/b', (_q, res) => { res.status(H).end(); });\napp.get('/c', (_q, res) => { res.status(HTTP_STATUS_FORBIDDEN).end(); });`,
    expected: ['import', 'import', 'import', 'rewrite', 'rewrite'],
  },
  {
    name: "a project table's name destructured stays a declaration (session 32)",
    code: `import express from 'express';\nconst Codes = { FORBIDDEN: 403 } as const;\nconst { FORBIDDEN } = Codes;\nconst app = express();\napp.get('/a', (_q, res) => { res.status(FORBIDDEN).end(); });`,
    expected: ['declaration', 'declaration', 'declaration', 'rewrite'],
  },
  {
    name: "a library's 403 held by a const is a declaration when a slot reads it, else named as held (session 32)",
    code: `import express from 'express';\nimport { StatusCodes } from 'http-status-codes';\nconst DENIED = StatusCodes.FORBIDDEN;\nexport const KEPT = StatusCodes.FORBIDDEN;\nconst app = express();\napp.get('/a', (_q, res) => { res.status(DENIED).end(); });`,
    expected: ['declaration', 'manual'],
  },
  {
    name: 'a library name that carries the number under any prefix is an occurrence, its call manual (breaker44)',
    code: `import express from 'express';\nimport { send403, api403Response, deny_403 } from 'lambda-kit';\nconst app = express();\napp.get('/a', (_q, res) => send403(res));\nexport const h = async () => api403Response;\nexport const g = () => deny_403('no');`,
    expected: ['import', 'import', 'import', 'manual', 'manual', 'manual'],
  },
  {
    name: 'words and numbers that merely hold the digits are no occurrence, in a file parsed for its 403 (session 47)',
    code: `import express from 'express';\nconst app = express();\napp.get('/a', (_q, res) => { res.status(403).end(); });\nexport const theme = { accent: '#ffa403', edge: '#A403FF', n: 0x403, m: 0xa403, u: 'u+0403', s: '1403', w: 'x403y', h: '9f2ca403bd', k: 'E403', c: 'HTTP_403' };`,
    expected: ['rewrite', 'string', 'string'],
  },
  {
    name: 'an ignore comment makes an unknown shape ignored',
    code: `import { deny } from './somewhere';\n// mtls-fix-ignore: deny() takes a retry count\nexport const h = () => deny(403);`,
    expected: ['ignored'],
  },
];

describe('census classes', () => {
  it.each(scenarios)('$name', ({ code, expected }) => {
    expect(classes(run('case.ts', code))).toEqual(expected);
  });
});

describe('census sites', () => {
  it('an apiDoc block that documents 403 is a documentation site at the line that holds it', () => {
    const code = [
      'export const router = {};',
      '/**',
      ' * @api {get} v1/users List Users',
      ' * @apiPermission admin',
      ' * @apiError (Unauthorized 401)  Unauthorized  Only authenticated users can access the data',
      ' * @apiError (Forbidden 403)     Forbidden     Only admins can access the data',
      ' * @apiErrorExample {json} Forbidden:',
      ' *     HTTP/1.1 403 Forbidden',
      ' */',
      'export function list() { return []; }',
      '/**',
      ' * Answers 403 when the tenant differs.',
      ' * @param tenant the tenant id',
      ' * @returns nothing; a 403 is thrown instead',
      ' */',
      'export function check(tenant: string) { return tenant; }',
      '',
    ].join('\n');
    const result = run('routes.js', code);
    expect(classes(result)).toEqual(['manual', 'comment']);
    const site = result.sites.find((s) => s.framework === 'apidoc');
    expect(site?.kind).toBe('manual');
    expect(site?.form).toBe('@apiError (Forbidden 403) Forbidden Only admins can access the data');
    expect(code.slice(0, site?.start).split('\n').length).toBe(6);
    expect(site?.reason).toMatch(
      /apiDoc block .*\(2 times, from this line on\).*Change it to 401 \(Unauthorized\)/,
    );
  });

  it('a status text site names its slot as written, once (was "given to status::", trial42)', () => {
    const code = `import { send } from './somewhere';\nexport const a = () => send({ status: '403 Forbidden' });\nexport const b = () => { let status = ''; status = '403 Forbidden'; return status; };`;
    const reasons = run('case.ts', code).sites.map((s) => s.reason);
    expect(reasons).toEqual([
      expect.stringContaining("('403 Forbidden') given to `status:`: if it is sent"),
      expect.stringContaining("('403 Forbidden') given to `status =`: if it is sent"),
    ]);
  });

  it('an @openapi block at the end of a file is reported at the line that declares 403', () => {
    const code = `export const x = 1;\n/**\n * @swagger\n * /a:\n *   get:\n *     responses:\n *       "403":\n *         description: no\n *       "404": {}\n */\n`;
    const result = run('routes.js', code);
    const site = result.sites.find((s) => s.framework === 'unknown');
    expect(site?.form).toBe('*       "403":'.replace(/^\*\s+/, ''));
    expect(code.slice(0, site?.start).split('\n').length).toBe(7);
  });

  it('a file with old Mac line ends (CR alone): the site is the line that declares 403, not the whole file', () => {
    // Before: the line was found by '\n' alone, so the site spanned the file from its first byte (line 1).
    const code = `/**\r * @openapi\r * /a:\r *   get:\r *     responses:\r *       403:\r *         description: no\r */\rexport function a() {}\r`;
    const site = run('routes.ts', code).sites.find((s) => s.framework === 'unknown');
    expect(site?.form).toBe('403:');
    expect(code.slice(0, site?.start).split('\r').length).toBe(6);
  });
});

describe('the 403 default of a status parameter', () => {
  it('names the parameter and the calls that leave it out', () => {
    const code = `import type { Response } from 'express';\nexport function deny(res: Response, status = 403) {\n  res.status(status).end();\n}\nexport class Reply {\n  constructor(public body: unknown, public statusCode: number) {}\n}\nexport class Denied extends Reply {\n  constructor(body?: unknown, statusCode = (403 as number)) {\n    super(body, statusCode);\n  }\n}`;
    const reasons = run('case.ts', code)
      .sites.filter((s) => s.reason?.startsWith('The default'))
      .map((s) => `${s.framework}: ${s.reason?.slice(0, 80)}`);
    expect(reasons).toEqual([
      "express: The default of 'status' is 403: every deny(…) that leaves it out answers 403. Wh",
      "error-classes: The default of 'statusCode' is 403: every new Denied(…) that leaves it out answe",
    ]);
  });
});
