import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { MtlsFixError } from '../errors.js';

/** Writes through a temp file in the same folder and renames it over the original, keeping its mode. */
export function writeAtomic(path: string, text: string): void {
  const temp = `${path}.mtls-fix-${process.pid}.tmp`;
  try {
    const mode = statSync(path).mode;
    writeFileSync(temp, text, { encoding: 'utf8', mode });
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file was never created.
    }
    throw new MtlsFixError(
      'EWRITE',
      `cannot write ${path}: ${(error as Error).message}`,
      'Check permissions.',
      {
        file: path,
      },
    );
  }
}
