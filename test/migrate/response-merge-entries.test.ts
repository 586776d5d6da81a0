import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker48 (BuckyMcYolo/agent-cal, a Hono API in a pnpm/turbo monorepo): each of 39 routes declares
// `[HttpStatusCodes.FORBIDDEN]: jsonContent({ schema: forbiddenSchema, … })` beside a 401 entry. The key was
// reported for a merge, and the imported schema named in its value was reported a second time as "'forbiddenSchema'
// names a 403 in a shape mtls-fix does not know": 39 more manual sites, each asking to change a status that is the
// same merge. A key left for a merge now owns its entry, in every framework whose response maps responseKey reads.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(dependencies: Record<string, string>, files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-merge-entries-'));
  temps.push(cwd);
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const helper = lines(
  'export const jsonContent = (o: { schema: unknown; description: string }) => ({',
  "  content: { 'application/json': { schema: o.schema } },",
  '  description: o.description,',
  '});',
);

const cases: { name: string; dependencies: Record<string, string>; files: Record<string, string> }[] = [
  {
    name: 'Hono createRoute, a computed key and a content helper',
    dependencies: { hono: '*', '@hono/zod-openapi': '*' },
    files: {
      'src/codes.ts': lines('export const UNAUTHORIZED = 401;', 'export const FORBIDDEN = 403;'),
      'src/json-content.ts': helper,
      'src/schemas.ts': lines(
        "import { z } from '@hono/zod-openapi';",
        'export const forbiddenSchema = z.object({ message: z.string() });',
      ),
      'src/routes.ts': lines(
        "import { OpenAPIHono, createRoute } from '@hono/zod-openapi';",
        "import * as HttpStatusCodes from './codes';",
        "import { jsonContent } from './json-content';",
        "import { forbiddenSchema } from './schemas';",
        'const route = createRoute({',
        "  method: 'get',",
        "  path: '/meters/{id}',",
        '  responses: {',
        "    [HttpStatusCodes.UNAUTHORIZED]: { description: 'Sign in' },",
        '    [HttpStatusCodes.FORBIDDEN]: jsonContent({',
        '      schema: forbiddenSchema,',
        "      description: 'Not your meter',",
        '    }),',
        '  },',
        '});',
        'const app = new OpenAPIHono();',
        "app.openapi(route, (c) => c.json({ message: 'no' }, HttpStatusCodes.FORBIDDEN));",
      ),
    },
  },
  {
    name: 'Elysia route options, a schema built by a helper',
    dependencies: { elysia: '*' },
    files: {
      'src/schemas.ts': lines(
        "import { t } from 'elysia';",
        'export const ForbiddenError = t.Object({ error: t.String() });',
        'export const described = <T>(schema: T, description: string) => ({ ...schema, description });',
      ),
      'src/app.ts': lines(
        "import { Elysia, t } from 'elysia';",
        "import { ForbiddenError, described } from './schemas';",
        'export const app = new Elysia().get(',
        "  '/readings',",
        '  ({ set }) => {',
        '    set.status = 403;',
        "    return { error: 'no' };",
        '  },',
        "  { response: { 401: t.Object({ error: t.String() }), 403: described(ForbiddenError, 'Not your device') } },",
        ');',
      ),
    },
  },
  {
    name: 'Fastify route schema, a schema built by a helper',
    dependencies: { fastify: '*' },
    files: {
      'src/schemas.ts': lines(
        "export const forbiddenBody = { type: 'object', properties: { message: { type: 'string' } } };",
        'export const json = (schema: object, description: string) => ({ ...schema, description });',
      ),
      'src/app.ts': lines(
        "import Fastify from 'fastify';",
        "import { forbiddenBody, json } from './schemas';",
        'const app = Fastify();',
        'app.get(',
        "  '/valves',",
        "  { schema: { response: { 401: { type: 'object' }, 403: json(forbiddenBody, 'Not your valve') } } },",
        "  async (req, reply) => reply.code(403).send({ message: 'no' }),",
        ');',
      ),
    },
  },
];

describe('a 403 response entry left for a merge owns its value (breaker48)', () => {
  it.each(cases)(
    '$name: one manual site, the schema name counted with it',
    async ({ dependencies, files }) => {
      const cwd = project(dependencies, files);
      const { report } = await migrate({ cwd, status: 401, mode: 'dry-run', explain: true });
      const manual = report.sites.filter((s) => s.action === 'manual');
      expect(manual.map((s) => s.reason)).toEqual([
        'The response schema already has a 401 entry: merge the 403 schema into it by hand.',
      ]);
      expect(report.sites.filter((s) => s.action === 'would-rewrite')).toHaveLength(1);
      // Every occurrence is still accounted for: the schema name is the merge site's, not an unknown shape.
      expect(report.census.manual).toBeGreaterThanOrEqual(2);
    },
  );
});
