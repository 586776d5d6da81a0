#!/usr/bin/env node
// The migrate rows of `npm run bench` alone (see bench.mjs): mtls-fix migrate against ast-grep applying the same
// three rewrites, in a clean git repository without --force, and migrate --spec at 16,000 routes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { status } = spawnSync(process.execPath, [path.join(here, 'bench.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_ONLY: process.env.BENCH_ONLY ?? 'migrate,migrate-spec' },
});
process.exit(status ?? 1);
