import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

// `migrate` starts its git check, discovery and reading on a worker thread before it loads the TypeScript
// compiler (src/cli/migrate-run.ts, src/migrate/sources.ts): that only pays when nothing those modules import
// statically loads the compiler. Checked on the built modules (npm test builds first), in a fresh process.
/** Runs an ES module script in a fresh Node; async, so a loaded machine does not starve vitest's worker RPC. */
async function node(script: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
}

const MODULES = [
  'dist/src/cli/migrate-run.js',
  'dist/src/cli/lean-migrate.js',
  'dist/src/migrate/sources.js',
  'dist/src/migrate/sources-worker.js',
  'dist/src/cli/migrate-bundle/lean-migrate.js',
];

describe('migrate start-up', () => {
  it.each(MODULES)('%s loads without the TypeScript compiler', async (module) => {
    const url = pathToFileURL(path.join(REPO_ROOT, module)).href;
    // The worker module runs its program on import: give it an empty request outside a worker (no parentPort).
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(url)}).catch((error) => {
        if (!/workerData|Cannot read properties of (null|undefined)/.test(String(error))) throw error;
      });
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]/.test(f));
      console.log(JSON.stringify(loaded));
    `;
    const run = await node(script);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('the engine does load it (the check above can see it)', async () => {
    const url = pathToFileURL(path.join(REPO_ROOT, 'dist/src/migrate/index.js')).href;
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(url)});
      console.log(Object.keys(createRequire(import.meta.url).cache).some((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]/.test(f)));
    `;
    const run = await node(script);
    expect(run.stdout.trim()).toBe('true');
  });
});
