import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * vitest's global setup: every temporary folder the tests make (projects, fixture copies, the compiler code
 * cache of the CLI runs they spawn) goes under one folder per run, which is removed when the run ends, so a run
 * leaves nothing in the machine's temporary folder. `os.tmpdir()` reads TMPDIR on each call; the test workers
 * and the processes they spawn inherit it.
 * @returns the teardown, which restores TMPDIR and removes the folder.
 */
export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(path.join(tmpdir(), 'mtls-fix-vitest-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
