import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// The framework fixtures run every module on every file; a real run enables modules from each file's imports
// and the package.json files above it. Each case here is a project whose only dependency is the platform that
// hands out the response, so the module that rewrites it must be switched on by that dependency alone.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  dependencies: string[];
  file: string;
  text: string;
  /** `line framework replacement` of every site, in order. */
  sites: string[];
}

const CASES: Case[] = [
  {
    name: 'Vercel function (VercelResponse)',
    dependencies: ['@vercel/node'],
    file: 'api/admin.ts',
    text: [
      "import type { VercelRequest, VercelResponse } from '@vercel/node';",
      'export default function handler(req: VercelRequest, res: VercelResponse) {',
      "  if (!req.headers['x-client-cert']) return res.status(403).json({ error: 'no certificate' });",
      '  res.status(200).end();',
      '}',
      '',
    ].join('\n'),
    sites: ['3 express res.status(401)'],
  },
  {
    name: 'Sails controller (Express res)',
    dependencies: ['sails'],
    file: 'api/controllers/AdminController.js',
    text: [
      'module.exports = {',
      '  show: async function (req, res) {',
      '    if (!req.me) return res.status(403).json({});',
      '    return res.sendStatus(403);',
      '  },',
      '};',
      '',
    ].join('\n'),
    sites: ['3 express res.status(401)', '4 express res.sendStatus(401)'],
  },
  {
    name: 'tinyhttp app (typed Response)',
    dependencies: ['@tinyhttp/app'],
    file: 'src/app.ts',
    text: [
      "import { App, type Request, type Response } from '@tinyhttp/app';",
      'const app = new App();',
      "app.get('/admin', (req: Request, res: Response) => res.status(403).send('no certificate'));",
      '',
    ].join('\n'),
    sites: ['3 express res.status(401)'],
  },
];

describe('modules switched on by the platform dependency alone', () => {
  it.each(CASES)('$name', async (c) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-enabling-'));
    temps.push(cwd);
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ dependencies: Object.fromEntries(c.dependencies.map((d) => [d, '*'])) }),
    );
    mkdirSync(path.dirname(path.join(cwd, c.file)), { recursive: true });
    writeFileSync(path.join(cwd, c.file), c.text);
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(report.sites.map((s) => `${s.line} ${s.framework} ${s.replacement}`)).toEqual(c.sites);
    expect(report.census.manual).toBe(0);
  });
});
