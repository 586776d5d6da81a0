import { execFile } from 'node:child_process';

// The work-tree check's git question (git.ts). A sources thread starts that `git status` as its very first step,
// before it loads the modules that use the answer (sources-worker.ts): git then stats the work tree while the
// thread loads discovery's modules, instead of after. This module loads nothing but child_process.

/** `git status` for the work-tree check (git.ts `assertCleanWorkTree`). */
export const GIT_STATUS = ['status', '--porcelain', '--untracked-files=normal'] as const;

/**
 * git's stdout for `args` run in `cwd`, or undefined when git is missing or exits non-zero. Rejects only when the
 * process cannot be started at all (child_process throws: the caller decides what that means).
 */
export function gitOutput(cwd: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/** Answers asked ahead, by cwd and arguments; each is taken once. */
const ahead = new Map<string, Promise<string | undefined>>();
const keyOf = (cwd: string, args: readonly string[]): string => JSON.stringify([cwd, args]);

/**
 * Starts the work-tree check's `git status` ({@link GIT_STATUS}) for a run in `cwd` that must find the tree clean
 * (`checkClean`), for {@link gitAnswer} to hand out. The status is the answer the run waits for last (it stats
 * every tracked file); discovery's two questions (discover.ts `startGitIndex`) are asked when discovery starts,
 * as before: asked here too, the three processes at once slowed the main thread's start-up under load
 * (README, Performance, session 20). Never throws: a git that cannot be started gives the check, when it takes the
 * answer, the rejection it would have got asking then.
 */
export function askGitAhead(cwd: string, checkClean: boolean): void {
  if (!checkClean) return;
  const answer = gitOutput(cwd, GIT_STATUS);
  // Never awaited when the run asks other questions (another cwd): not an unhandled rejection meanwhile.
  answer.catch(() => undefined);
  ahead.set(keyOf(cwd, GIT_STATUS), answer);
}

/**
 * git's answer to `args` in `cwd` as {@link gitOutput} gives it: the one {@link askGitAhead} started, taken (a
 * second call asks git again), or a new process.
 */
export function gitAnswer(cwd: string, args: readonly string[]): Promise<string | undefined> {
  const key = keyOf(cwd, args);
  const answer = ahead.get(key);
  if (!answer) return gitOutput(cwd, args);
  ahead.delete(key);
  return answer;
}
