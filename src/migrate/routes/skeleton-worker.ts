import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parseSource } from '../parse.js';
import { CANDIDATE } from '../prefilter.js';
import { skeletonText, wiringMethodNames } from './skeleton.js';
import { BATCH_FILES, type SkeletonReply, type SkeletonRequest } from './skeleton-thread.js';
import { WIRINGS } from './wirings.js';

/**
 * Worker-thread entry of `startSkeletons` (skeleton-thread.ts): reads each file of `workerData`, and for each
 * one whose text holds no 403 form (the prefilter's own pattern), parses it (no parent pointers: the trimming
 * walk passes parents down) and posts back its skeleton text, `BATCH_FILES` files a message, then `done`. A
 * file that cannot be read is left out (the main thread reads it and reports as before).
 */
const request = workerData as SkeletonRequest;
const post = (reply: SkeletonReply): void => parentPort?.postMessage(reply);
try {
  const wiringMethods = wiringMethodNames(WIRINGS);
  let skeletons: [string, string][] = [];
  for (const file of request.files) {
    let text: string;
    try {
      text = readFileSync(file.absolute, 'utf8');
    } catch {
      continue;
    }
    if (CANDIDATE.test(text)) continue;
    skeletons.push([
      file.absolute,
      skeletonText(text, parseSource(file.relative, text, false), wiringMethods),
    ]);
    if (skeletons.length >= BATCH_FILES) {
      post({ skeletons });
      skeletons = [];
    }
  }
  if (skeletons.length) post({ skeletons });
  post({ done: true });
} catch (error) {
  post(error instanceof Error ? { crash: error.message, stack: error.stack } : { crash: String(error) });
}
