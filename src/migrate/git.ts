import { MtlsFixError } from '../errors.js';
import { gitAnswer, GIT_STATUS } from './git-early.js';

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
  // Asked ahead by a sources thread (git-early.ts), or now.
  const status = await gitAnswer(cwd, GIT_STATUS);
  if (status === undefined) return;
  const dirty = status.split('\n').filter(Boolean);
  if (dirty.length === 0) return;
  throw new MtlsFixError(
    'EGIT',
    `the git work tree has ${dirty.length} uncommitted change${dirty.length === 1 ? '' : 's'} (e.g. ${dirty[0].slice(3)}).`,
    'Commit or stash them first so the migration is one reviewable diff, or pass --force.',
  );
}
