import type * as Fs from 'node:fs';
import { readFileSync } from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import type { TextTest } from '../util/anchored-test.js';
import { READING_THREAD_LIMITS } from './sources-prestart.js';
import { SPECIFIER_SOURCE } from './import-specifiers.js';
import { REEXPORT_SOURCE } from './reexported-modules.js';

/**
 * One file as read: whether the prefilter pattern matches it, and its text. The reading thread sends the text
 * of a match only: the others' texts are rarely needed again (a second pass reads them when it is), and
 * copying thousands of them into this thread's heap cost more than the read saved.
 */
export interface ReadFile {
  candidate: boolean;
  /** Always set for a candidate. */
  text?: string;
  /**
   * For a file that is not a candidate, read on a thread: the specifiers its text names that may lead outside the
   * scanned folder (import-specifiers.ts `outsideSpecifiers`), so that the outside-import pass (workspace-scan.ts)
   * need not read the text again. Absent when the reader did not take them.
   */
  imports?: string[];
  /**
   * With `imports`: the specifiers the text re-exports from (reexported-modules.ts `reexportsIn`), absent when
   * none, so that the analysis of a file importing it need not read it again (transform.ts `importedModules`).
   */
  reexports?: string[];
  /**
   * With `imports`: the names the text declares by a plain call and uses only as the owner of members
   * (plain-declarations.ts `plainlyDeclaredNames`), so that a look-up of such a name need not read the file
   * again (links.ts `declaredPlainly`): every other name of the file answers no there. Absent when the reader
   * did not take them (then the question reads the file).
   */
  plainExports?: string[];
}

/**
 * What `sourceReader` gives for a file: a candidate with its text, or not a candidate (with the specifiers of
 * `ReadFile.imports` when the reading thread took them).
 */
export type PrefilteredSource =
  | { candidate: true; text: string }
  | {
      candidate: false;
      imports?: readonly string[];
      reexports?: readonly string[];
      plainExports?: readonly string[];
    };

/** Files read ahead of their use, in the order given. */
export interface ReadAhead {
  /**
   * A file of the list, asked in the order given; files may be skipped (a file the caller turned out not to
   * need), never asked for again or out of order (an Error, a bug). undefined when the reading thread could not
   * read it: the caller reads it itself and gets the error the file system gives.
   */
  next(absolute: string): Promise<ReadFile | undefined>;
  /** How many of the answers so far came from the reading thread (0 when the files are read here). */
  readonly fromThread: number;
}

/**
 * `readFileSync(absolute, 'utf8')` kept in `texts`: each file is read once however often it is asked for, and
 * a text already held there (read ahead) is given as it is. Throws what the file system says.
 */
export function cachedTextReader(texts: Map<string, string>): (absolute: string) => string {
  return (absolute) => {
    let text = texts.get(absolute);
    if (text === undefined) {
      text = readFileSync(absolute, 'utf8');
      texts.set(absolute, text);
    }
    return text;
  };
}

/** Below this many files a thread costs more to start (~30 ms) than reading them here. */
export const READ_AHEAD_MIN_FILES = 200;

/** Files per message from the reading thread. */
const BATCH = 64;

/**
 * Reads `files` (UTF-8, as `readFileSync(file, 'utf8')`) and tests each text with `pattern` on a worker
 * thread (which builds its own RegExp from `pattern.source` and `pattern.flags`, and `pattern.also`, the same answers as
 * `pattern.test`), while the calling thread analyses the files already read: reading thousands of files and running
 * the prefilter over them stops being on the critical path. With fewer than {@link READ_AHEAD_MIN_FILES}
 * files, or when a thread cannot be started, the files are read on the calling thread as they are asked for.
 * The thread holds the process open only while the caller is waiting for a file.
 */
export function readAhead(files: readonly string[], pattern: TextTest): ReadAhead {
  if (files.length < READ_AHEAD_MIN_FILES) return readHere(files, pattern);
  let worker: Worker;
  try {
    worker = new Worker(`(${readerThread.toString()})(require('node:worker_threads'), require('node:fs'))`, {
      eval: true,
      workerData: {
        files,
        source: pattern.source,
        flags: pattern.flags,
        also: pattern.also,
        batch: BATCH,
        specifier: SPECIFIER_SOURCE,
        reexport: REEXPORT_SOURCE,
      },
      resourceLimits: READING_THREAD_LIMITS,
    });
  } catch {
    return readHere(files, pattern);
  }
  worker.unref();
  const queue = queuedReadAhead(files, pattern, worker);
  worker.on('message', (batch: (ReadFile | null)[]) => queue.push(batch));
  worker.on('error', () => queue.stop());
  worker.on('exit', () => queue.stop());
  return queue;
}

/** A {@link ReadAhead} fed batch by batch, in file order, by a reading thread (readAhead's, or sources.ts'). */
export interface QueuedReadAhead extends ReadAhead {
  /** The thread's answers for the next files of the list (null: it could not read that file). */
  push(batch: readonly (ReadFile | null)[]): void;
  /** The thread is gone: the files it did not answer are read on this thread when asked. */
  stop(): void;
}

/**
 * The waiting side of a read-ahead: `next` answers from the batches pushed so far, waits for the next batch
 * (holding the process open through `hold.ref()` only while it waits: the thread is otherwise unref()ed), or,
 * once stopped, reads the file here.
 */
export function queuedReadAhead(
  files: readonly string[],
  pattern: TextTest,
  hold: { ref(): void; unref(): void },
): QueuedReadAhead {
  // By position in `files`: a batch that arrives late can never be taken for another file.
  const ready: (ReadFile | undefined)[] = [];
  const positions = positionsOf(files);
  let stopped = false;
  let waiter: (() => void) | undefined;
  let at = 0;
  const wake = (): void => {
    const resume = waiter;
    waiter = undefined;
    resume?.();
  };
  let fromThread = 0;
  return {
    push(batch) {
      for (const file of batch) ready.push(file ?? undefined);
      wake();
    },
    stop() {
      stopped = true;
      wake();
    },
    async next(absolute) {
      const position = nextPosition(positions, absolute, at);
      if (position === undefined) throw outOfOrder(absolute);
      at = position + 1;
      while (position >= ready.length && !stopped) {
        hold.ref();
        await new Promise<void>((resolve) => (waiter = resolve));
        hold.unref();
      }
      // A thread that failed or stopped early leaves the rest to this thread.
      if (position >= ready.length) return readOne(absolute, pattern);
      fromThread++;
      return ready[position];
    },
    get fromThread() {
      return fromThread;
    },
  };
}

/**
 * `migrate`'s reader for the prefilter pass: for each of `files`, asked in that order, its text and whether
 * `pattern` matches it. A text the run already holds in `texts` wins (the analysis sees the text read first);
 * the others are read ahead ({@link readAhead}) and kept in `texts`. A file the thread could not read is read
 * with `readHere`, which throws what the file system says. `reading`, when given, is a thread already reading
 * all of `files` in that order with the same pattern (sources.ts), used instead of starting one.
 */
export function sourceReader(
  files: readonly string[],
  pattern: TextTest,
  texts: Map<string, string>,
  readHere: (absolute: string) => string,
  reading?: ReadAhead,
): (absolute: string) => Promise<PrefilteredSource> {
  // `reading`: a thread already reading the whole list, in order (sources.ts); a text held here still wins.
  const listed = reading ? files : files.filter((f) => !texts.has(f));
  const asked = new Set(listed);
  const ahead = reading ?? readAhead(listed, pattern);
  const source = (text: string, candidate: boolean): PrefilteredSource =>
    candidate ? { candidate, text } : { candidate: false };
  return async (absolute) => {
    const read = asked.has(absolute) ? await ahead.next(absolute) : undefined;
    const known = texts.get(absolute);
    if (known !== undefined)
      return source(known, read?.text === known ? read.candidate : pattern.test(known));
    if (!read) {
      const text = readHere(absolute);
      return source(text, pattern.test(text));
    }
    if (read.text === undefined) {
      if (!read.imports) return { candidate: false };
      const taken: PrefilteredSource = { candidate: false, imports: read.imports };
      if (read.reexports) taken.reexports = read.reexports;
      if (read.plainExports) taken.plainExports = read.plainExports;
      return taken;
    }
    texts.set(absolute, read.text);
    return source(read.text, read.candidate);
  };
}

/** The same answers, read on this thread when asked. */
function readHere(files: readonly string[], pattern: TextTest): ReadAhead {
  const positions = positionsOf(files);
  let at = 0;
  return {
    next(absolute) {
      const position = nextPosition(positions, absolute, at);
      if (position === undefined) return Promise.reject(outOfOrder(absolute));
      at = position + 1;
      return Promise.resolve(readOne(absolute, pattern));
    },
    fromThread: 0,
  };
}

/** Each file's position in the list. */
function positionsOf(files: readonly string[]): Map<string, number> {
  return new Map(files.map((file, index) => [file, index]));
}

/**
 * The position of `absolute`, at or after `from` (the files before it were asked for or skipped); undefined
 * when it is not in the list there (asked twice, out of order, or never listed: a bug, see `outOfOrder`).
 */
function nextPosition(
  positions: ReadonlyMap<string, number>,
  absolute: string,
  from: number,
): number | undefined {
  const position = positions.get(absolute);
  return position === undefined || position < from ? undefined : position;
}

function outOfOrder(absolute: string): Error {
  return new Error(`read-ahead: asked for ${absolute} out of order`);
}

function readOne(absolute: string, pattern: TextTest): ReadFile | undefined {
  try {
    const text = readFileSync(absolute, 'utf8');
    return { text, candidate: pattern.test(text) };
  } catch {
    return undefined;
  }
}

/**
 * The worker's whole program, sent as source (`eval`), so it needs no file of its own next to the compiled
 * module and loads nothing but `fs`. A file it cannot read is posted as null; a text only with a match.
 */
function readerThread(threads: typeof WorkerThreads, fs: typeof Fs): void {
  const data = threads.workerData as {
    files: string[];
    source: string;
    flags: string;
    also?: { source: string; flags: string };
    batch: number;
    specifier: string;
    reexport: string;
  };
  const first = new RegExp(data.source, data.flags.replace('g', ''));
  const also = data.also && new RegExp(data.also.source, data.also.flags.replace('g', ''));
  const pattern = { test: (text: string): boolean => first.test(text) || (also?.test(text) ?? false) };
  const specifier = new RegExp(data.specifier, 'g');
  const reexport = new RegExp(data.reexport, 'g');
  // import-specifiers.ts `outsideSpecifiers`, written out: this program loads no module of its own.
  const imports = (text: string): string[] => {
    const out = new Set<string>();
    for (const match of text.matchAll(specifier)) if (!match[2].startsWith('./')) out.add(match[2]);
    return [...out];
  };
  type Entry = { candidate: boolean; text?: string; imports?: string[]; reexports?: string[] };
  // reexported-modules.ts `reexportsIn`, written out likewise.
  const withReexports = (entry: Entry, text: string): Entry => {
    const found = text.includes('from') ? [...text.matchAll(reexport)].map((m) => m[2]) : [];
    if (found.length) entry.reexports = found;
    return entry;
  };
  let batch: (Entry | null)[] = [];
  for (const file of data.files) {
    let entry: Entry | null = null;
    try {
      const text = fs.readFileSync(file, 'utf8');
      entry = pattern.test(text)
        ? { candidate: true, text }
        : withReexports({ candidate: false, imports: imports(text) }, text);
    } catch {
      entry = null;
    }
    batch.push(entry);
    if (batch.length >= data.batch) {
      threads.parentPort?.postMessage(batch);
      batch = [];
    }
  }
  if (batch.length) threads.parentPort?.postMessage(batch);
}
