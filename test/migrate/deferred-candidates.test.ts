import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 45: a call passing a name imported from another project module (`deny(res, NO_ACCESS)`) is recorded
// without reading that module (call-sites.ts `candidateCall`, deferred-candidates.ts): the module is parsed only
// when a helper, an installed helper or an alias of helpers takes the call. Each way a helper takes a call must
// still see the 403, and a name holding another status must still be left alone.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mtls-fix-deferred-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const FILES: Record<string, string> = {
  'package.json': '{ "name": "deferred", "dependencies": { "express": "^4.19.0" } }\n',
  'src/codes.ts': 'export const NO_ACCESS = 403;\nexport const SEE_OTHER = 303;\n',
  'src/helpers.ts': [
    "import type { Response } from 'express';",
    'export function deny(res: Response, code: number) {',
    "  return res.status(code).json({ error: 'denied' });",
    '}',
    'export function fail(res: Response, options: { status: number; message: string }) {',
    '  return res.status(options.status).json({ error: options.message });',
    '}',
    '',
  ].join('\n'),
  'src/install.ts': [
    "import type { Request, Response, NextFunction } from 'express';",
    'export function install(req: Request, res: Response, next: NextFunction) {',
    '  (res as any).refuse = function (code: number) {',
    '    return res.status(code).end();',
    '  };',
    '  next();',
    '}',
    '',
  ].join('\n'),
  'src/routes.ts': [
    "import { Router } from 'express';",
    "import { NO_ACCESS, SEE_OTHER } from './codes';",
    "import { deny, fail } from './helpers';",
    'export const router = Router();',
    "router.get('/a', (req, res) => deny(res, NO_ACCESS));",
    "router.get('/b', (req, res) => deny(res, SEE_OTHER));",
    "router.get('/c', (req, res) => fail(res, { status: NO_ACCESS, message: 'no' }));",
    "router.get('/d', (req, res) => fail(res, { status: SEE_OTHER, message: 'moved' }));",
    "router.get('/e', (req, res) => (res as any).refuse(NO_ACCESS));",
    "router.get('/f', (req, res) => (res as any).refuse(SEE_OTHER));",
    "const strict = process.env.STRICT === '1';",
    "router.get('/g', (req, res) => {",
    '  const answer = strict ? deny : res.redirect.bind(res);',
    '  return answer(res as never, NO_ACCESS);',
    '});',
    "router.get('/h', (req, res) => {",
    '  const other = strict ? deny : res.redirect.bind(res);',
    '  return other(res as never, SEE_OTHER);',
    '});',
    '',
  ].join('\n'),
};

describe('calls passing an imported name: read once a helper takes them', () => {
  it('rewrites the 403 name at a helper argument, an options key and an installed helper', async () => {
    const result = await migrate({
      cwd: project(FILES),
      status: 401,
      mode: 'dry-run',
      frameworks: ['express'],
    });
    expect(result.diff).toContain("+router.get('/a', (req, res) => deny(res, 401));");
    expect(result.diff).toContain(
      "+router.get('/c', (req, res) => fail(res, { status: 401, message: 'no' }));",
    );
    expect(result.diff).toContain("+router.get('/e', (req, res) => (res as any).refuse(401));");
    // Names holding another status are not touched.
    expect(result.diff).not.toMatch(/^[-+].*SEE_OTHER\)/m);
    expect(result.diff).not.toMatch(/^[-+].*status: SEE_OTHER/m);
  });

  it('names a call through an alias that may be a helper when it passes the 403 name, not another one', async () => {
    const result = await migrate({
      cwd: project(FILES),
      status: 401,
      mode: 'dry-run',
      frameworks: ['express'],
    });
    const aliasNotes = result.report.sites.filter(
      (s) => s.action === 'manual' && /may be deny/.test(s.reason ?? ''),
    );
    expect(aliasNotes.map((s) => `${s.file}:${s.line}`)).toEqual(['src/routes.ts:14']);
  });
});
