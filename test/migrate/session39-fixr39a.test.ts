import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 39 (fixr39a): trial39 02, a body whose status mirror the handler returns or builds beside the status it
// sets. Each case fails on 30c97db2 (the body was a manual "result a caller sends later", or left at 403).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(
  dependencies: Record<string, string>,
  files: Record<string, string>,
): Promise<{ cwd: string; report: MigrateReport }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-fixr39a-'));
  temps.push(cwd);
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return { cwd, report: (await migrate({ cwd, status: 401, mode: 'write', force: true })).report };
}

describe('a body sent with the status the handler sets', () => {
  it.each([
    [
      'Fastify: reply.code, then the object returned',
      { fastify: '*' },
      "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/a', async (req, reply) => {\n  reply.code(403);\n  return { statusCode: 403, message: 'no' };\n});\n",
    ],
    [
      'Fastify: reply.code, then the object held and returned',
      { fastify: '*' },
      "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/h', async (req, reply) => {\n  reply.code(403).header('x', 'y');\n  const body = { status: 403, message: 'no' };\n  return body;\n});\n",
    ],
    [
      'Elysia: set.status, then the object returned',
      { elysia: '*' },
      "import { Elysia } from 'elysia';\nnew Elysia().get('/e', ({ set }) => {\n  set.status = 403;\n  return { status: 403, message: 'no' };\n});\n",
    ],
    [
      'h3: setResponseStatus, then the object returned',
      { h3: '*' },
      "import { createApp, eventHandler, setResponseStatus } from 'h3';\nconst app = createApp();\napp.use('/x', eventHandler((event) => {\n  setResponseStatus(event, 403);\n  return { status: 403, message: 'no' };\n}));\n",
    ],
    [
      'hapi: the response built, then its code set',
      { '@hapi/hapi': '*' },
      "import Hapi from '@hapi/hapi';\nconst server = Hapi.server();\nserver.route({ method: 'GET', path: '/p', handler: (request, h) => {\n  const response = h.response({ status: 403, message: 'no' });\n  response.code(403);\n  return response;\n} });\n",
    ],
  ])('%s', async (_name, dependencies, text) => {
    const { cwd, report } = await run(dependencies, { 'src/app.ts': text });
    expect(report.sites.filter((s) => s.action === 'manual')).toEqual([]);
    expect(report.census.manual).toBe(0);
    const written = readFileSync(path.join(cwd, 'src/app.ts'), 'utf8');
    expect(written).not.toContain('403');
    expect(written).toBe(text.replaceAll('403', '401'));
  });

  it('a result a helper returns without setting a status is still reported', async () => {
    const { report } = await run(
      { express: '*' },
      {
        'src/deny.ts':
          'export function deny(reason: string) {\n  log(reason);\n  return { status: 403, message: reason };\n}\ndeclare function log(text: string): void;\n',
      },
    );
    expect(report.sites.map((s) => s.action)).toEqual(['manual']);
    expect(report.sites[0]?.reason).toContain('a caller sends later');
  });
});
