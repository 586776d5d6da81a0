import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/** Every file below `dir`, relative to `base` (default `dir`), folders walked depth first. */
export function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
  });
}

/**
 * Asserts that `cwd`, a copy of the fixture project `project` after a run, holds for each of its files the text of
 * the same file under `expected` when there is one (what the run must write), else the project's own (untouched).
 */
export function expectProjectWritten(cwd: string, project: string, expected: string): void {
  for (const file of filesUnder(project)) {
    const want = existsSync(path.join(expected, file))
      ? readFileSync(path.join(expected, file), 'utf8')
      : readFileSync(path.join(project, file), 'utf8');
    expect(readFileSync(path.join(cwd, file), 'utf8'), file).toBe(want);
  }
}
