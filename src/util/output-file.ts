import { readFileSync } from 'node:fs';
import { MtlsFixError } from '../errors.js';
import { writeFilesAtomic, type FileToWrite } from './write-atomic.js';

/** A file an output option names (`fix --overlay`, `lint --output`, `proxy --output`), about to be written whole. */
export interface OutputFile {
  /** Absolute path (a symbolic link is written through, as write-atomic.ts does). */
  path: string;
  /** The name in messages: as the user typed it. */
  display: string;
  /** The new text. */
  text: string;
  /** What mtls-fix writes there, for the message: `an Overlay of openapi.yaml`, `a lint report`. */
  kind: string;
  /** The option that named the file, for the message: `--overlay`. */
  option: string;
  /**
   * True when `existing` (the file's text now) is an output of this kind mtls-fix wrote before, so replacing it
   * loses nothing a user wrote. An empty file counts as replaceable whatever this says.
   */
  ours: (existing: string) => boolean;
  /** `--force`: replace whatever the file holds. */
  force?: boolean;
}

/**
 * What an existing output file holds now, after checking it may be replaced: absent, empty, an output of the same
 * kind mtls-fix wrote ({@link OutputFile.ours}), or `force`. Undefined for a file that does not exist, and for one
 * replaced by `force` alone (its text is not kept to compare).
 * Anything else (a hand-written Overlay, another OpenAPI document, a config) is a user's work: refused.
 *
 * @throws MtlsFixError EWRITE naming the file, what it is not, and what to do (another path, or --force);
 *   EWRITE too when the file exists but cannot be read (a folder, no permission).
 */
export function checkOutputFile(output: OutputFile): string | undefined {
  let existing: string;
  try {
    existing = readFileSync(output.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new MtlsFixError(
      'EWRITE',
      `${output.option} names a file that exists and cannot be read (${code ?? (error as Error).message}); nothing was written.`,
      `Name a new file for ${output.option}.`,
      { file: output.display },
    );
  }
  if (existing.trim() === '' || output.ours(existing)) return existing;
  // --force: replaced whatever it holds (not compared again: it may not even be text).
  if (output.force) return undefined;
  throw new MtlsFixError(
    'EWRITE',
    `exists and is not ${output.kind} that mtls-fix wrote; nothing was written.`,
    `Name another file for ${output.option}, or pass --force to replace it.`,
    { file: output.display },
  );
}

/**
 * Writes output files whole (write-atomic.ts `writeFilesAtomic`), each after {@link checkOutputFile}: every file is
 * checked before any is written, and each replaced file must still hold what was checked when it is replaced
 * (`original`), so an edit made meanwhile is never lost.
 *
 * @throws MtlsFixError EWRITE from {@link checkOutputFile} (nothing written), or write-atomic's WriteRefusedError.
 */
export function writeOutputFiles(outputs: readonly OutputFile[]): void {
  const files: FileToWrite[] = outputs.map((output) => {
    const existing = checkOutputFile(output);
    return {
      path: output.path,
      text: output.text,
      display: output.display,
      ...(existing === undefined ? {} : { original: existing }),
    };
  });
  writeFilesAtomic(files);
}
