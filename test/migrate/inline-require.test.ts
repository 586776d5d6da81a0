import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A framework required where no binding holds the module (`require('fastify')({ logger: true })`, Fastify's own
// getting-started spelling) enables its module as an import does, with no package.json to name it.
const CASES: Record<string, { source: string; expected: string }> = {
  'fastify.js': {
    source:
      "const fastify = require('fastify')({ logger: true });\n" +
      "fastify.get('/x', async (request, reply) => reply.code(403).send({ error: 'Forbidden' }));\n",
    expected:
      "const fastify = require('fastify')({ logger: true });\n" +
      "fastify.get('/x', async (request, reply) => reply.code(401).send({ error: 'Unauthorized' }));\n",
  },
  'koa.js': {
    source:
      "const app = new (require('koa'))();\nconst { Hono } = require('hono');\n" +
      'app.use(async (ctx) => {\n  ctx.status = 403;\n});\n',
    expected:
      "const app = new (require('koa'))();\nconst { Hono } = require('hono');\n" +
      'app.use(async (ctx) => {\n  ctx.status = 401;\n});\n',
  },
  'lazy.mjs': {
    source:
      "const { default: Fastify } = await import('fastify');\nconst app = Fastify();\n" +
      "app.addHook('onRequest', async (request, reply) => {\n  reply.status(403).send();\n});\n",
    expected:
      "const { default: Fastify } = await import('fastify');\nconst app = Fastify();\n" +
      "app.addHook('onRequest', async (request, reply) => {\n  reply.status(401).send();\n});\n",
  },
};

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('frameworks required inline', () => {
  it.each(Object.keys(CASES))('%s is rewritten with no package.json', async (name) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-inline-require-'));
    temps.push(cwd);
    const { source, expected } = CASES[name];
    writeFileSync(path.join(cwd, name), source);
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(readFileSync(path.join(cwd, name), 'utf8')).toBe(expected);
    expect(report.sites.filter((s) => s.action === 'manual')).toEqual([]);
  });
});
