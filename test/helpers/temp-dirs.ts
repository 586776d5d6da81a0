import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/** Makers of temp folders for one test file (call it at the file's top level). */
export interface TempDirs {
  /** A new temp folder holding `files` (text by `/`-separated relative path). */
  temp: (files?: Record<string, string>) => string;
  /** A new temp folder holding a copy of the folder `from` (a fixture project). */
  copy: (from: string) => string;
}

/**
 * Temp folders named `mtls-fix-<prefix>-…` under the OS temp folder, each removed after the test that made it
 * (an `afterEach` hook registered here).
 */
export function tempDirs(prefix: string): TempDirs {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const temp = (files: Record<string, string> = {}): string => {
    const dir = mkdtempSync(path.join(tmpdir(), `mtls-fix-${prefix}-`));
    made.push(dir);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  };
  const copy = (from: string): string => {
    const dir = temp();
    cpSync(from, dir, { recursive: true });
    return dir;
  };
  return { temp, copy };
}
