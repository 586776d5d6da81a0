import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lazyAnchoredTest } from '../../util/anchored-test.js';
import type { SkeletonReply, SkeletonRequest } from './skeleton-thread.js';

type SkeletonReplyBatch = Extract<SkeletonReply, { skeletons: unknown }>['skeletons'];

/**
 * Worker-thread entry of `startSkeletons` (skeleton-thread.ts). First reads each file of `workerData` once and
 * posts the prefilter's answer for those the main thread's prefilter pass asks for (`read`): the analysis starts
 * on them while this thread goes on. Only then loads the TypeScript parser (this module imports nothing that
 * loads it, so the reads start as soon as the thread does), makes the skeleton text of each route file whose
 * text holds no 403 form (the prefilter's own pattern) from its tokens (skeleton-scan.ts), or where the tokens
 * cannot tell, from its parsed tree (no parent pointers: the trimming walk tracks parents itself), and posts it. `batch` files a message. A file that cannot be read is posted as null (the main thread reads it
 * and reports as before) and gets no skeleton.
 */
const request = workerData as SkeletonRequest;
const post = (reply: SkeletonReply): void => parentPort?.postMessage(reply);
try {
  // The prefilter's pattern tested as the sources thread tests it (anchored-test.ts: same answers, ~5x faster).
  const pattern = lazyAnchoredTest(
    new RegExp(request.pattern.source, request.pattern.flags.replace('g', '')),
  );
  const routeTexts: { index: number; relative: string; absolute: string; text: string }[] = [];
  let answers: [string, boolean | null, string | undefined][] = [];
  for (const [index, file] of request.files.entries()) {
    let text: string | undefined;
    try {
      text = readFileSync(file.absolute, 'utf8');
    } catch {
      text = undefined;
    }
    // A file the sources thread found no 403 form in is not tested again (`plain`).
    const candidate = text === undefined ? null : file.plain && !file.read ? false : pattern.test(text);
    if (file.read) {
      answers.push([file.absolute, candidate, candidate ? text : undefined]);
      if (answers.length >= request.batch) {
        post({ read: answers });
        answers = [];
      }
    }
    if (file.skeleton && text !== undefined && !candidate)
      routeTexts.push({ index, absolute: file.absolute, relative: file.relative, text });
  }
  if (answers.length) post({ read: answers });
  post({ readDone: true });
  if (request.trim && routeTexts.length) await postSkeletons(routeTexts);
  post({ done: true });
} catch (error) {
  post(error instanceof Error ? { crash: error.message, stack: error.stack } : { crash: String(error) });
}

/** Parses each file not claimed by the main thread meanwhile and posts its skeleton text, `batch` a message. */
async function postSkeletons(
  routeTexts: { index: number; relative: string; absolute: string; text: string }[],
): Promise<void> {
  const [
    { parseSource },
    { skeletonText, wiringMethodNames },
    { scannedSkeleton },
    { WIRINGS },
    { factMethodsInUse },
  ] = await Promise.all([
    import('../parse.js'),
    import('./skeleton.js'),
    import('./skeleton-scan.js'),
    import('./wirings.js'),
    import('./skeleton-tree.js'),
  ]);
  const wiringMethods = wiringMethodNames(WIRINGS);
  const factMethods = factMethodsInUse();
  let skeletons: SkeletonReplyBatch = [];
  for (const file of routeTexts) {
    // The main thread trims the files it claimed itself (skeleton-thread.ts, `finish`).
    if (Atomics.compareExchange(request.claims, file.index, 0, 1) !== 0) continue;
    // From the tokens (a tenth of a parse), with the route facts they show (route-facts.ts); parsed whole only
    // when the tokens cannot tell (skeleton-scan.ts).
    const scanned = scannedSkeleton(file.relative, file.text, wiringMethods, factMethods);
    skeletons.push([
      file.absolute,
      scanned?.text ?? skeletonText(file.text, parseSource(file.relative, file.text, false), wiringMethods),
      scanned?.facts,
    ]);
    if (skeletons.length >= request.batch) {
      post({ skeletons });
      skeletons = [];
    }
  }
  if (skeletons.length) post({ skeletons });
}
