import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from './paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built CLI (`npm test` builds first) as a user would. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): CliRun {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

/** A temp folder holding the given files (text by relative path). */
export function tempProject(files: Record<string, string | Buffer> = {}, copyFrom?: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-test-'));
  if (copyFrom) copyWritable(copyFrom, folder);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), content);
  }
  return folder;
}

/**
 * cpSync, then user-writable: the shared corpus is read-only (0444), and mtls-fix refuses to replace a
 * read-only file, as a user's copy would not be.
 */
export function copyWritable(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  const walk = (target: string): void => {
    const stats = statSync(target);
    chmodSync(target, stats.mode | 0o200);
    if (stats.isDirectory()) for (const name of readdirSync(target)) walk(path.join(target, name));
  };
  walk(to);
}

/**
 * `runCli` without blocking the test worker: a long synchronous spawn on a loaded machine starves vitest's
 * worker RPC ("Timeout calling onTaskUpdate"); this one awaits the child instead.
 */
export async function runCliAsync(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  const { spawn } = await import('node:child_process');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
