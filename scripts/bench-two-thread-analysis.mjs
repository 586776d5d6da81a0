#!/usr/bin/env node
// What analysing migrate's candidate files on two threads would cost (README "Performance", session 18): runs
// `analyzeSource` (every framework module, as `migrate` with no --framework) over the prefilter's candidates of a
// tree, on this thread alone (`one`) or half here and half on a worker thread (`two`), each thread loading the
// compiler as `migrate` does (dist/src/typescript.cjs, from the code cache), and prints the wall time and the sites
// found. Run it under `node scripts/thread-cpu.mjs` or `/usr/bin/time` for the CPU of each way; needs `npm run build`.
//
//   node scripts/bench-two-thread-analysis.mjs one <tree>
//   node scripts/bench-two-thread-analysis.mjs two <tree>
//
// <tree>: e.g. a `../shared/bench/gen-code.mjs 5000 <tree>` tree. Only the analysis is timed: no cross-file phase,
// no plan, no write (the cross-file phases need every analysis's syntax tree on one thread).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (relative) => pathToFileURL(path.join(root, 'dist', relative)).href;

/** Analyses `files` (absolute paths) here; the number of sites found. */
async function analyse(files) {
  createRequire(import.meta.url)(path.join(root, 'dist/src/typescript.cjs'));
  const { analyzeSource } = await import(dist('src/migrate/transform.js'));
  const { FRAMEWORKS } = await import(dist('src/migrate/frameworks/index.js'));
  let sites = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    sites += analyzeSource(file, text, { target: 401, frameworks: FRAMEWORKS, testFile: false }).sites.length;
  }
  return sites;
}

/** The tree's .ts/.js files whose text the prefilter passes, in path order. */
async function candidates(tree) {
  const { CANDIDATE_TEST } = await import(dist('src/migrate/prefilter.js'));
  const found = [];
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const file = path.join(folder, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.[cm]?[jt]sx?$/.test(name) && CANDIDATE_TEST.test(readFileSync(file, 'utf8')))
        found.push(file);
    }
  };
  walk(tree);
  return found;
}

if (!isMainThread) {
  parentPort.postMessage(await analyse(workerData));
} else {
  const [way, tree] = process.argv.slice(2);
  if (!['one', 'two'].includes(way) || !tree) {
    console.error('usage: node scripts/bench-two-thread-analysis.mjs one|two <tree>');
    process.exit(2);
  }
  const files = await candidates(path.resolve(tree));
  const started = performance.now();
  let sites;
  if (way === 'one') sites = await analyse(files);
  else {
    const half = files.length >> 1;
    const worker = new Worker(new URL(import.meta.url), { workerData: files.slice(half) });
    const theirs = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    sites = (await analyse(files.slice(0, half))) + (await theirs);
  }
  console.log(
    `${way}: ${files.length} files, ${sites} sites, ${(performance.now() - started).toFixed(0)} ms wall`,
  );
}
