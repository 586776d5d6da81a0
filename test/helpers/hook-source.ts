import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/** Runs git with a fixed identity; throws with git's message when it fails. */
export function git(cwd: string, ...args: string[]): string {
  const run = spawnSync(
    'git',
    ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

/**
 * A clone of this repository as a hook source: the files git tracks (or would track) in the work tree
 * as they are now, committed in a fresh repository. Returns its folder and commit.
 */
export function cloneOfThisRepository(): { folder: string; rev: string } {
  const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-hook-source-'));
  const listed = git(REPO_ROOT, 'ls-files', '-co', '--exclude-standard', '-z').split('\0');
  for (const file of listed) {
    if (!file || file.startsWith('test/')) continue;
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    try {
      cpSync(path.join(REPO_ROOT, file), path.join(folder, file));
    } catch {
      // deleted in the work tree but still tracked: not part of the clone
    }
  }
  git(folder, 'init', '-q', '-b', 'main');
  git(folder, 'add', '-A');
  git(folder, 'commit', '-q', '-m', 'hook source');
  return { folder, rev: git(folder, 'rev-parse', 'HEAD').trim() };
}
