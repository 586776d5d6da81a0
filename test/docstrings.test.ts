import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeFiles } from './helpers/code-files.js';
import { REPO_ROOT } from './helpers/paths.js';

/** The folders whose code carries docstrings. */
const FOLDERS = ['src', 'rules', 'scripts'];

/**
 * `file:line` of each `/**` block that opens on the line right after a line ending a comment (`*\/`): code put
 * in between a docstring and its declaration leaves the first block documenting nothing, and the declaration it
 * was written for without one (or two blocks split one declaration's documentation).
 */
function adjacentDocstrings(file: string, text: string): string[] {
  const lines = text.split(/\r?\n/);
  const found: string[] = [];
  for (let index = 1; index < lines.length; index++) {
    if (/^\s*\/\*\*/.test(lines[index]) && /\*\/\s*$/.test(lines[index - 1]))
      found.push(`${file}:${index + 1}`);
  }
  return found;
}

describe('docstrings sit on their declarations', () => {
  it('finds a block right after another block (and only there)', () => {
    const text = [
      '/** Orphan. */',
      '/**',
      ' * Own.',
      ' */',
      'const a = 1;',
      '',
      '/** Fine. */',
      'const b = 2;',
      '/* plain */ const c = 3;',
    ].join('\n');
    expect(adjacentDocstrings('x.ts', text)).toEqual(['x.ts:2']);
  });

  it('no docstring in src/, rules/ or scripts/ is followed directly by another', () => {
    const files = FOLDERS.flatMap(codeFiles);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      adjacentDocstrings(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')),
    );
    expect(found, 'a `/**` block right after a `*/` line: put each docstring on its declaration').toEqual([]);
  });
});
