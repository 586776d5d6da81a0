import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

let tarball: string | undefined;

/**
 * This package as `npm pack` makes it (from the built dist/; `npm test` builds first), packed once per
 * test file. Offline: nothing is fetched.
 */
export function packedTarball(): string {
  if (tarball) return tarball;
  const destination = mkdtempSync(path.join(tmpdir(), 'mtls-fix-pack-'));
  const run = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', destination], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
  });
  if (run.status !== 0) throw new Error(`npm pack failed: ${run.stderr}`);
  const file = readdirSync(destination).find((name) => name.endsWith('.tgz'));
  if (!file) throw new Error(`npm pack wrote no tarball: ${run.stdout}`);
  tarball = path.join(destination, file);
  return tarball;
}

/** Unpacks the tarball into `folder` (created), as npm does: the package's files, no dependencies. */
export function unpackInto(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const run = spawnSync('tar', ['-xzf', packedTarball(), '-C', folder, '--strip-components=1'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`tar failed: ${run.stderr}`);
  return folder;
}
