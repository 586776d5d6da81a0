import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { discoverFiles, type Discovery } from './discover.js';
import { assertCleanWorkTree } from './git.js';
import { CANDIDATE } from './prefilter.js';
import { cachedTextReader, type ReadFile } from './read-ahead.js';
import { filesToScan, sendError, type SourcesReply, type SourcesRequest } from './sources.js';
import { sourcesInTestFolders } from './test-folders.js';

// The worker thread of sources.ts `startSources`: the git work-tree check, discovery, then each file to scan
// read and prefiltered, posted in batches in file order (the text only with a match, as read-ahead.ts does).

/** Files per batch: the main thread analyses one batch while the next is read. */
const BATCH = 64;

const request = workerData as SourcesRequest;
const post = (reply: SourcesReply): void => parentPort?.postMessage(reply);

if (request.checkClean) {
  assertCleanWorkTree(request.cwd).then(
    () => post({ clean: null }),
    (error: unknown) => post({ clean: sendError(error) }),
  );
}
await findAndRead();

async function findAndRead(): Promise<void> {
  // Texts read for the test-folder promotion are reused by the reading below, then dropped.
  const texts = new Map<string, string>();
  const textOf = cachedTextReader(texts);
  let discovery: Discovery;
  try {
    const found = discoverFiles(request.cwd, request.paths, request.exclude);
    discovery = { ...found, files: sourcesInTestFolders(found.files, textOf) };
  } catch (error) {
    post({ failed: sendError(error) });
    return;
  }
  post({ discovery });
  const files = filesToScan(discovery.files, request.includeTests);
  for (let at = 0; at < files.length; at += BATCH) {
    const batch = files.slice(at, at + BATCH).map((file): ReadFile | null => {
      try {
        const text = texts.get(file) ?? readFileSync(file, 'utf8');
        texts.delete(file);
        return CANDIDATE.test(text) ? { candidate: true, text } : { candidate: false };
      } catch {
        return null;
      }
    });
    post({ batch });
    // Lets the git check's answer out between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  post({ done: true });
}
