#!/usr/bin/env node
// Benchmarks `mtls-fix migrate` against ast-grep on ../shared/bench/gen-code.mjs 5000 (DESIGN §7).
// Run after `npm run build`. Both tools rewrite one of two identical copies in the same run; prints wall
// times, the ratio, peak RSS, and checks that every generated site was rewritten.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = process.argv[2] ?? '5000';
const generator = path.resolve(root, '../shared/bench/gen-code.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'mtls-fix-bench-migrate-'));
const ours = path.join(work, 'ours');
const theirs = path.join(work, 'ast-grep');

const generated = spawnSync(process.execPath, [generator, files, ours], { encoding: 'utf8' });
if (generated.status !== 0) throw new Error(`gen-code failed: ${generated.stderr}`);
const expectedSites = Number(generated.stdout.trim().split('\n').pop());
cpSync(ours, theirs, { recursive: true });

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command; returns wall seconds and peak RSS in MB (from /usr/bin/time when present). */
function measure(command, args, cwd) {
  const started = performance.now();
  const result = timeBin
    ? spawnSync(timeBin, ['-f', 'MAXRSS_KB=%M', command, ...args], {
        cwd,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      })
    : spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  const rss = /MAXRSS_KB=(\d+)/.exec(result.stderr ?? '')?.[1];
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { seconds, rssMb: rss ? Number(rss) / 1024 : undefined, stdout: result.stdout };
}

function countRewritten(dir) {
  let count = 0;
  const routes = path.join(dir, 'src', 'routes');
  for (const file of readdirSync(routes)) {
    const text = readFileSync(path.join(routes, file), 'utf8');
    count += (text.match(/status\(401\)|sendStatus\(401\)|StatusCodes\.UNAUTHORIZED/g) ?? []).length;
  }
  return count;
}

const astGrep = path.join(root, 'node_modules', '.bin', 'ast-grep');
const theirsRun = measure(
  astGrep,
  ['run', '-p', 'res.status(403)', '-r', 'res.status(401)', '-l', 'ts', '-U', '.'],
  theirs,
);
const oursRun = measure(process.execPath, [path.join(root, 'bin', 'run.js'), 'migrate', '--force'], ours);

const rewritten = countRewritten(ours);
const ratio = oursRun.seconds / theirsRun.seconds;
const mb = (value) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MB`);
console.log(`gen-code ${files}: ${expectedSites} sites`);
console.log(
  `ast-grep (res.status(403) only): ${theirsRun.seconds.toFixed(2)} s, peak RSS ${mb(theirsRun.rssMb)}`,
);
console.log(
  `mtls-fix migrate:                ${oursRun.seconds.toFixed(2)} s, peak RSS ${mb(oursRun.rssMb)}`,
);
console.log(`ratio mtls-fix / ast-grep: ${ratio.toFixed(2)} (target <= 1.5)`);
console.log(`sites rewritten by mtls-fix: ${rewritten} / ${expectedSites}`);
rmSync(work, { recursive: true, force: true });

const failures = [];
if (ratio > 1.5) failures.push(`ratio ${ratio.toFixed(2)} > 1.5`);
if (oursRun.rssMb !== undefined && oursRun.rssMb >= 1024)
  failures.push(`peak RSS ${mb(oursRun.rssMb)} >= 1 GB`);
if (rewritten !== expectedSites) failures.push(`${rewritten} of ${expectedSites} sites rewritten`);
if (failures.length) {
  console.error(`bench:migrate FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
