import { parentPort, workerData } from 'node:worker_threads';
import { discoverFiles, type DiscoveredFile, type Discovery } from './discover.js';
import { assertCleanWorkTree } from './git.js';
import { CANDIDATE_TEST } from './prefilter.js';
import { cachedTextReader, type ReadFile } from './read-ahead.js';
import { filesToScan, readableText, sendError, type SourcesReply, type SourcesRequest } from './sources.js';
import { sourcesInTestFolders } from './test-folders.js';

// The worker thread of sources.ts `startSources`: the git work-tree check, discovery, then each file to scan
// read and prefiltered, posted in batches in file order (the text only with a match, as read-ahead.ts does),
// then the test flags the test-folder rules turn once every text is known (sourcesInTestFolders).

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
  let discovery: Discovery;
  try {
    discovery = discoverFiles(request.cwd, request.paths, request.exclude);
  } catch (error) {
    post({ failed: sendError(error) });
    return;
  }
  // Posted before any file is read: the main thread starts analysing the first batch while the rest are read.
  // The test flags are by name and folder; the ones sourcesInTestFolders turns follow the reads (`classified`).
  post({ discovery });
  // Texts kept for the classification at the end (each file read once), then dropped.
  const texts = new Map<string, string>();
  const textOf = cachedTextReader(texts);
  const files = filesToScan(discovery.files, request.includeTests);
  for (let at = 0; at < files.length; at += BATCH) {
    const batch = files.slice(at, at + BATCH).map((file): ReadFile | null => {
      try {
        const text = textOf(file);
        return CANDIDATE_TEST.test(text) ? { candidate: true, text } : { candidate: false };
      } catch {
        return null;
      }
    });
    post({ batch });
    // Lets the git check's answer out between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const classified: DiscoveredFile[] = sourcesInTestFolders(discovery.files, readableText(textOf));
  texts.clear();
  const turned: [number, boolean][] = [];
  classified.forEach((file, index) => {
    if (file.test !== discovery.files[index].test) turned.push([index, file.test]);
  });
  post({ classified: turned });
  post({ done: true });
}
