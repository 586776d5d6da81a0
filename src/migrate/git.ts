import { existsSync } from 'node:fs';
import path from 'node:path';
import { MtlsFixError } from '../errors.js';
import { safeRealPath, slashed } from './file-paths.js';
import { gitAnswer, gitOutput, GIT_STATUS } from './git-early.js';

/**
 * Refuses to write on a git work tree with uncommitted changes, so the rewrite is one reviewable diff.
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
    'Commit or stash them first so the rewrite is one reviewable diff, or pass --force.',
  );
}

/**
 * The top of the git work tree that holds `folder` (absolute, real), found as git finds it: the nearest folder,
 * `folder` itself or above, holding `.git` (a folder; a file for a submodule or a `git worktree`). Undefined when
 * none does. `seen` memoizes answers per folder for one run.
 */
function workTreeTop(folder: string, seen: Map<string, string | undefined>): string | undefined {
  const walked: string[] = [];
  let at = folder;
  let top: string | undefined;
  for (;;) {
    if (seen.has(at)) {
      top = seen.get(at);
      break;
    }
    walked.push(at);
    if (existsSync(path.join(at, '.git'))) {
      top = at;
      break;
    }
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const entry of walked) seen.set(entry, top);
  return top;
}

/**
 * The per-file half of the clean-tree check (breaker31 #04: only the working folder's repository was checked, so
 * `migrate ../service/src` rewrote a file of another repository into its uncommitted work, and a file in no
 * repository at all, with no word). Each of `files` (absolute; the files the run may rewrite) is checked in its
 * own work tree, found from its real path: every work tree holding one, other than the working folder's (which
 * {@link assertCleanWorkTree} checks), must be clean; git runs once per such tree, side by side. A file in no
 * work tree is refused when the working folder is in one (the user relies on the check there; outside git the
 * engine's warning says there is none). Nothing is asked of git when every file lies in the working folder's tree.
 *
 * @throws MtlsFixError EGIT (as a rejection) naming the file and, for a dirty tree, its first change.
 */
export async function assertCleanFileTrees(cwd: string, files: readonly string[]): Promise<void> {
  const seen = new Map<string, string | undefined>();
  const home = workTreeTop(safeRealPath(cwd), seen);
  // Each other work tree, with the first file found in it; and the files in none.
  const trees = new Map<string, string>();
  const outside: string[] = [];
  for (const file of files) {
    // By its real path: a link named or walked may lead into another work tree.
    const top = workTreeTop(path.dirname(safeRealPath(file)), seen);
    if (top === undefined) outside.push(file);
    else if (top !== home && !trees.has(top)) trees.set(top, file);
  }
  const shown = (file: string): string => slashed(path.relative(cwd, file));
  const answers = await Promise.all(
    [...trees].map(async ([top, file]) => ({ top, file, status: await gitOutput(top, GIT_STATUS) })),
  );
  for (const { file, status } of answers) {
    // git cannot answer for that folder (a broken `.git`, no git): as good as no work tree.
    if (status === undefined) {
      outside.push(file);
      continue;
    }
    const dirty = status.split('\n').filter(Boolean);
    if (dirty.length === 0) continue;
    throw new MtlsFixError(
      'EGIT',
      `the git work tree holding ${shown(file)} has ${dirty.length} uncommitted change${dirty.length === 1 ? '' : 's'} (e.g. ${dirty[0].slice(3)}).`,
      'Commit or stash them first so the rewrite is one reviewable diff, or pass --force.',
    );
  }
  if (outside.length === 0 || home === undefined) return;
  const more = outside.length - 1;
  throw new MtlsFixError(
    'EGIT',
    `${shown(outside[0])}${more ? ` (and ${more} more file${more === 1 ? '' : 's'})` : ''} is in no git work tree, so a rewrite there would have no diff to review or undo.`,
    'Commit it to a git repository first (git init, git add, git commit), or pass --force.',
  );
}

/**
 * The whole clean-tree check for a command that rewrites `files` (absolute) in place, run from `cwd`: the working
 * folder's tree ({@link assertCleanWorkTree}), then each file's own ({@link assertCleanFileTrees}). `fix` and
 * `detect --write` ask it before they write, as `migrate` does (breaker31 #04).
 *
 * @throws MtlsFixError EGIT (as a rejection), the working folder's first.
 */
export async function assertCleanWorkTrees(cwd: string, files: readonly string[]): Promise<void> {
  await assertCleanWorkTree(cwd);
  await assertCleanFileTrees(cwd, files);
}
