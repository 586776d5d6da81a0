import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { debugRequested, describeError, prepareTerminal, printToStdout } from './terminal.js';

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
    await printToStdout(text);
  }

  override async init(): Promise<void> {
    prepareTerminal();
    await super.init();
  }

  /** Sets the exit code without ending the process early, so every pending write completes. */
  protected setExitCode(code: 0 | 1 | 2): void {
    process.exitCode = code;
  }

  protected debugEnabled(): boolean {
    return debugRequested(this.argv);
  }

  protected override catch(error: Interfaces.CommandError): Promise<unknown> {
    // Exit requests from this.exit() pass through untouched.
    if (error instanceof Errors.ExitError) return Promise.reject(error);
    process.stderr.write(this.describeError(error));
    return Promise.reject(new Errors.ExitError(2));
  }

  /** The text for stderr: one line for anything a user can fix, a stack only with --debug. */
  private describeError(error: Interfaces.CommandError): string {
    return describeError(error, { debug: this.debugEnabled(), usage: error instanceof Errors.CLIError });
  }
}
