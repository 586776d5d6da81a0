// Shared by the benchmark scripts: run a command, time it, sample its peak memory.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Runs `node file args` in `cwd`; resolves with wall time (s), peak RSS (MB, from /proc VmHWM), exit code, stdout. */
export function measure(file, args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [file, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+)/.exec(status);
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // the process is gone
      }
    };
    const timer = setInterval(sample, 20);
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({
        seconds,
        peakMb: peakKb / 1024,
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const fmt = (seconds) => `${seconds.toFixed(2)} s`;

const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs `command args` once and reports wall seconds, CPU seconds (user + system, from /usr/bin/time when
 * present), peak RSS in MB, the exit code and the 1-minute load average when it started (the machine is
 * shared: a figure without its load is not a figure). stdout goes to `stdout` (a path; /dev/null by default).
 */
export function run(command, args, { cwd, stdout = '/dev/null', env } = {}) {
  const load = loadavg()[0];
  const out = openSync(stdout, 'w');
  const started = process.hrtime.bigint();
  const result = TIME_BIN
    ? spawnSync(TIME_BIN, ['-f', '__BENCH__ %e %U %S %M', command, ...args], {
        cwd,
        env: env ?? process.env,
        stdio: ['ignore', out, 'pipe'],
        maxBuffer: 1 << 26,
        encoding: 'utf8',
      })
    : spawnSync(command, args, {
        cwd,
        env,
        stdio: ['ignore', out, 'pipe'],
        maxBuffer: 1 << 26,
        encoding: 'utf8',
      });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(out);
  const line = /__BENCH__ (\S+) (\S+) (\S+) (\d+)/.exec(result.stderr ?? '');
  return {
    wall,
    cpu: line ? Number(line[2]) + Number(line[3]) : undefined,
    peakMb: line ? Number(line[4]) / 1024 : undefined,
    code: result.status, // /usr/bin/time exits with the command's own status
    stderr: (result.stderr ?? '')
      .replace(/^.*__BENCH__.*$/m, '')
      .replace(/^Command exited with non-zero status \d+$/m, ''),
    load,
  };
}

/**
 * A/B interleaved: `runs` rounds, A then B in odd rounds and B then A in even ones; `prepare` runs untimed
 * before each measurement (e.g. a fresh copy of the tree a command edits). Returns the runs of each side.
 */
export function interleave(runs, a, b) {
  const results = { a: [], b: [] };
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      const spec = side === 'a' ? a : b;
      spec.prepare?.();
      const result = run(spec.command, spec.args, spec.options);
      if (spec.check) spec.check(result);
      results[side].push(result);
    }
  }
  return results;
}

/** Medians of wall, CPU and peak RSS over runs, and the loads they ran at. */
export function summarize(runs) {
  const cpus = runs.map((r) => r.cpu).filter((v) => v !== undefined);
  const peaks = runs.map((r) => r.peakMb).filter((v) => v !== undefined);
  return {
    wall: median(runs.map((r) => r.wall)),
    cpu: cpus.length ? median(cpus) : undefined,
    peakMb: peaks.length ? Math.max(...peaks) : undefined,
    loads: runs.map((r) => r.load),
    runs: runs.length,
  };
}

/** `1.23 s wall / 1.01 s CPU, 512 MB (load 3.1, 2.9)` */
export function describe(summary) {
  const parts = [`${summary.wall.toFixed(2)} s wall`];
  if (summary.cpu !== undefined) parts.push(`${summary.cpu.toFixed(2)} s CPU`);
  const mb = summary.peakMb === undefined ? '' : `, peak ${summary.peakMb.toFixed(0)} MB`;
  return `${parts.join(' / ')}${mb} (median of ${summary.runs}; load ${summary.loads.map((l) => l.toFixed(1)).join(', ')})`;
}
