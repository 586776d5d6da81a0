import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { minifiedShape } from '../../src/migrate/minified.js';
import {
  LineTable,
  lineAndCharacterAt,
  lineAt,
  lineStartsOf,
  linesOf,
  linesOfText,
} from '../../src/util/lines.js';

describe('lines as editors count them (src/util/lines.ts)', () => {
  it('ends a line at LF, CRLF and a lone CR only: U+2028 and U+2029 are ordinary characters', () => {
    expect(lineStartsOf('a\nb\r\nc\rd\u2028e\u2029f')).toEqual([0, 2, 5, 7]);
    expect(lineStartsOf('')).toEqual([0]);
    expect(lineStartsOf('a\r')).toEqual([0, 2]);
    expect(lineStartsOf('a\r\n')).toEqual([0, 3]);
  });

  it('gives 0-based lines and UTF-16 columns, where TypeScript counts U+2028/U+2029 as line breaks', () => {
    const text = 'const a = "x\u2028y"; f(403);\n// p\u2029q\ng(403);\n';
    const file = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest);
    const first = text.indexOf('f(403)');
    const second = text.indexOf('g(403)');
    // What TypeScript says (the fault): one line too far per separator, and a column from the separator.
    expect(file.getLineAndCharacterOfPosition(first)).toEqual({ line: 1, character: 4 });
    expect(file.getLineAndCharacterOfPosition(second).line).toBe(4);
    expect(lineAndCharacterAt(file, first)).toEqual({ line: 0, character: first });
    expect(lineAndCharacterAt(file, second)).toEqual({ line: 2, character: 0 });
    expect(lineAt(file, second)).toBe(3);
  });

  it('agrees with TypeScript on LF, CRLF and lone-CR files without separators', () => {
    const text = 'a\r\nbb\rccc\n\r\ndddd\r';
    const file = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest);
    for (let offset = 0; offset <= text.length; offset++)
      expect(lineAndCharacterAt(file, offset)).toEqual(file.getLineAndCharacterOfPosition(offset));
  });

  it('keeps one table per file object and one per recently read plain text', () => {
    const file = { text: 'a\nb\n' };
    expect(linesOf(file)).toBe(linesOf(file));
    const text = 'x\ry';
    expect(linesOfText(text)).toBe(linesOfText(text));
    expect(linesOfText(text).line(2)).toBe(2);
    // Lookups that alternate between texts keep each one's table (not only the last text's).
    const first = linesOfText('one\ntwo');
    const second = linesOfText('three\nfour\n');
    expect(linesOfText('one\ntwo')).toBe(first);
    expect(linesOfText('three\nfour\n')).toBe(second);
  });

  it('names the text of a line without its line break', () => {
    const table = new LineTable('one\r\ntwo\u2028still two\rthree');
    expect([0, 1, 2, 3].map((line) => table.textOf(line))).toEqual([
      'one',
      'two\u2028still two',
      'three',
      '',
    ]);
    expect(table.startOf(2)).toBe('one\r\ntwo\u2028still two\r'.length);
    expect(table.at(1_000)).toEqual({ line: 2, character: 5 });
  });
});

describe('a lone-CR file is not one long line (minified.ts)', () => {
  it('reads as hand-written source, as its LF twin does', () => {
    const lines = Array.from(
      { length: 40 },
      (_, index) => `app.get('/r${index}', (req, res) => res.status(403).end());`,
    );
    // Before: 2,300 characters on "one line", taken for a bundle and not scanned (notRead: minified).
    expect(minifiedShape('src/app.js', lines.join('\r'))).toBeUndefined();
    expect(minifiedShape('src/app.js', lines.join('\n'))).toBeUndefined();
    expect(minifiedShape('src/app.js', lines.join(';'))).toBeDefined();
  });
});
