import { statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MtlsDetection } from '../../config/resolve.js';
import { MtlsFixError, type ErrorCode, type ErrorLocation } from '../../errors.js';
import type { SpecOperation } from './match.js';
import { loadOperations } from './operations.js';
import { compiledWorkerFile } from '../../util/worker-file.js';
import { helperThreadsPay } from './spare-core.js';

/** What the worker is asked: `loadOperations`' arguments (plain data; RegExps clone). */
export interface LoadRequest {
  files: string[];
  options: { cwd: string; mtls: MtlsDetection; allowRemoteRefs: boolean };
}

/** What the worker answers: the operations, a user-facing error, or (a bug) a crash with its stack. */
export type LoadReply =
  | { operations: SpecOperation[] }
  | { error: { code: ErrorCode; message: string; hint?: string; location?: ErrorLocation } }
  | { crash: string; stack?: string };

/**
 * Documents at least this large (bytes, all files named together) load on a worker thread while the main
 * thread parses the code: a 16,000-operation YAML document takes about a second to load and classify,
 * which then overlaps the parse instead of adding to it. Smaller ones load in place (a worker's start-up,
 * tens of milliseconds, would cost more than it saves).
 */
export const BACKGROUND_BYTES = 1 << 20;

/**
 * Starts loading the operations of `files` (`loadOperations`) and returns their promise. Large documents
 * (`BACKGROUND_BYTES`) load on a worker thread, from the compiled module beside this one, unless the machine is
 * too busy to give it a core (`helperThreadsPay`); otherwise, or
 * when no compiled worker is at hand (running from the TypeScript sources, as the unit tests do), the
 * load runs now, in place. Environment `MTLS_FIX_SPEC_WORKER=always|never` overrides the size rule (the
 * end-to-end tests use it; `always` fails when there is no compiled worker, so a test cannot pass in
 * place). Rejects with the `MtlsFixError` loading threw (ENOENT, EPARSE, ...).
 */
export function loadOperationsInBackground(request: LoadRequest): Promise<SpecOperation[]> {
  const worker = workerFile();
  const choice = process.env.MTLS_FIX_SPEC_WORKER;
  if (choice === 'always' && worker === undefined)
    return Promise.reject(new Error('MTLS_FIX_SPEC_WORKER=always, but no compiled worker module is at hand'));
  const background =
    worker !== undefined &&
    choice !== 'never' &&
    (choice === 'always' ||
      (totalBytes(request.files, request.options.cwd) >= BACKGROUND_BYTES && helperThreadsPay()));
  if (!background) {
    try {
      return Promise.resolve(loadOperations(request.files, request.options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return new Promise((resolve, reject) => {
    const thread = new Worker(worker, { workerData: request });
    thread.once('message', (reply: LoadReply) => {
      if ('operations' in reply) resolve(reply.operations);
      else if ('error' in reply) {
        const { code, message, hint, location } = reply.error;
        reject(new MtlsFixError(code, message, hint, location));
      } else {
        // A bug, not bad input: the worker's stack is kept for --debug.
        const crash = new Error(`loading the OpenAPI document failed on a worker thread: ${reply.crash}`);
        if (reply.stack) crash.stack = reply.stack;
        reject(crash);
      }
    });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the OpenAPI loading thread exited with code ${code}`));
    });
  });
}

function workerFile(): string | undefined {
  return compiledWorkerFile(import.meta.url, 'operations-worker.js');
}

/** Bytes of the named documents (files that cannot be read count 0: loading them reports the error). */
function totalBytes(files: readonly string[], cwd: string): number {
  let total = 0;
  for (const file of files) {
    try {
      total += statSync(path.resolve(cwd, file)).size;
    } catch {
      // loadOperations says what is wrong with it
    }
  }
  return total;
}
