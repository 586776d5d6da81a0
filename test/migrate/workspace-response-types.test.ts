import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 38 (breaker38 03, nocobase @ 916a11c0: plugin actions typed `ctx: Context` from '@nocobase/actions'): a
// receiver typed with a framework's type that another package of the monorepo declares or hands on was "a shape
// mtls-fix does not know" (manual), while the same type imported by a relative path was rewritten. The type is now
// followed through a workspace package's name and a tsconfig `paths` alias to the project file, and through a
// re-export of the framework's own type (`export type { FastifyReply as Reply } from 'fastify'`), for every
// framework a parameter's type names. Each rewrite case failed on 3635f110; the last two guard what is not followed.
const { temp } = tempDirs('wrt');

/** The shared package: a Koa interface, and Fastify's, Express's and Hono's types handed on. */
const LIB = [
  "import Koa from 'koa';",
  'export interface Context extends Koa.Context { db: unknown }',
  "export type { FastifyReply as Reply } from 'fastify';",
  "export type { Response } from 'express';",
  "export { Context as HonoContext } from 'hono';",
  "import type { AxiosResponse } from 'axios';",
  'export type Upstream = AxiosResponse & { retried: boolean };',
].join('\n');

/** A monorepo (npm workspaces, no node_modules): `@acme/lib` in packages/lib, `@alias/lib` a `paths` alias of it. */
async function sites(handler: string): Promise<string[]> {
  const cwd = temp({
    'package.json': JSON.stringify({
      name: 'mono',
      private: true,
      workspaces: ['packages/*'],
      dependencies: { koa: '^2', fastify: '^4', express: '^4', hono: '^4', axios: '^1' },
    }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { strict: true, baseUrl: '.', paths: { '@alias/lib': ['packages/lib/src/index.ts'] } },
    }),
    'packages/lib/package.json': JSON.stringify({ name: '@acme/lib', main: 'src/index.ts' }),
    'packages/lib/src/index.ts': LIB,
    'packages/app/package.json': JSON.stringify({ name: '@acme/app', dependencies: { '@acme/lib': '*' } }),
    'packages/app/src/h.ts': handler,
  });
  const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', paths: ['packages/app'] });
  return report.sites.map((s) => `${s.file}:${s.line} ${s.action} ${s.framework}`);
}

const HANDLERS: [string, string, string, string][] = [
  ['a Koa interface', 'Context', 'export async function u(ctx: Context) { ctx.throw(403, "No"); }', 'koa'],
  [
    'a Fastify reply handed on',
    'Reply',
    'export const b = (r: unknown, out: Reply) => out.code(403).send();',
    'fastify',
  ],
  [
    'an Express response handed on',
    'Response',
    'export const c = (q: unknown, out: Response) => out.status(403).end();',
    'express',
  ],
  [
    'a Hono context handed on',
    'HonoContext',
    'export const d = (x: HonoContext) => x.json({}, 403);',
    'hono',
  ],
];

describe('a response type from another package of the monorepo', () => {
  const cases = HANDLERS.flatMap(([name, type, code, framework]) =>
    ['@acme/lib', '@alias/lib', '../../lib/src'].map(
      (specifier) => [`${name}, from '${specifier}'`, type, specifier, code, framework] as const,
    ),
  ).filter(([name]) => !name.startsWith("a Koa interface, from '../"));

  it.each(cases)('%s', async (_name, type, specifier, code, framework) => {
    const found = await sites(`import type { ${type} } from '${specifier}';\n${code}\n`);
    expect(found).toEqual([`packages/app/src/h.ts:2 would-rewrite ${framework}`]);
  });

  it('does not take another package type handed on by the workspace for a response', async () => {
    const found = await sites(
      "import type { Upstream } from '@acme/lib';\nexport const u = (response: Upstream) => response.status(403);\n",
    );
    expect(found.filter((s) => s.includes('would-rewrite'))).toEqual([]);
  });

  it('does not follow a package the project does not hold', async () => {
    const found = await sites(
      "import type { Context } from '@other/lib';\nexport async function u(ctx: Context) { ctx.throw(403); }\n",
    );
    expect(found.filter((s) => s.includes('would-rewrite'))).toEqual([]);
  });
});
