import { describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { migrate } from '../../src/migrate/engine.js';
import { documentsOnly } from '../../src/migrate/test-doc-sites.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 51 (lead, Mintplex-Labs/anything-llm): 61 `#swagger.responses[403]` comments documented routes whose 403
// came from a middleware in another file (`app.get(path, [validApiKey], handler)`); migrate rewrote the
// middleware and left every comment for the user to edit by hand. A route's documentation now follows the
// middleware its registration names, across files (doc-routes-settle.ts).
const { temp } = tempDirs('doc-routes');

/** A project folder with an Express `package.json` and `files`. */
const project = (files: Record<string, string>): string =>
  temp({ 'package.json': JSON.stringify({ name: 'p', dependencies: { express: '*' } }), ...files });

const commonJsMiddleware = [
  'function validApiKey(request, response, next) {',
  "  if (!request.header('Authorization')) {",
  "    response.status(403).json({ error: 'No valid api key found.' });",
  '    return;',
  '  }',
  '  next();',
  '}',
  'function denyWith(status) {',
  '  return (request, response) => response.status(status).end();',
  '}',
  'module.exports = { validApiKey, denyWith };',
  '',
].join('\n');

const commonJsEndpoints = (middleware: string): string =>
  [
    "const { validApiKey, denyWith } = require('../utils/middleware');",
    'function apiAuthEndpoints(app) {',
    `  app.get('/v1/auth', ${middleware}, (_, response) => {`,
    '    /*',
    "    #swagger.tags = ['Authentication']",
    '    #swagger.responses[200] = { description: "Valid key" }',
    '    #swagger.responses[403] = {',
    "      description: 'Forbidden',",
    '      schema: { "$ref": "#/definitions/InvalidAPIKey" }',
    '    }',
    '    */',
    '    response.json({ authenticated: true });',
    '  });',
    '}',
    'module.exports = { apiAuthEndpoints };',
    '',
  ].join('\n');

describe("a route's documented 403 follows the middleware its registration names", () => {
  it('swagger-autogen, CommonJS: renamed with the middleware it names in another file', async () => {
    const cwd = project({
      'server/utils/middleware.js': commonJsMiddleware,
      'server/endpoints/auth.js': commonJsEndpoints('[validApiKey]'),
    });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(diff).toContain("+    #swagger.responses[401] = {\n+      description: 'Unauthorized',");
    const doc = report.sites.find((s) => s.file === 'server/endpoints/auth.js');
    expect(doc?.action).toBe('would-rewrite');
    expect(report.census).toMatchObject({ occurrences: 2, rewritten: 2, manual: 0 });
  });

  it('swagger-autogen: kept and reported while a middleware of the route answers a status it cannot prove', async () => {
    const cwd = project({
      'server/utils/middleware.js': commonJsMiddleware,
      'server/endpoints/auth.js': commonJsEndpoints('validApiKey, denyWith(Number(process.env.DENY))'),
    });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(diff).not.toContain('#swagger.responses[401]');
    const doc = report.sites.find((s) => s.file === 'server/endpoints/auth.js');
    expect(doc?.action).toBe('manual');
    expect(doc?.reason).toContain(
      'Documented 403 kept: the route still answers 403 through denyWith(Number(process.env.DENY)) (server/utils/middleware.js:9)',
    );
  });

  it('@openapi JSDoc, ESM: renamed with a member of an imported object (`auth.required`)', async () => {
    const cwd = project({
      'src/auth.ts': [
        "import type { NextFunction, Request, Response } from 'express';",
        'export const auth = {',
        '  required(req: Request, res: Response, next: NextFunction) {',
        "    if (!req.header('x-client-cert')) return res.sendStatus(403);",
        '    next();',
        '  },',
        '};',
        '',
      ].join('\n'),
      'src/routes.ts': [
        "import { Router } from 'express';",
        "import { auth } from './auth';",
        'export const router = Router();',
        '/**',
        ' * @openapi',
        ' * /accounts:',
        ' *   get:',
        ' *     responses:',
        ' *       200:',
        ' *         description: The accounts',
        ' *       403:',
        ' *         description: Forbidden',
        ' */',
        "router.get('/accounts', auth.required, (req, res) => res.json([]));",
        '',
      ].join('\n'),
    });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(diff).toContain('+ *       401:\n+ *         description: Unauthorized');
    expect(report.sites.every((s) => s.action === 'would-rewrite')).toBe(true);
  });

  it('a route where nothing read answers 403 keeps its comment, reported by the census', async () => {
    const cwd = project({
      'server/endpoints/env.js': [
        'function envEndpoints(app) {',
        "  app.get('/v1/env', (_, response) => {",
        "    /* #swagger.responses[403] = { description: 'Forbidden' } */",
        '    response.json({});',
        '  });',
        '}',
        'module.exports = { envEndpoints };',
        '',
      ].join('\n'),
    });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(diff).toBe('');
    expect(report.sites.map((s) => [s.action, s.reason?.slice(0, 40)])).toEqual([
      ['manual', 'Declares 403 in a swagger-autogen commen'],
    ]);
  });
});

describe('a test never follows a swagger-autogen comment alone (test-doc-sites.ts documentsOnly)', () => {
  const text = [
    "app.get('/a', (req, res) => {",
    "  /* #swagger.responses[403] = { description: 'Forbidden' } */",
    "  // #swagger.responses['403'] = { description: 'Forbidden' }",
    '  res.status(403).end();',
    '});',
    '',
  ].join('\n');
  const sourceFile = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
  const at = (line: number): number =>
    text.split('\n').slice(0, line).join('\n').length + 1 + text.split('\n')[line].indexOf('403');
  it.each([
    [1, true],
    [2, true],
    [3, false],
  ])('line %i documents only: %s', (line, expected) => {
    expect(documentsOnly(sourceFile, at(line))).toBe(expected);
  });
});
