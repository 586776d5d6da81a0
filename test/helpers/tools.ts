import { spawnSync } from 'node:child_process';

/** CI sets CI=true: there a missing or broken system tool fails its test instead of skipping it. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** Why `binary` cannot run here, or undefined when it can. */
export function toolUnavailable(binary: string, versionArgs: string[]): string | undefined {
  const probe = spawnSync(binary, versionArgs, { encoding: 'utf8' });
  if (probe.error)
    return `${binary} is not installed (${probe.error.message}); .ci/run installs it with apt-get`;
  return undefined;
}

/**
 * Inside a test: when `reason` is set, fail under CI, else print it loudly and skip the test.
 * @throws Error under CI when the tool is unavailable.
 */
export function requireTool(reason: string | undefined, skip: (note?: string) => void): void {
  if (reason === undefined) return;
  if (IN_CI) throw new Error(reason);
  process.stderr.write(`\n*** SKIPPED (${reason}) ***\n`);
  skip(reason);
}
