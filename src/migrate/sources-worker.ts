import { workerData } from 'node:worker_threads';
import { askGitAhead } from './git-early.js';

// The entry of a sources thread (sources.ts `startSources`, sources-prestart.ts `prestartSources`): it starts the
// work-tree check's `git status` first (git-early.ts), then loads the thread's program (sources-thread.ts) while
// git answers. Both kinds of `workerData` name the run's folder and
// whether the tree must be clean: a request (`SourcesRequest`), or a prestarted thread's `{ awaitRequest, cwd,
// checkClean }`. A request that turns out to be for another folder asks git again (git-early.ts `gitAnswer`).

const data = workerData as { cwd?: unknown; checkClean?: unknown } | null;
if (typeof data?.cwd === 'string') askGitAhead(data.cwd, data.checkClean === true);
await import('./sources-thread.js');
