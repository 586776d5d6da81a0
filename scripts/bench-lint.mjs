#!/usr/bin/env node
// `mtls-fix lint` against stock `spectral lint` running the same ruleset (extends: [mtls-fix/ruleset]),
// in the same run, on ../shared/bench/gen-spec.mjs documents (1000 and 5000 paths) and on the bundled
// example (the pre-commit case). Needs `npm run build` first. Prints the ratios DESIGN §7 budgets.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, measure, median } from './bench-lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, '.bench', 'lint');
const generator = path.resolve(root, '../shared/bench/gen-spec.mjs');
const ours = path.join(root, 'bin/run.js');
const spectral = path.join(root, 'node_modules/@stoplight/spectral-cli/dist/index.js');
const sizes = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number);
const smallRuns = Number(process.env.BENCH_SMALL_RUNS ?? 5);

rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(work, 'node_modules'), { recursive: true });
// Stock Spectral resolves `extends: [mtls-fix/ruleset]` through node_modules, as in a user's project.
symlinkSync(root, path.join(work, 'node_modules', 'mtls-fix'), 'dir');
writeFileSync(path.join(work, '.spectral.yaml'), 'extends: ["mtls-fix/ruleset"]\n');
copyFileSync(path.join(root, 'examples/openapi.yaml'), path.join(work, 'example.yaml'));

const count = (stdout) => JSON.parse(stdout).filter((result) => result.code === 'mtls-no-403').length;

console.log('mtls-fix lint vs stock spectral lint (same ruleset), one run each, same machine\n');

// Small spec: median of several whole-process runs.
const small = { ours: [], spectral: [] };
for (let i = 0; i < smallRuns; i++) {
  small.ours.push((await measure(ours, ['lint', 'example.yaml', '-f', 'json'], work)).seconds);
  small.spectral.push((await measure(spectral, ['lint', 'example.yaml', '-f', 'json'], work)).seconds);
}
const smallOurs = median(small.ours);
const smallSpectral = median(small.spectral);
console.log(
  `example.yaml (median of ${smallRuns}): mtls-fix ${fmt(smallOurs)}, spectral ${fmt(smallSpectral)}, ` +
    `ratio ${(smallSpectral / smallOurs).toFixed(2)}x faster`,
);

const oursBySize = new Map();
for (const size of sizes) {
  const file = `gen-${size}.yaml`;
  const expected = execFileSync(process.execPath, [generator, String(size), path.join(work, file)], {
    encoding: 'utf8',
  });
  const a = await measure(ours, ['lint', file, '-f', 'json'], work);
  const b = await measure(spectral, ['lint', file, '-f', 'json'], work);
  oursBySize.set(size, a.seconds);
  console.log(
    `gen-spec ${size} paths: mtls-fix ${fmt(a.seconds)} (${a.peakMb.toFixed(0)} MB, ${count(a.stdout)} mtls-no-403), ` +
      `spectral ${fmt(b.seconds)} (${b.peakMb.toFixed(0)} MB, ${count(b.stdout)} mtls-no-403), ` +
      `ratio ${(b.seconds / a.seconds).toFixed(1)}x faster` +
      ` [generator's scheme-only count: ${expected.trim().split('\n').pop()}]`,
  );
}
if (oursBySize.has(1000) && oursBySize.has(5000)) {
  const growth = oursBySize.get(5000) / oursBySize.get(1000);
  console.log(`mtls-fix growth 1000 -> 5000 paths: ${growth.toFixed(2)}x (budget: within 6x)`);
}
