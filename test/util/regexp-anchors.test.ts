import { describe, expect, it } from 'vitest';
import { regExpAlternatives } from '../../src/util/regexp-anchors.js';

/** Each alternative's anchors (sorted) and whether its matches begin at them. */
function anchorsOf(source: string, ignoreCase = false): [string[] | undefined, boolean][] | undefined {
  return regExpAlternatives(source, ignoreCase)?.map((a) => [a.anchors && [...a.anchors].sort(), a.atStart]);
}

describe('regExpAlternatives', () => {
  it('splits the top level only, each alternative with its own source', () => {
    const alternatives = regExpAlternatives(String.raw`ab|c(?:d|e)f|[|]g|\|h`, false);
    expect(alternatives?.map((a) => a.source)).toEqual(['ab', 'c(?:d|e)f', '[|]g', String.raw`\|h`]);
  });

  it('takes the literal run a match must hold, lower-cased when the pattern ignores case', () => {
    expect(anchorsOf('Forbidden', true)).toEqual([[['forbidden'], true]]);
    expect(anchorsOf('Forbidden')).toEqual([[['Forbidden'], true]]);
    expect(anchorsOf(String.raw`\bnew\s+HttpError\s*\(`)).toEqual([[['HttpError'], false]]);
  });

  it('leaves out what a quantifier makes optional, and cuts the run after a repeated character', () => {
    expect(anchorsOf('permission[_-]?denied')).toEqual([[['permission'], true]]);
    expect(anchorsOf('abcd?efg')).toEqual([[['abc'], true]]);
    expect(anchorsOf('abcdx*yz')).toEqual([[['abcd'], true]]);
    // `e+`: "abcde" is held, but what follows may come after more e's.
    expect(anchorsOf('abcde+fg')).toEqual([[['abcde'], true]]);
    expect(anchorsOf('ab{0,2}cdefg')).toEqual([[['cdefg'], false]]);
    expect(anchorsOf('xq(?:Factory)?ee')).toEqual([[['xq'], true]]);
  });

  it('multiplies a group of literal strings into the run around it', () => {
    expect(anchorsOf(String.raw`\.(?:status|code)\(\s*x`, true)).toEqual([[['.code(', '.status('], true]]);
    expect(anchorsOf('(?:a|b)(?:c|d)')).toEqual([[['ac', 'ad', 'bc', 'bd'], true]]);
  });

  it('takes a group with anchors in each alternative as the set of them', () => {
    expect(anchorsOf(String.raw`x(?:alpha\d|beta\s)`)).toEqual([[['alpha', 'beta'], false]]);
    expect(anchorsOf(String.raw`(?:alpha\d|beta\s)`)).toEqual([[['alpha', 'beta'], true]]);
    // One alternative with no literal: the group tells nothing.
    expect(anchorsOf(String.raw`(?:alpha|\d+)`)).toEqual([[undefined, false]]);
  });

  it('prefers the literal a source text holds least often', () => {
    // "403" (rare digits) over the group's common words, though it comes later.
    expect(anchorsOf('(?:throw|error|status)_?403', true)).toEqual([[['403'], false]]);
  });

  it('reads assertions as taking no room, and a one-character class as that character', () => {
    expect(anchorsOf(String.raw`\b0[xX]193\b`, true)).toEqual([[['0x193'], true]]);
    expect(anchorsOf(String.raw`\b0[xX]193\b`)).toEqual([[['193'], false]]);
    expect(anchorsOf(String.raw`(?<=@)abc(?!d)ef`)).toEqual([[['abcef'], true]]);
    expect(anchorsOf(String.raw`^abc$`)).toEqual([[['abc'], true]]);
    expect(anchorsOf(String.raw`[.]abc`)).toEqual([[['.abc'], true]]);
  });

  it('ends a run at a class, a class escape, `.` and a non-ASCII character', () => {
    expect(anchorsOf(String.raw`ab[cd]efg`)).toEqual([[['efg'], false]]);
    expect(anchorsOf(String.raw`ab\defg`)).toEqual([[['efg'], false]]);
    expect(anchorsOf(String.raw`ab.efg`)).toEqual([[['efg'], false]]);
    expect(anchorsOf('abéefgh')).toEqual([[['efgh'], false]]);
    expect(anchorsOf(String.raw`\d+`)).toEqual([[undefined, false]]);
  });

  it('reads a `{` that is no quantifier as the character itself (Annex B)', () => {
    expect(anchorsOf(String.raw`ab{cdef`)).toEqual([[['ab{cdef'], true]]);
    expect(anchorsOf(String.raw`ab{2}cd`)).toEqual([[['ab'], true]]);
  });

  it('decodes escapes of characters (the parser reads them as the characters they stand for)', () => {
    expect(anchorsOf(String.raw`\x41bc|d`)).toEqual([
      [['Abc'], true],
      [['d'], true],
    ]);
    expect(anchorsOf(String.raw`\u0041bc`)).toEqual([[['Abc'], true]]);
  });

  it('gives up on what ties alternatives together, modifiers and a source that is no RegExp', () => {
    expect(regExpAlternatives(String.raw`(a)\1|b`, false)).toBeUndefined();
    expect(regExpAlternatives(String.raw`(?<x>a)\k<x>|b`, false)).toBeUndefined();
    expect(regExpAlternatives(String.raw`(?i:a)b|c`, false)).toBeUndefined();
    expect(regExpAlternatives('(ab|c', false)).toBeUndefined();
    expect(regExpAlternatives('ab)|c', false)).toBeUndefined();
  });
});
