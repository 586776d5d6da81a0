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
}

/** The {@link ImportSummary} of one file's text. */
export function importSummary(text: string): ImportSummary {
  const testLibrary = TEST_LIBRARY.test(text);
  return {
    relative: Array.from(text.matchAll(RELATIVE_SPECIFIER), (match) => match[2] ?? ''),
    testLibrary,
    testCode: testLibrary || RUNNER_GLOBAL_CALL.test(text),
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
  const files = found.map((f) =>
    f.test &&
    !TEST_FOLDER.test(f.relative) &&
    !isTestName(f.relative) &&
    isRunnerDefaultName(f.relative) &&
    !summaryOf(f.absolute).testCode
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
  const sources = files.map((f) => (promoted.has(f.absolute) ? { ...f, test: false } : f));
  return testHelpers(sources, summaryOf);
}

/**
 * Route files of file-system routers, by path: Next.js app router route handlers (`app/**\/route.ts`) and pages
 * API routes (`pages/api/**`), SvelteKit server routes (`src/routes/**\/+server.ts`, `+page.server.ts`,
 * `+layout.server.ts`), Nuxt / Nitro server routes (`server/api|routes|middleware/**`), Remix / React Router
 * route modules (`app/routes/**`). Sources: each framework's routing docs.
 */
const ROUTE_ENTRIES = [
  /(?:^|\/)app\/(?:.+\/)?route\.[cm]?[jt]sx?$/,
  /(?:^|\/)pages\/api\/.+\.[cm]?[jt]sx?$/,
  /(?:^|\/)src\/routes\/(?:.+\/)?\+(?:server|page\.server|layout\.server)\.[cm]?[jt]s$/,
  /(?:^|\/)server\/(?:api|routes|middleware)\/.+\.[cm]?[jt]s$/,
  /(?:^|\/)app\/routes\/.+\.[cm]?[jt]sx?$/,
];

/** The folder names `isTestPath` (discover.ts) reads as test folders. */
const TEST_FOLDER = /(?:^|\/)(?:__tests__|__mocks__|test|tests|e2e|spec)\//;

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

/** An import of a test runner or assertion library: `from 'vitest'`, `require('supertest')`, `from 'chai/...'`. */
const TEST_LIBRARY =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(?:vitest|@jest\/globals|chai|supertest|node:test|mocha|@hapi\/lab|@hapi\/code|tap|ava|uvu|@playwright\/test)(?:\/[^'"\n]*)?\1/;

/** A test registered with a runner's global at the start of a line: `test('x', ...)`, `describe.only("x", ...)`. */
const RUNNER_GLOBAL_CALL = /^\s*(?:describe|it|test|suite|specify)(?:\.\w+)*\s*\(\s*['"`]/m;

/**
 * Source files outside test folders that import a test runner or assertion library (`testing/common/
 * expect-forbidden.ts` importing `expect` from vitest, a `test-utils/` helper building supertest requests) are
 * test support code, counted as tests, unless a file that is no test imports them (relative specifiers).
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
  for (const file of files) {
    if (file.test || helpers.has(file.absolute.replace(EXTENSION, ''))) continue;
    for (const specifier of summaryOf(file.absolute).relative) {
      const target = path.resolve(path.dirname(file.absolute), specifier).replace(EXTENSION, '');
      helpers.delete(target);
      helpers.delete(path.join(target, 'index'));
    }
  }
  const demoted = new Set([...helpers.values()].map((f) => f.absolute));
  return files.map((f) => (demoted.has(f.absolute) ? { ...f, test: true } : f));
}
