import { describe, expect, it } from 'vitest';
import { checkRunner, covered, manual } from '../helpers/remap-check.js';

// fix39c (breaker39 04): mtls-fix's own runtime guards (mtls-fix/runtime) are remaps of every 403 their app writes.
// Before, README's own remedy left `migrate --check` red: every implicit site stayed manual, and no advice named
// the guard.
const run = checkRunner();

const EXPRESS = JSON.stringify({ dependencies: { express: '4', csurf: '1', 'mtls-fix': '0.1' } });
const express = (imports: string, before: string, after = '') => `const express = require('express');
const csurf = require('csurf');
${imports}
const app = express();
${before}
app.use(csurf());
${after}
app.get('/', (req, res) => res.send('ok'));
module.exports = app;
`;

describe('Express: expressMtlsGuard registered before the site', () => {
  it('is read in every spelling: require, import alias, namespace, a local, a project re-export', async () => {
    const cases: Record<string, string>[] = [
      {
        'app.js': express(
          "const { expressMtlsGuard } = require('mtls-fix/runtime');",
          'app.use(expressMtlsGuard());',
        ),
      },
      {
        'app.js': express(
          "import { expressMtlsGuard as guard } from 'mtls-fix/runtime';",
          'app.use(guard());',
        ),
      },
      {
        'app.js': express(
          "import * as rt from 'mtls-fix/runtime';\nconst mtls = rt.expressMtlsGuard({ wwwAuthenticate: 'Bearer' });",
          'app.use(mtls);',
        ),
      },
      {
        'app.js': express(
          "const { expressMtlsGuard } = require('./guards');",
          'app.use(expressMtlsGuard());',
        ),
        'guards.js': "export { expressMtlsGuard } from 'mtls-fix/runtime';\n",
      },
    ];
    for (const files of cases) {
      const report = await run({ 'package.json': EXPRESS, ...files });
      expect(manual(report)).toEqual([]);
      expect(covered(report)).toEqual([
        expect.stringMatching(
          /^app\.js:[67] Covered by mtls-fix\/runtime expressMtlsGuard at app\.js:[56], which answers 401 to clients with a verified certificate\.$/,
        ),
      ]);
    }
  });

  it('registered after the site, at another status, or with a status it cannot read: named, not covered', async () => {
    const imports = "const { expressMtlsGuard } = require('mtls-fix/runtime');";
    const late = await run({
      'package.json': EXPRESS,
      'app.js': express(imports, '', 'app.use(expressMtlsGuard());'),
    });
    expect(covered(late)).toEqual([]);
    expect(manual(late)).toEqual([
      expect.stringMatching(
        /The mtls-fix\/runtime expressMtlsGuard at app\.js:7 does not reach this 403: it is registered after this 403's middleware or route \(line 6\) on app, .*mount it first\./,
      ),
    ]);
    const other = await run({
      'package.json': EXPRESS,
      'app.js': express(imports, 'app.use(expressMtlsGuard({ status: 404 }));'),
    });
    expect(manual(other)).toEqual([
      expect.stringMatching(
        /The mtls-fix\/runtime expressMtlsGuard at app\.js:5 maps 403 to 404, not the agreed 401: make it 401\./,
      ),
    ]);
    const unread = await run({
      'package.json': EXPRESS,
      'app.js': express(imports, 'app.use(expressMtlsGuard({ status: config.status }));'),
    });
    expect(manual(unread)).toEqual([
      expect.stringMatching(/is given status config\.status, which mtls-fix cannot read/),
    ]);
  });

  it('trustHeader is named in the cover; a guard of another framework does not cover', async () => {
    const trusted = await run({
      'package.json': EXPRESS,
      'app.js': express(
        "const { expressMtlsGuard } = require('mtls-fix/runtime');",
        "app.use(expressMtlsGuard({ trustHeader: { name: 'X-SSL-Client-Verify', value: 'SUCCESS' } }));",
      ),
    });
    expect(covered(trusted)).toEqual([
      expect.stringMatching(/or with the header .*X-SSL-Client-Verify.* its trustHeader names/),
    ]);
    const koaGuard = await run({
      'package.json': EXPRESS,
      'app.js': express("const { koaMtlsGuard } = require('mtls-fix/runtime');", 'app.use(koaMtlsGuard());'),
    });
    expect(covered(koaGuard)).toEqual([]);
  });
});

describe('Koa, Fastify, Hono, Lambda and node wrappers', () => {
  it('koaMtlsGuard upstream, fastifyMtlsGuard on the instance, honoMtlsGuard, lambdaMtlsGuard(serverless(app))', async () => {
    const koa = await run({
      'package.json': JSON.stringify({ dependencies: { koa: '2', 'koa-csrf': '5' } }),
      'app.js': `const Koa = require('koa');
const CSRF = require('koa-csrf');
const { koaMtlsGuard } = require('mtls-fix/runtime');
const app = new Koa();
app.use(koaMtlsGuard());
app.use(new CSRF());
`,
    });
    expect(manual(koa)).toEqual([]);
    expect(covered(koa)).toEqual([
      expect.stringMatching(/^app\.js:2 Covered by mtls-fix\/runtime koaMtlsGuard at app\.js:5/),
    ]);
    const fastify = await run({
      'package.json': JSON.stringify({ dependencies: { fastify: '4', '@fastify/csrf-protection': '6' } }),
      'app.ts': `import Fastify from 'fastify';
import csrf from '@fastify/csrf-protection';
import { fastifyMtlsGuard } from 'mtls-fix/runtime';
const app = Fastify();
app.register(fastifyMtlsGuard, { status: 401 });
app.register(csrf);
`,
    });
    expect(manual(fastify)).toEqual([]);
    expect(covered(fastify)).toEqual([
      expect.stringMatching(/Covered by mtls-fix\/runtime fastifyMtlsGuard at app\.ts:5/),
    ]);
    const hono = await run({
      'package.json': JSON.stringify({ dependencies: { hono: '4' } }),
      'app.ts': `import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { honoMtlsGuard } from 'mtls-fix/runtime';
const app = new Hono();
app.use(honoMtlsGuard());
app.use(csrf());
export default app;
`,
    });
    expect(manual(hono)).toEqual([]);
    expect(covered(hono)).toEqual([
      'app.ts:6 Covered by mtls-fix/runtime honoMtlsGuard at app.ts:5, which answers 401 to clients with a verified certificate.',
    ]);
    const lambda = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1', 'serverless-http': '3' } }),
      'app.js': express('', ''),
      'handler.js': `const serverless = require('serverless-http');
const { lambdaMtlsGuard } = require('mtls-fix/runtime');
const app = require('./app');
exports.handler = lambdaMtlsGuard(serverless(app));
`,
    });
    expect(manual(lambda)).toEqual([]);
    expect(covered(lambda)).toEqual([
      expect.stringMatching(/Covered by mtls-fix\/runtime lambdaMtlsGuard at handler\.js:4/),
    ]);
  });
});

describe('NestJS: MtlsGuardFilter for the whole app covers a guard that returns false', () => {
  const nest = (main: string, module = '') => ({
    'package.json': JSON.stringify({
      dependencies: { '@nestjs/common': '10', '@nestjs/core': '10', 'mtls-fix': '0.1' },
    }),
    'src/teller.guard.ts': `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class TellerGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    return ctx.switchToHttp().getRequest().user?.role === 'teller';
  }
}
`,
    'src/accounts.controller.ts': `import { Controller, Get, UseGuards } from '@nestjs/common';
import { TellerGuard } from './teller.guard';
@Controller('accounts')
export class AccountsController {
  @Get() @UseGuards(TellerGuard) list() { return []; }
}
`,
    'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MtlsGuardFilter } from 'mtls-fix/runtime';
import { AccountsController } from './accounts.controller';
@Module({ controllers: [AccountsController], providers: [${module}] })
export class AppModule {}
`,
    'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { MtlsGuardFilter } from 'mtls-fix/runtime';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  ${main}
  await app.listen(3000);
}
bootstrap();
`,
  });

  it('useGlobalFilters(new MtlsGuardFilter()) and APP_FILTER: covered; at another status: named', async () => {
    const global = await run(nest('app.useGlobalFilters(new MtlsGuardFilter());'));
    expect(manual(global)).toEqual([]);
    expect(covered(global)).toEqual([
      'src/teller.guard.ts:4 Covered by mtls-fix/runtime MtlsGuardFilter (useGlobalFilters) at src/main.ts:6, which answers 401 to clients with a verified certificate.',
    ]);
    const provider = await run(nest('', '{ provide: APP_FILTER, useClass: MtlsGuardFilter }'));
    expect(covered(provider)).toEqual([
      expect.stringMatching(/MtlsGuardFilter \(APP_FILTER\) at src\/app\.module\.ts:5/),
    ]);
    const other = await run(nest('app.useGlobalFilters(new MtlsGuardFilter({ status: 404 }));'));
    expect(covered(other)).toEqual([]);
    expect(manual(other)).toEqual([
      expect.stringMatching(/MtlsGuardFilter at src\/main\.ts:6 maps 403 to 404, not the agreed 401/),
    ]);
  });
});

describe('advice', () => {
  it('every implicit-403 advice a runtime guard can settle offers it beside the hand-written remap', async () => {
    const report = await run({ 'package.json': EXPRESS, 'app.js': express('', '') });
    expect(manual(report)).toEqual([expect.stringMatching(/mtls-fix\/runtime/)]);
  });
});
