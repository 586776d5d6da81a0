import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { READING_THREAD_LIMITS, type PrestartedSources } from './sources-prestart.js';
import { MtlsFixError, type ErrorCode, type ErrorLocation } from '../errors.js';
import { discoverFiles, type DiscoveredFile, type Discovery } from './discover.js';
import { assertCleanFileTrees, assertCleanWorkTree } from './git.js';
import { ignoredKeys, specifiersNaming } from './ignored-loads.js';
import { CANDIDATE_TEST } from './prefilter.js';
import { queuedReadAhead, sourceReader, type PrefilteredSource, type ReadFile } from './read-ahead.js';
import { sourcesInTestFolders } from './test-folders.js';
import type { MigrateOptions } from './types.js';
import { compiledWorkerFile } from '../util/worker-file.js';

/**
 * The first steps of `migrate`, which need no TypeScript compiler: the git work-tree check, finding the files
 * (discover.ts, with the test-folder promotion of test-folders.ts), then reading them and running the prefilter
 * (prefilter.ts). `mtls-fix migrate` starts them on a worker thread ({@link startSources}) before it loads the
 * compiler (about half a second of CPU), so on two cores the two proceed at once; the engine (engine.ts) does
 * them in place ({@link findSourcesHere}) when it is called directly. Both give the same answers. Nothing
 * here loads the compiler: this module and everything it imports must stay free of it.
 */

/** What the first steps need: the run's options as the engine reads them. */
export interface SourcesRequest {
  /** Absolute. */
  cwd: string;
  /** Files or folders, relative to `cwd` (never empty: `['.']` by default). */
  paths: string[];
  /** migrate.exclude globs. */
  exclude: string[];
  /** Whether test files are read and prefiltered too (`--include-tests`). */
  includeTests: boolean;
  /** Whether the git work tree must be clean (writing, without `--force`). */
  checkClean: boolean;
}

/** The first steps, started. */
export interface FoundSources {
  /** What they were started with (the engine checks it is its own run's). */
  readonly request: SourcesRequest;
  /** True when a worker thread does them. */
  readonly threaded: boolean;
  /**
   * The files to scan, sorted, with what was skipped. On the worker thread, each file's `test` flag is
   * provisional here (by its name and folders only): the test-folder promotion and the test-helper demotion
   * (test-folders.ts `sourcesInTestFolders`) need every file's text, so they come with {@link classified}
   * once the thread has read them, and the analysis starts meanwhile. In place, the flags are final already.
   * The work-tree check's error comes first: a dirty tree means no work at all.
   *
   * @throws MtlsFixError EGIT (dirty tree), ENOENT (a path that does not exist).
   */
  discovery(): Promise<Discovery>;
  /**
   * The same discovery with every `test` flag final (sourcesInTestFolders applied): the same files in the same
   * order, only flags may differ from {@link discovery}'s. Resolves once every file to scan has been read.
   *
   * @throws what {@link discovery} throws.
   */
  classified(): Promise<Discovery>;
  /**
   * The prefilter pass's reader (read-ahead.ts `sourceReader`) over the files to scan
   * ({@link filesToScan}), asked in that order; call it after {@link discovery} resolved.
   */
  reader(
    texts: Map<string, string>,
    readHere: (absolute: string) => string,
  ): (absolute: string) => Promise<PrefilteredSource>;
  /**
   * The prefilter's answers the reading thread has posted so far, by absolute path: true for a file whose text
   * holds a 403 form (CANDIDATE_TEST), false for one that holds none, undefined for a file not answered yet (or
   * not read on a thread: in place, the answers come only through {@link reader}). After {@link classified}
   * resolved on the thread, every file it could read is answered. Lets later readers of the same files (the
   * route skeletons under `--spec`) skip testing them again.
   */
  prefiltered(): (absolute: string) => boolean | undefined;
}

/** The request the engine makes of `options` (cwd already resolved). */
export function sourcesRequest(
  options: Pick<MigrateOptions, 'paths' | 'exclude' | 'includeTests' | 'mode' | 'force'>,
  cwd: string,
): SourcesRequest {
  return {
    cwd,
    paths: options.paths?.length ? [...options.paths] : ['.'],
    exclude: [...(options.exclude ?? [])],
    includeTests: options.includeTests ?? false,
    checkClean: options.mode === 'write' && !options.force,
  };
}

/** Whether two requests ask the same. */
export function sameRequest(a: SourcesRequest, b: SourcesRequest): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The files the prefilter pass reads, in order: every file but the tests, unless tests are included. */
export function filesToScan(files: readonly DiscoveredFile[], includeTests: boolean): string[] {
  return files.filter((f) => !f.test || includeTests).map((f) => f.absolute);
}

/** The first steps on this thread (the engine's own, when nothing started them earlier). */
export function findSourcesHere(request: SourcesRequest, textOf: (absolute: string) => string): FoundSources {
  const clean = request.checkClean ? assertCleanWorkTree(request.cwd) : undefined;
  let found: Discovery | undefined;
  return {
    request,
    threaded: false,
    async discovery() {
      if (found) return found;
      let discovery: Discovery;
      try {
        discovery = discoverFiles(request.cwd, request.paths, request.exclude);
      } catch (error) {
        await clean;
        throw error;
      }
      await clean;
      // Each file's own work tree too, not only the working folder's (breaker31 #04).
      if (request.checkClean)
        await assertCleanFileTrees(
          request.cwd,
          discovery.files.map((f) => f.absolute),
        );
      found = { ...discovery, files: sourcesInTestFolders(discovery.files, readableText(textOf)) };
      const ignoredImports = ignoredImportsOf(discovery, request.includeTests, readableText(textOf));
      if (ignoredImports) found.ignoredImports = ignoredImports;
      return found;
    },
    classified() {
      return this.discovery();
    },
    prefiltered() {
      return () => undefined;
    },
    reader(texts, readHere) {
      if (!found) throw new Error('sources: reader() before discovery()');
      return sourceReader(filesToScan(found.files, request.includeTests), CANDIDATE_TEST, texts, readHere);
    },
  };
}

/**
 * The scanned files' specifiers that may name a file git ignores (ignored-loads.ts `specifiersNaming`), by file,
 * in the order the files are read (`filesToScan` of the discovery's files); undefined when there is no ignored
 * source file or none is named. The sources thread takes the same as it reads each file (sources-thread.ts).
 */
export function ignoredImportsOf(
  discovery: Discovery,
  includeTests: boolean,
  textOf: (absolute: string) => string,
): [string, string[]][] | undefined {
  if (!discovery.ignored?.length) return undefined;
  const keys = ignoredKeys(discovery.ignored);
  const out: [string, string[]][] = [];
  for (const file of filesToScan(discovery.files, includeTests)) {
    const specifiers = specifiersNaming(textOf(file), keys);
    if (specifiers.length) out.push([file, specifiers]);
  }
  return out.length ? out : undefined;
}

/**
 * `textOf` for the test-folder rules (sourcesInTestFolders): a file that cannot be read counts as empty there
 * (it imports nothing); the prefilter pass reads it again and reports why it cannot.
 */
export function readableText(textOf: (absolute: string) => string): (absolute: string) => string {
  return (absolute) => {
    try {
      return textOf(absolute);
    } catch {
      return '';
    }
  };
}

/** An error as it crosses from the worker: a MtlsFixError keeps its code, hint and location. */
export interface SentError {
  message: string;
  code?: ErrorCode;
  hint?: string;
  location?: ErrorLocation;
  stack?: string;
}

/**
 * What the worker (sources-worker.ts) posts, in this order: `discovery` (test flags provisional) or `failed`,
 * then batches, then `classified` (the positions in `discovery.files` whose test flag sourcesInTestFolders
 * turned, with the flag now and whether the file is `unproven`), `done`; `clean` at any time.
 */
export type SourcesReply =
  | { clean: SentError | null }
  | { discovery: Discovery }
  | { failed: SentError }
  | { batch: (ReadFile | null)[] }
  | { classified: [number, boolean, boolean][]; ignoredImports?: [string, string[]][] }
  | { done: true };

export function sendError(error: unknown): SentError {
  if (error instanceof MtlsFixError)
    return { message: error.message, code: error.code, hint: error.hint, location: error.location };
  const plain = error instanceof Error ? error : new Error(String(error));
  return { message: plain.message, stack: plain.stack };
}

function receiveError(sent: SentError): Error {
  if (sent.code) return new MtlsFixError(sent.code, sent.message, sent.hint, sent.location);
  const error = new Error(sent.message);
  if (sent.stack) error.stack = sent.stack;
  return error;
}

/**
 * Starts the first steps on a worker thread (sources-worker.ts), or returns undefined when they are to be done
 * in place: no compiled worker module at hand (running from the TypeScript sources), a worker that cannot
 * start, or `MTLS_FIX_SOURCES_WORKER=never`. `prestarted`, when given and still there, is the thread used (sent
 * the request) instead of starting one. The thread holds the process open only while the caller waits
 * for it. A thread that dies while reading leaves the rest of the files to be read here.
 */
export function startSources(
  request: SourcesRequest,
  prestarted?: PrestartedSources,
): FoundSources | undefined {
  if (process.env.MTLS_FIX_SOURCES_WORKER === 'never') return undefined;
  let worker: Worker;
  if (prestarted && !prestarted.gone) {
    worker = prestarted.worker;
    worker.postMessage({ request });
  } else {
    const file = workerFile();
    if (file === undefined) return undefined;
    try {
      worker = new Worker(file, { workerData: request, resourceLimits: READING_THREAD_LIMITS });
    } catch {
      return undefined;
    }
  }
  worker.unref();
  let holds = 0;
  const hold = {
    ref: () => {
      if (holds++ === 0) worker.ref();
    },
    unref: () => {
      if (--holds === 0) worker.unref();
    },
  };
  const settled = <T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (e: Error) => void } => {
    let resolve!: (value: T) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<T>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    // Awaited later (or never, when the run stops first): not an unhandled rejection meanwhile.
    promise.catch(() => undefined);
    return { promise, resolve, reject };
  };
  const clean = request.checkClean ? settled<void>() : undefined;
  const found = settled<Discovery>();
  const final = settled<Discovery>();
  let classifiedHere: Promise<Discovery> | undefined;
  let discovery: Discovery | undefined;
  // The batches that arrive before the reader is asked for wait here.
  const early: (ReadFile | null)[][] = [];
  // Each answer's candidate flag, by position in the files to scan (the batches come in that order).
  const answered: (boolean | undefined)[] = [];
  let queue: ReturnType<typeof queuedReadAhead> | undefined;
  let ended = false;
  worker.on('message', (reply: SourcesReply) => {
    if ('clean' in reply) {
      if (reply.clean) clean?.reject(receiveError(reply.clean));
      else clean?.resolve();
    } else if ('discovery' in reply) {
      discovery = reply.discovery;
      found.resolve(reply.discovery);
    } else if ('failed' in reply) {
      found.reject(receiveError(reply.failed));
      final.reject(receiveError(reply.failed));
    } else if ('classified' in reply) {
      if (!discovery) return;
      const files = [...discovery.files];
      for (const [index, test, unproven] of reply.classified)
        files[index] = { ...files[index], test, ...(unproven ? { unproven: true as const } : {}) };
      final.resolve({
        ...discovery,
        files,
        ...(reply.ignoredImports ? { ignoredImports: reply.ignoredImports } : {}),
      });
    } else if ('batch' in reply) {
      for (const file of reply.batch) answered.push(file?.candidate);
      if (queue) queue.push(reply.batch);
      else early.push(reply.batch);
    }
  });
  const end = (error?: Error): void => {
    if (ended) return;
    ended = true;
    const gone = error ?? new Error('the file-finding thread stopped before it answered');
    clean?.reject(gone);
    found.reject(gone);
    final.reject(gone);
    queue?.stop();
  };
  worker.on('error', (error) => end(error));
  worker.on('exit', () => end());
  return {
    request,
    threaded: true,
    async discovery() {
      hold.ref();
      try {
        await clean?.promise;
        return await found.promise;
      } finally {
        hold.unref();
      }
    },
    async classified() {
      hold.ref();
      try {
        await clean?.promise;
        const provisional = await found.promise;
        // A thread that stopped after discovery but before classifying: the files are classified here.
        classifiedHere ??= final.promise.catch(() => {
          const readHere = readableText((absolute) => readFileSync(absolute, 'utf8'));
          const ignoredImports = ignoredImportsOf(provisional, request.includeTests, readHere);
          return {
            ...provisional,
            files: sourcesInTestFolders(provisional.files, readHere),
            ...(ignoredImports ? { ignoredImports } : {}),
          };
        });
        return await classifiedHere;
      } finally {
        hold.unref();
      }
    },
    prefiltered() {
      if (!discovery) return () => undefined;
      const files = filesToScan(discovery.files, request.includeTests);
      const flags = new Map<string, boolean>();
      for (let index = 0; index < answered.length && index < files.length; index++) {
        const flag = answered[index];
        if (flag !== undefined) flags.set(files[index], flag);
      }
      return (absolute) => flags.get(absolute);
    },
    reader(texts, readHere) {
      if (!discovery) throw new Error('sources: reader() before discovery()');
      const files = filesToScan(discovery.files, request.includeTests);
      queue = queuedReadAhead(files, CANDIDATE_TEST, hold);
      for (const batch of early.splice(0)) queue.push(batch);
      if (ended) queue.stop();
      return sourceReader(files, CANDIDATE_TEST, texts, readHere, queue);
    },
  };
}

function workerFile(): string | undefined {
  return compiledWorkerFile(import.meta.url, 'sources-worker.js');
}
