// Which files are tests by their names and folders (the discovery's first flag; test-folders.ts settles the rest).

/**
 * jest/vitest default test locations and Nest's e2e specs, and the names a runner finds by default outside them
 * (see {@link isRunnerDefaultName}).
 */
export function isTestFile(relative: string): boolean {
  return (
    /(^|\/)(__tests__|__mocks__|test|tests|e2e|spec|cypress)\//.test(relative) ||
    isTestName(relative) ||
    isRunnerDefaultName(relative)
  );
}

/**
 * A name a test runner runs by default wherever it sits: `test.js` and `spec.js` (Jest's default `testMatch`
 * `**\/?(*.)+(spec|test).[jt]s?(x)`; node:test's `**\/test.?(c|m)js`), node:test's `test-x.js`, `x-test.js`,
 * `x_test.js` (nodejs.org/api/test.html, "Running tests from the command line"). Such a file is a test only
 * while it reads like one and no source file imports it (test-folders.ts): `routes/test.js` served by an app
 * stays a source.
 */
export function isRunnerDefaultName(relative: string): boolean {
  return /(^|\/)(test|spec|test-[^/]+|[^/]+[-_]test)\.[cm]?[jt]sx?$/.test(relative);
}

/** A test by its own name (`x.test.ts`, `x.spec.ts`, `x.e2e-spec.ts`, `x.e2e.ts`), whatever folder it sits in. */
export function isTestName(relative: string): boolean {
  return /\.(test|spec|e2e-spec|e2e|cy)\.[cm]?[jt]sx?$/.test(relative);
}
