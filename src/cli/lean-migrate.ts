import type { LeanParse } from './lean-parse.js';
import { runMigrate } from './migrate-run.js';
import { debugRequested, describeError, prepareTerminal, printToStdout } from './terminal.js';

/**
 * `mtls-fix migrate` on the lean path (src/cli/lean.ts), once its arguments are parsed as oclif would:
 * runs src/cli/migrate-run.ts, the oclif command's own code, and sets process.exitCode as the command does;
 * errors become the same one line on stderr and exit 2 (src/cli/terminal.ts). `args` are the arguments after
 * the command id (for `--debug`). Loaded from its own bundle, dist/src/cli/migrate-bundle (scripts/bundle-lean.mjs).
 */
export async function runLeanMigrate(
  parsed: LeanParse,
  args: readonly string[],
  version: string,
): Promise<void> {
  prepareTerminal();
  const debug = debugRequested(args);
  try {
    process.exitCode = await runMigrate(parsed.argv, parsed.flags, {
      version,
      print: printToStdout,
    });
  } catch (error) {
    process.stderr.write(describeError(error as Error, { debug, usage: false }));
    process.exitCode = 2;
  }
}
