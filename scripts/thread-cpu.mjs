#!/usr/bin/env node
// Where one run's CPU goes, thread by thread (Linux only): runs `node <args...>` in the current folder and prints, for
// each thread that used CPU, its user and system time and its minor page faults, then their sums.
//
//   node scripts/thread-cpu.mjs bin/run.js migrate          (in the tree to measure)
//   THREAD_CPU_RUNS=5 node scripts/thread-cpu.mjs ...          (5 runs, then the medians of main and of all
//                                                              threads; nothing is reset between runs)
//
// The main thread is the one whose id is the process id. The others are, in the order Node.js starts them: V8's
// platform threads (concurrent TurboFan compiles, parallel and concurrent GC), libuv's thread pool (file system
// calls), then the worker threads the run starts (the migrate sources thread is the last one, started with the
// command). Threads are sampled from /proc/<pid>/task every 10 ms, so a thread that ends between two samples is
// missed, and the last 10 ms of each thread may be (`/usr/bin/time` gives the process's own totals). Figures are
// CPU time in ms, counted in clock ticks of 10 ms.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
if (!args.length || process.platform !== 'linux') {
  console.error('usage (Linux): node scripts/thread-cpu.mjs <node arguments...>');
  process.exit(2);
}
const runs = Number(process.env.THREAD_CPU_RUNS ?? 1);
const TICK_MS = 10;

/** user, system (ms) and minor faults of each thread of `pid`, by thread id; threads that are gone are skipped. */
function sample(pid, into) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      // Fields after the `(comm)`: state is the first; minflt the 8th, utime the 12th, stime the 13th.
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      into.set(Number(tid), {
        user: Number(fields[11]) * TICK_MS,
        system: Number(fields[12]) * TICK_MS,
        faults: Number(fields[7]),
      });
    } catch {
      // The thread ended meanwhile.
    }
  }
}

/** One run: per-thread figures (main first, then by thread id) and the wall time in ms. */
function runOnce() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const threads = new Map();
    const timer = setInterval(() => sample(child.pid, threads), 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const wall = performance.now() - started;
      const rows = [...threads]
        .sort(([a], [b]) => a - b)
        .map(([tid, t]) => ({ offset: tid - child.pid, ...t }));
      resolve({ code, wall, rows });
    });
  });
}

const ZERO = { user: 0, system: 0, faults: 0 };
/** The sums over a run's threads. */
const total = (result) =>
  result.rows.reduce(
    (sum, row) => ({
      user: sum.user + row.user,
      system: sum.system + row.system,
      faults: sum.faults + row.faults,
    }),
    ZERO,
  );
const columns = (t) =>
  `${String(t.user).padStart(8)} ${String(t.system).padStart(8)} ${String(t.faults).padStart(14)}`;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const results = [];
for (let run = 0; run < runs; run++) {
  const result = await runOnce();
  results.push(result);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  console.log(`run ${run + 1}: wall ${result.wall.toFixed(0)} ms, exit ${result.code}, load ${load}`);
  console.log('  thread (id - pid)   user ms   sys ms   minor faults');
  for (const row of result.rows) {
    if (!row.user && !row.system) continue;
    console.log(`  ${(row.offset === 0 ? 'main' : `+${row.offset}`).padEnd(18)} ${columns(row)}`);
  }
  console.log(`  ${'all threads'.padEnd(18)} ${columns(total(result))}`);
}
if (runs > 1) {
  const pick = (of) => ({
    user: median(results.map((r) => of(r).user)),
    system: median(results.map((r) => of(r).system)),
    faults: median(results.map((r) => of(r).faults)),
  });
  console.log(`medians of ${runs}: wall ${median(results.map((r) => r.wall)).toFixed(0)} ms`);
  console.log(
    `  ${'main'.padEnd(18)} ${columns(pick((r) => r.rows.find((row) => row.offset === 0) ?? ZERO))}`,
  );
  console.log(`  ${'all threads'.padEnd(18)} ${columns(pick(total))}`);
}
