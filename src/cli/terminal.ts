import { findMtlsFixError, MtlsFixError } from '../errors.js';
import { optionSuggestion } from './option-suggestion.js';

/**
 * How commands meet the terminal, without oclif: shared by BaseCommand and the lean `lint` path
 * (src/cli/lean.ts), so both print, colour and report errors the same way.
 */

let stdoutClosed = false;
let prepared = false;

/** NO_COLOR (https://no-color.org) and a quiet stop when the reader closes stdout. Idempotent. */
export function prepareTerminal(): void {
  if (prepared) return;
  prepared = true;
  // Any non-empty NO_COLOR turns colour off, in our output and Spectral's.
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stdoutClosed = true;
    else throw error;
  });
}

/**
 * Writes to stdout and waits until the text is handed off: an early exit would otherwise cut a large
 * report short when stdout is a pipe (`mtls-fix lint -f json | jq`). A closed pipe (`| head -1`) is the
 * reader's choice: printing stops, quietly.
 */
export async function printToStdout(text: string): Promise<void> {
  if (text === '' || stdoutClosed) return;
  const output = text.endsWith('\n') ? text : `${text}\n`;
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(output, (error) => {
      if (error && (error as NodeJS.ErrnoException).code === 'EPIPE') {
        stdoutClosed = true;
        resolve();
      } else if (error) reject(error);
      else resolve();
    });
  });
}

/** `--debug` among the arguments, or MTLS_FIX_DEBUG set. */
export function debugRequested(argv: readonly string[]): boolean {
  return argv.includes('--debug') || Boolean(process.env.MTLS_FIX_DEBUG);
}

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
        !/^The following errors? occurred:?\.?$/.test(line) &&
        !/^See more help with/.test(line),
    );
  const text = (reasons.length > 0 ? reasons.join('; ') : message.trim()).replace(/([^.])$/, '$1.');
  return text;
}

/**
 * The text for stderr: one line for anything a user can fix (a MtlsFixError, or a usage error oclif raised
 * when `usage` is true), a stack only with `debug`; anything else is a bug and says so.
 */
export function describeError(error: Error, options: { debug: boolean; usage: boolean }): string {
  // Several problems a user can fix (every bad path of a document): one line each.
  const several = error instanceof AggregateError ? (error.errors as unknown[]) : [];
  if (several.length > 0 && several.every((each) => each instanceof MtlsFixError)) {
    const lines = several.map((each) => `mtls-fix: ${each.toLine()}\n`).join('');
    return `${lines}${options.debug && error.stack ? `${error.stack}\n` : ''}`;
  }
  const userError = findMtlsFixError(error);
  if (userError)
    return `mtls-fix: ${userError.toLine()}\n${options.debug && error.stack ? `${error.stack}\n` : ''}`;
  // oclif's own parse errors (unknown flag, bad option value) already carry a clear message.
  if (options.usage && !options.debug) {
    const meant = optionSuggestion(error.message);
    return `mtls-fix: ${oneLine(error.message)}${meant ? ` Did you mean ${meant}?` : ''} See --help.\n`;
  }
  if (options.debug) return `${error.stack ?? String(error)}\n`;
  return `mtls-fix: unexpected error: ${error.message}. Run again with --debug for the stack trace and report it.\n`;
}
