import { Worker } from 'node:worker_threads';

// Kept apart from sources.ts so that the lean start-up path (src/cli/lean.ts) can start the sources thread before
// it loads the command's modules: this module loads nothing but worker_threads.

/**
 * The `workerData` of a sources thread started before its request is known ({@link prestartSources}): it loads
 * its modules, then waits for one message, `{ request }`. With the run's folder and whether the tree must be clean
 * (`{ ...AWAIT_REQUEST, cwd, checkClean }`), it starts the work-tree check before it loads them (git-early.ts).
 */
export const AWAIT_REQUEST = { awaitRequest: true } as const;

/**
 * Heap limits of a thread that reads and prefilters files (the sources thread, and read-ahead.ts's reader): a
 * young generation of 3 MB (1 MB semi-spaces) instead of V8's default, which grows to 16 MB on a big tree. Each
 * text such a thread reads dies young (it keeps at most an import summary of a file, and posts a candidate's text
 * on), so its scavenges stay cheap at any size, while every page the young generation grows into is a fresh page
 * of memory (~15-25 us each on the project's machines). On gen-code 5000 the sources thread's new space ended at
 * 15.5 MB physical for 1.8 MB in use, and the thread took ~7,800 page faults a run; ~5,200 with this limit. The
 * old generation keeps V8's default limit.
 */
export const READING_THREAD_LIMITS = { maxYoungGenerationSizeMb: 3 } as const;

/**
 * A sources thread started ahead of its request (by the lean start-up path, src/cli/lean.ts, before it loads
 * the command's modules and its configuration: Node.js's start-up of a thread and the loading of its modules
 * then overlap those), unref()ed, and whether it is still there to take one.
 */
export interface PrestartedSources {
  readonly worker: Worker;
  /** True once the thread has failed or exited: it can take no request. */
  readonly gone: boolean;
}

/**
 * What the run will ask git, known before its request: its folder (absolute) and whether the work tree must be
 * clean (writing without `--force`). The thread starts the work-tree check as it starts, while it loads its modules.
 */
export interface GitAhead {
  cwd: string;
  checkClean: boolean;
}

/**
 * Starts `file` (the compiled sources-worker.js beside the command's bundle) as a sources thread waiting for its
 * request; sources.ts `startSources` gives it one. `git`: what to ask git meanwhile (the request's `cwd` and
 * `checkClean`, as far as the caller knows them; a request that differs asks its own). Undefined when no thread
 * can be started, or with `MTLS_FIX_SOURCES_WORKER=never`. Never throws; a thread that fails before its request
 * is simply not used.
 */
export function prestartSources(file: string, git?: GitAhead): PrestartedSources | undefined {
  if (process.env.MTLS_FIX_SOURCES_WORKER === 'never') return undefined;
  let worker: Worker;
  try {
    worker = new Worker(file, {
      workerData: { ...AWAIT_REQUEST, ...git },
      resourceLimits: READING_THREAD_LIMITS,
    });
  } catch {
    return undefined;
  }
  worker.unref();
  let gone = false;
  // Listened to from the start: a thread failing before startSources listens must not be an uncaught error.
  worker.on('error', () => (gone = true));
  worker.on('exit', () => (gone = true));
  return {
    worker,
    get gone() {
      return gone;
    },
  };
}
