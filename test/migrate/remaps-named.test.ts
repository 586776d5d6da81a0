import { describe, expect, it } from 'vitest';
import { checkFails } from '../../src/migrate/report.js';
import { checkRunner, covered, manual } from '../helpers/remap-check.js';

// remaps37: (1) a remap passed by name (a local, an import, a member, a factory's function, a Nest global filter)
// is read as one; (2) a remap that tests only a package's error code, in a file with no 403 form, is read (and
// covers that package's 403 only); (3) SAM Globals: Api: gateway responses and authorizers; (4) a remap to another
// status never covers, and says why.
const run = checkRunner();

const EXPRESS = JSON.stringify({ dependencies: { express: '4', csurf: '1' } });
const expressApp = (imports: string, use: string) => `const express = require('express');
const csurf = require('csurf');
${imports}
const app = express();
app.use(csurf());
app.get('/', (req, res) => res.send('ok'));
app.use(${use});
module.exports = app;
`;
const HANDLER = `(err, req, res, next) => {
  if (err.status === 403) return res.status(401).send('no');
  next(err);
}`;

describe('fault 1: an error handler passed by name is a remap', () => {
  it('Express: a local function, an imported one, a member of an imported module, a factory', async () => {
    const cases: Record<string, string>[] = [
      {
        'app.js': expressApp('', 'errorHandler'),
        'more.js': '',
      },
      {
        'app.js': expressApp("const { errorHandler } = require('./errors');", 'errorHandler'),
        'errors.js': `exports.errorHandler = ${HANDLER};\n`,
      },
      {
        'app.js': expressApp("const handlers = require('./errors');", 'handlers.error'),
        'errors.js': `module.exports = { error: ${HANDLER} };\n`,
      },
      {
        'app.js': expressApp("import { errors } from './errors';", 'errors({ log: true })'),
        'errors.js': `export function errors(options) { return ${HANDLER}; }\n`,
      },
    ];
    cases[0]['app.js'] +=
      `function errorHandler(err, req, res, next) { if (err.status === 403) return res.status(401).send('no'); next(err); }\n`;
    for (const files of cases) {
      const report = await run({ 'package.json': EXPRESS, ...files });
      expect(manual(report)).toEqual([]);
      expect(covered(report)).toEqual([
        expect.stringMatching(
          /^app\.js:5 Covered by the error middleware remap at app\.js:7, .*which answers 401/,
        ),
      ]);
    }
  });

  it('Koa: a factory errors() from another file; Fastify: an imported setErrorHandler; Hono: app.onError(onError)', async () => {
    const koa = await run({
      'package.json': JSON.stringify({ dependencies: { koa: '2', 'koa-csrf': '5' } }),
      'app.js': `const Koa = require('koa');
const CSRF = require('koa-csrf');
const errors = require('./errors');
const app = new Koa();
app.use(errors());
app.use(new CSRF());
`,
      'errors.js': `module.exports = () => async (ctx, next) => {
  try { await next(); } catch (err) { if (err.status === 403) err.status = 401; throw err; }
};
`,
    });
    expect(manual(koa)).toEqual([]);
    expect(covered(koa)).toEqual([
      'app.js:2 Covered by the middleware remap at app.js:5, with errors() (errors.js:1), which answers 401 for this 403.',
    ]);
    const fastify = await run({
      'package.json': JSON.stringify({ dependencies: { fastify: '4', '@fastify/csrf-protection': '6' } }),
      'app.ts': `import Fastify from 'fastify';
import csrf from '@fastify/csrf-protection';
import { handler } from './errors';
const app = Fastify();
app.register(csrf);
app.setErrorHandler(handler);
`,
      'errors.ts': `import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
export const handler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
  if (error.code === 'FST_CSRF_INVALID_TOKEN') return reply.code(401).send({ message: 'no' });
  return reply.send(error);
};
`,
    });
    expect(manual(fastify)).toEqual([]);
    expect(covered(fastify)).toEqual([
      expect.stringMatching(
        /^app\.ts:\d Covered by the setErrorHandler remap at app\.ts:6, with handler \(errors\.ts:2\)/,
      ),
    ]);
    const hono = await run({
      'package.json': JSON.stringify({ dependencies: { hono: '4' } }),
      'app.ts': `import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { onError } from './on-error';
const app = new Hono();
app.use(csrf());
app.onError(onError);
export default app;
`,
      'on-error.ts': `import type { Context } from 'hono';
export function onError(err: Error & { status?: number }, c: Context) {
  if (err.status === 403) return c.text('no', 401);
  return c.text('error', 500);
}
`,
    });
    expect(manual(hono)).toEqual([]);
    expect(covered(hono)).toEqual([
      'app.ts:5 Covered by the app.onError remap at app.ts:6, with onError (on-error.ts:2), which answers 401 for this 403.',
    ]);
  });

  it('NestJS: app.useGlobalFilters(new Filter()) of an @Catch() filter covers csurf on the Nest app; APP_FILTER too', async () => {
    const filter = `import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
@Catch()
export class AllFilter implements ExceptionFilter {
  catch(err: { code?: string }, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse();
    if (err.code === 'EBADCSRFTOKEN') return res.status(401).json({ message: 'no' });
    res.status(500).json({});
  }
}
`;
    const main = (register: string) => `import { NestFactory } from '@nestjs/core';
import csurf from 'csurf';
import { AppModule } from './app.module';
import { AllFilter } from './all.filter';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(csurf());
  ${register}
  await app.listen(3000);
}
bootstrap();
`;
    const pkg = JSON.stringify({
      dependencies: {
        '@nestjs/common': '10',
        '@nestjs/core': '10',
        '@nestjs/platform-express': '10',
        csurf: '1',
      },
    });
    const global = await run({
      'package.json': pkg,
      'src/main.ts': main('app.useGlobalFilters(new AllFilter());'),
      'src/all.filter.ts': filter,
      'src/app.module.ts': 'export class AppModule {}\n',
    });
    expect(manual(global)).toEqual([]);
    expect(covered(global)).toEqual([
      'src/main.ts:7 Covered by the global exception filter remap at src/main.ts:8, with AllFilter (src/all.filter.ts:2), which answers 401 for this 403.',
    ]);
    const provider = await run({
      'package.json': pkg,
      'src/main.ts': main(''),
      'src/all.filter.ts': filter,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AllFilter } from './all.filter';
@Module({ providers: [{ provide: APP_FILTER, useClass: AllFilter }] })
export class AppModule {}
`,
    });
    expect(manual(provider)).toEqual([]);
    // The filter held by a local, and an APP_FILTER provider's useValue: the registrations MtlsGuardFilter's
    // reader (remaps-runtime.ts) already knew, one walk for both (remaps-nest.ts globalFilters).
    const local = await run({
      'package.json': pkg,
      'src/main.ts': main('const filter = new AllFilter(); app.useGlobalFilters(filter);'),
      'src/all.filter.ts': filter,
      'src/app.module.ts': 'export class AppModule {}\n',
    });
    expect(manual(local)).toEqual([]);
    expect(covered(local)).toEqual([
      'src/main.ts:7 Covered by the global exception filter remap at src/main.ts:8, with AllFilter (src/all.filter.ts:2), which answers 401 for this 403.',
    ]);
    const value = await run({
      'package.json': pkg,
      'src/main.ts': main(''),
      'src/all.filter.ts': filter,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AllFilter } from './all.filter';
@Module({ providers: [{ provide: APP_FILTER, useValue: new AllFilter() }] })
export class AppModule {}
`,
    });
    expect(manual(value)).toEqual([]);
    // A filter that catches HttpException only never sees csurf's error.
    const narrow = await run({
      'package.json': pkg,
      'src/main.ts': main('app.useGlobalFilters(new AllFilter());'),
      'src/all.filter.ts': filter
        .replace('@Catch()', '@Catch(HttpException)')
        .replace('ExceptionFilter }', 'ExceptionFilter, HttpException }'),
      'src/app.module.ts': 'export class AppModule {}\n',
    });
    expect(covered(narrow)).toEqual([]);
  });

  it("hapi: server.ext({ type: 'onPreResponse', method }) names its function by shorthand", async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { '@hapi/hapi': '21.3.0', '@hapi/crumb': '9.0.1' } }),
      'server.js': `const Hapi = require('@hapi/hapi');
const Crumb = require('@hapi/crumb');
const method = (request, h) => { const r = request.response; if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = 401; return h.continue; };
const init = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register({ plugin: Crumb, options: { restful: true } });
  server.ext({ type: 'onPreResponse', method });
  await server.start();
};
init();
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      "server.js:2 Covered by the server.ext('onPreResponse') remap at server.js:7, its function method (server.js:3), which answers 401 for this 403.",
    ]);
  });
});

describe('fault 2: a remap that tests only a package error code, in a file with no 403 form', () => {
  it('is read, and covers that package only', async () => {
    const report = await run({
      'package.json': JSON.stringify({
        dependencies: { express: '4', 'express-ipfilter': '1', 'express-oauth2-jwt-bearer': '1' },
      }),
      'server.js': `const express = require('express');
const { IpFilter, IpDeniedError } = require('express-ipfilter');
const routes = require('./routes');
const app = express();
app.use(IpFilter(['10.0.0.1'], { mode: 'allow' }));
app.use(routes);
app.use((err, req, res, next) => {
  if (err instanceof IpDeniedError) return res.status(401).send('no');
  next(err);
});
`,
      'routes.js': `const express = require('express');
const { requiredScopes } = require('express-oauth2-jwt-bearer');
const router = express.Router();
router.get('/a', requiredScopes('read:a'), (req, res) => res.send('a'));
module.exports = router;
`,
    });
    expect(covered(report)).toEqual([
      expect.stringMatching(/^server\.js:2 Covered by the error middleware remap at server\.js:7/),
    ]);
    expect(manual(report)).toEqual([
      expect.stringMatching(
        /^routes\.js:\d .*tests 'IpDeniedError' only, which is not the error of express-oauth2-jwt-bearer/,
      ),
    ]);
  });

  it("csurf's EBADCSRFTOKEN handler in a file with no 403 form, registered by a file with none either", async () => {
    const report = await run({
      'package.json': EXPRESS,
      'server.js': `const express = require('express');
const { csrfErrors } = require('./errors');
const app = express();
app.use(require('./routes'));
app.use(csrfErrors);
app.listen(3000);
`,
      'errors.js': `exports.csrfErrors = function (err, req, res, next) {
  if (err.code !== 'EBADCSRFTOKEN') return next(err);
  res.status(401).send('form tampered with');
};
`,
      'routes.js': `const router = require('express').Router();
router.use(require('csurf')());
router.post('/x', (req, res) => res.send('ok'));
module.exports = router;
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      'routes.js:2 Covered by the error middleware remap at server.js:5, with csrfErrors (errors.js:1), which answers 401 for this 403.',
    ]);
  });
});

describe('fault 4: a remap to another status does not cover', () => {
  it('a named handler at 404 is named; with one at 401 beside it neither counts', async () => {
    const wrong = await run({
      'package.json': EXPRESS,
      'app.js': expressApp("const { errorHandler } = require('./errors');", 'errorHandler'),
      'errors.js': `exports.errorHandler = ${HANDLER.replace('401', '404')};\n`,
    });
    expect(covered(wrong)).toEqual([]);
    expect(manual(wrong)).toEqual([
      expect.stringMatching(
        /remap at app\.js:7, with errorHandler \(errors\.js:1\) maps 403 to 404, not the agreed 401: make it 401\./,
      ),
    ]);
    const both = await run({
      'package.json': EXPRESS,
      'app.js': expressApp(
        "const { errorHandler, fallback } = require('./errors');",
        'errorHandler);\napp.use(fallback',
      ),
      'errors.js': `exports.errorHandler = ${HANDLER.replace('401', '404')};\nexports.fallback = ${HANDLER};\n`,
    });
    expect(covered(both)).toEqual([]);
    expect(manual(both)).toEqual([
      expect.stringMatching(
        /maps 403 to 404, not the agreed 401: make it 401\. The error middleware remap at app\.js:8, with fallback \(errors\.js:\d+\) answers 401, but mtls-fix does not read which of them answers first, so neither counts\./,
      ),
    ]);
  });
});

describe('fault 3: SAM Globals: Api: gateway responses and authorizers', () => {
  const AUTHORIZER = `module.exports.handler = async (event) => {
  const ok = event.authorizationToken === 'x';
  return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: ok ? 'Allow' : 'Deny', Resource: event.methodArn }] } };
};
`;
  const template = (status: string, events: string) => `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    GatewayResponses:
      ACCESS_DENIED:
        StatusCode: '${status}'
    Auth:
      DefaultAuthorizer: Tok
      Authorizers:
        Tok:
          FunctionArn: !GetAtt AuthFunction.Arn
Resources:
  AuthFunction:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: auth.handler, Runtime: nodejs18.x }
  ListFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: list.handler
      Runtime: nodejs18.x
      Events:
${events}
`;
  const IMPLICIT = `        List:
          Type: Api
          Properties: { Path: /items, Method: get }`;

  it('a global ACCESS_DENIED covers the authorizer the implicit API runs; one at another status is named', async () => {
    const own = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': template('401', IMPLICIT),
    });
    expect(manual(own)).toEqual([]);
    expect(covered(own)).toEqual([
      'auth.js:3 Covered by the ACCESS_DENIED gateway response at template.yaml:6, which answers 401 for an authorizer Deny on the REST API that runs this authorizer.',
    ]);
    expect(checkFails(own)).toBe(false);
    const wrong = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': template('404', IMPLICIT),
    });
    expect(manual(wrong)).toEqual([
      expect.stringMatching(
        /The ACCESS_DENIED gateway response at template\.yaml:6 \(REST API ServerlessRestApi\) answers 404, not the agreed 401: make it 401\./,
      ),
    ]);
  });

  it('an authorizer no event uses (Authorizer: NONE) is tied to no API, and the reason says so', async () => {
    const none = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': template(
        '401',
        IMPLICIT.replace('Method: get }', 'Method: get, Auth: { Authorizer: NONE } }'),
      ),
    });
    expect(covered(none)).toEqual([]);
    expect(manual(none)).toEqual([expect.stringMatching(/cannot tell which REST API runs this authorizer/)]);
  });
});
