import { execFile } from 'node:child_process';
import { MtlsFixError } from '../errors.js';

/**
 * Refuses to write on a git work tree with uncommitted changes, so the migration is one reviewable diff.
 * A folder outside git (or a machine without git) is fine. Asynchronous, so git runs while the caller goes
 * on (file discovery): the caller awaits it before anything else can be reported or written.
 *
 * @throws MtlsFixError EGIT (as a rejection) naming the number of changes and the first one.
 */
export async function assertCleanWorkTree(cwd: string): Promise<void> {
  // One git process: outside a work tree (no repository, a bare one, inside `.git`) `git status` fails, which
  // is answered as a clean tree, as a failing status always was.
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=normal']);
  if (status === undefined) return;
  const dirty = status.split('\n').filter(Boolean);
  if (dirty.length === 0) return;
  throw new MtlsFixError(
    'EGIT',
    `the git work tree has ${dirty.length} uncommitted change${dirty.length === 1 ? '' : 's'} (e.g. ${dirty[0].slice(3)}).`,
    'Commit or stash them first so the migration is one reviewable diff, or pass --force.',
  );
}

/** git's stdout, or undefined when git is missing or exits non-zero. */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}
