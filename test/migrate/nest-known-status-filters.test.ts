import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { checkFails } from '../../src/migrate/report.js';
import { tempProject } from '../helpers/cli.js';

// breaker30 #05: a Nest app with no 403 must pass --check. A project guard factory that only returns
// @nestjs/passport's AuthGuard(strategies) is read through its returns (passport's guard returns true or throws
// 401), and a filter whose @Catch lists only exception classes with a known status other than 403 (Nest
// built-ins, http-errors classes, ThrottlerException) sends that status, not a 403; @Catch() and
// @Catch(HttpException) still may pass one on.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const filter = (name: string, catches: string, module: string) => `
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch } from '@nestjs/common';
${catches ? `import { ${catches} } from '${module}';` : ''}
import type { Response } from 'express';

@Catch(${catches})
export class ${name} implements ExceptionFilter {
  catch(exception: any, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.status(exception.getStatus()).json(exception.getResponse());
  }
}
`;

describe('NestJS: sites that cannot answer 403 are not reported', () => {
  it('reads a guard factory returning passport AuthGuard, and filters catching known non-403 classes', async () => {
    const cwd = tempProject({
      'package.json': JSON.stringify({
        dependencies: { '@nestjs/common': '^11', '@nestjs/passport': '^11' },
      }),
      'src/auth.guard.ts': `import type { IAuthGuard, Type } from '@nestjs/passport';
import { AuthGuard as NestAuthGuard } from '@nestjs/passport';

export function AuthGuard(options?: Partial<{ public: boolean }>): Type<IAuthGuard> {
  const strategies = ['jwt'];
  if (options?.public) strategies.push('public');
  return NestAuthGuard(strategies);
}
export const JwtGuard = (name: string) => NestAuthGuard(name);
`,
      'src/cats.controller.ts': `import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard, JwtGuard } from './auth.guard';

@Controller('cats')
export class CatsController {
  @Get()
  @UseGuards(AuthGuard({ public: false }))
  list() { return []; }
  @Get('b')
  @UseGuards(JwtGuard('jwt'))
  other() { return []; }
}
`,
      'src/unprocessable.filter.ts': filter(
        'UnprocessableFilter',
        'UnprocessableEntityException',
        '@nestjs/common',
      ),
      'src/unavailable.filter.ts': filter(
        'UnavailableFilter',
        'ServiceUnavailableException',
        '@nestjs/common',
      ),
      'src/not-found.filter.ts': filter('NotFoundFilter', 'NotFound', 'http-errors'),
      'src/throttle.filter.ts': filter('ThrottleFilter', 'ThrottlerException', '@nestjs/throttler'),
      'src/all.filter.ts': filter('AllFilter', '', ''),
      'src/http.filter.ts': filter('HttpFilter', 'HttpException', '@nestjs/common'),
    });
    temps.push(cwd);
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
      'src/all.filter.ts:11 manual',
      'src/http.filter.ts:11 manual',
    ]);
    expect(report.sites.every((s) => /^Dynamic status/.test(s.reason ?? ''))).toBe(true);
    expect(checkFails(report)).toBe(true);
  });
});
