#!/usr/bin/env node
// `npm run bench`: every benchmark script, one after the other (they share the machine).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
for (const script of ['bench-lint.mjs', 'bench-migrate.mjs', 'bench-writer.mjs']) {
  const file = path.join(here, script);
  if (!existsSync(file)) continue;
  console.log(`\n# ${script}`);
  const { status } = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
