import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { findMtlsFixError } from '../errors.js';

/**
 * The only place that knows how errors reach the terminal: a MtlsFixError becomes one line on stderr
 * and exit 2; a stack trace appears only with --debug.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Print stack traces for errors.', helpGroup: 'GLOBAL' }),
  };

  protected debugEnabled(): boolean {
    return this.argv.includes('--debug') || Boolean(process.env.MTLS_FIX_DEBUG);
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    // Exit requests from this.exit() pass through untouched.
    if (error instanceof Errors.ExitError) throw error;
    const userError = findMtlsFixError(error);
    if (userError) {
      process.stderr.write(`mtls-fix: ${userError.toLine()}\n`);
      if (this.debugEnabled() && error.stack) process.stderr.write(`${error.stack}\n`);
      this.exit(2);
    }
    // oclif's own parse errors (unknown flag, bad option value) already carry a clear message.
    if (error instanceof Errors.CLIError && !this.debugEnabled()) {
      const message = error.message.split('\n')[0] ?? error.message;
      process.stderr.write(`mtls-fix: ${message.replace(/^Error: /, '')} See --help.\n`);
      this.exit(2);
    }
    if (this.debugEnabled()) {
      process.stderr.write(`${error.stack ?? String(error)}\n`);
    } else {
      process.stderr.write(
        `mtls-fix: unexpected error: ${error.message}. Run again with --debug for the stack trace and report it.\n`,
      );
    }
    this.exit(2);
  }
}
