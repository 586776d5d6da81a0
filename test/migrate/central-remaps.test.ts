import { describe, expect, it } from 'vitest';
import { checkFails } from '../../src/migrate/report.js';
import { checkRunner, covered, manual } from '../helpers/remap-check.js';

// breaker35 #02: the central remap migrate itself recommends for an implicit 403 (remaps.ts) must settle the sites
// it covers (reported as covered, --check passes); a remap to another status is named; a Nest filter is not
// reported as missing the renamed class when the run renames nothing; every uncovered implicit site says how to
// acknowledge it once handled.
const run = checkRunner();

const NEST_PACKAGE = JSON.stringify({
  dependencies: { '@nestjs/common': '10.3.0', '@nestjs/core': '10.3.0' },
});
const GUARD = `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().user?.role === 'admin';
  }
}
`;
const filter = (
  status: number,
) => `import { ArgumentsHost, Catch, ExceptionFilter, ForbiddenException } from '@nestjs/common';
@Catch(ForbiddenException)
export class MtlsForbiddenFilter implements ExceptionFilter {
  catch(e: ForbiddenException, host: ArgumentsHost) {
    host.switchToHttp().getResponse().status(${status}).json(e.getResponse());
  }
}
`;
const controller = (
  filters: string,
  extra = '',
) => `import { Controller, Get, UseGuards, UseFilters, ForbiddenException } from '@nestjs/common';
import { RolesGuard } from './roles.guard';
import { MtlsForbiddenFilter } from './mtls.filter';
@Controller('accounts')
@UseGuards(RolesGuard)
${filters}
export class AppController {
  @Get()
  list() { ${extra} return []; }
}
`;

describe('NestJS: the recommended ForbiddenException filter', () => {
  it('covers a guard on the controller it is used on, with no filter warning when nothing is renamed', async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/mtls.filter.ts': filter(401),
      'src/app.controller.ts': controller('@UseFilters(MtlsForbiddenFilter)'),
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      expect.stringMatching(
        /^src\/roles\.guard\.ts:4 Covered by the exception filter MtlsForbiddenFilter \(src\/mtls\.filter\.ts:2, in @UseFilters on AppController/,
      ),
    ]);
    expect(report.census.manual).toBe(0);
    expect(report.census.notAnEmit.remap).toBe(1);
    expect(checkFails(report)).toBe(false);
  });

  it('covers it through useGlobalFilters', async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/mtls.filter.ts': filter(401),
      'src/app.controller.ts': controller(''),
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { MtlsForbiddenFilter } from './mtls.filter';
async function bootstrap() { const app = await NestFactory.create({} as never); app.useGlobalFilters(new MtlsForbiddenFilter()); }
bootstrap();
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      expect.stringMatching(/registered for the whole app at src\/main\.ts:3/),
    ]);
  });

  it('names a filter that answers another status, and a guard no filter covers says how to acknowledge it', async () => {
    const wrong = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/mtls.filter.ts': filter(404),
      'src/app.controller.ts': controller('@UseFilters(MtlsForbiddenFilter)'),
    });
    expect(manual(wrong)).toEqual([
      expect.stringMatching(
        /MtlsForbiddenFilter answers 404, not the agreed 401: make it answer 401\..*mtls-fix-ignore: <why>/,
      ),
    ]);
    const none = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/mtls.filter.ts': filter(401),
      'src/app.controller.ts': controller(''),
    });
    expect(manual(none)).toEqual([
      expect.stringMatching(/^src\/roles\.guard\.ts:4 Implicit 403.*mtls-fix-ignore: <why>/),
    ]);
  });

  // Session 41: a throw in a handler of the filtered controller is the filter's to answer (covered, not renamed:
  // nest-route-filters.test.ts); one in a service may be reached from any route, so it is renamed, and the filter
  // no longer catches it.
  it('keeps the filter warning when the run renames a ForbiddenException the filter caught', async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/mtls.filter.ts': filter(401),
      'src/app.controller.ts': controller('@UseFilters(MtlsForbiddenFilter)'),
      'src/app.service.ts': `import { ForbiddenException, Injectable } from '@nestjs/common';
@Injectable()
export class AppService {
  check() { if (Math.random()) throw new ForbiddenException('no'); }
}
`,
    });
    expect(manual(report)).toEqual([
      expect.stringMatching(
        /^src\/mtls\.filter\.ts:2 This exception filter catches ForbiddenException; the throws mtls-fix rewrites raise UnauthorizedException/,
      ),
    ]);
  });
});

const HAPI_PACKAGE = JSON.stringify({ dependencies: { '@hapi/hapi': '21.3.0', '@hapi/crumb': '9.0.1' } });
const hapi = (status: number) => `const Hapi = require('@hapi/hapi');
const Crumb = require('@hapi/crumb');
const init = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register({ plugin: Crumb, options: { restful: true } });
  server.route({ method: 'GET', path: '/c', options: { auth: { strategy: 'jwt', access: { scope: ['admin'] } } }, handler: () => 'ok' });
  server.ext('onPreResponse', (request, h) => { const r = request.response; if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = ${status}; return h.continue; });
  await server.start();
};
init();
`;

describe('hapi: the recommended onPreResponse remap', () => {
  it('covers crumb and route scope on the same server; its === 403 is a remap in the census', async () => {
    const report = await run({ 'package.json': HAPI_PACKAGE, 'server.js': hapi(401) });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      "server.js:2 Covered by the server.ext('onPreResponse') remap at server.js:7, which answers 401 for this 403.",
      "server.js:6 Covered by the server.ext('onPreResponse') remap at server.js:7, which answers 401 for this 403.",
    ]);
    expect(report.census.notAnEmit).toEqual({ remap: 1 });
    expect(report.statusChecks ?? []).toEqual([]);
    expect(checkFails(report)).toBe(false);
  });

  it('names a remap to another status', async () => {
    const report = await run({ 'package.json': HAPI_PACKAGE, 'server.js': hapi(404) });
    expect(manual(report)).toHaveLength(2);
    for (const reason of manual(report))
      expect(reason).toMatch(/remap at server\.js:7 maps 403 to 404, not the agreed 401: make it 401\./);
  });
});

describe('Express and Fastify: error handlers that map the CSRF 403', () => {
  it('covers csurf with an Express error middleware', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1' } }),
      'app.js': `const express = require('express');
const csurf = require('csurf');
const app = express();
app.use(csurf());
app.get('/', (req, res) => res.send('ok'));
app.use((err, req, res, next) => { if (err.code === 'EBADCSRFTOKEN') return res.status(401).send('no'); next(err); });
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      expect.stringMatching(/^app\.js:4 Covered by the error middleware remap at app\.js:6/),
    ]);
  });

  it('covers @fastify/csrf-protection with setErrorHandler', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { fastify: '4', '@fastify/csrf-protection': '6' } }),
      'app.js': `const fastify = require('fastify')();
fastify.register(require('@fastify/csrf-protection'));
fastify.setErrorHandler((error, request, reply) => { reply.code(error.statusCode === 403 ? 401 : 500).send(error); });
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      expect.stringMatching(/Covered by the setErrorHandler remap at app\.js:3/),
    ]);
  });
});

describe('Koa and Hono: the middleware and onError remaps', () => {
  it('covers koa-csrf with an earlier try/catch middleware and hono/csrf with app.onError', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { koa: '2', 'koa-csrf': '5', hono: '4' } }),
      'app.js': `const Koa = require('koa');
const CSRF = require('koa-csrf');
const app = new Koa();
app.use(async (ctx, next) => { try { await next(); } catch (err) { if (err.status === 403) err.status = 401; throw err; } });
app.use(new CSRF());
`,
      'h.ts': `import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
const app = new Hono();
app.use(csrf());
app.onError((err, c) => { if ((err as { status?: number }).status === 403) return c.text('no', 401); return c.text('x', 500); });
export default app;
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      'app.js:2 Covered by the middleware remap at app.js:4, which answers 401 for this 403.',
      'h.ts:4 Covered by the app.onError remap at h.ts:5, which answers 401 for this 403.',
    ]);
    expect(report.census.notAnEmit).toEqual({ remap: 2 });
  });

  it('a status check after next() does not cover a 403 koa-csrf throws', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { koa: '2', 'koa-csrf': '5' } }),
      'app.js': `const Koa = require('koa');
const CSRF = require('koa-csrf');
const app = new Koa();
app.use(async (ctx, next) => { await next(); if (ctx.status === 403) ctx.status = 401; });
app.use(new CSRF());
`,
    });
    expect(manual(report)).toEqual([expect.stringMatching(/^app\.js:2 Implicit 403: koa-csrf/)]);
  });
});

describe('API Gateway: an ACCESS_DENIED gateway response settles an authorizer Deny', () => {
  const AUTHORIZER = `module.exports.handler = async (event) => {
  const ok = event.authorizationToken === 'x';
  return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: ok ? 'Allow' : 'Deny', Resource: event.methodArn }] } };
};
`;
  const serverless = (status: string) => `service: s
provider:
  name: aws
  runtime: nodejs18.x
functions:
  auth:
    handler: auth.handler
  list:
    handler: list.handler
    events:
      - http: { path: items, method: get, authorizer: auth }
resources:
  Resources:
    DeniedResponse:
      Type: AWS::ApiGateway::GatewayResponse
      Properties:
        ResponseType: ACCESS_DENIED
        StatusCode: '${status}'
        RestApiId:
          Ref: ApiGatewayRestApi
`;

  it('covers it with a 401 in serverless.yml resources', async () => {
    const report = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'serverless.yml': serverless('401'),
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      'auth.js:3 Covered by the ACCESS_DENIED gateway response at serverless.yml:18, which answers 401 for an authorizer Deny on the REST API that runs this authorizer.',
    ]);
    expect(checkFails(report)).toBe(false);
  });

  it('covers it with a CDK addGatewayResponse, and names one at another status', async () => {
    const cdk = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'lib/stack.ts': `import * as path from 'path';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
export function wire(scope: never) {
  const api = new apigateway.RestApi(scope, 'api');
  const authFn = new NodejsFunction(scope, 'auth', { entry: path.join(__dirname, '..', 'auth.js') });
  const auth = new apigateway.TokenAuthorizer(scope, 'tok', { handler: authFn });
  api.root.addMethod('GET', undefined, { authorizer: auth });
  api.addGatewayResponse('denied', { type: apigateway.ResponseType.ACCESS_DENIED, statusCode: '401' });
}
`,
    });
    expect(manual(cdk)).toEqual([]);
    const wrong = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'serverless.yml': serverless('404'),
    });
    expect(manual(wrong)).toEqual([
      expect.stringMatching(
        /The ACCESS_DENIED gateway response at serverless\.yml:18 \(REST API ApiGatewayRestApi\) answers 404, not the agreed 401: make it 401\..*mtls-fix-ignore: <why>/,
      ),
    ]);
  });
});
