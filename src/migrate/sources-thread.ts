import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { discoverFilesWith, type DiscoveredFile, type Discovery } from './discover.js';
import { startGitIndex } from './git-index.js';
import { ignoredKeys, specifiersNaming } from './ignored-loads.js';
import { assertCleanFileTrees, assertCleanWorkTree } from './git.js';
import { CANDIDATE_TEST } from './prefilter.js';
import { outsideSpecifiers } from './import-specifiers.js';
import { reexportsIn } from './reexported-modules.js';
import { plainlyDeclaredNames } from './plain-declarations.js';
import type { ReadFile } from './read-ahead.js';
import { AWAIT_REQUEST } from './sources-prestart.js';
import { filesToScan, readableText, sendError, type SourcesReply, type SourcesRequest } from './sources.js';
import { importSummary, sourcesInTestFoldersBySummary, type ImportSummary } from './test-folders.js';

// The program of the worker thread of sources.ts `startSources` (loaded by its entry, sources-worker.ts, once git's
// questions are asked): the git work-tree check, discovery, then each file to scan
// read and prefiltered, posted in batches in file order (the text only with a match, as read-ahead.ts does),
// then the test flags the test-folder rules turn once every file is known (sourcesInTestFolders). Each text is
// dropped once read: the rules need only what test-folders.ts `importSummary` keeps of it (keeping the texts
// of a 5,000-file tree, 21 MB, until the end cost this thread's heap ~4,500 fresh pages and the GC to copy them).

/** Files per batch: the main thread analyses one batch while the next is read. */
const BATCH = 64;

const post = (reply: SourcesReply): void => parentPort?.postMessage(reply);
// Started ahead of its request (sources.ts prestartSources): the modules are loaded by now; it comes next.
const request = isAwaitRequest(workerData)
  ? await new Promise<SourcesRequest>((resolve) =>
      parentPort?.once('message', (message: { request: SourcesRequest }) => resolve(message.request)),
    )
  : (workerData as SourcesRequest);

// The working folder's tree, asked now; each file's own tree once discovery has found them (breaker31 #04).
// `clean` is posted once both have answered (or the working folder's alone, when discovery fails).
const cwdClean = request.checkClean ? assertCleanWorkTree(request.cwd) : undefined;
cwdClean?.catch(() => undefined);
const postClean = (check: Promise<unknown>): void => {
  check.then(
    () => post({ clean: null }),
    (error: unknown) => post({ clean: sendError(error) }),
  );
};
await findAndRead();

async function findAndRead(): Promise<void> {
  let discovery: Discovery;
  try {
    // git lists its index while the folders are walked.
    const index = startGitIndex(request.cwd);
    discovery = await discoverFilesWith(request.cwd, request.paths, request.exclude, index);
  } catch (error) {
    if (cwdClean) postClean(cwdClean);
    post({ failed: sendError(error) });
    return;
  }
  if (cwdClean) {
    const files = discovery.files.map((f) => f.absolute);
    postClean(cwdClean.then(() => assertCleanFileTrees(request.cwd, files)));
  }
  // Posted before any file is read: the main thread starts analysing the first batch while the rest are read.
  // The test flags are by name and folder; the ones sourcesInTestFolders turns follow the reads (`classified`).
  post({ discovery });
  // What the classification at the end reads of each file (each file read once), then dropped.
  const summaries = new Map<string, ImportSummary>();
  const readable = readableText((absolute) => readFileSync(absolute, 'utf8'));
  const summaryOf = (absolute: string): ImportSummary => {
    let summary = summaries.get(absolute);
    if (!summary) summaries.set(absolute, (summary = importSummary(readable(absolute))));
    return summary;
  };
  const files = filesToScan(discovery.files, request.includeTests);
  // Specifiers that may name a file git ignores (a generated router): taken as each text is read.
  const keys = ignoredKeys(discovery.ignored ?? []);
  const ignoredImports: [string, string[]][] = [];
  for (let at = 0; at < files.length; at += BATCH) {
    const batch = files.slice(at, at + BATCH).map((file): ReadFile | null => {
      try {
        const text = readFileSync(file, 'utf8');
        summaries.set(file, importSummary(text));
        const naming = specifiersNaming(text, keys);
        if (naming.length) ignoredImports.push([file, naming]);
        if (CANDIDATE_TEST.test(text)) return { candidate: true, text };
        const read: ReadFile = {
          candidate: false,
          imports: outsideSpecifiers(text),
          plainExports: plainlyDeclaredNames(text),
        };
        const reexports = reexportsIn(text);
        if (reexports.length) read.reexports = reexports;
        return read;
      } catch {
        return null;
      }
    });
    post({ batch });
    // Lets the git check's answer out between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const classified: DiscoveredFile[] = sourcesInTestFoldersBySummary(discovery.files, summaryOf);
  summaries.clear();
  const turned: [number, boolean, boolean][] = [];
  classified.forEach((file, index) => {
    if (file.test !== discovery.files[index].test) turned.push([index, file.test, file.unproven === true]);
  });
  post({ classified: turned, ...(ignoredImports.length ? { ignoredImports } : {}) });
  post({ done: true });
}

function isAwaitRequest(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { awaitRequest?: unknown }).awaitRequest === AWAIT_REQUEST.awaitRequest
  );
}
