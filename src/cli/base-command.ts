import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { findMtlsFixError } from '../errors.js';

let stdoutClosed = false;

/**
 * oclif's messages in one sentence: "The following errors occurred:\n  --check=true cannot also be provided
 * when using --dry-run\nSee more help with --help" -> "--check=true cannot also be provided when using --dry-run."
 */
export function oneLine(message: string): string {
  const reasons = message
    .split('\n')
    .map((line) => line.replace(/^\s*(Error: )?/, '').trim())
    .filter(
      (line) =>
        line !== '' &&
        !/^The following errors occurred:?\.?$/.test(line) &&
        !/^See more help with/.test(line),
    );
  const text = (reasons.length > 0 ? reasons.join('; ') : message.trim()).replace(/([^.])$/, '$1.');
  return text;
}

/**
 * The only place that knows how errors reach the terminal: a MtlsFixError becomes one line on stderr
 * and exit 2; a stack trace appears only with --debug.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Print stack traces for errors.', helpGroup: 'GLOBAL' }),
  };

  /**
   * Writes to stdout and waits until the text is handed off: oclif's exit would otherwise cut a large
   * report short when stdout is a pipe (`mtls-fix lint -f json | jq`).
   */
  protected async print(text: string): Promise<void> {
    if (text === '' || stdoutClosed) return;
    const output = text.endsWith('\n') ? text : `${text}\n`;
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(output, (error) => {
        // A closed pipe (`mtls-fix lint ... | head -1`) is the reader's choice: stop printing, quietly.
        if (error && (error as NodeJS.ErrnoException).code === 'EPIPE') {
          stdoutClosed = true;
          resolve();
        } else if (error) reject(error);
        else resolve();
      });
    });
  }

  override async init(): Promise<void> {
    // NO_COLOR (https://no-color.org): any non-empty value turns colour off, in our output and Spectral's.
    if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') stdoutClosed = true;
      else throw error;
    });
    await super.init();
  }

  /** Sets the exit code without ending the process early, so every pending write completes. */
  protected setExitCode(code: 0 | 1 | 2): void {
    process.exitCode = code;
  }

  protected debugEnabled(): boolean {
    return this.argv.includes('--debug') || Boolean(process.env.MTLS_FIX_DEBUG);
  }

  protected override catch(error: Interfaces.CommandError): Promise<unknown> {
    // Exit requests from this.exit() pass through untouched.
    if (error instanceof Errors.ExitError) return Promise.reject(error);
    process.stderr.write(this.describeError(error));
    return Promise.reject(new Errors.ExitError(2));
  }

  /** The text for stderr: one line for anything a user can fix, a stack only with --debug. */
  private describeError(error: Interfaces.CommandError): string {
    const debug = this.debugEnabled();
    const userError = findMtlsFixError(error);
    if (userError)
      return `mtls-fix: ${userError.toLine()}\n${debug && error.stack ? `${error.stack}\n` : ''}`;
    // oclif's own parse errors (unknown flag, bad option value) already carry a clear message.
    if (error instanceof Errors.CLIError && !debug)
      return `mtls-fix: ${oneLine(error.message)} See --help.\n`;
    if (debug) return `${error.stack ?? String(error)}\n`;
    return `mtls-fix: unexpected error: ${error.message}. Run again with --debug for the stack trace and report it.\n`;
  }
}
