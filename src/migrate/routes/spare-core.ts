import os from 'node:os';

/**
 * Whether `--spec`'s helper threads (the skeleton thread, skeleton-thread.ts, and the document thread,
 * operations-thread.ts) are worth starting on this machine now: false when the 1-minute load average is at least
 * twice the cores this process may use (`os.availableParallelism()`), true otherwise, and true where the
 * platform has no load average (Windows reports 0).
 *
 * Why: a helper thread saves time only when it gets a core the main thread does not need; on a machine already
 * that busy it only adds its own start-up, a second parse of each route file (the main thread re-parses the
 * trimmed text) and a second heap to collect. Measured on the 16,000-route bench tree (2 cores, 5 interleaved
 * runs, medians, load 11-14): 28.4 s wall / 10.2 s CPU with the threads, 20.8 s / 8.0 s in place; at load 8-10
 * (3 runs) 17.2 s / 10.2 s against 16.7 s / 7.3 s. The outputs are the same either way (both paths are tested).
 * `MTLS_FIX_SPEC_WORKER=always|never` overrides this.
 *
 * @param load the 1-minute load average (runnable processes; default `os.loadavg()[0]`).
 * @param cores the cores available to this process (default `os.availableParallelism()`).
 */
export function helperThreadsPay(
  load: number = os.loadavg()[0] ?? 0,
  cores: number = os.availableParallelism(),
): boolean {
  return load < BUSY_LOAD_PER_CORE * cores;
}

/** Load average per core from which the helper threads are not started (see `helperThreadsPay`). */
export const BUSY_LOAD_PER_CORE = 2;
