import { spawn } from 'node:child_process';

export interface SpawnResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr, as a terminal would show both. */
  output: string;
}

/**
 * Runs a program and awaits it without blocking the vitest worker (a long synchronous spawn on a loaded
 * machine starves the worker's RPC: "Timeout calling onTaskUpdate"). Rejects only when the program cannot
 * be started; a non-zero exit is a result. `timeout` (ms) kills it with SIGKILL.
 */
export function spawnAsync(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = options.timeout ? setTimeout(() => child.kill('SIGKILL'), options.timeout) : undefined;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}
