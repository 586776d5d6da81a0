import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // src/typescript.cts (a CommonJS module Vite does not transform) re-exports the package as it is: tests
    // import the package itself.
    alias: [{ find: /^(?:\.\.?\/)+(?:[\w-]+\/)*typescript\.cjs$/, replacement: 'typescript' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture projects carry their own tests (inputs for `migrate --include-tests`), not ours.
    exclude: ['test/fixtures/**', 'node_modules/**', 'dist/**'],
    // One temporary folder per run, removed at its end (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // One turn of the event loop after each test, so a long file of synchronous tests never starves vitest's RPC.
    setupFiles: ['test/yield-between-tests.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
