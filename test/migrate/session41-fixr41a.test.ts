import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 41 (fixr41a): trial41 02, an authorization library's error object with no HTTP status (@casl/ability's
// `ForbiddenError`, oso's) held under a name that says Forbidden. Each case fails on 0c880855: every use of the
// name was a manual "names a 403 in a shape mtls-fix does not know", beside the 403 its error handler writes.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(
  dependencies: Record<string, string>,
  files: Record<string, string>,
): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-fixr41a-'));
  temps.push(cwd);
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', force: true })).report;
}

/** The manual sites, as `file:line form`. */
function manual(report: MigrateReport): string[] {
  return report.sites.filter((s) => s.action === 'manual').map((s) => `${s.file}:${s.line} ${s.form}`);
}

const NEST = { '@nestjs/common': '10', '@nestjs/core': '10', '@casl/ability': '6' };

// The shape of moh1434/nest-prisma-casl-starter: a parameter decorator that makes the CASL error object and puts
// it on the request, a project alias of its type, controllers that call `throwUnlessCan` on it, and an exception
// filter that maps it to a 403 of the project's own (the one site a person decides).
const NEST_FILES: Record<string, string> = {
  'src/casl/rules.ts': [
    "import { ForbiddenError, PureAbility } from '@casl/ability';",
    'export type AppAbility = PureAbility<[string, string]>;',
    'export type CaslForbiddenErrorI = ForbiddenError<AppAbility>;',
    '',
  ].join('\n'),
  'src/casl/forbidden-error.decorator.ts': [
    "import { createParamDecorator, ExecutionContext } from '@nestjs/common';",
    "import { ForbiddenError, createMongoAbility } from '@casl/ability';",
    '',
    'export const CaslForbiddenError = createParamDecorator((data: unknown, ctx: ExecutionContext) => {',
    '  const request = ctx.switchToHttp().getRequest();',
    '  const ability = createMongoAbility(request.user.rules);',
    '  request.forbiddenError = ForbiddenError.from(ability);',
    '  return request.forbiddenError;',
    '});',
    '',
  ].join('\n'),
  'src/posts.controller.ts': [
    "import { Controller, Delete, Get, Param } from '@nestjs/common';",
    "import { CaslForbiddenError } from './casl/forbidden-error.decorator';",
    "import { CaslForbiddenErrorI } from './casl/rules';",
    '',
    "@Controller('posts')",
    'export class PostsController {',
    "  @Get(':id')",
    "  read(@Param('id') id: string, @CaslForbiddenError() forbiddenError: CaslForbiddenErrorI) {",
    "    forbiddenError.throwUnlessCan('read', 'Post');",
    '    return { id };',
    '  }',
    '',
    "  @Delete(':id')",
    "  remove(@Param('id') id: string, @CaslForbiddenError() forbiddenError) {",
    "    forbiddenError.setMessage('no').throwUnlessCan('delete', 'Post');",
    '    return { id };',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/all-exceptions.filter.ts': [
    "import { ForbiddenError } from '@casl/ability';",
    "import { ArgumentsHost, Catch, ForbiddenException } from '@nestjs/common';",
    "import { BaseExceptionFilter } from '@nestjs/core';",
    '',
    '@Catch()',
    'export class AllExceptionsFilter extends BaseExceptionFilter {',
    '  catch(exception: unknown, host: ArgumentsHost) {',
    '    if (exception instanceof ForbiddenError) {',
    '      const response = host.switchToHttp().getResponse();',
    '      return response.status(403).send({ message: exception.message });',
    '    }',
    '    return super.catch(exception, host);',
    '  }',
    '}',
    '',
  ].join('\n'),
};

describe('a CASL / oso error object held under a Forbidden name', () => {
  it('NestJS: the decorator, the request member and the controllers are no-status; the filter 403 is the site', async () => {
    const report = await run(NEST, NEST_FILES);
    expect(manual(report)).toEqual([]);
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
      'src/all-exceptions.filter.ts:10 would-rewrite',
    ]);
    // `forbiddenError` (2 uses), `CaslForbiddenError()` (2), `request.forbiddenError` (2), `ForbiddenError.from`.
    expect(report.census.notAnEmit['no-status']).toBe(7);
  });

  it.each([
    [
      'a variable holding ForbiddenError.from(ability)',
      "  const forbiddenError = ForbiddenError.from(ability);\n  forbiddenError.throwUnlessCan('update', 'Post');\n",
    ],
    [
      'a request member assigned one, read in another handler of the file',
      "  req.forbiddenError = ForbiddenError.from(ability);\n  next();\n});\napp.get('/b', (req, res, next) => {\n  req.forbiddenError.throwUnlessCan('read', 'Post');\n",
    ],
    [
      'a parameter typed by a local alias of the class',
      '  check(ForbiddenError.from(ability));\n',
      "type AppForbidden = ForbiddenError<any>;\nfunction check(forbiddenError: AppForbidden) {\n  forbiddenError.throwUnlessCan('read', 'Post');\n}\n",
    ],
    [
      'a parameter typed by the class itself',
      '  check(ForbiddenError.from(ability));\n',
      "function check(forbiddenError: ForbiddenError<any>) {\n  forbiddenError.throwUnlessCan('read', 'Post');\n}\n",
    ],
  ])('express: %s', async (_name, body, before = '') => {
    const text = [
      "import express from 'express';",
      "import { ForbiddenError, defineAbility } from '@casl/ability';",
      '',
      'const app = express();',
      before,
      "app.get('/a', (req, res, next) => {",
      "  const ability = defineAbility((can) => can('read', 'Post'));",
      body + '  res.json({});',
      '});',
      'app.use((err, req, res, next) => {',
      '  if (err instanceof ForbiddenError) return res.status(403).json({ message: err.message });',
      '  next(err);',
      '});',
      '',
    ].join('\n');
    const report = await run({ express: '4', '@casl/ability': '6' }, { 'src/app.js': text });
    expect(manual(report)).toEqual([]);
    expect(report.sites.map((s) => s.action)).toEqual(['would-rewrite']);
  });

  it('oso: its ForbiddenError has no status; the handler that maps it is the site', async () => {
    const text = [
      "import express from 'express';",
      "import { Oso, ForbiddenError } from 'oso';",
      '',
      'const oso = new Oso();',
      'const app = express();',
      "app.get('/a', async (req, res, next) => {",
      "  if (!(await oso.isAllowed(req.user, 'read', req.params.id))) {",
      '    const forbiddenError = new ForbiddenError();',
      '    return next(forbiddenError);',
      '  }',
      '  return res.json({});',
      '});',
      'app.use((err, req, res, next) => {',
      "  if (err instanceof ForbiddenError) return res.status(403).send('no');",
      '  return next(err);',
      '});',
      '',
    ].join('\n');
    const report = await run({ express: '4', oso: '0.26' }, { 'src/app.js': text });
    expect(manual(report)).toEqual([]);
    expect(report.sites.map((s) => `${s.line} ${s.action}`)).toEqual(['14 would-rewrite']);
  });

  it('a Forbidden name holding something else stays an unknown shape', async () => {
    const text = [
      "import express from 'express';",
      "import { makeForbidden } from './errors';",
      '',
      'const app = express();',
      "app.get('/a', (req, res, next) => {",
      '  const forbiddenError = makeForbidden();',
      '  next(forbiddenError);',
      '});',
      '',
    ].join('\n');
    const report = await run({ express: '4' }, { 'src/app.js': text });
    expect(manual(report).length).toBeGreaterThan(0);
  });
});
