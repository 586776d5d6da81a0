import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker-thread module `name` (e.g. `sources-worker.js`) beside the module at `moduleUrl` (its
 * `import.meta.url`), when that module runs compiled (dist/, or a bundle that places each worker beside the chunk
 * that starts it: scripts/bundle-lean.mjs). Undefined when running from the TypeScript sources (tests under
 * vitest) or when the file is not there: the caller then does the work on its own thread. Never throws.
 */
export function compiledWorkerFile(moduleUrl: string, name: string): string | undefined {
  const here = fileURLToPath(moduleUrl);
  if (!here.endsWith('.js')) return undefined;
  const file = path.join(path.dirname(here), name);
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
