#!/usr/bin/env node
// The file writer shared by fix and migrate, measured against npm's write-file-atomic and a plain write on
// the files `migrate` rewrites in the migrate bench (gen-code.mjs 5000: about 250 changed files, a few KB
// each). Each round writes the same texts with every writer, interleaved; medians and ratios against
// write-file-atomic (the anchor), with the load average. Usage: node scripts/bench-writer.mjs [FILES] [ROUNDS]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import { median } from './bench-lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { writeFilesAtomic } = await import(path.join(root, 'dist/src/util/write-atomic.js'));
const count = Number(process.argv[2] ?? 250);
const rounds = Number(process.argv[3] ?? 7);
const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-bench-writer-'));
const text = `import express from 'express';\n${"app.get('/a', (req, res) => res.status(401).send());\n".repeat(80)}`;
const files = Array.from({ length: count }, (_, index) => path.join(folder, `f${index}.ts`));
for (const file of files) writeFileSync(file, text);

const writers = {
  'write-file-atomic (sync, fsync)': () => {
    for (const file of files) writeFileAtomic.sync(file, text);
  },
  'mtls-fix writeFilesAtomic (one call per file, as migrate)': () => {
    for (const file of files) writeFilesAtomic([{ path: file, text, display: file, original: text }]);
  },
  'mtls-fix writeFilesAtomic (one set, as fix)': () => {
    writeFilesAtomic(files.map((file) => ({ path: file, text, display: file, original: text })));
  },
  'plain writeFileSync (no temp, no fsync)': () => {
    for (const file of files) writeFileSync(file, text);
  },
};
const times = Object.fromEntries(Object.keys(writers).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, write] of Object.entries(writers)) {
    const started = process.hrtime.bigint();
    write();
    times[name].push(Number(process.hrtime.bigint() - started) / 1e9);
  }
}
for (const file of files) if (readFileSync(file, 'utf8') !== text) throw new Error(`${file} changed`);
rmSync(folder, { recursive: true, force: true });
const anchor = median(times['write-file-atomic (sync, fsync)']);
console.log(
  `${count} files x ${text.length} bytes, ${rounds} rounds, tmpdir ${tmpdir()}, load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
for (const [name, values] of Object.entries(times)) {
  const value = median(values);
  console.log(
    `${name.padEnd(60)} ${(value * 1000).toFixed(0).padStart(6)} ms  ${(value / anchor).toFixed(2)}x`,
  );
}
