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
    name: 'Fastify handler module, untyped `res` (flossbank/fastify-api)',
    dependencies: ['fastify'],
    file: 'api/package/ownership.js',
    text: [
      'module.exports = async (req, res, ctx) => {',
      '  if (!(await ctx.registry.matches(req.body))) {',
      '    res.status(403)',
      '    return res.send({ success: false })',
      '  }',
      "  if (!req.session) return res.code(403).send({ error: 'no session' })",
      '  return res.send({ success: true })',
      '}',
      '',
    ].join('\n'),
    sites: ['3 fastify res.status(401)', '6 fastify res.code(401)'],
  },
  {
    name: "Fastify plugin option handed the reply as `res` (fastify-guard's errorHandler)",
    dependencies: ['fastify', 'fastify-guard'],
    file: 'src/server.ts',
    text: [
      "import Fastify from 'fastify';",
      "import guard from 'fastify-guard';",
      'const app = Fastify();',
      'app.register(guard, {',
      "  requestProperty: 'user',",
      '  errorHandler: (result, req, res) => {',
      "    return res.status(403).send({ error: 'you have no permission to perform this task' });",
      '  },',
      '});',
      '',
    ].join('\n'),
    sites: ['7 fastify res.status(401)'],
  },
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
  {
    name: 'Nest exception filter on the Fastify adapter (untyped getResponse())',
    dependencies: ['@nestjs/common', '@nestjs/core', '@nestjs/platform-fastify'],
    file: 'src/cert.filter.ts',
    text: [
      "import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';",
      '@Catch()',
      'export class CertFilter implements ExceptionFilter {',
      '  catch(exception: Error, host: ArgumentsHost) {',
      '    const res = host.switchToHttp().getResponse();',
      '    res.status(403).send({ message: exception.message });',
      '  }',
      '}',
      '',
    ].join('\n'),
    sites: ['6 nestjs res.status(401)'],
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
