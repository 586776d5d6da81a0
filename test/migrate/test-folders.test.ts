import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTestFile } from '../../src/migrate/test-names.js';
import {
  importSummary,
  sourcesInTestFolders,
  sourcesInTestFoldersBySummary,
} from '../../src/migrate/test-folders.js';

const root = path.resolve('/project');

function files(texts: Record<string, string>): {
  list: { absolute: string; relative: string; test: boolean }[];
  textOf: (absolute: string) => string;
} {
  const list = Object.keys(texts).map((relative) => ({
    absolute: path.join(root, relative),
    relative,
    test: isTestFile(relative),
  }));
  return { list, textOf: (absolute) => texts[path.relative(root, absolute).split(path.sep).join('/')] ?? '' };
}

describe('source files in test-named folders', () => {
  it('promotes what sources import, to a fixed point, and nothing else', () => {
    const { list, textOf } = files({
      'src/app.module.ts': "import { TestModule } from './test/test.module';",
      'src/test/test.module.ts': "import { TestController } from './test.controller';",
      'src/test/test.controller.ts': "@Controller('test') export class TestController {}",
      'src/test/test.controller.spec.ts': "import { TestController } from './test.controller';",
      'src/test/fixtures.ts': 'export const fixture = 1;',
      'test/app.e2e-spec.ts': "import { AppModule } from '../src/app.module';",
      'test/helpers/index.ts': 'export const h = 1;',
      'test/other.ts': "import { h } from './helpers';",
      'src/users.controller.e2e.ts': "import { server } from '../test/e2e/server';",
      'test/e2e/server.ts': 'export const server = 1;',
    });
    const classified = sourcesInTestFolders(list, textOf);
    const tests = classified.filter((f) => f.test).map((f) => f.relative);
    // Imported by nothing, no test code, in a test folder below `src/`: scanned, its sites reported by hand
    // (breaker27 #01: `routes2/tests/index.js` read by a readdirSync loop was skipped unnamed).
    expect(classified.filter((f) => f.unproven).map((f) => f.relative)).toEqual(['src/test/fixtures.ts']);
    expect(tests).toEqual([
      'src/test/test.controller.spec.ts', // named as a test: stays one
      'test/app.e2e-spec.ts',
      'test/helpers/index.ts', // imported by a test only
      'test/other.ts',
      'src/users.controller.e2e.ts', // `.e2e.ts` is a test name too
      'test/e2e/server.ts', // imported by that test only
    ]);
  });

  // Session 21 (hsynlms/fastify-guard): its suite is a root `test.js` run by Jest's default testMatch, with the
  // runner's globals and no import of a test library; node:test runs `*_test.js`, `test-*.js` by default too.
  it("reads a runner's default names as tests while they hold test code and no source imports them", () => {
    const { list, textOf } = files({
      'test.js': "const app = require('./src');\ntest('refuses', () => {});",
      'lib/guard_test.js': "const { test } = require('node:test');",
      'lib/test-utils.js': "describe('x', () => {});",
      'src/app.js': "require('./routes/test')(app);",
      'src/routes/test.js': "module.exports = (app) => app.get('/test', h);",
      'scripts/test-server.js': "require('http').createServer(h).listen(8080);",
      'spec.js': 'module.exports = { openapi: "3.0.0" };',
    });
    const tests = sourcesInTestFolders(list, textOf)
      .filter((f) => f.test)
      .map((f) => f.relative);
    expect(tests).toEqual(['test.js', 'lib/guard_test.js', 'lib/test-utils.js']);
  });

  // Session 30 (brannondorsey/host-validation): `"test": "node test.js"`, a root script of node:assert checks with
  // no runner: read as a source, its 25 expected 403s were counted unrelated numbers while the server changed.
  it("reads a runner's default name that loads node:assert as a test", () => {
    const { list, textOf } = files({
      'test.js': "const assert = require('assert');\nconst guard = require('./index.js');",
      'test-strict.mjs': "import assert from 'node:assert/strict';",
      'index.js': 'module.exports = function guard() {};',
      'src/routes/test.js':
        "const assert = require('assert');\nmodule.exports = (app) => app.get('/test', h);",
      'src/app.js': "require('./routes/test')(app);",
    });
    const tests = sourcesInTestFolders(list, textOf)
      .filter((f) => f.test)
      .map((f) => f.relative);
    expect(tests).toEqual(['test.js', 'test-strict.mjs']);
  });

  // Session 19 (dubinc/dub): `app/(ee)/api/e2e/**/route.ts` are served routes (restricted to a test workspace), and
  // `guard.ts` beside them throws their 403; all were skipped as tests because of the `e2e` folder.
  it('promotes the route files of file-system routers below a test-named folder, and what they import', () => {
    const { list, textOf } = files({
      'apps/web/app/(ee)/api/e2e/guard.ts': 'export function assertE2E() {}',
      'apps/web/app/(ee)/api/e2e/workflows/route.ts': "import { assertE2E } from '../guard';",
      'apps/web/app/api/webhook/test/route.ts': 'export async function POST() {}',
      'apps/web/app/api/e2e/route.test.ts': "import { POST } from '../webhook/test/route';",
      'web/pages/api/test/ping.ts': 'export default function handler() {}',
      'site/src/routes/spec/+server.ts': 'export function GET() {}',
      'nuxt/server/api/tests/reset.ts': 'export default defineEventHandler(() => 1);',
      'remix/app/routes/e2e.seed.tsx': 'export async function action() {}',
      // A router folder inside a test folder is a fixture: nothing serves it.
      'test/fixtures/next/app/api/users/route.ts': 'export async function GET() {}',
      'e2e/app/routes/home.tsx': 'export default function Home() {}',
      'apps/web/app/(ee)/api/e2e/notes.md.ts': 'export const notes = 1;',
    });
    const classified = sourcesInTestFolders(list, textOf);
    const tests = classified.filter((f) => f.test).map((f) => f.relative);
    expect(tests).toEqual([
      'apps/web/app/api/e2e/route.test.ts', // named as a test: stays one
      'test/fixtures/next/app/api/users/route.ts',
      'e2e/app/routes/home.tsx',
    ]);
    // Not a route file, imported by none: scanned with its sites reported by hand.
    expect(classified.filter((f) => f.unproven).map((f) => f.relative)).toEqual([
      'apps/web/app/(ee)/api/e2e/notes.md.ts',
    ]);
  });

  it('counts source files that import a test library as tests, unless a source imports them', () => {
    const { list, textOf } = files({
      'src/app.ts': "import { check } from './guards/check';",
      'src/guards/check.ts': "import assert from 'node:assert';\nexport const check = assert;",
      'testing/common/expect-forbidden.ts':
        "import { expect } from 'vitest';\nexport function expectForbidden() {}",
      'testing/common/server.js': "const request = require('supertest');\nmodule.exports = request;",
      'test-utils/chai.ts': "import { use } from 'chai/index.js';\nexport const setup = use;",
      'src/shared/matchers.ts': "import { expect } from '@jest/globals';\nexport const m = expect;",
      'src/shared/index.ts': "export * from './matchers';",
      'src/users.e2e.ts': "import { expectForbidden } from '../testing/common/expect-forbidden';",
    });
    const tests = sourcesInTestFolders(list, textOf)
      .filter((f) => f.test)
      .map((f) => f.relative);
    expect(tests).toEqual([
      'testing/common/expect-forbidden.ts',
      'testing/common/server.js',
      'test-utils/chai.ts',
      // src/shared/matchers.ts is imported by src/shared/index.ts, a source: it stays a source
      'src/users.e2e.ts',
    ]);
  });

  it('returns the list unchanged when no file is a test by its folder only', () => {
    const { list, textOf } = files({ 'src/a.ts': "import './b';", 'src/b.spec.ts': '' });
    expect(sourcesInTestFolders(list, textOf)).toEqual(list);
  });

  it('gives the same answers from summaries of the texts (what the sources thread keeps)', () => {
    const { list, textOf } = files({
      'src/app.module.ts': 'import { TestModule } from \'./test/test.module\';\nimport x from "../lib/x";',
      'src/test/test.module.ts': "export * from './test.controller'; const c = require('./test.other');",
      'src/test/test.controller.ts': "@Controller('test') export class TestController {}",
      'src/test/test.other.ts': "import('./lazy');",
      'src/test/lazy.ts': 'export {};',
      'src/test/fixtures.ts': 'export const fixture = 1;',
      'testing/expect.ts': "import { expect } from 'vitest';",
      'src/helpers/request.ts': "const request = require('supertest');",
      'src/uses-helper.ts': "import { r } from './helpers/request';",
    });
    expect(importSummary(textOf(path.join(root, 'src/app.module.ts')))).toEqual({
      relative: ['./test/test.module', '../lib/x'],
      testLibrary: false,
      testCode: false,
      runnerCalls: false,
      nodeAssert: false,
      listens: false,
      aliasedTest: [],
    });
    expect(importSummary("import { expect } from 'vitest';").testLibrary).toBe(true);
    const asked: string[] = [];
    const bySummary = sourcesInTestFoldersBySummary(list, (absolute) => {
      asked.push(absolute);
      return importSummary(textOf(absolute));
    });
    expect(bySummary).toEqual(sourcesInTestFolders(list, textOf));
    expect(bySummary.filter((f) => !f.test).map((f) => f.relative)).toEqual([
      'src/app.module.ts',
      'src/test/test.module.ts',
      'src/test/test.controller.ts',
      'src/test/test.other.ts',
      'src/test/lazy.ts',
      'src/test/fixtures.ts', // unproven: imported by nothing, no test code
      'src/helpers/request.ts', // imports supertest, but a source imports it
      'src/uses-helper.ts',
    ]);
    expect(asked.length).toBeGreaterThan(0);
  });
});
