import { describe, expect, it } from 'vitest';
import { checkFails } from '../../src/migrate/report.js';
import { checkRunner, covered, manual } from '../helpers/remap-check.js';

// Session 47, server47. A central remap written on a local (`let status = err.status; if (status === 403) status =
// 401; res.status(status)`) was no remap: the csrf 403 it covers stayed manual and `res.status(status)` was a
// "Dynamic status". It is now read as the conditional form (`err.status === 403 ? 401 : err.status`) is.
const run = checkRunner();

/** How the 403 test and the answer are spelled: `F` the 403 operand, `A` the answer. */
const SPELLINGS: { name: string; head: string; f: string; a: string; deps?: Record<string, string> }[] = [
  { name: 'literals', head: '', f: '403', a: '401' },
  { name: 'a local const', head: 'const DENIED = 403;', f: 'DENIED', a: '401' },
  {
    name: 'StatusCodes',
    head: "import { StatusCodes } from 'http-status-codes';",
    f: 'StatusCodes.FORBIDDEN',
    a: 'StatusCodes.UNAUTHORIZED',
    deps: { 'http-status-codes': '2' },
  },
];

/** Each framework's hook, with the local remap written in a block or as one statement (`braces`). */
const FRAMEWORKS: {
  name: string;
  deps: Record<string, string>;
  app: (head: string, remap: string) => string;
  local: string;
  cover: RegExp;
}[] = [
  {
    name: 'Express error middleware',
    deps: { express: '4', csurf: '1' },
    local: 'status',
    app: (head, remap) => `import express from 'express';
import csurf from 'csurf';
${head}
const app = express();
app.use(csurf());
app.get('/', (req: express.Request, res: express.Response) => res.send('ok'));
app.use((err: { status: number }, req: express.Request, res: express.Response, next: express.NextFunction) => {
  let status = err.status || 500;
  ${remap}
  res.status(status).json({ error: 'denied' });
});
export default app;
`,
    cover: /Covered by the error middleware remap at app\.ts:\d+, which answers 401/,
  },
  {
    name: 'Koa middleware',
    deps: { koa: '2', 'koa-csrf': '5' },
    local: 'code',
    app: (head, remap) => `import Koa from 'koa';
import CSRF from 'koa-csrf';
${head}
const app = new Koa();
app.use(async (ctx: any, next: () => Promise<void>) => {
  try {
    await next();
  } catch (err: any) {
    let code = err.status;
    ${remap}
    ctx.status = code;
    ctx.body = { message: 'no' };
  }
});
app.use(new CSRF());
export default app;
`,
    cover: /Covered by the middleware remap at app\.ts:\d+, which answers 401/,
  },
  {
    name: 'Fastify setErrorHandler',
    deps: { fastify: '4', '@fastify/csrf-protection': '6' },
    local: 'statusCode',
    app: (head, remap) => `import Fastify from 'fastify';
import csrf from '@fastify/csrf-protection';
${head}
const app = Fastify();
app.register(csrf);
app.setErrorHandler((error: any, request: any, reply: any) => {
  let statusCode = error.statusCode ?? 500;
  ${remap}
  return reply.code(statusCode).send({ message: 'no' });
});
export default app;
`,
    cover: /Covered by the setErrorHandler remap at app\.ts:\d+, which answers 401/,
  },
  {
    name: 'hapi onPreResponse',
    deps: { '@hapi/hapi': '21', '@hapi/crumb': '9' },
    local: 'status',
    app: (head, remap) => `import Hapi from '@hapi/hapi';
import Crumb from '@hapi/crumb';
${head}
export const init = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register({ plugin: Crumb, options: { restful: true } });
  server.ext('onPreResponse', (request: any, h: any) => {
    const r = request.response;
    if (!r.isBoom) return h.continue;
    let status = r.output.statusCode;
    ${remap}
    return h.response({ message: 'no' }).code(status);
  });
  await server.start();
};
`,
    cover: /Covered by the server\.ext\('onPreResponse'\) remap at app\.ts:\d+, which answers 401/,
  },
];

describe('a central remap written on a local status', () => {
  for (const framework of FRAMEWORKS)
    it(`${framework.name}: covers the csrf 403, with no manual site and no dynamic status`, async () => {
      const failures: string[] = [];
      for (const spelling of SPELLINGS)
        for (const braces of [false, true]) {
          const v = framework.local;
          const assign = `${v} = ${spelling.a};`;
          const remap = `if (${v} === ${spelling.f}) ${braces ? `{ ${assign} }` : assign}`;
          const report = await run({
            'package.json': JSON.stringify({ dependencies: { ...framework.deps, ...spelling.deps } }),
            'app.ts': framework.app(spelling.head, remap),
          });
          const got = {
            manual: manual(report),
            covered: covered(report).filter((c) => framework.cover.test(c)).length,
            fails: checkFails(report),
          };
          if (got.manual.length || got.covered !== 1 || got.fails)
            failures.push(`${spelling.name}${braces ? ' {}' : ''}: ${JSON.stringify(got)}`);
        }
      expect(failures).toEqual([]);
    });

  it('a local assigned again after the remap stays a dynamic status', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4' } }),
      'app.ts': FRAMEWORKS[0]
        .app('', 'if (status === 403) status = 401;\n  status = (err as any).upstream.status;')
        .replace("import csurf from 'csurf';\n", '')
        .replace('app.use(csurf());\n', ''),
    });
    expect(manual(report)).toEqual([expect.stringMatching(/^app\.ts:\d+ Dynamic status/)]);
  });
});
