import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A status passed through an error constructor or helper (an upstream's or an error object's), in a file with no
// 403 form and no `res.status(x)` slot: the file must be read and the slot reported, as any dynamic status is.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a status passed through an error constructor is reported', () => {
  it.each([
    [
      'koa',
      ['koa'],
      "import Koa from 'koa';\nconst app = new Koa();\napp.use(async (ctx) => {\n  const r = await fetch('http://up/x');\n  if (!r.ok) ctx.throw(r.status, 'upstream');\n});\n",
    ],
    [
      'http-errors',
      ['express', 'http-errors'],
      "const createError = require('http-errors');\nmodule.exports = async (req, res, next) => {\n  const r = await fetch('http://up/x');\n  if (!r.ok) return next(createError(r.status, 'upstream'));\n  next();\n};\n",
    ],
    [
      'nestjs',
      ['@nestjs/common'],
      "import { HttpException, Injectable } from '@nestjs/common';\n@Injectable()\nexport class Proxy {\n  async get() {\n    const r = await fetch('http://up/x');\n    if (!r.ok) throw new HttpException(await r.text(), r.status);\n  }\n}\n",
    ],
    [
      'h3',
      ['h3'],
      "import { createError, defineEventHandler } from 'h3';\nexport default defineEventHandler(async () => {\n  const r = await fetch('http://up/x');\n  throw createError({ statusCode: r.status, statusMessage: r.statusText });\n});\n",
    ],
  ])('%s', async (framework, dependencies, text) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pt-'));
    temps.push(cwd);
    const pkg = { dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
    writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src/a.ts'), text);
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.summary.filesParsed).toBe(1);
    expect(report.sites.map((s) => [s.framework, s.action])).toEqual([[framework, 'manual']]);
    expect(report.sites[0].reason).toMatch(/^Dynamic status: it may pass a 403 through/);
  });
});

// The response helpers that take the status as an argument or a Fetch init object, handed an upstream's status:
// a Next.js route handler relaying `{ status: response.status }` (TykTechnologies/tyk-fapi's TPP app, 19 of its 22
// relays) was never parsed, so read clean. Each file holds that one slot and nothing else the prefilter knew.
describe('a status handed to a response helper is reported', () => {
  const upstream = "const r = await fetch('http://up/x');";
  it.each([
    [
      'web',
      [],
      'src/a.ts',
      `export async function h(): Promise<Response> {\n  ${upstream}\n  return new Response('x', { status: r.status });\n}\n`,
    ],
    [
      'web',
      [],
      'src/a.ts',
      `export async function h(): Promise<Response> {\n  ${upstream}\n  return Response.json({ e: 1 }, { status: r.status });\n}\n`,
    ],
    [
      'web',
      [],
      'src/a.ts',
      `export async function h(): Promise<Response> {\n  ${upstream}\n  const status = r.status;\n  return new Response('x', { status });\n}\n`,
    ],
    [
      'nextjs',
      ['next'],
      'src/app/api/a/route.ts',
      `import { NextResponse } from 'next/server';\nexport async function GET() {\n  ${upstream}\n  if (!r.ok) {\n    return NextResponse.json(\n      { error: r.statusText },\n      { status: r.status }\n    );\n  }\n  return NextResponse.json({});\n}\n`,
    ],
    [
      'nextjs',
      ['next'],
      'src/app/api/a/route.ts',
      `import { NextResponse } from 'next/server';\nexport async function POST() {\n  ${upstream}\n  return new NextResponse(r.body, { status: r.status, headers: { a: 'b' } });\n}\n`,
    ],
    [
      'hono',
      ['hono'],
      'src/a.ts',
      `import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/x', async (c) => {\n  ${upstream}\n  return c.json({ error: 'x' }, r.status as 400);\n});\nexport default app;\n`,
    ],
    [
      'hono',
      ['hono'],
      'src/a.ts',
      `import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/x', async (c) => {\n  ${upstream}\n  return c.body(await r.text(), r.status as 400);\n});\nexport default app;\n`,
    ],
    [
      'sveltekit',
      ['@sveltejs/kit'],
      'src/routes/x/+server.ts',
      `import { error, json } from '@sveltejs/kit';\nexport async function GET() {\n  ${upstream}\n  if (!r.ok) error(r.status, 'upstream failed');\n  return json({});\n}\n`,
    ],
    [
      'remix',
      ['@remix-run/node'],
      'app/routes/x.ts',
      `import { json } from '@remix-run/node';\nexport async function loader() {\n  ${upstream}\n  return json({ a: 1 }, { status: r.status });\n}\n`,
    ],
    [
      'h3',
      ['h3'],
      'src/a.ts',
      `import { defineEventHandler, setResponseStatus } from 'h3';\nexport default defineEventHandler(async (event) => {\n  ${upstream}\n  setResponseStatus(event, r.status);\n  return r.json();\n});\n`,
    ],
    [
      'elysia',
      ['elysia'],
      'src/a.ts',
      `import { Elysia, error } from 'elysia';\nnew Elysia().get('/x', async () => {\n  ${upstream}\n  if (!r.ok) return error(r.status as 400, 'failed');\n  return r.json();\n}).listen(3000);\n`,
    ],
    [
      'itty-router',
      ['itty-router'],
      'src/a.ts',
      `import { AutoRouter, error } from 'itty-router';\nconst router = AutoRouter();\nrouter.get('/x', async () => {\n  ${upstream}\n  if (!r.ok) return error(r.status, 'failed');\n  return r.json();\n});\nexport default router;\n`,
    ],
    [
      'micro',
      ['micro'],
      'src/a.js',
      `const { send } = require('micro');\nmodule.exports = async (req, res) => {\n  ${upstream}\n  send(res, r.status, await r.text());\n};\n`,
    ],
    [
      'adonis',
      ['@adonisjs/core'],
      'app/controllers/x.ts',
      `import type { HttpContext } from '@adonisjs/core/http';\nexport default class XController {\n  async show({ response }: HttpContext) {\n    ${upstream}\n    response.abort({ message: 'failed' }, r.status);\n  }\n}\n`,
    ],
    [
      'feathers',
      ['@feathersjs/feathers', '@feathersjs/errors'],
      'src/a.js',
      `const { FeathersError } = require('@feathersjs/errors');\nclass S {\n  async find() {\n    ${upstream}\n    throw new FeathersError('failed', 'Upstream', r.status, 'upstream', {});\n  }\n}\nmodule.exports = S;\n`,
    ],
    [
      'moleculer',
      ['moleculer', 'moleculer-web'],
      'services/a.service.js',
      `module.exports = {\n  name: 'a',\n  actions: {\n    async get(ctx) {\n      ${upstream}\n      ctx.meta.$statusCode = r.status;\n      return r.text();\n    },\n  },\n};\n`,
    ],
    [
      'uwebsockets',
      ['uWebSockets.js'],
      'src/a.js',
      `const uWS = require('uWebSockets.js');\nuWS.App().get('/x', (res, req) => {\n  const code = req.getHeader('x-code');\n  res.writeStatus(code).end('x');\n}).listen(9001, () => {});\n`,
    ],
    [
      'serverless',
      [],
      'src/a.ts',
      `import type { APIGatewayProxyHandler } from 'aws-lambda';\nexport const handler: APIGatewayProxyHandler = async () => {\n  ${upstream}\n  const code = r.status;\n  return { statusCode: code, body: await r.text() };\n};\n`,
    ],
  ])('%s: %s', async (framework, dependencies, file, text) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pt-'));
    temps.push(cwd);
    const pkg = { dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
    writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    expect(report.summary.filesParsed).toBe(1);
    expect(report.sites.map((s) => [s.framework, s.action])).toEqual([[framework, 'manual']]);
    expect(report.sites[0].reason).toMatch(/^Dynamic status: it may pass a 403 through/);
  });
});
