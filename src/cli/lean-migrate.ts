import type { PrestartedSources } from '../migrate/sources-prestart.js';
import type { LeanParse } from './lean-parse.js';
import { runMigrate } from './migrate-run.js';
import { debugRequested, describeError, prepareTerminal, printToStdout } from './terminal.js';

/**
 * `mtls-fix migrate` on the lean path (src/cli/lean.ts), once its arguments are parsed as oclif would:
 * runs src/cli/migrate-run.ts, the oclif command's own code, and sets process.exitCode as the command does;
 * errors become the same one line on stderr and exit 2 (src/cli/terminal.ts). `args` are the arguments after
 * the command id (for `--debug`); `sources`, a sources thread lean.ts started ahead of the run. Loaded from its
 * own bundle, dist/src/cli/migrate-bundle (scripts/bundle-lean.mjs).
 */
export async function runLeanMigrate(
  parsed: LeanParse,
  args: readonly string[],
  version: string,
  sources?: PrestartedSources,
): Promise<void> {
  prepareTerminal();
  const debug = debugRequested(args);
  try {
    process.exitCode = await runMigrate(parsed.argv, parsed.flags, {
      version,
      print: printToStdout,
      sources,
    });
  } catch (error) {
    process.stderr.write(describeError(error as Error, { debug, usage: false }));
    process.exitCode = 2;
  }
  await exitWhenFlushed();
}

/**
 * Ends the process once stdout and stderr have handed off what was written to them (the report is complete
 * there), with process.exitCode. Left to end by itself, Node.js frees the run's heap (the syntax trees, ~200 MB
 * on a 5,000-file tree) page by page before the process goes, which took 0.1-0.3 s after the report on this
 * project's machines; `process.exit` skips that and still runs the 'exit' listeners (the compiler's code cache,
 * the writer's temporary-file cleanup). Nothing of the run is pending by then: the writes were awaited and the
 * worker threads' answers received.
 */
async function exitWhenFlushed(): Promise<never> {
  const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
    new Promise((resolve) => {
      // An empty write is answered after the writes queued before it; a closed stream answers with an error.
      if (stream.destroyed || !stream.writable) resolve();
      else stream.write('', () => resolve());
    });
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}
