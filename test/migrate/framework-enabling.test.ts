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
  {
    // kinds37: every status of the injected response was 'Reads as express, but that module is off for this
    // file', and a status passed in from a caller (`denyWith(403)`) was silent.
    name: "LoopBack 4 controller, Express's response injected (RestBindings.Http.RESPONSE)",
    dependencies: ['@loopback/core', '@loopback/rest'],
    file: 'src/controllers/admin.controller.ts',
    text: [
      "import { inject } from '@loopback/core';",
      "import { get, Response, RestBindings } from '@loopback/rest';",
      'export class AdminController {',
      '  constructor(@inject(RestBindings.Http.RESPONSE) private response: Response) {}',
      "  @get('/admin')",
      '  async show(): Promise<Response> {',
      "    return this.response.status(403).send('no certificate');",
      '  }',
      "  @get('/other')",
      '  async other(@inject(RestBindings.Http.RESPONSE) res: Response): Promise<Response> {',
      '    return res.sendStatus(403);',
      '  }',
      '}',
      '',
    ].join('\n'),
    sites: ['7 express this.response.status(401)', '11 express res.sendStatus(401)'],
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

// A framework that arrives through another package (openforis/arena declares @openforis/arena-server, which
// brings Express; react-router switches the Remix module on) is on for no file that does not import it: the
// 403 it would rewrite is a manual site naming the module that is off, never an unknown shape, never rewritten.
interface OffCase {
  name: string;
  dependencies: string[];
  files: Record<string, string>;
  sites: string[];
}

describe('403s that only a module switched off for the file reads', () => {
  it.each<OffCase>([
    {
      name: 'Express response helper in a package that declares only a wrapper (openforis/arena)',
      dependencies: ['@openforis/arena-server', 'react-router'],
      files: {
        'core/statusCodes.js': 'export const StatusCodes = { UNAUTHORIZED: 401, FORBIDDEN: 403 }\n',
        'server/response.js': [
          "import { StatusCodes } from '../core/statusCodes'",
          'export const sendErr = (res, err) => {',
          '  if (err.denied) res.status(StatusCodes.FORBIDDEN).json({ key: err.key })',
          '  else res.status(500).end()',
          '}',
          '',
        ].join('\n'),
      },
      sites: ['server/response.js:3 express manual would write res.status(StatusCodes.UNAUTHORIZED)'],
    },
    {
      name: 'Hono context in a package that declares only its own framework wrapper',
      dependencies: ['@acme/edge-kit', 'react-router'],
      files: {
        'src/guard.ts': [
          'export const guard = async (c, next) => {',
          "  if (!c.get('user')) return c.json({ error: 'no' }, 403)",
          '  await next()',
          '}',
          '',
        ].join('\n'),
      },
      sites: ["src/guard.ts:2 hono manual would write c.json({ error: 'no' }, 401)"],
    },
  ])('$name', async (c) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-enabling-'));
    temps.push(cwd);
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ dependencies: Object.fromEntries(c.dependencies.map((d) => [d, '*'])) }),
    );
    for (const [file, text] of Object.entries(c.files)) {
      mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
      writeFileSync(path.join(cwd, file), text);
    }
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', force: true });
    expect(
      report.sites.map(
        (s) =>
          `${s.file}:${s.line} ${s.framework} ${s.action} ${/would write (.+?)\), but/.exec(s.reason ?? '')?.[0].slice(0, -6) ?? s.reason}`,
      ),
    ).toEqual(c.sites);
    expect(report.census.occurrences).toBe(report.census.manual + (report.census.notAnEmit.declaration ?? 0));
    expect(report.sites[0]?.reason).toContain('module is off for this file');
  });
});
