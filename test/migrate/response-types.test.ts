import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A framework's response type under the project's own name, declared in another file of the project (or in the
// same file): an alias, an intersection, an interface that extends it (breaker29 #02: evershop's
// `interface EvershopResponse extends Response`). The site is rewritten as when the framework's type is written in
// place. Each case but the last two failed on c5b5a35 (a manual item blamed on adonis, or "a shape mtls-fix does
// not know").
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sites(dependencies: string[], files: Record<string, string>): Promise<string[]> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-rt-'));
  temps.push(cwd);
  const pkg = { name: 'p', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify(pkg));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
  return report.sites.map((s) => `${s.file}:${s.line} ${s.action} ${s.framework}`);
}

const TYPES = [
  "import type { Response } from 'express';",
  "import * as express from 'express';",
  "import type { FastifyReply } from 'fastify';",
  "import type { Context, ParameterizedContext } from 'koa';",
  "import type { Context as HonoContext } from 'hono';",
  'export type AppResponse = Response;',
  'export interface SubResponse extends express.Response { $body: Record<string, unknown> }',
  'export type AppReply = FastifyReply & { user?: string };',
  'export interface AppContext extends Context { user?: string }',
  'export type StateContext = ParameterizedContext<{ user: string }>;',
  'export type AppHono = HonoContext<{ Bindings: { KEY: string } }>;',
  'interface Base extends Context { id: string }',
  'export interface Deeper extends Base {}',
].join('\n');

describe('a response type named in another file of the project', () => {
  it.each([
    [
      'an express alias',
      'AppResponse',
      'export const a = (request: unknown, response: AppResponse) => response.status(403).end();',
      'express',
    ],
    [
      'an interface extending express.Response',
      'SubResponse',
      'export default async (request: unknown, response: SubResponse) => response.status(403).json({});',
      'express',
    ],
    [
      'a Fastify intersection',
      'AppReply',
      'export const b = (request: unknown, out: AppReply) => out.code(403).send();',
      'fastify',
    ],
    [
      'a Koa interface',
      'AppContext',
      'export const c = async (context: AppContext) => { context.status = 403; };',
      'koa',
    ],
    [
      'a Koa interface, ctx.throw',
      'AppContext',
      'export const d = async (ctx2: AppContext) => { ctx2.throw(403); };',
      'koa',
    ],
    [
      'a Koa ParameterizedContext alias',
      'StateContext',
      'export const e = async (x: StateContext) => { x.status = 403; };',
      'koa',
    ],
    [
      'a Hono Context alias',
      'AppHono',
      "export const f = (ctx: AppHono) => ctx.json({ error: 'no' }, 403);",
      'hono',
    ],
    [
      'an interface extending a local one',
      'Deeper',
      'export const g = async (k: Deeper) => { k.throw(403); };',
      'koa',
    ],
  ])('%s', async (_name, type, code, framework) => {
    const found = await sites(['express', 'fastify', 'koa', 'hono'], {
      'src/types/index.ts': TYPES,
      'src/h.ts': `import type { ${type} } from './types';\n${code}\n`,
    });
    expect(found).toEqual([`src/h.ts:2 would-rewrite ${framework}`]);
  });

  it('follows a re-export and an alias of an alias, file to file', async () => {
    const found = await sites(['express'], {
      'src/types/base.ts':
        "import { Response as ExpressResponse } from 'express';\nexport type Base = ExpressResponse & { locals: {} };\n",
      'src/types/app.ts':
        "import type { Base } from './base.js';\nexport interface AppResponse extends Base { $body: unknown }\n",
      'src/types/index.ts': "export * from './app.js';\n",
      'src/handler.ts':
        "import { AppResponse } from './types/index.js';\nexport default (request: unknown, response: AppResponse) => response.status(403).end();\n",
    });
    expect(found).toEqual(['src/handler.ts:2 would-rewrite express']);
  });

  it('reads a same-file alias of a framework type', async () => {
    const found = await sites(['fastify'], {
      'src/h.ts':
        "import type { FastifyReply } from 'fastify';\ntype Out = FastifyReply & { user?: string };\nexport const b = (request: unknown, out: Out) => out.code(403).send();\n",
    });
    expect(found).toEqual(['src/h.ts:3 would-rewrite fastify']);
  });

  it('does not take another package type under a project name for a response', async () => {
    const found = await sites(['express', 'axios'], {
      'src/types.ts':
        "import type { AxiosResponse } from 'axios';\nexport type Upstream = AxiosResponse & { retried: boolean };\n",
      'src/h.ts':
        "import type { Upstream } from './types';\nexport const u = (response: Upstream) => response.status(403);\n",
    });
    expect(found.filter((s) => s.includes('would-rewrite'))).toEqual([]);
  });
});
