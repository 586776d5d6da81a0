import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type ts from '../../typescript.cjs';
import { parseSource } from '../parse.js';

/** What the worker is asked: the non-test source files of the project. */
export interface SkeletonRequest {
  files: { absolute: string; relative: string }[];
}

/**
 * What the worker posts: batches of skeleton texts (`skeletonText`) of files that may not hold a 403 form (so
 * the analysis never reads them), by absolute path, then `done`; or (a bug) a crash with its stack.
 */
export type SkeletonReply =
  { skeletons: [string, string][] } | { done: true } | { crash: string; stack?: string };

/** Files per batch the worker posts: the main thread parses a batch while the worker makes the next. */
export const BATCH_FILES = 64;

/**
 * Projects with at least this many source files have their route files read, parsed and trimmed on a worker
 * thread while the main thread analyses the files that hold a 403 (a worker's start-up, tens of
 * milliseconds, would cost a small project more than it saves).
 */
export const BACKGROUND_FILES = 200;

/**
 * Starts the skeletons of `files` on a worker thread (skeleton-worker.ts), or returns undefined when they are
 * made in place instead: fewer than `BACKGROUND_FILES` files, no compiled worker at hand (running from the
 * TypeScript sources), or `MTLS_FIX_SPEC_WORKER=never`. `MTLS_FIX_SPEC_WORKER=always` uses the worker for any
 * number of files and rejects when there is no compiled worker (so a test cannot pass in place). The main
 * thread parses each batch of skeleton texts as it arrives (whenever it waits), so the map the promise gives
 * holds parsed trimmed trees, by absolute path: only files whose text has no 403 form; the main thread parses
 * the others whole, as the analysis does.
 */
export function startSkeletons(
  files: readonly { absolute: string; relative: string }[],
): Promise<ReadonlyMap<string, ts.SourceFile>> | undefined {
  const worker = workerFile();
  const choice = process.env.MTLS_FIX_SPEC_WORKER;
  if (choice === 'always' && worker === undefined)
    return Promise.reject(new Error('MTLS_FIX_SPEC_WORKER=always, but no compiled worker module is at hand'));
  if (worker === undefined || choice === 'never' || (choice !== 'always' && files.length < BACKGROUND_FILES))
    return undefined;
  const request: SkeletonRequest = { files: files.map(({ absolute, relative }) => ({ absolute, relative })) };
  const relative = new Map(files.map((f) => [f.absolute, f.relative]));
  const done = new Promise<ReadonlyMap<string, ts.SourceFile>>((resolve, reject) => {
    const trees = new Map<string, ts.SourceFile>();
    const thread = new Worker(worker, { workerData: request });
    thread.on('message', (reply: SkeletonReply) => {
      if ('skeletons' in reply) {
        for (const [absolute, text] of reply.skeletons) {
          try {
            trees.set(absolute, parseSource(relative.get(absolute) ?? absolute, text));
          } catch {
            // left to buildSpecScope, which parses the file itself
          }
        }
      } else if ('done' in reply) resolve(trees);
      else {
        const crash = new Error(`reading the route files failed on a worker thread: ${reply.crash}`);
        if (reply.stack) crash.stack = reply.stack;
        reject(crash);
      }
    });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the route file thread exited with code ${code}`));
    });
  });
  // Awaited by buildSpecScope; marked handled so an early failure is not an unhandled rejection.
  done.catch(() => undefined);
  return done;
}

/** The compiled worker module, when this module runs compiled (dist); undefined from the TS sources. */
function workerFile(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) return undefined;
  const file = path.join(path.dirname(here), 'skeleton-worker.js');
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
