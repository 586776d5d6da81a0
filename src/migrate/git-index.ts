import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { relativePath, safeRealPath, slashed } from './file-paths.js';

/** What discovery asks git first: the work tree's top (its real path) and the index's paths. */
export interface GitIndex {
  root: string;
  /** `/`-separated, relative to `root`; empty when git could not list them. */
  tracked: ReadonlySet<string>;
}

/** {@link GitIndex} for `cwd`, asked now; undefined outside a work tree or without git. */
export function gitIndexNow(cwd: string): GitIndex | undefined {
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  if (top.error || top.status !== 0) return undefined;
  const root = safeRealPath(top.stdout.trim());
  return { root, tracked: trackedFiles(root) };
}

/**
 * {@link GitIndex} for `cwd`, asked of two git processes started now, side by side (the top of the work tree,
 * and the index's paths listed from `cwd` by their full names); resolves to undefined outside a work tree or
 * without git. Never rejects. The list only spares `git check-ignore` questions about tracked files (which it
 * never reports), so the answers are the same as {@link gitIndexNow}'s.
 */
export function startGitIndex(cwd: string): Promise<GitIndex | undefined> {
  const run = (args: string[]): Promise<string | undefined> =>
    new Promise((resolve) => {
      try {
        execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) =>
          resolve(error ? undefined : stdout),
        );
      } catch {
        resolve(undefined);
      }
    });
  return Promise.all([
    run(['rev-parse', '--show-toplevel']),
    run(['ls-files', '-z', '--cached', '--full-name', '--', ':/']),
  ]).then(([top, listed]) => {
    if (top === undefined) return undefined;
    return {
      root: safeRealPath(top.trim()),
      tracked: new Set(listed === undefined ? [] : listed.split('\0').filter(Boolean)),
    };
  });
}

/**
 * Git's own ignore decision (`git check-ignore`: `.gitignore` files, `info/exclude`, the global excludes;
 * tracked files are never ignored) for `files`, asked once. Paths through a symlink are asked by their real
 * path. Outside a repository (`git` undefined), or without git, nothing is ignored. Only files git does not
 * track are asked (`git.tracked`): check-ignore never reports a tracked file, and asking costs it ~70 µs a path.
 *
 * @returns the subset of `files` (as given) that git ignores.
 */
export function gitIgnored(
  files: readonly string[],
  realPath: (file: string) => string,
  git: GitIndex | undefined,
): Set<string> {
  const ignored = new Set<string>();
  if (!files.length || !git) return ignored;
  const { root, tracked } = git;
  const asked = new Map<string, string[]>();
  for (const file of files) {
    const inRepo = relativePath(root, realPath(file));
    if (inRepo.startsWith('..') || path.isAbsolute(inRepo)) continue;
    const key = slashed(inRepo);
    if (tracked.has(key)) continue;
    asked.set(key, [...(asked.get(key) ?? []), file]);
  }
  if (!asked.size) return ignored;
  const result = spawnSync('git', ['check-ignore', '-z', '--stdin'], {
    cwd: root,
    input: [...asked.keys()].join('\0'),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  // Exit 1: nothing ignored; 128: an error (say, a path git refuses): treat as nothing ignored.
  if (result.error || result.status !== 0) return ignored;
  for (const entry of result.stdout.split('\0').filter(Boolean)) {
    for (const file of asked.get(entry) ?? []) ignored.add(file);
  }
  return ignored;
}

/** The index's paths (`/`-separated, relative to the top of the work tree); empty when git cannot say. */
function trackedFiles(root: string): Set<string> {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (listed.error || listed.status !== 0) return new Set();
  return new Set(listed.stdout.split('\0').filter(Boolean));
}
