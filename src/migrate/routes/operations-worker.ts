import { parentPort, workerData } from 'node:worker_threads';
import { MtlsFixError } from '../../errors.js';
import { loadOperations } from './operations.js';
import type { LoadRequest, LoadReply } from './operations-thread.js';

/**
 * Worker-thread entry of `loadOperationsInBackground` (operations-thread.ts): loads and classifies the
 * documents named in `workerData` with `loadOperations`, and posts back the operations (plain data), or the
 * error a user must see (an `MtlsFixError`'s fields, so the main thread throws the same one).
 */
const request = workerData as LoadRequest;
let reply: LoadReply;
try {
  reply = { operations: loadOperations(request.files, request.options) };
} catch (error) {
  reply =
    error instanceof MtlsFixError
      ? {
          error: {
            code: error.code,
            message: error.message,
            hint: error.hint,
            location: error.location,
          },
        }
      : error instanceof Error
        ? { crash: error.message, stack: error.stack }
        : { crash: String(error) };
}
parentPort?.postMessage(reply);
