import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type ts from '../../typescript.cjs';
import { parseSource } from '../parse.js';
import { CANDIDATE, CANDIDATE_TEST } from '../prefilter.js';
import { wiringMethodNames } from './skeleton.js';
import { factTree, routeSkeletonTree, withFacts } from './skeleton-tree.js';
import type { FactTree } from './project.js';
import type { RouteFacts } from './route-fact-model.js';
import { WIRINGS } from './wirings.js';
import type { ReadAhead, ReadFile } from '../read-ahead.js';
import { compiledWorkerFile } from '../../util/worker-file.js';
import { helperThreadsPay } from './spare-core.js';

/** What the worker is asked: one list of files, each read once, for the prefilter pass and/or a skeleton. */
export interface SkeletonRequest {
  files: {
    absolute: string;
    relative: string;
    /** The prefilter pass asks for it (its read result is posted back). */
    read: boolean;
    /** A route source (non-test): its skeleton text is posted back when its text holds no 403 form. */
    skeleton: boolean;
    /** The prefilter already found no 403 form in its text (the sources thread's answer): not tested again. */
    plain?: true;
  }[];
  /** The prefilter's pattern (CANDIDATE), as RegExp source and flags (the worker imports no module that loads the parser before its reads). */
  pattern: { source: string; flags: string };
  /** Files per message. */
  batch: number;
  /**
   * One Int32 per file of `files` (a SharedArrayBuffer), set to 1 by whichever thread makes that file's trimmed
   * tree (Atomics.compareExchange from 0): the worker from the front, the main thread from the back once it has
   * nothing else to do (`SkeletonThread.finish`), so neither waits on the other and no file is parsed twice.
   */
  claims: Int32Array;
  /** Whether the worker makes skeletons at all (else it only reads; see `startSkeletons`' `share`). */
  trim: boolean;
}

/**
 * What the worker posts, in this order: batches of read results (`read`: absolute path, whether the pattern
 * matches, and the text of a match only; `null` for a file it could not read), `readDone`, batches of skeleton
 * texts (`skeletonText`) of the route files whose text holds no 403 form (so the analysis never reads them),
 * each with the route facts read from its tokens when it has them (its text then without their statements:
 * skeleton-tree.ts `factTree`), then `done`; or (a bug) a crash with its stack.
 */
export type SkeletonReply =
  | { read: [string, boolean | null, string | undefined][] }
  | { readDone: true }
  | { skeletons: [string, string, RouteFacts | undefined][] }
  | { done: true }
  | { crash: string; stack?: string };

/** Files per batch the worker posts: the main thread uses a batch while the worker makes the next. */
export const BATCH_FILES = 64;

/**
 * Projects with at least this many source files have their route files read, parsed and trimmed on a worker
 * thread while the main thread analyses the files that hold a 403 (a worker's start-up, tens of
 * milliseconds, would cost a small project more than it saves).
 */
export const BACKGROUND_FILES = 200;

/** The skeleton thread: the trimmed trees it makes, and the reader it serves meanwhile. */
export interface SkeletonThread {
  /**
   * The trimmed trees of the route files whose text has no 403 form, by absolute path (the main thread parses
   * the others whole, as the analysis does). Call it when the main thread has nothing else to do: it trims the
   * files the worker has not reached yet itself (read, parsed, `trimForRoutes`), from the last one back, while
   * the worker goes on from the front, then waits for the worker's last batch. Each file's tree is the same
   * whichever thread made it (skeleton.test.ts). Rejects when the worker failed.
   */
  finish(): Promise<ReadonlyMap<string, ts.SourceFile | FactTree>>;
  /**
   * The prefilter pass's reads, from the same thread (`sourceReader`'s `ahead`, with the pattern CANDIDATE): each
   * file is read once for both. Answers in any order; undefined for a file the thread did not read (the caller
   * reads it).
   */
  reader: ReadAhead;
}

/**
 * Starts one worker thread (skeleton-worker.ts) that reads `read` and `routes` (each file once, in the order
 * given, `read` first where they differ), posts the prefilter answers for `read` (what read-ahead.ts's thread
 * would: the analysis takes them as they come), then parses the route files whose text has no 403 form and posts
 * their skeleton texts, which the main thread parses as each batch arrives (whenever it waits). Returns
 * undefined when this is not worth a thread: fewer than `BACKGROUND_FILES` route files, a machine too busy to give
 * the thread a core (`helperThreadsPay`), no compiled worker at hand (running from the TypeScript sources), or
 * `MTLS_FIX_SPEC_WORKER=never`; then the caller reads and trims in
 * place. `MTLS_FIX_SPEC_WORKER=always` uses the worker for any number of files and rejects when there is no
 * compiled worker (so a test cannot pass in place).
 */
export function startSkeletons(
  routes: readonly { absolute: string; relative: string }[],
  read: readonly string[] = [],
  /**
   * Who makes the trimmed trees: both threads (the default, as above), only the `worker` (the main thread
   * waits), or only the `main` thread (the worker only reads). The last two are for tests, which must see
   * each way work.
   */
  share: 'both' | 'worker' | 'main' = 'both',
  /**
   * The prefilter's answers known already (sources.ts `prefiltered`): true for a file whose text holds a 403 form
   * (it gets no skeleton, so it is not listed), false for one that holds none (its text is not tested again),
   * undefined where unknown (tested here, as without it).
   */
  prefiltered: (absolute: string) => boolean | undefined = () => undefined,
): SkeletonThread | undefined {
  const worker = workerFile();
  const choice = process.env.MTLS_FIX_SPEC_WORKER;
  if (choice === 'always' && worker === undefined) {
    const failed = Promise.reject(
      new Error('MTLS_FIX_SPEC_WORKER=always, but no compiled worker module is at hand'),
    );
    failed.catch(() => undefined);
    return { finish: () => failed, reader: noReader };
  }
  if (
    worker === undefined ||
    choice === 'never' ||
    (choice !== 'always' && (routes.length < BACKGROUND_FILES || !helperThreadsPay()))
  )
    return undefined;
  const wanted = new Set(read);
  const files: SkeletonRequest['files'] = [];
  const listed = new Set<string>();
  const relativeOf = new Map(routes.map((f) => [f.absolute, f.relative]));
  for (const absolute of wanted) {
    listed.add(absolute);
    files.push({
      absolute,
      relative: relativeOf.get(absolute) ?? absolute,
      read: true,
      skeleton: relativeOf.has(absolute),
    });
  }
  for (const { absolute, relative } of routes) {
    if (listed.has(absolute)) continue;
    const candidate = prefiltered(absolute);
    if (candidate === true) continue; // parsed whole by buildSpecScope, as the analysis reads it
    files.push({
      absolute,
      relative,
      read: false,
      skeleton: true,
      ...(candidate === false ? { plain: true as const } : {}),
    });
  }
  const request: SkeletonRequest = {
    files,
    pattern: { source: CANDIDATE.source, flags: CANDIDATE.flags },
    batch: BATCH_FILES,
    claims: new Int32Array(new SharedArrayBuffer(4 * files.length)),
    trim: share !== 'main',
  };
  const reader = new ThreadReader();
  const made = new Map<string, ts.SourceFile | FactTree>();
  const trees = new Promise<ReadonlyMap<string, ts.SourceFile | FactTree>>((resolve, reject) => {
    const thread = new Worker(worker, { workerData: request });
    const fail = (error: Error): void => {
      reader.finish();
      reject(error);
    };
    thread.on('message', (reply: SkeletonReply) => {
      if ('read' in reply) reader.add(reply.read);
      else if ('readDone' in reply) reader.finish();
      else if ('skeletons' in reply) {
        for (const [absolute, text, facts] of reply.skeletons) {
          const relative = relativeOf.get(absolute) ?? absolute;
          try {
            made.set(
              absolute,
              withFacts(parseSource(relative, text), facts, () =>
                routeSkeletonTree(relative, readFileSync(absolute, 'utf8'), wiringMethodNames(WIRINGS)),
              ),
            );
          } catch {
            // left to buildSpecScope, which parses the file itself
          }
        }
      } else if ('done' in reply) resolve(made);
      else {
        const crash = new Error(`reading the route files failed on a worker thread: ${reply.crash}`);
        if (reply.stack) crash.stack = reply.stack;
        fail(crash);
      }
    });
    thread.once('error', fail);
    thread.once('exit', (code) => {
      reader.finish();
      if (code !== 0) reject(new Error(`the route file thread exited with code ${code}`));
    });
  });
  // Awaited by buildSpecScope; marked handled so an early failure is not an unhandled rejection.
  trees.catch(() => undefined);
  const finish = async (): Promise<ReadonlyMap<string, ts.SourceFile | FactTree>> => {
    const wiringMethods = wiringMethodNames(WIRINGS);
    for (let index = share === 'worker' ? -1 : files.length - 1, done = 0; index >= 0; index--) {
      const file = files[index];
      if (!file.skeleton || Atomics.compareExchange(request.claims, index, 0, 1) !== 0) continue;
      let text: string;
      try {
        text = readFileSync(file.absolute, 'utf8');
      } catch {
        continue; // left to buildSpecScope, which reads it and reports as before
      }
      if (!file.plain && CANDIDATE_TEST.test(text)) continue;
      try {
        made.set(file.absolute, factTree(file.relative, text, wiringMethods));
      } catch {
        // left to buildSpecScope, which parses the file itself
      }
      // Now and then, the worker's batches that came meanwhile (parsed as they are taken).
      if (++done % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return trees;
  };
  return { finish, reader };
}

/** Files the main thread trims between two looks at the worker's messages. */
const YIELD_EVERY = 16;

/** A reader with nothing to give: every file is read by the caller. */
const noReader: ReadAhead = { next: () => Promise.resolve(undefined), fromThread: 0 };

/**
 * The prefilter pass's answers as the worker posts them, by absolute path (each given once). A file asked for
 * before its answer came waits for it, or for the end of the reads (then undefined: the caller reads it).
 */
class ThreadReader implements ReadAhead {
  private readonly answers = new Map<string, ReadFile | undefined>();
  private waiting: (() => void)[] = [];
  private finished = false;
  private given = 0;

  get fromThread(): number {
    return this.given;
  }

  add(batch: [string, boolean | null, string | undefined][]): void {
    for (const [absolute, candidate, text] of batch)
      this.answers.set(
        absolute,
        candidate === null ? undefined : text === undefined ? { candidate } : { candidate, text },
      );
    this.wake();
  }

  /** No more answers will come (all posted, or the thread stopped). */
  finish(): void {
    this.finished = true;
    this.wake();
  }

  async next(absolute: string): Promise<ReadFile | undefined> {
    while (!this.answers.has(absolute) && !this.finished)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.answers.has(absolute)) return undefined;
    const answer = this.answers.get(absolute);
    this.answers.delete(absolute);
    if (answer) this.given++;
    return answer;
  }

  private wake(): void {
    const resume = this.waiting;
    this.waiting = [];
    for (const wake of resume) wake();
  }
}

function workerFile(): string | undefined {
  return compiledWorkerFile(import.meta.url, 'skeleton-worker.js');
}
