import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 38, reasons38 (breaker38 04 a). `const status = STATUS_BY_KIND[err.kind] ?? 500; res.status(status)`:
// the slot said a plain "Dynamic status" and the table's 403 entry "no file of this run reads it", while the same
// read written inline in the slot was named ("Computed status: read from STATUS_BY_KIND ..."). The slot now follows
// the local (a const, a let given one run-time value) to the reading the inline form gets, in every framework's
// slot, and the entry names the read of its table instead of claiming nothing reads it.
const { temp } = tempDirs('local-tables');

const PACKAGE = JSON.stringify({
  name: 'p',
  dependencies: { express: '^4', koa: '^2', hono: '^4', fastify: '^4', '@nestjs/common': '^10' },
});

const TABLE = 'export const STATUS_BY_KIND: Record<string, number> = { NOT_ALLOWED: 403, MISSING: 404 };\n';

async function reasons(
  server: string,
  table = TABLE,
): Promise<{ file: string; line: number; reason: string }[]> {
  const cwd = temp({ 'package.json': PACKAGE, 'src/statuses.ts': table, 'src/server.ts': server });
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  return report.sites.map((s) => ({ file: s.file, line: s.line, reason: `${s.action} ${s.reason}` }));
}

const computed = (key: string) =>
  `manual Computed status: read from STATUS_BY_KIND by a key known only at run time (${key}); STATUS_BY_KIND answers 403 for 'NOT_ALLOWED' (src/statuses.ts:1). Where that key can be it on an mTLS route, answer 401 instead (map it where the key is chosen), or add a central remap.`;

const IMPORT = 'import { STATUS_BY_KIND } from "./statuses";\n';

describe('a status table read through a local', () => {
  it.each([
    [
      'express, a const with a fallback',
      'import express from "express";\n' +
        IMPORT +
        'const app = express();\napp.use((err: any, req: any, res: any, next: any) => {\n  const status = STATUS_BY_KIND[err.kind] ?? 500;\n  res.status(status).end();\n});\n',
      'err.kind',
      6,
    ],
    [
      'express, a let given one run-time value',
      'import express from "express";\n' +
        IMPORT +
        'const app = express();\napp.use((err: any, req: any, res: any, next: any) => {\n  let status = 500;\n  if (err.kind) status = STATUS_BY_KIND[err.kind];\n  res.status(status).end();\n});\n',
      'err.kind',
      7,
    ],
    [
      'koa, ctx.status = status',
      'import Koa from "koa";\n' +
        IMPORT +
        'const app = new Koa();\napp.use(async (ctx, next) => {\n  try {\n    await next();\n  } catch (e: any) {\n    const status = STATUS_BY_KIND[e.kind] || 500;\n    ctx.status = status;\n  }\n});\n',
      'e.kind',
      9,
    ],
    [
      'fastify, reply.code(status)',
      'import Fastify from "fastify";\n' +
        IMPORT +
        'const app = Fastify();\napp.setErrorHandler((err: any, req, reply) => {\n  const status = STATUS_BY_KIND[err.kind] ?? 500;\n  reply.code(status).send();\n});\n',
      'err.kind',
      6,
    ],
    [
      'hono, c.json(body, status)',
      'import { Hono } from "hono";\n' +
        IMPORT +
        'const app = new Hono();\napp.onError((err: any, c) => {\n  const status = STATUS_BY_KIND[err.kind] ?? 500;\n  return c.json({ e: 1 }, status as any);\n});\n',
      'err.kind',
      6,
    ],
    [
      'nest, an exception filter',
      'import { ArgumentsHost, Catch, ExceptionFilter } from "@nestjs/common";\n' +
        IMPORT +
        '@Catch()\nexport class Filter implements ExceptionFilter {\n  catch(err: any, host: ArgumentsHost) {\n    const response = host.switchToHttp().getResponse();\n    const status = STATUS_BY_KIND[err.kind] ?? 500;\n    response.status(status).json({});\n  }\n}\n',
      'err.kind',
      8,
    ],
    [
      'express, a chain with the table in the middle, inline',
      'import express from "express";\n' +
        IMPORT +
        'const app = express();\napp.use((err: any, req: any, res: any, next: any) => res.status(err.status || STATUS_BY_KIND[err.kind] || 500).end());\n',
      'err.kind',
      4,
    ],
  ])('%s', async (_name, server, key, line) => {
    const found = await reasons(server);
    expect(found.filter((r) => r.file === 'src/server.ts')).toEqual([
      { file: 'src/server.ts', line, reason: computed(key) },
    ]);
    const entry = found.filter((r) => r.file === 'src/statuses.ts');
    expect(entry).toHaveLength(1);
    expect(entry[0].reason).not.toContain('no file of this run reads it');
    expect(entry[0].reason).toMatch(
      /^manual 'NOT_ALLOWED' of STATUS_BY_KIND holds 403, and (a status slot reads STATUS_BY_KIND|this run reads STATUS_BY_KIND \(src\/server\.ts:\d+ STATUS_BY_KIND\[\w+\.kind\]\)): where that entry is sent/,
    );
  });

  it('a table read through a cast is a read of the table, beside an entry of the agreed status too', async () => {
    const found = await reasons(
      'import express from "express";\n' +
        IMPORT +
        'const app = express();\napp.use((err: any, req: any, res: any, next: any) => {\n  const status = (STATUS_BY_KIND as Record<string, number>)[err.kind] ?? 500;\n  res.status(status).end();\n});\n',
      'export const STATUS_BY_KIND: Record<string, number> = { NOT_ALLOWED: 403, MISSING: 404, NO_CERT: 401 };\n',
    );
    expect(found.filter((r) => r.file === 'src/server.ts')).toEqual([
      { file: 'src/server.ts', line: 6, reason: computed('err.kind') },
    ]);
    // Was no site at all (the entry counted a declaration beside NO_CERT), or "no file of this run reads it".
    expect(found.filter((r) => r.file === 'src/statuses.ts').map((r) => r.reason)).toEqual([
      "manual 'NOT_ALLOWED' of STATUS_BY_KIND holds 403, and this run reads STATUS_BY_KIND (src/server.ts:5 (STATUS_BY_KIND as Record<string, number>)[err.kind]): where that entry is sent as a status on an mTLS route, answer 401 instead (change the entry, or map it where it is read).",
    ]);
  });

  it('a local given two run-time values stays plain Dynamic', async () => {
    const found = await reasons(
      'import express from "express";\n' +
        IMPORT +
        'const app = express();\napp.use((err: any, req: any, res: any, next: any) => {\n  let status = err.status;\n  if (err.kind) status = STATUS_BY_KIND[err.kind];\n  res.status(status).end();\n});\n',
    );
    expect(found.find((r) => r.file === 'src/server.ts')?.reason).toMatch(/^manual Dynamic status:/);
  });

  it('a table read only by its other named members keeps the unread entry a declaration', async () => {
    const found = await reasons(
      'import express from "express";\nimport { Http } from "./statuses";\nconst app = express();\napp.get("/a", (req: any, res: any) => res.status(Http.Unauthorized).end());\n',
      'export enum Http {\n  Unauthorized = 401,\n  Forbidden = 403,\n}\n',
    );
    expect(found).toEqual([]);
  });
});
