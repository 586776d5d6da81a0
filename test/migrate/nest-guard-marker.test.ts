import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { settleRemaps } from '../../src/migrate/remaps-covered.js';
import { analyzeSource } from '../../src/migrate/transform.js';
import type { NestException, Site } from '../../src/migrate/types.js';

// Session 41 (nest41 #2): remaps-covered.ts told a NestJS guard's implicit 403 by its reason's words ("Implicit 403"
// and "NestJS guards that return false"), so rewording the advice changed which sites mtls-fix's global
// MtlsGuardFilter covers. The site now carries a mark (`Site.nestException`), set where it is made
// (nest-guard-sites.ts): the mark decides, whatever the reason says.

const MAIN = `import { NestFactory } from '@nestjs/core';
import { MtlsGuardFilter } from 'mtls-fix/runtime';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalFilters(new MtlsGuardFilter());
  await app.listen(3000);
}
bootstrap();
`;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A manual nestjs site of src/roles.guard.ts with `reason`, marked as `mark` says. */
function site(reason: string, mark?: NestException): Site {
  return {
    file: 'src/roles.guard.ts',
    start: 100,
    end: 111,
    span: { start: 100, end: 111 },
    framework: 'nestjs',
    form: 'canActivate',
    kind: 'manual',
    edits: [],
    imports: [],
    replacement: null,
    reason,
    scope: { functionStart: 90, functionEnd: 200 },
    operation: null,
    ...(mark ? { nestException: mark } : {}),
  };
}

async function settle(sites: Site[]): Promise<void> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'nest-marker-'));
  temps.push(cwd);
  const main = analyzeSource('src/main.ts', MAIN, {
    target: 401,
    frameworks: () => FRAMEWORKS,
    testFile: false,
  });
  await settleRemaps({
    cwd,
    analyses: [main],
    sites,
    refused: new Map(),
    occurrences: new Map(),
    target: 401,
  });
}

describe('a NestJS guard site is told by its mark, not by its reason', () => {
  it('covers a marked guard site whatever its reason says', async () => {
    const reworded = site('Implicit 403: RolesGuard.canActivate may deny. Remap Nest denials centrally.', {
      source: 'guard',
      exception: 'ForbiddenException',
    });
    const plain = site('A guard denies here.', { source: 'guard', exception: 'ForbiddenException' });
    await settle([reworded, plain]);
    expect(reworded.coveredBy).toMatch(
      /^mtls-fix\/runtime MtlsGuardFilter \(useGlobalFilters\) at src\/main\.ts:6/,
    );
    expect(plain.coveredBy).toMatch(
      /^mtls-fix\/runtime MtlsGuardFilter \(useGlobalFilters\) at src\/main\.ts:6/,
    );
  });

  it('leaves an unmarked site with the old words, and a marked one its route filters decided', async () => {
    const words = site(
      'Implicit 403: RolesGuard.canActivate returns false. NestJS guards that return false answer 403 (ForbiddenException).',
    );
    const decided = site('Implicit 403: RolesGuard.canActivate returns false. Its filter rethrows it.', {
      source: 'guard',
      exception: 'ForbiddenException',
      filtersDecided: true,
    });
    const thrown = site('Implicit 403: a throw.', { source: 'throw', exception: 'ForbiddenException' });
    await settle([words, decided, thrown]);
    expect(words.coveredBy).toBeUndefined();
    expect(decided.coveredBy).toBeUndefined();
    expect(decided.reason).not.toMatch(/MtlsGuardFilter/);
    expect(thrown.coveredBy).toBeUndefined();
  });

  it('takes back a cover that rests on a rewrite of the filter this run did not make', async () => {
    const mark = (): NestException => ({
      source: 'guard',
      exception: 'ForbiddenException',
      filtersDecided: true,
      coveredInTests: true,
      pendingRewrite: { file: 'src/keep.filter.ts', start: 300 },
    });
    const write: Site = {
      ...site('', undefined),
      file: 'src/keep.filter.ts',
      start: 300,
      end: 320,
      span: { start: 300, end: 320 },
      form: 'response.status(403)',
      kind: 'rewrite',
      reason: null,
    };
    const made = {
      ...site('Implicit 403: RolesGuard.', mark()),
      coveredBy: 'the exception filter KeepFilter',
    };
    await settle([made, write]);
    expect(made.coveredBy).toBe('the exception filter KeepFilter');
    // Left out (--spec), refused or ignored: the filter still answers 403.
    const left = {
      ...site('Implicit 403: RolesGuard.', mark()),
      coveredBy: 'the exception filter KeepFilter',
    };
    await settle([left]);
    expect(left.coveredBy).toBeUndefined();
    expect(left.nestException?.coveredInTests).toBeUndefined();
    expect(left.reason).toContain(
      'The exception filter that answers it writes 403 itself (in src/keep.filter.ts), which this run does not rewrite (refused, ignored or out of scope), so the 403 stands.',
    );
    const ignored = {
      ...site('Implicit 403: RolesGuard.', mark()),
      coveredBy: 'the exception filter KeepFilter',
    };
    await settle([ignored, { ...write, ignoreReason: 'kept' }]);
    expect(ignored.coveredBy).toBeUndefined();
  });
});
