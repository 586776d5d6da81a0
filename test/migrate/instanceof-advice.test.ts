import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 29, silence29. The advice of an `instanceof` check on a library's 403 class named the library's classes
// (`|| e instanceof UnauthorizedException`) where the file imports them under an alias or reads them off a
// namespace, and always called the checked value `e`: code pasted from it did not compile. Now it is written in
// the file's own spelling, for every module that reports such checks.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function reasons(dependency: string, server: string): Promise<string[]> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-instanceof-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { [dependency]: '*' } }),
  );
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/server.ts'), server);
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  return report.sites
    .filter((s) => s.action === 'manual' && s.form.includes('instanceof'))
    .map((s) => s.reason ?? '');
}

describe('the advice of an instanceof check, in the file spelling', () => {
  it.each([
    [
      'nest, both aliased',
      '@nestjs/common',
      "import { ForbiddenException as Denied, UnauthorizedException as Unauth } from '@nestjs/common';\n" +
        "export function f(err: unknown) { if (err instanceof Denied) return 1; throw new Denied('no'); }\n",
      /An instanceof check on Denied \(ForbiddenException\);.+\(`\|\| err instanceof Unauth`\)\.$/,
    ],
    [
      'nest, a namespace',
      '@nestjs/common',
      "import * as common from '@nestjs/common';\n" +
        'export function f(error: unknown) { return error instanceof common.ForbiddenException; }\n',
      /An instanceof check on common\.ForbiddenException;.+\(`\|\| error instanceof common\.UnauthorizedException`\)\.$/,
    ],
    [
      'nest, the 403 class aliased, the target not imported',
      '@nestjs/common',
      "import { ForbiddenException as Denied } from '@nestjs/common';\n" +
        'export function f(x: unknown) { return x instanceof Denied; }\n',
      /\(`\|\| x instanceof UnauthorizedException` \(from '@nestjs\/common'\)\)\.$/,
    ],
    [
      'nest, the target name taken by a local class',
      '@nestjs/common',
      "import { ForbiddenException } from '@nestjs/common';\nclass UnauthorizedException {}\n" +
        'export function f(x: unknown) { return x instanceof ForbiddenException || x instanceof UnauthorizedException; }\n',
      /\(`\|\| x instanceof NestUnauthorizedException` \(from '@nestjs\/common'\)\)\.$/,
    ],
    [
      'feathers, aliased',
      '@feathersjs/errors',
      "import { Forbidden as No, NotAuthenticated as NA } from '@feathersjs/errors';\n" +
        'export function f(e: unknown) { return e instanceof No; }\n',
      /An instanceof check on No \(Forbidden\):.+match `\|\| e instanceof NA`\.$/,
    ],
    [
      'http-errors, a renamed default',
      'http-errors',
      "import httpErrors from 'http-errors';\nexport function f(e: unknown) { return e instanceof httpErrors.Forbidden; }\n",
      /An instanceof check on httpErrors\.Forbidden, the 403 error class:.+match `\|\| e instanceof httpErrors\.Unauthorized`\.$/,
    ],
    [
      'strapi, aliased',
      '@strapi/utils',
      "import { errors } from '@strapi/utils';\nconst { ForbiddenError: Denied, UnauthorizedError: Unauth } = errors;\n" +
        'export function f(e: unknown) { return e instanceof errors.ForbiddenError; }\n',
      /An instanceof check on errors\.ForbiddenError:.+match `\|\| e instanceof errors\.UnauthorizedError`\.$/,
    ],
    [
      'routing-controllers, aliased',
      'routing-controllers',
      "import { ForbiddenError as F, UnauthorizedError as U } from 'routing-controllers';\n" +
        'export function f(e: unknown) { return e instanceof F; }\n',
      /An instanceof check on F \(ForbiddenError\):.+match `\|\| e instanceof U`\.$/,
    ],
  ])('%s', async (_name, dependency, server, reason) => {
    const found = await reasons(dependency, server);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(reason);
  });
});
