import { describe, expect, it } from 'vitest';
import { checkFails } from '../../src/migrate/report.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { checkRunner, covered, manual } from '../helpers/remap-check.js';

// Session 41 (nest41 #1): an exception filter applied to one controller or one handler (`@UseFilters(F)`,
// `@UseFilters(new F())`) answers the HttpExceptions of exactly the routes it is applied to, in Nest's order (the
// handler's filters, then the controller's, then the global ones; the first whose @Catch takes the exception
// answers). A filter that answers the agreed status covers the guard sites and the thrown 403s of those routes
// and no others; one that keeps the 403 (rethrows it, writes 403 itself or the exception's own status) or that
// mtls-fix cannot read is named; mtls-fix's own MtlsGuardFilter is read there too.
const run = checkRunner();

const NEST_PACKAGE = JSON.stringify({
  dependencies: {
    '@nestjs/common': '10.3.0',
    '@nestjs/core': '10.3.0',
    '@nestjs/platform-express': '10.3.0',
  },
});

const GUARD = `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().user?.role === 'admin';
  }
}
`;

/** A filter of ForbiddenException written as the NestJS docs write one: the HTTP context held, then its response. */
const filter = (name: string, caught: string, body: string): string => `import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  ForbiddenException,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import { Response } from 'express';

@Catch(${caught})
export class ${name} implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
${body}
  }
}
`;

const REMAP = filter(
  'ForbiddenFilter',
  'ForbiddenException',
  '    response.status(HttpStatus.UNAUTHORIZED).json({ message: exception.message });',
);

/** Each site as `file:line action`, in report order. */
const actions = (report: MigrateReport): string[] =>
  report.sites.map((s) => `${s.file}:${s.line} ${s.action}`);

describe('NestJS: a filter on one controller covers exactly its routes', () => {
  it('covers the guard and the throws of the filtered controller; another controller is rewritten', async () => {
    const files = {
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/forbidden.filter.ts': REMAP,
      'src/accounts.controller.ts': `import { Controller, ForbiddenException, Get, UseFilters, UseGuards } from '@nestjs/common';
import { RolesGuard } from './roles.guard';
import { ForbiddenFilter } from './forbidden.filter';

@Controller('accounts')
@UseFilters(ForbiddenFilter)
export class AccountsController {
  @Get()
  @UseGuards(RolesGuard)
  list() {
    return [];
  }

  @Get(':id')
  one() {
    if (Math.random() > 2) throw new ForbiddenException('not yours');
    return this.check();
  }

  private check() {
    if (Math.random() > 2) throw new ForbiddenException('not yours');
    return {};
  }
}
`,
      'src/orders.controller.ts': `import { Controller, ForbiddenException, Get } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  @Get()
  list() {
    if (Math.random() > 2) throw new ForbiddenException('no');
    return [];
  }
}
`,
    };
    const report = await run(files);
    expect(actions(report)).toEqual([
      'src/accounts.controller.ts:16 ignored',
      'src/accounts.controller.ts:21 ignored',
      'src/orders.controller.ts:7 would-rewrite',
      'src/roles.guard.ts:4 ignored',
    ]);
    expect(covered(report)).toEqual([
      'src/accounts.controller.ts:16 Covered by the exception filter ForbiddenFilter (src/forbidden.filter.ts:11, in @UseFilters on AccountsController in src/accounts.controller.ts), which answers 401 for ForbiddenException on the route one.',
      'src/accounts.controller.ts:21 Covered by the exception filter ForbiddenFilter (src/forbidden.filter.ts:11, in @UseFilters on AccountsController in src/accounts.controller.ts), which answers 401 for ForbiddenException on the route check.',
      'src/roles.guard.ts:4 Covered by the exception filter ForbiddenFilter (src/forbidden.filter.ts:11, in @UseFilters on AccountsController in src/accounts.controller.ts), which answers 401 for ForbiddenException on every route this guard guards.',
    ]);
    // The renamed throw of OrdersController never reaches the filter (not on its routes, not global): no note at
    // its @Catch(ForbiddenException).
    expect(manual(report)).toEqual([]);
    expect(report.census).toMatchObject({ rewritten: 1, ignored: 2 });

    // The guard used on the other controller too: that route has no filter, so the guard's 403 stands there.
    const shared = await run({
      ...files,
      'src/orders.controller.ts': files['src/orders.controller.ts']
        .replace(
          "import { Controller, ForbiddenException, Get } from '@nestjs/common';",
          "import { Controller, ForbiddenException, Get, UseGuards } from '@nestjs/common';\nimport { RolesGuard } from './roles.guard';",
        )
        .replace('  @Get()\n', '  @Get()\n  @UseGuards(RolesGuard)\n'),
    });
    expect(manual(shared)).toEqual([
      expect.stringMatching(
        /^src\/roles\.guard\.ts:4 Implicit 403: RolesGuard\.canActivate .*Applied to 2 routes in 2 files/,
      ),
    ]);
    expect(checkFails(shared)).toBe(true);

    // Registered for the whole app as well, the filter receives the renamed throw: the note stays.
    const global = await run({
      ...files,
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { ForbiddenFilter } from './forbidden.filter';
async function bootstrap() {
  const app = await NestFactory.create({} as never);
  app.useGlobalFilters(new ForbiddenFilter());
}
bootstrap();
`,
    });
    expect(manual(global)).toEqual([
      expect.stringMatching(
        /^src\/forbidden\.filter\.ts:11 This exception filter catches ForbiddenException/,
      ),
    ]);
  });

  it('a filter on one handler covers that handler only, and wins over the controller filter', async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/forbidden.filter.ts': REMAP,
      'src/rethrow.filter.ts': filter(
        'RethrowFilter',
        'ForbiddenException',
        "    if (exception.message === 'soft') {\n      response.status(401).json({});\n      return;\n    }\n    throw exception;",
      ),
      'src/a.controller.ts': `import { Controller, ForbiddenException, Get, UseFilters, UseGuards } from '@nestjs/common';
import { RolesGuard } from './roles.guard';
import { ForbiddenFilter } from './forbidden.filter';
import { RethrowFilter } from './rethrow.filter';

@Controller('a')
@UseFilters(ForbiddenFilter)
export class AController {
  @Get('x')
  @UseGuards(RolesGuard)
  @UseFilters(new RethrowFilter())
  x() {
    if (Math.random() > 2) throw new ForbiddenException();
    return 1;
  }

  @Get('y')
  y() {
    if (Math.random() > 2) throw new ForbiddenException();
    return 2;
  }
}
`,
    });
    expect(actions(report)).toEqual([
      'src/a.controller.ts:13 would-rewrite',
      'src/a.controller.ts:19 ignored',
      'src/forbidden.filter.ts:11 manual',
      'src/rethrow.filter.ts:11 manual',
      'src/roles.guard.ts:4 manual',
    ]);
    const guard = manual(report).find((r) => r.startsWith('src/roles.guard.ts'));
    expect(guard).toContain(
      'The exception filter RethrowFilter (src/rethrow.filter.ts:11, in @UseFilters on x in src/a.controller.ts) catches ForbiddenException but rethrows it (throw exception; at src/rethrow.filter.ts:20), so the 403 stands.',
    );
  });
});

describe('NestJS: filters that keep the 403, filters not read, and the runtime filter', () => {
  const controller = (
    filters: string,
    imports: string,
  ): string => `import { Controller, Get, UseFilters, UseGuards } from '@nestjs/common';
import { RolesGuard } from './roles.guard';
${imports}

@Controller('c')
@UseGuards(RolesGuard)
${filters}
export class CController {
  @Get()
  list() {
    return [];
  }
}
`;

  it('a filter that writes 403 itself: its 403 is rewritten, and covers the guard once written; ignored, it is named', async () => {
    const files = (line: string) => ({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/keep.filter.ts': filter('KeepFilter', 'ForbiddenException', line),
      'src/c.controller.ts': controller(
        '@UseFilters(KeepFilter)',
        "import { KeepFilter } from './keep.filter';",
      ),
    });
    const report = await run(files('    response.status(403).json({ message: exception.message });'));
    expect(report.sites.find((s) => s.file === 'src/keep.filter.ts' && s.line === 16)).toMatchObject({
      framework: 'nestjs',
      action: 'would-rewrite',
      replacement: 'response.status(401)',
    });
    expect(covered(report)).toEqual([
      'src/roles.guard.ts:4 Covered by the exception filter KeepFilter (src/keep.filter.ts:11, in @UseFilters on CController in src/c.controller.ts), which answers 401 for ForbiddenException on every route this guard guards once its response.status(403) at src/keep.filter.ts:16 is rewritten, as this run does.',
    ]);
    // Kept on purpose, the filter's 403 stands: the guard is named, not covered.
    const kept = await run(
      files(
        '    // mtls-fix-ignore: the legacy client reads 403\n    response.status(403).json({ message: exception.message });',
      ),
    );
    expect(covered(kept)).toEqual(['src/keep.filter.ts:17 mtls-fix-ignore: the legacy client reads 403']);
    expect(manual(kept)).toEqual([
      expect.stringMatching(
        /^src\/roles\.guard\.ts:4 Implicit 403.* The exception filter KeepFilter \(src\/keep\.filter\.ts:11, in @UseFilters on CController in src\/c\.controller\.ts\) catches ForbiddenException but writes 403 itself \(response\.status\(403\) at src\/keep\.filter\.ts:17\), so the 403 stands until that status answers 401 \(it is a site of its own: once it is rewritten, a run reads the filter as covering this\)\./,
      ),
    ]);
  });

  it("a pass-through filter (the exception's own status, BaseExceptionFilter) covers nothing and is named", async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/http.filter.ts': filter(
        'HttpFilter',
        'HttpException',
        '    const status = exception.getStatus();\n    response.status(status).json({ statusCode: status });',
      ),
      'src/base.filter.ts': `import { Catch, ForbiddenException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
@Catch(ForbiddenException)
export class BaseFilter extends BaseExceptionFilter {}
`,
      'src/c.controller.ts': controller(
        '@UseFilters(new BaseFilter(), new HttpFilter())',
        "import { HttpFilter } from './http.filter';\nimport { BaseFilter } from './base.filter';",
      ),
    });
    // The last filter of the list is tried first: HttpFilter. Its status slot passes any 403 on: named, as the
    // same filter written with host.switchToHttp().getResponse() in one expression always was.
    expect(manual(report)).toEqual([
      expect.stringMatching(/^src\/http\.filter\.ts:17 Dynamic status/),
      expect.stringMatching(
        /The exception filter HttpFilter \(src\/http\.filter\.ts:11, in @UseFilters on CController in src\/c\.controller\.ts\) catches ForbiddenException but writes the exception's own status \(response\.status\(status\) at src\/http\.filter\.ts:17\), so the 403 stands\./,
      ),
    ]);
    const base = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/base.filter.ts': `import { Catch, ForbiddenException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
@Catch(ForbiddenException)
export class BaseFilter extends BaseExceptionFilter {}
`,
      'src/c.controller.ts': controller(
        '@UseFilters(BaseFilter)',
        "import { BaseFilter } from './base.filter';",
      ),
    });
    expect(manual(base)).toEqual([
      expect.stringMatching(
        /catches ForbiddenException but extends BaseExceptionFilter, whose catch answers the exception's own status, so the 403 stands\./,
      ),
    ]);
  });

  it('a filter mtls-fix cannot read is named, and covers nothing', async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/c.controller.ts': controller(
        '@UseFilters(new SentryFilter())',
        "import { SentryFilter } from '@acme/nest-sentry';",
      ),
    });
    expect(manual(report)).toEqual([
      expect.stringMatching(
        /mtls-fix cannot read what the exception filter SentryFilter \(in @UseFilters on CController in src\/c\.controller\.ts\) answers for ForbiddenException \(its class, imported from '@acme\/nest-sentry', is not read\), so it counts for no status\./,
      ),
    ]);
  });

  it('@UseFilters(MtlsGuardFilter) on a controller covers its guard; at another status it is named', async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/c.controller.ts': controller(
        '@UseFilters(MtlsGuardFilter)',
        "import { MtlsGuardFilter } from 'mtls-fix/runtime';",
      ),
    });
    expect(covered(report)).toEqual([
      'src/roles.guard.ts:4 Covered by mtls-fix/runtime MtlsGuardFilter (in @UseFilters on CController in src/c.controller.ts), which answers 401 for ForbiddenException on every route this guard guards (mtls-fix/runtime MtlsGuardFilter: to clients with a verified certificate).',
    ]);
    const other = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/c.controller.ts': controller(
        '@UseFilters(new MtlsGuardFilter({ status: 404 }))',
        "import { MtlsGuardFilter } from 'mtls-fix/runtime';",
      ),
    });
    expect(manual(other)).toEqual([
      expect.stringMatching(/MtlsGuardFilter answers 404, not the agreed 401: make it answer 401\./),
    ]);
  });

  it('new HttpException(…, 403) is caught by an HttpException filter, not by a ForbiddenException one', async () => {
    const thrower = (
      filters: string,
      imports: string,
    ): string => `import { Controller, Get, HttpException, HttpStatus, UseFilters } from '@nestjs/common';
${imports}

@Controller('h')
${filters}
export class HController {
  @Get()
  list() {
    if (Math.random() > 2) throw new HttpException('no', HttpStatus.FORBIDDEN);
    return [];
  }
}
`;
    const forbiddenOnly = await run({
      'package.json': NEST_PACKAGE,
      'src/forbidden.filter.ts': REMAP,
      'src/h.controller.ts': thrower(
        '@UseFilters(ForbiddenFilter)',
        "import { ForbiddenFilter } from './forbidden.filter';",
      ),
    });
    expect(actions(forbiddenOnly)).toContain('src/h.controller.ts:9 would-rewrite');
    const http = await run({
      'package.json': NEST_PACKAGE,
      'src/status.filter.ts': filter(
        'StatusFilter',
        'HttpException',
        '    const status = exception.getStatus();\n    response.status(status === HttpStatus.FORBIDDEN ? HttpStatus.UNAUTHORIZED : status).json({});',
      ),
      'src/h.controller.ts': thrower(
        '@UseFilters(StatusFilter)',
        "import { StatusFilter } from './status.filter';",
      ),
    });
    expect(covered(http)).toEqual([
      'src/h.controller.ts:9 Covered by the exception filter StatusFilter (src/status.filter.ts:11, in @UseFilters on HController in src/h.controller.ts), which answers 401 for HttpException on the route list.',
    ]);
    expect(checkFails(http)).toBe(false);
  });

  it("a filter's status read through a local given several values, and a redirect, are read as Nest sends them", async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/all.filter.ts': filter(
        'AllFilter',
        '',
        '    let status = HttpStatus.INTERNAL_SERVER_ERROR;\n    if (exception instanceof HttpException) status = exception.getStatus();\n    response.status(status).json({ status });',
      ),
      'src/c.controller.ts': controller(
        '@UseFilters(AllFilter)',
        "import { AllFilter } from './all.filter';",
      ),
    });
    // `let status = 500` is given the exception's status for every HttpException: the 403 stands, no 500 is read.
    expect(manual(report)).toContainEqual(
      expect.stringMatching(
        /The exception filter AllFilter \(src\/all\.filter\.ts:11, in @UseFilters on CController in src\/c\.controller\.ts\) catches ForbiddenException but writes the exception's own status \(response\.status\(status\) at src\/all\.filter\.ts:18\), so the 403 stands\./,
      ),
    );
    // Express's redirect sends 302 whatever status was set before it; no Dynamic status is named for it.
    const redirect = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/login.filter.ts': filter(
        'LoginFilter',
        'ForbiddenException',
        "    const status = exception.getStatus();\n    response.status(status).redirect('/login');",
      ),
      'src/c.controller.ts': controller(
        '@UseFilters(LoginFilter)',
        "import { LoginFilter } from './login.filter';",
      ),
    });
    expect(manual(redirect)).toEqual([
      expect.stringMatching(
        /^src\/roles\.guard\.ts:4 .*LoginFilter answers 302, not the agreed 401: make it answer 401\./,
      ),
    ]);
  });

  it('global filters registered one after another in one file: the last one registered answers first', async () => {
    const files = (order: string) => ({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/forbidden.filter.ts': REMAP,
      'src/http.filter.ts': filter(
        'HttpFilter',
        'HttpException',
        '    response.status(exception.getStatus()).json({});',
      ),
      'src/c.controller.ts': controller('', ''),
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { ForbiddenFilter } from './forbidden.filter';
import { HttpFilter } from './http.filter';
async function bootstrap() {
  const app = await NestFactory.create({} as never);
  ${order}
}
bootstrap();
`,
    });
    const remapLast = await run(
      files('app.useGlobalFilters(new HttpFilter());\n  app.useGlobalFilters(new ForbiddenFilter());'),
    );
    expect(covered(remapLast)).toEqual([
      expect.stringMatching(
        /^src\/roles\.guard\.ts:4 Covered by the exception filter ForbiddenFilter \(src\/forbidden\.filter\.ts:11, registered for the whole app at src\/main\.ts:7\)/,
      ),
    ]);
    const passLast = await run(files('app.useGlobalFilters(new ForbiddenFilter(), new HttpFilter());'));
    expect(manual(passLast)).toContainEqual(
      expect.stringMatching(
        /The exception filter HttpFilter \(src\/http\.filter\.ts:11, registered for the whole app at src\/main\.ts:6\) catches ForbiddenException but writes the exception's own status/,
      ),
    );
  });

  it('a project decorator that applies filters is named, and the global filter does not cover its routes', async () => {
    const report = await run({
      'package.json': NEST_PACKAGE,
      'src/roles.guard.ts': GUARD,
      'src/forbidden.filter.ts': REMAP,
      'src/http.filter.ts': filter(
        'HttpFilter',
        'HttpException',
        '    response.status(exception.getStatus()).json({});',
      ),
      'src/errors.decorator.ts': `import { applyDecorators, UseFilters } from '@nestjs/common';
import { HttpFilter } from './http.filter';
export const HttpErrors = () => applyDecorators(UseFilters(HttpFilter));
`,
      'src/c.controller.ts': controller('@HttpErrors()', "import { HttpErrors } from './errors.decorator';"),
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { ForbiddenFilter } from './forbidden.filter';
async function bootstrap() {
  const app = await NestFactory.create({} as never);
  app.useGlobalFilters(new ForbiddenFilter());
}
bootstrap();
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toContainEqual(
      expect.stringMatching(
        /^src\/roles\.guard\.ts:4 .*mtls-fix cannot read what the filters the decorator HttpErrors \(src\/errors\.decorator\.ts:3\) applies \(on CController in src\/c\.controller\.ts\) answers for ForbiddenException/,
      ),
    );
  });
});
