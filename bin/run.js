#!/usr/bin/env node
// `lint` (the pre-commit hook's command) and `migrate` first try the lean path, which runs the same command code without
// loading oclif (src/cli/lean.ts); everything else, and anything it leaves, goes to oclif.
const { runLean } = await import('../dist/src/cli/lean-bundle/lean.js');
if (!(await runLean(process.argv.slice(2), new URL('../oclif.manifest.json', import.meta.url)))) {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
