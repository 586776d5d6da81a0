import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A shared helper called through a `const` alias (`const h = cond ? deny : refuse`, `const errorHandler =
// opts.handler || helpers.deny`), and a helper's status parameter set to 403 in its body (`statusCode = 403`).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-helper-aliases-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return migrate({ cwd, status: 401, mode: 'dry-run' });
}

const HELPERS = [
  "import type { Response } from 'express';",
  'export function deny(res: Response, code: number) { res.status(code).end(); }',
  'export function refuse(res: Response, code: number) { res.sendStatus(code); }',
  'export const helpers = { deny };',
  'export const DENIED = 403;',
  '',
].join('\n');

describe('helpers called through an alias', () => {
  it('rewrites a call whose every branch is a helper; names one with a branch it cannot follow', async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/h.ts': HELPERS,
      'src/use.ts': [
        "import express from 'express';",
        "import { deny, refuse, helpers, DENIED } from './h';",
        'const app = express();',
        'export function mount(opts: { handler?: typeof deny }, strict: boolean) {',
        '  const errorHandler = opts.handler || helpers.deny;',
        '  const h = strict ? deny : refuse;',
        '  const k = deny;',
        '  const b = helpers.deny.bind(null);',
        "  app.get('/a', (req, res) => errorHandler(res, 403));",
        "  app.get('/b', (req, res) => h(res, 403));",
        "  app.get('/c', (req, res) => k(res, DENIED));",
        "  app.get('/d', (req, res) => b(res, 403));",
        "  app.get('/e', (req, res) => errorHandler(res, DENIED));",
        '}',
        '',
      ].join('\n'),
    });
    const use = result.report.sites.filter((s) => s.file === 'src/use.ts');
    expect(use.filter((s) => s.action === 'would-rewrite').map((s) => s.replacement)).toEqual([
      'h(res, 401)',
      'k(res, 401)',
      'b(res, 401)',
    ]);
    const named = use.filter((s) => s.action === 'manual');
    expect(named.map((s) => s.line)).toEqual([9, 13]);
    for (const site of named) {
      expect(site.reason).toContain("'errorHandler' may be helpers.deny");
      expect(site.reason).toContain('or opts.handler, which mtls-fix cannot follow');
    }
    expect(result.report.sites.some((s) => /shape mtls-fix does not know/.test(s.reason ?? ''))).toBe(false);
  });

  it("names a helper's status parameter set to 403 in its body, with the helper", async () => {
    const result = await run({
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/h.js': [
        'function send(res, statusCode) {',
        '  if (!statusCode) statusCode = 403;',
        '  res.status(statusCode).end();',
        '}',
        'const refuse = (res, code) => {',
        '  code = code || 403;',
        '  code ??= 0x193;',
        '  res.sendStatus(code);',
        '};',
        'module.exports = { send, refuse };',
        '',
      ].join('\n'),
    });
    const named = result.report.sites.filter(
      (s) => s.action === 'manual' && /set to 403 here/.test(s.reason ?? ''),
    );
    expect(named.map((s) => [s.line, s.form])).toEqual([
      [2, 'statusCode = 403'],
      [6, 'code = code || 403'],
      [7, 'code ??= 0x193'],
    ]);
    expect(named[0]?.reason).toContain("'statusCode' is a parameter of send(…)");
    expect(named[1]?.reason).toContain("'code' is a parameter of refuse(…)");
    expect(result.report.sites.some((s) => /shape mtls-fix does not know/.test(s.reason ?? ''))).toBe(false);
  });
});
