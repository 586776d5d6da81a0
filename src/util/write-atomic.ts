import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { MtlsFixError } from '../errors.js';

export interface FileToWrite {
  path: string;
  text: string;
  /** The name in messages. */
  display: string;
}

/**
 * Writes files through temp files beside them, then renames each over its original (keeping its mode).
 * Every temp file is written before any rename, so a failed write leaves every original untouched, and a
 * multi-file document is never left half fixed by a full disk or a missing permission.
 */
export function writeFilesAtomic(files: readonly FileToWrite[]): void {
  const temps: string[] = [];
  try {
    for (const file of files) {
      const temp = `${file.path}.mtls-fix-${process.pid}.tmp`;
      temps.push(temp);
      writeFileSync(temp, file.text, 'utf8');
      const mode = existingMode(file.path);
      if (mode !== undefined) chmodSync(temp, mode);
    }
  } catch (error) {
    for (const temp of temps) removeQuietly(temp);
    const failed = files[temps.length - 1]?.display ?? '';
    throw new MtlsFixError(
      'EWRITE',
      `cannot write ${failed}: ${(error as Error).message}.`,
      'Check the path and permissions.',
      {
        file: failed,
      },
    );
  }
  files.forEach((file, index) => renameSync(temps[index], file.path));
}

function existingMode(file: string): number | undefined {
  try {
    return statSync(file).mode;
  } catch {
    return undefined; // a new file
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // never created
  }
}
