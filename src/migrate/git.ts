import { spawnSync } from 'node:child_process';
import { MtlsFixError } from '../errors.js';

/**
 * Refuses to write on a git work tree with uncommitted changes, so the migration is one reviewable diff.
 * A folder outside git (or a machine without git) is fine.
 */
export function assertCleanWorkTree(cwd: string): void {
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd, encoding: 'utf8' });
  if (inside.error || inside.status !== 0 || inside.stdout.trim() !== 'true') return;
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=normal'], {
    cwd,
    encoding: 'utf8',
  });
  if (status.status !== 0) return;
  const dirty = status.stdout.split('\n').filter(Boolean);
  if (dirty.length === 0) return;
  throw new MtlsFixError(
    'EGIT',
    `the git work tree has ${dirty.length} uncommitted change${dirty.length === 1 ? '' : 's'} (e.g. ${dirty[0].slice(3)}).`,
    'Commit or stash them first so the migration is one reviewable diff, or pass --force.',
  );
}
