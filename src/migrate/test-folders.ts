import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DiscoveredFile } from './discover.js';
import { isRunnerDefaultName, isTestName } from './test-names.js';

const EXTENSION = /\.[cm]?[jt]sx?$/;
/** `from './x'`, `import('./x')`, `require('./x')`, `import './x'`, `export … from './x'`: relative ones only. */
const RELATIVE_SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]*)\1/g;

/**
 * Files counted as tests only because a folder on their path is named like a test folder (`src/test/`,
 * `spec/`), yet imported by a non-test source file, are source files: Nest's `nest g resource test` puts a
 * production controller in `src/test/test.controller.ts`, and a module imports it. Followed to a fixed point
 * (a promoted module's own imports count too), through relative specifiers only. A file named as a test
 * (`x.spec.ts`) stays a test.
 *
 * @param textOf the text of a file by absolute path (the engine's cached reader).
 * Then source files that import a test library and no source file imports become tests (`testHelpers`).
 *
 * @returns the same list, with `test: false` on the files promoted and `test: true` on the test helpers found
 * (the others unchanged, same order).
 */
export function sourcesInTestFolders(
  files: readonly DiscoveredFile[],
  textOf: (absolute: string) => string,
): DiscoveredFile[] {
  const summaries = new Map<string, ImportSummary>();
  return sourcesInTestFoldersBySummary(files, (absolute) => {
    let summary = summaries.get(absolute);
    if (!summary) summaries.set(absolute, (summary = importSummary(textOf(absolute))));
    return summary;
  });
}

/**
 * All that {@link sourcesInTestFolders} reads of a file's text: its relative specifiers (in order, as
 * RELATIVE_SPECIFIER finds them) and whether it imports a test library (TEST_LIBRARY). A thread that reads
 * thousands of files keeps these instead of the texts until every file is known (sources-worker.ts).
 */
export interface ImportSummary {
  relative: readonly string[];
  testLibrary: boolean;
  /** It imports a test library or registers a test with a runner's global (`test('x', ...)`, `describe(`). */
  testCode: boolean;
  /** It registers a test with a runner's global (`test('x', ...)`, `describe(` at a line's start). */
  runnerCalls: boolean;
  /** It loads Node's `assert` (`require('assert')`, `from 'node:assert/strict'`). */
  nodeAssert: boolean;
  /** It calls a `listen(` method (starts a server). */
  listens: boolean;
  /**
   * Module specifiers that are not relative yet name a test folder (`@server/test/support`, `~/tests/utils`):
   * aliases that may lead to a file in one (ALIASED_TEST_SPECIFIER).
   */
  aliasedTest: readonly string[];
}

/** The {@link ImportSummary} of one file's text. */
export function importSummary(text: string): ImportSummary {
  const testLibrary = TEST_LIBRARY.test(text) || POSTMAN_SCRIPT.test(text);
  const runnerCalls = RUNNER_GLOBAL_CALL.test(text);
  return {
    relative: Array.from(text.matchAll(RELATIVE_SPECIFIER), (match) => match[2] ?? ''),
    testLibrary,
    testCode: testLibrary || runnerCalls,
    runnerCalls,
    nodeAssert: NODE_ASSERT.test(text),
    listens: /\.listen\s*\(/.test(text),
    aliasedTest: Array.from(text.matchAll(ALIASED_TEST_SPECIFIER), (match) => match[2] ?? ''),
  };
}

/**
 * {@link sourcesInTestFolders} from each file's {@link ImportSummary} (`summaryOf`, by absolute path; asked only
 * for the files whose text the rules read), with the same answers.
 */
export function sourcesInTestFoldersBySummary(
  found: readonly DiscoveredFile[],
  summaryOf: (absolute: string) => ImportSummary,
): DiscoveredFile[] {
  // A runner's default name outside a test folder (`test.js`, `test-x.js`) that holds no test code is a source.
  // One that loads node:assert is a script of checks (`"test": "node test.js"`, host-validation's suite).
  const files = found.map((f) =>
    f.test &&
    !TEST_FOLDER.test(f.relative) &&
    !isTestName(f.relative) &&
    isRunnerDefaultName(f.relative) &&
    !summaryOf(f.absolute).testCode &&
    !summaryOf(f.absolute).nodeAssert
      ? { ...f, test: false }
      : f,
  );
  const candidates = new Map<string, DiscoveredFile>();
  for (const file of files)
    if (file.test && !isTestName(file.relative)) candidates.set(file.absolute.replace(EXTENSION, ''), file);
  if (!candidates.size) return testHelpers(files, summaryOf);
  const promoted = new Set<string>();
  // A file-system router serves its route files wherever they sit: they are entries nothing imports.
  const entries = [...candidates.entries()].filter(([, f]) => routeEntryBelowTestFolder(f.relative));
  for (const [key, file] of entries) {
    candidates.delete(key);
    promoted.add(file.absolute);
  }
  let frontier = [...files.filter((f) => !f.test), ...entries.map(([, f]) => f)];
  while (frontier.length && candidates.size) {
    const next: DiscoveredFile[] = [];
    for (const file of frontier) {
      for (const specifier of summaryOf(file.absolute).relative) {
        const target = path.resolve(path.dirname(file.absolute), specifier).replace(EXTENSION, '');
        for (const key of [target, path.join(target, 'index')]) {
          const found = candidates.get(key);
          if (!found) continue;
          candidates.delete(key);
          promoted.add(found.absolute);
          next.push(found);
        }
      }
    }
    frontier = next;
  }
  const unproven = unprovenSources(files, candidates, summaryOf);
  const sources = files.map((f) =>
    promoted.has(f.absolute)
      ? { ...f, test: false }
      : unproven.has(f.absolute)
        ? { ...f, test: false, unproven: true as const }
        : f,
  );
  return testHelpers(sources, summaryOf);
}

/**
 * The files left counted as tests only by a folder that is also a common route segment (`test/`, `tests/`,
 * `e2e/`, `spec/`, below some other folder of the package: `routes2/tests/index.js` read by an `fs.readdirSync`
 * loop, an autoload folder's `api/test/index.js`) that hold no test code and that no file imports: nothing shows
 * whether the server loads them (a folder of routes read at start-up) or a test does (a fixture read by path).
 * They are scanned as sources, their sites reported by hand (`DiscoveredFile.unproven`), so that a 403 in them is
 * never left out unnamed (breaker27 #01). A test folder at the top of a package (`test/`, `packages/api/test/`,
 * beside its package.json) stays tests: that is where runners and fixtures live.
 */
function unprovenSources(
  files: readonly DiscoveredFile[],
  candidates: ReadonlyMap<string, DiscoveredFile>,
  summaryOf: (absolute: string) => ImportSummary,
): Set<string> {
  const out = new Set<string>();
  const maybe = [...candidates.values()].filter(
    (f) =>
      !ALWAYS_TEST_FOLDER.test(f.relative) &&
      !isRunnerDefaultName(f.relative) &&
      !topOfPackage(f) &&
      !summaryOf(f.absolute).testCode,
  );
  if (!maybe.length) return out;
  const imported = new Set<string>();
  for (const file of files)
    for (const specifier of summaryOf(file.absolute).relative) {
      const target = path.resolve(path.dirname(file.absolute), specifier).replace(EXTENSION, '');
      imported.add(target);
      imported.add(path.join(target, 'index'));
    }
  // An alias may lead to it (`@server/test/support` for server/test/support.ts): its tail from the test folder on.
  const aliased = new Set<string>();
  for (const file of files)
    for (const specifier of summaryOf(file.absolute).aliasedTest) {
      const tail = /(?:^|\/)((?:test|tests|e2e|spec)\/.*)$/.exec(specifier)?.[1];
      if (tail) aliased.add(tail.replace(EXTENSION, '').replace(/\/index$/, ''));
    }
  for (const file of maybe) {
    if (imported.has(file.absolute.replace(EXTENSION, ''))) continue;
    const tail = /(?:^|\/)((?:test|tests|e2e|spec)\/.*)$/
      .exec(file.relative)?.[1]
      ?.replace(EXTENSION, '')
      .replace(/\/index$/, '');
    if (tail && aliased.has(tail)) continue;
    out.add(file.absolute);
  }
  return out;
}

/** Folders only tools make (jest's): never a route segment. */
const ALWAYS_TEST_FOLDER = /(?:^|\/)(?:__tests__|__mocks__)\//;

/** Whether the file's first test folder is the first folder of the run or sits beside a package.json. */
function topOfPackage(file: DiscoveredFile): boolean {
  const match = TEST_FOLDER.exec(file.relative);
  if (!match) return true;
  const before = file.relative.slice(0, match.index + (match[0].startsWith('/') ? 1 : 0));
  if (before === '') return true;
  const base = file.absolute.slice(0, file.absolute.length - file.relative.length);
  return existsSync(path.join(base, before, 'package.json'));
}

/**
 * Route files of file-system routers, by path: Next.js app router route handlers and the special files that run on
 * the server (`app/**\/route.ts`, `page.tsx`, `layout.tsx`, `not-found.tsx`, ...), pages router pages and API routes
 * and Astro pages and endpoints (`pages/**`, `src/pages/**`), `@fastify/autoload` and loader-read route folders
 * (`routes/**`), SvelteKit server routes (`src/routes/**\/+server.ts`, `+page.server.ts`,
 * `+layout.server.ts`), Nuxt / Nitro server routes (`server/api|routes|middleware/**`), Remix / React Router
 * route modules (`app/routes/**`). Sources: each framework's routing docs.
 */
const ROUTE_ENTRIES = [
  /(?:^|\/)app\/(?:.+\/)?(?:route|page|layout|template|default|not-found|forbidden|unauthorized|error|loading)\.[cm]?[jt]sx?$/,
  /(?:^|\/)pages\/.+\.(?:[cm]?[jt]sx?|astro)$/,
  /(?:^|\/)routes\/.+\.[cm]?[jt]s$/,
  /(?:^|\/)src\/routes\/(?:.+\/)?\+(?:server|page\.server|layout\.server)\.[cm]?[jt]s$/,
  /(?:^|\/)server\/(?:api|routes|middleware)\/.+\.[cm]?[jt]s$/,
  /(?:^|\/)app\/routes\/.+\.[cm]?[jt]sx?$/,
];

/** The folder names `isTestPath` (discover.ts) reads as test folders. */
const TEST_FOLDER = /(?:^|\/)(?:__tests__|__mocks__|test|tests|e2e|spec|cypress)\//;

/**
 * A file-system router's route file whose route path holds a folder named like a test folder
 * (`app/api/e2e/seed/route.ts` answers `/api/e2e/seed`; `app/api/webhook/test/route.ts` answers
 * `/api/webhook/test`): a served route, not a test. The router's own folder must not sit in a test folder
 * (`test/fixtures/next/app/api/route.ts` stays a fixture).
 */
export function routeEntryBelowTestFolder(relative: string): boolean {
  for (const pattern of ROUTE_ENTRIES) {
    const match = pattern.exec(relative);
    if (!match) continue;
    const root = relative.slice(0, match.index + (match[0].startsWith('/') ? 1 : 0));
    if (!TEST_FOLDER.test(root)) return true;
  }
  return false;
}

/**
 * An import of a test runner, assertion library or API test tool: `from 'vitest'`, `require('supertest')`,
 * `from 'chai/...'`, a k6 script's `from 'k6/http'` (k6.io/docs: a load test whose `check()` asserts replies),
 * Cypress, frisby, pactum, chai-http.
 */
const TEST_LIBRARY =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(?:vitest|@jest\/globals|chai|chai-http|supertest|node:test|mocha|@hapi\/lab|@hapi\/code|tap|ava|uvu|@playwright\/test|k6|cypress|frisby|pactum)(?:\/[^'"\n]*)?\1/;

/**
 * A Postman / Newman test script kept as a file (`pm.test('denied', () => pm.response.to.have.status(403))`,
 * the legacy `tests['x'] = responseCode.code === 403`): it reads the Postman sandbox's globals
 * (learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/); test code that no
 * server runs.
 */
export const POSTMAN_SCRIPT = /\bpm\s*\.\s*(?:test|expect|response)\b|\bresponseCode\s*\.\s*code\b/;

/** Node's assertion module: `require('assert')`, `from 'node:assert/strict'`. */
const NODE_ASSERT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(?:node:)?assert(?:\/strict)?\1/;

/** An import of a non-relative specifier with a test folder in it: `from '@server/test/support'`. */
const ALIASED_TEST_SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])([^.'"\n][^'"\n]*\/(?:test|tests|e2e|spec)\/[^'"\n]*)\1/g;

/** A test registered with a runner's global at the start of a line: `test('x', ...)`, `describe.only("x", ...)`. */
const RUNNER_GLOBAL_CALL = /^\s*(?:describe|it|test|suite|specify)(?:\.\w+)*\s*\(\s*['"`]/m;

/**
 * Source files outside test folders that import a test runner or assertion library (`testing/common/
 * expect-forbidden.ts` importing `expect` from vitest, a `test-utils/` helper building supertest requests) are
 * test support code, counted as tests, unless a file that is no test imports them (relative specifiers), or
 * nothing imports them and they start a server without registering a test (an entry point that uses chai to
 * validate requests).
 * Source: the jest, vitest and mocha docs, which put shared helpers anywhere `setupFiles` or a test imports.
 */
function testHelpers(
  files: readonly DiscoveredFile[],
  summaryOf: (absolute: string) => ImportSummary,
): DiscoveredFile[] {
  const helpers = new Map<string, DiscoveredFile>();
  for (const file of files)
    if (!file.test && summaryOf(file.absolute).testLibrary)
      helpers.set(file.absolute.replace(EXTENSION, ''), file);
  if (!helpers.size) return [...files];
  // Imported by a test (or by another such file): support code. Imported by a source: a source.
  const usedByTests = new Set<string>();
  for (const file of files) {
    const own = helpers.has(file.absolute.replace(EXTENSION, ''));
    for (const specifier of summaryOf(file.absolute).relative) {
      const target = path.resolve(path.dirname(file.absolute), specifier).replace(EXTENSION, '');
      for (const key of [target, path.join(target, 'index')]) {
        if (file.test || own) usedByTests.add(key);
        else helpers.delete(key);
      }
    }
  }
  // Imported by nothing (relatively) and registering no test, yet starting a server (`app.listen(`): an entry
  // point that happens to use an assertion library (an Express app validating with chai: breaker27 #06) stays a
  // source. Without `listen` it may be a helper tests reach through an alias (`@test/utils`): it stays support.
  for (const [key, file] of helpers) {
    const summary = summaryOf(file.absolute);
    if (!usedByTests.has(key) && !summary.runnerCalls && summary.listens) helpers.delete(key);
  }
  const demoted = new Set([...helpers.values()].map((f) => f.absolute));
  return files.map((f) => (demoted.has(f.absolute) ? { ...f, test: true } : f));
}
