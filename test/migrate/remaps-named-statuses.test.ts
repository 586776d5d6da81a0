import { describe, expect, it } from 'vitest';
import { checkFails } from '../../src/migrate/report.js';
import { checkRunner, covered, manual } from '../helpers/remap-check.js';

// remaps46: a central remap whose 403 (or whose answer) is a NAMED status (`err.status === DENIED ? 401 :
// err.status` of `const DENIED = 403`, an imported constant, an enum member, `StatusCodes.FORBIDDEN`,
// `httpStatus.FORBIDDEN`, a table entry; `? UNAUTHORIZED : err.status`) is a remap as the literal one is: the
// sites it covers are covered, and its 403 is neither a manual site nor a status check to review.
const run = checkRunner();

/** One named spelling: the code that declares or imports the names, the 403 test's operand, the answer. */
interface Spelling {
  name: string;
  head: string;
  forbidden: string;
  answer: string;
  deps?: Record<string, string>;
  files?: Record<string, string>;
}

const SPELLINGS: Spelling[] = [
  { name: 'a local const', head: 'const DENIED = 403;', forbidden: 'DENIED', answer: '401' },
  {
    name: 'an imported const',
    head: "import { DENIED } from './codes';",
    forbidden: 'DENIED',
    answer: '401',
    files: { 'codes.ts': 'export const DENIED = 403;\nexport const OTHER = 1;\n' },
  },
  {
    name: 'an enum member',
    head: 'enum HttpStatus { UNAUTHORIZED = 401, FORBIDDEN = 403 }',
    forbidden: 'HttpStatus.FORBIDDEN',
    answer: 'HttpStatus.UNAUTHORIZED',
  },
  {
    name: 'http-status-codes StatusCodes',
    head: "import { StatusCodes } from 'http-status-codes';",
    forbidden: 'StatusCodes.FORBIDDEN',
    answer: 'StatusCodes.UNAUTHORIZED',
    deps: { 'http-status-codes': '2' },
  },
  {
    name: 'http-status httpStatus',
    head: "import httpStatus from 'http-status';",
    forbidden: 'httpStatus.FORBIDDEN',
    answer: '401',
    deps: { 'http-status': '1' },
  },
  {
    name: 'a table entry',
    head: 'const CODES = { denied: 403, ok: 200 };',
    forbidden: 'CODES.denied',
    answer: '401',
  },
  {
    name: 'a named answer (the mirror)',
    head: 'const UNAUTHORIZED = 401;',
    forbidden: '403',
    answer: 'UNAUTHORIZED',
  },
];

/** Each framework's remap of a csrf 403, with `F` the 403 operand and `A` the answer. */
const FRAMEWORKS: {
  name: string;
  deps: Record<string, string>;
  app: (head: string, f: string, a: string) => string;
  cover: RegExp;
}[] = [
  {
    name: 'Express error middleware (conditional)',
    deps: { express: '4', csurf: '1' },
    app: (head, f, a) => `import express from 'express';
import csurf from 'csurf';
${head}
const app = express();
app.use(csurf());
app.get('/', (req: express.Request, res: express.Response) => res.send('ok'));
app.use((err: { status: number }, req: express.Request, res: express.Response, next: express.NextFunction) => {
  res.status(err.status === ${f} ? ${a} : err.status).json({ error: 'denied' });
});
export default app;
`,
    cover: /Covered by the error middleware remap at app\.ts:\d+, which answers 401/,
  },
  {
    name: 'Koa middleware (if)',
    deps: { koa: '2', 'koa-csrf': '5' },
    app: (head, f, a) => `import Koa from 'koa';
import CSRF from 'koa-csrf';
${head}
const app = new Koa();
app.use(async (ctx: any, next: () => Promise<void>) => {
  try { await next(); } catch (err: any) { if (err.status === ${f}) err.status = ${a}; throw err; }
});
app.use(new CSRF());
export default app;
`,
    cover: /Covered by the middleware remap at app\.ts:\d+, which answers 401/,
  },
  {
    name: 'Fastify setErrorHandler',
    deps: { fastify: '4', '@fastify/csrf-protection': '6' },
    app: (head, f, a) => `import Fastify from 'fastify';
import csrf from '@fastify/csrf-protection';
${head}
const app = Fastify();
app.register(csrf);
app.setErrorHandler((error: any, request: any, reply: any) => {
  if (error.statusCode === ${f}) return reply.code(${a}).send({ message: 'no' });
  return reply.send(error);
});
export default app;
`,
    cover: /Covered by the setErrorHandler remap at app\.ts:\d+, which answers 401/,
  },
  {
    name: 'hapi onPreResponse',
    deps: { '@hapi/hapi': '21', '@hapi/crumb': '9' },
    app: (head, f, a) => `import Hapi from '@hapi/hapi';
import Crumb from '@hapi/crumb';
${head}
export const init = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register({ plugin: Crumb, options: { restful: true } });
  server.ext('onPreResponse', (request: any, h: any) => { const r = request.response; if (r.isBoom && r.output.statusCode === ${f}) r.output.statusCode = ${a}; return h.continue; });
  await server.start();
};
`,
    cover: /Covered by the server\.ext\('onPreResponse'\) remap at app\.ts:\d+, which answers 401/,
  },
  {
    name: 'Nest global filter',
    deps: { '@nestjs/common': '10', '@nestjs/core': '10', '@nestjs/platform-express': '10', csurf: '1' },
    app: (head, f, a) => `import { NestFactory } from '@nestjs/core';
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import csurf from 'csurf';
${head}
@Catch()
export class AllFilter implements ExceptionFilter {
  catch(err: { status?: number }, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse();
    res.status(err.status === ${f} ? ${a} : 500).json({ message: 'no' });
  }
}
async function bootstrap() {
  const app = await NestFactory.create({} as never);
  app.use(csurf());
  app.useGlobalFilters(new AllFilter());
  await app.listen(3000);
}
bootstrap();
`,
    cover: /Covered by the global exception filter remap at app\.ts:\d+, .*which answers 401/,
  },
];

describe('a remap written with a named 403 or a named answer is a remap', () => {
  for (const framework of FRAMEWORKS)
    it(`${framework.name}: every named spelling covers the csrf 403, with no manual site and no status check`, async () => {
      const failures: string[] = [];
      for (const spelling of SPELLINGS) {
        const report = await run({
          'package.json': JSON.stringify({ dependencies: { ...framework.deps, ...spelling.deps } }),
          'app.ts': framework.app(spelling.head, spelling.forbidden, spelling.answer),
          ...spelling.files,
        });
        const got = {
          manual: manual(report),
          covered: covered(report).filter((c) => framework.cover.test(c)).length,
          checks: (report.statusChecks ?? []).map((c) => c.check),
          fails: checkFails(report),
        };
        if (got.manual.length || got.covered !== 1 || got.checks.length || got.fails)
          failures.push(`${spelling.name}: ${JSON.stringify(got)}`);
      }
      expect(failures).toEqual([]);
    });

  it('a remap of a named 403 to another status is named as one, and its constant stays to review', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1' } }),
      'app.ts': FRAMEWORKS[0].app('const DENIED = 403;\nconst GONE = 410;', 'DENIED', 'GONE'),
    });
    expect(manual(report)).toEqual([
      expect.stringMatching(/^app\.ts:3 'DENIED' holds 403/),
      expect.stringMatching(/maps 403 to 410, not the agreed 401/),
    ]);
  });

  it('in a run that rewrites a 403, the named 403 a remap reads is no status check to review', async () => {
    const failures: string[] = [];
    for (const spelling of SPELLINGS) {
      const report = await run({
        'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1', ...spelling.deps } }),
        'app.ts': FRAMEWORKS[0]
          .app(spelling.head, spelling.forbidden, spelling.answer)
          .replace("res.send('ok'));", "res.status(403).send('no'));"),
        ...spelling.files,
      });
      const got = { manual: manual(report), checks: (report.statusChecks ?? []).map((c) => c.check) };
      if (got.manual.length || got.checks.length || report.census.rewritten !== 1)
        failures.push(`${spelling.name}: ${JSON.stringify(got)}`);
    }
    expect(failures).toEqual([]);
  });

  it('an error handler passed by name from another file reads the constant that file imports', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1' } }),
      'app.js': `const express = require('express');
const csurf = require('csurf');
const { errorHandler } = require('./errors');
const app = express();
app.use(csurf());
app.use(errorHandler);
module.exports = app;
`,
      'errors.ts': `import { DENIED, UNAUTHORIZED } from './codes';
export const errorHandler = (err: any, req: any, res: any, next: any) => {
  if (err.status === DENIED) return res.status(UNAUTHORIZED).send('no');
  next(err);
};
`,
      'codes.ts': 'export const DENIED = 403;\nexport const UNAUTHORIZED = 401;\n',
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      expect.stringMatching(
        /^app\.js:5 Covered by the error middleware remap at app\.js:6, with errorHandler/,
      ),
    ]);
  });

  it('a constant also read outside the remap keeps its manual site', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1' } }),
      'app.ts': FRAMEWORKS[0]
        .app('const DENIED = 403;', 'DENIED', '401')
        .replace('export default app;', 'export const codes = [DENIED];\nexport default app;'),
    });
    expect(manual(report)).toEqual([expect.stringMatching(/^app\.ts:3 'DENIED' holds 403/)]);
    expect(covered(report)).toEqual([expect.stringMatching(/Covered by the error middleware remap/)]);
  });

  it("mtls-fix's runtime guard given a named status (Express, Lambda) answers it, not 'a status it cannot read'", async () => {
    const express = await run({
      'package.json': JSON.stringify({
        dependencies: { express: '4', csurf: '1', 'http-status-codes': '2' },
      }),
      'app.ts': `import express from 'express';
import csurf from 'csurf';
import { StatusCodes } from 'http-status-codes';
import { expressMtlsGuard } from 'mtls-fix/runtime';
const app = express();
app.use(expressMtlsGuard({ status: StatusCodes.UNAUTHORIZED }));
app.use(csurf());
export default app;
`,
    });
    expect(manual(express)).toEqual([]);
    expect(covered(express)).toEqual([
      expect.stringMatching(/Covered by mtls-fix\/runtime expressMtlsGuard/),
    ]);
    const lambda = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1', 'serverless-http': '3' } }),
      'app.js': `const express = require('express');
const csurf = require('csurf');
const app = express();
app.use(csurf());
module.exports = app;
`,
      'handler.ts': `import serverless from 'serverless-http';
import { lambdaMtlsGuard } from 'mtls-fix/runtime';
import { UNAUTHORIZED } from './codes';
const app = require('./app');
export const handler = lambdaMtlsGuard(serverless(app), { status: UNAUTHORIZED });
`,
      'codes.ts': 'export const UNAUTHORIZED = 401;\n',
    });
    expect(manual(lambda)).toEqual([]);
    expect(covered(lambda)).toEqual([expect.stringMatching(/Covered by mtls-fix\/runtime lambdaMtlsGuard/)]);
  });

  it('a NestJS filter for a guard answers a status held by a const of its file', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { '@nestjs/common': '10', '@nestjs/core': '10' } }),
      'src/roles.guard.ts': `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().user?.role === 'admin';
  }
}
`,
      'src/mtls.filter.ts': `import { ArgumentsHost, Catch, ExceptionFilter, ForbiddenException } from '@nestjs/common';
const MTLS_STATUS = 401;
@Catch(ForbiddenException)
export class MtlsForbiddenFilter implements ExceptionFilter {
  catch(e: ForbiddenException, host: ArgumentsHost) {
    host.switchToHttp().getResponse().status(MTLS_STATUS).json(e.getResponse());
  }
}
`,
      'src/app.controller.ts': `import { Controller, Get, UseGuards, UseFilters } from '@nestjs/common';
import { RolesGuard } from './roles.guard';
import { MtlsForbiddenFilter } from './mtls.filter';
@Controller('accounts')
@UseGuards(RolesGuard)
@UseFilters(MtlsForbiddenFilter)
export class AppController {
  @Get()
  list() { return []; }
}
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      expect.stringMatching(/Covered by the exception filter MtlsForbiddenFilter/),
    ]);
  });
});
