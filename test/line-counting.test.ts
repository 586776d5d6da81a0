import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeFiles } from './helpers/code-files.js';
import { REPO_ROOT } from './helpers/paths.js';

// Session 39 (breaker39 #01): TypeScript's and ts-morph's line counting treats U+2028/U+2029 as line breaks, which
// no editor, git, GitHub or SARIF does, and a line count by `split('\n')` misses lone CRs. Every line or column
// shown to a user comes from src/util/lines.ts; this test keeps new code from counting lines another way.

/** The one module that may count lines. */
const HELPER = 'src/util/lines.ts';
const FOLDERS = ['src', 'rules'];

/** Ways of turning an offset into a line that disagree with editors on U+2028/U+2029 or lone CRs. */
const RAW_LINE_COUNTING: [string, RegExp][] = [
  [
    'TypeScript line counting',
    /\bgetLineAndCharacterOfPosition\s*\(|\bgetLineStarts\s*\(|\bcomputeLineStarts\s*\(/,
  ],
  ['ts-morph line counting', /\.get(?:Start|End)LineNumber\s*\(|\.getLineNumber\s*\(/],
  ['a line counted by split on LF', /\.split\(\s*(?:'\\n'|"\\n"|\/\\r\?\\n\/)\s*\)\.length\b/],
];

/** `file:line  what` of each raw line count outside comments in `text`. */
function rawLineCounts(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    const code = line.replace(/^\s*(?:\/\/|\*|\/\*).*$/, '').replace(/\s\/\/.*$/, '');
    for (const [what, pattern] of RAW_LINE_COUNTING)
      if (pattern.test(code)) found.push(`${file}:${index + 1}  ${what}`);
  });
  return found;
}

describe('lines shown to users are counted by src/util/lines.ts only', () => {
  it('finds each raw way of counting (and not in comments)', () => {
    const text = [
      'const a = sf.getLineAndCharacterOfPosition(0).line;',
      'const b = node.getStartLineNumber();',
      "const c = text.slice(0, at).split('\\n').length;",
      'const d = sf.getLineStarts();',
      '// sf.getLineAndCharacterOfPosition(0) in a comment',
      " * text.split('\\n').length in a docstring",
      "const e = text.split('\\n')[0];",
    ].join('\n');
    expect(rawLineCounts('x.ts', text)).toEqual([
      'x.ts:1  TypeScript line counting',
      'x.ts:2  ts-morph line counting',
      'x.ts:3  a line counted by split on LF',
      'x.ts:4  TypeScript line counting',
    ]);
  });

  it('no code outside the helper counts lines itself', () => {
    const files = FOLDERS.flatMap(codeFiles).filter((file) => file !== HELPER);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      rawLineCounts(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });
});
