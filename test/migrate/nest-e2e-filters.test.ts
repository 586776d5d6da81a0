import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 41 (nest41 #3): a NestJS project as `nest new` makes it (src/main.ts, src/app.module.ts, controllers,
// test/app.e2e-spec.ts) run with --include-tests, guards and filters involved. The e2e spec builds its app from
// AppModule (`moduleFixture.createNestApplication()`), so it runs the routes' own filters (@UseFilters) but not the
// `app.useGlobalFilters(…)` of src/main.ts. Each assertion must follow what its route answers after the run:
// - a route whose 403 this run rewrites: rewritten with it;
// - a route whose guard or throw a filter of the route already answers with 401: it received no 403 before the run
//   either; named, never rewritten, never "still emitted";
// - a route whose guard only main.ts's global filter covers: the test app still answers 403 (named as still
//   emitted).

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const guard = (
  name: string,
): string => `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

@Injectable()
export class ${name} implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().headers['x-role'] === 'admin';
  }
}
`;

const PROJECT: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'nest-app',
    dependencies: {
      '@nestjs/common': '^10.0.0',
      '@nestjs/core': '^10.0.0',
      '@nestjs/platform-express': '^10.0.0',
    },
    devDependencies: { '@nestjs/testing': '^10.0.0', '@types/express': '^4.17.17', supertest: '^6.3.3' },
  }),
  'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ForbiddenFilter } from './forbidden.filter';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalFilters(new ForbiddenFilter());
  await app.listen(3000);
}
bootstrap();
`,
  'src/app.module.ts': `import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { OtherController } from './other.controller';

@Module({
  imports: [],
  controllers: [AppController, OtherController],
  providers: [],
})
export class AppModule {}
`,
  'src/forbidden.filter.ts': `import { ArgumentsHost, Catch, ExceptionFilter, ForbiddenException } from '@nestjs/common';
import { Response } from 'express';

@Catch(ForbiddenException)
export class ForbiddenFilter implements ExceptionFilter {
  catch(exception: ForbiddenException, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    response.status(401).json({ message: exception.message });
  }
}
`,
  'src/roles.guard.ts': guard('RolesGuard'),
  'src/admin.guard.ts': guard('AdminGuard'),
  'src/app.controller.ts': `import { Controller, ForbiddenException, Get, UseFilters, UseGuards } from '@nestjs/common';
import { RolesGuard } from './roles.guard';
import { ForbiddenFilter } from './forbidden.filter';

@Controller()
@UseFilters(ForbiddenFilter)
export class AppController {
  @Get()
  @UseGuards(RolesGuard)
  getHello(): string {
    return 'Hello World!';
  }

  @Get('secret')
  secret(): string {
    if (Math.random() > 2) throw new ForbiddenException('no');
    return 'x';
  }
}
`,
  'src/other.controller.ts': `import { Controller, ForbiddenException, Get, UseGuards } from '@nestjs/common';
import { AdminGuard } from './admin.guard';

@Controller('other')
export class OtherController {
  @Get()
  list(): string {
    if (Math.random() > 2) throw new ForbiddenException('no');
    return 'x';
  }

  @Get('admin')
  @UseGuards(AdminGuard)
  admin(): string {
    return 'x';
  }
}
`,
  'test/app.e2e-spec.ts': `import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import * as request from 'supertest';
import { AppModule } from './../src/app.module';

describe('AppController (e2e)', () => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });

  it('/ (GET)', () => {
    return request(app.getHttpServer()).get('/').expect(403);
  });

  it('/secret (GET)', () => {
    return request(app.getHttpServer()).get('/secret').expect(403);
  });

  it('/other (GET)', () => {
    return request(app.getHttpServer()).get('/other').expect(403);
  });

  it('/other/admin (GET)', () => {
    return request(app.getHttpServer()).get('/other/admin').expect(403);
  });
});
`,
  'test/jest-e2e.json': JSON.stringify({
    moduleFileExtensions: ['js', 'json', 'ts'],
    rootDir: '.',
    testEnvironment: 'node',
    testRegex: '.e2e-spec.ts$',
    transform: { '^.+\\.(t|j)s$': 'ts-jest' },
  }),
};

describe('a `nest new` project with --include-tests, guards and filters involved', () => {
  it('rewrites the e2e assertion of a rewritten throw and names the others truly', async () => {
    const cwd = tempProject(PROJECT);
    temps.push(cwd);
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run', includeTests: true });
    const at = (file: string, line: number) => report.sites.find((s) => s.file === file && s.line === line);
    // The server: the filtered controller's throw and guard are covered, the other controller's throw is rewritten,
    // AdminGuard is covered by main.ts's global filter only.
    expect(at('src/app.controller.ts', 16)).toMatchObject({ action: 'ignored' });
    expect(at('src/other.controller.ts', 8)).toMatchObject({ action: 'would-rewrite' });
    expect(at('src/roles.guard.ts', 5)?.reason).toMatch(
      /^Covered by the exception filter ForbiddenFilter .*in @UseFilters on AppController/,
    );
    expect(at('src/admin.guard.ts', 5)?.reason).toMatch(
      /^Covered by the exception filter ForbiddenFilter .*registered for the whole app at src\/main\.ts:7/,
    );
    // The e2e spec: only /other follows its server.
    expect(diff).toContain("-    return request(app.getHttpServer()).get('/other').expect(403);");
    expect(diff).toContain("+    return request(app.getHttpServer()).get('/other').expect(401);");
    expect(diff.match(/^\+.*expect\(401\)/gm)).toHaveLength(1);
    expect(at('test/app.e2e-spec.ts', 19)?.reason).toMatch(
      /^Asserts a 403 that its route does not answer: canActivate \(src\/roles\.guard\.ts:5\) is covered by the exception filter ForbiddenFilter .*, in a test app too, so the assertion fails before and after this run/,
    );
    expect(at('test/app.e2e-spec.ts', 23)?.reason).toMatch(
      /^Asserts a 403 that its route does not answer: new ForbiddenException\('no'\) \(src\/app\.controller\.ts:16\) is covered by/,
    );
    // main.ts's global filter does not run in the test app: AdminGuard still answers it 403.
    expect(at('test/app.e2e-spec.ts', 31)?.reason).toMatch(
      /^Asserts a 403 that is still emitted by canActivate \(src\/admin\.guard\.ts:5\)/,
    );
    expect(
      report.sites.filter((s) => s.file === 'test/app.e2e-spec.ts').map((s) => [s.line, s.action]),
    ).toEqual([
      [19, 'manual'],
      [23, 'manual'],
      [27, 'would-rewrite'],
      [31, 'manual'],
    ]);
  });

  it('follows a route whose filter writes 403 itself: that write is rewritten, so the route answers 401', async () => {
    const cwd = tempProject({
      ...PROJECT,
      'src/main.ts': PROJECT['src/main.ts']
        .replace("import { ForbiddenFilter } from './forbidden.filter';\n", '')
        .replace('  app.useGlobalFilters(new ForbiddenFilter());\n', ''),
      'src/forbidden.filter.ts': PROJECT['src/forbidden.filter.ts'].replace(
        'response.status(401)',
        'response.status(403)',
      ),
    });
    temps.push(cwd);
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run', includeTests: true });
    const at = (file: string, line: number) => report.sites.find((s) => s.file === file && s.line === line);
    expect(at('src/forbidden.filter.ts', 9)).toMatchObject({ action: 'would-rewrite' });
    expect(at('src/roles.guard.ts', 5)?.reason).toMatch(
      /^Covered by the exception filter ForbiddenFilter .* once its response\.status\(403\) at src\/forbidden\.filter\.ts:9 is rewritten, as this run does\.$/,
    );
    // `/` (the guard) and `/secret` (the throw) reach the filter, whose 403 is rewritten; `/other` its own throw.
    for (const path of ['/', '/secret', '/other'])
      expect(diff).toContain(`+    return request(app.getHttpServer()).get('${path}').expect(401);`);
    // AdminGuard has no filter on its route and none for the whole app now: still 403.
    expect(at('test/app.e2e-spec.ts', 31)?.reason).toMatch(
      /^Asserts a 403 that is still emitted by canActivate \(src\/admin\.guard\.ts:5\)/,
    );
  });
});
