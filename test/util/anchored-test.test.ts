import { describe, expect, it } from 'vitest';
import { anchoredTest, lazyAnchoredTest } from '../../src/util/anchored-test.js';
import { texts } from '../helpers/near-matches.js';

/** Patterns with the syntax the reader of regexp-anchors.ts follows, and some it gives up on. */
const PATTERNS: RegExp[] = [
  /forbidden|permission[_-]?denied|\b403\b/i,
  /\.(?:status|sendStatus|code)\(\s*[^\d'"`)\s]|\.(?:status|statusCode)\s*=\s*[^\d'"`=\s]/i,
  /(?:throw|error|status)_?403(?![0-9])|\b0[xX]193\b|['"]koa-ip['"]/i,
  /\{[^}]*\bdefineConfig(?:Factory)?\b[^}]*\}\s*from\s+['"]egg['"]|\bkeys\s*:\s*['"]/i,
  /(?<=@)scope:|abc{2,}def|x(?:yz)+w|(?:ab|cd)(?:ef|)gh|ks?tatus/,
  /Status|STATUS\.code|forbidden/,
  /status{|a{1}b{2,3}c|\$\{status\}/i,
  /(a)\1|forbidden/i,
  /^status|forbidden$|k\u0041b/im,
];

const PIECES = [
  'forbidden',
  'permission_denied',
  'permission-denied',
  ' 403 ',
  'a403',
  '.status(',
  '.status(err.status)',
  '.status(200)',
  '.sendStatus(x)',
  '.code(code)',
  '.status = e.status',
  '.statusCode = 201',
  'throw_403',
  'error403x',
  'status4031',
  '0x193',
  "'koa-ip'",
  '"koa-ip"',
  "{ defineConfig } from 'egg'",
  '{ a, defineConfigFactory } from "egg"',
  "keys: 'k'",
  '@scope:',
  'abccdef',
  'abcdef',
  'xyzyzw',
  'cdefgh',
  'abgh',
  'kstatus',
  'ktatus',
  'STATUS.code',
  'status{',
  'abbbc',
  '${status}',
  'aa',
  'kAb',
];

describe('anchoredTest', () => {
  it.each(PATTERNS.map((pattern) => [pattern.source, pattern]))(
    'answers as RegExp.test on every text: /%s/',
    (_source, pattern) => {
      const test = anchoredTest(pattern);
      const all = texts(PIECES, 4000, pattern.source.length);
      const matching = all.filter((text) => pattern.test(text)).length;
      // Both answers are common, so a test that always said one of them would fail.
      expect(matching).toBeGreaterThan(all.length / 20);
      expect(matching).toBeLessThan(all.length - all.length / 20);
      const differ = all.filter((text) => test.test(text) !== pattern.test(text));
      expect(differ).toEqual([]);
    },
  );

  it('matches ASCII letters only in either case, as a RegExp with `i` (no `u`) does', () => {
    const test = anchoredTest(/kelvin|\bstatus\b|other/i);
    // U+212A KELVIN SIGN lower-cases to k, U+017F LONG S upper-cases to S: neither matches here.
    for (const text of ['\u212aelvin', '\u017ftatus', 'KELVIN', 'Status', 'x ſtatus kelvin'])
      expect(test.test(text)).toBe(/kelvin|\bstatus\b|other/i.test(text));
  });

  it('keeps the pattern as it is when it has state or a syntax it does not read', () => {
    const global = /a|b/g;
    expect(anchoredTest(global)).toBe(global);
    const unicode = /status|\p{L}/iu;
    expect(anchoredTest(unicode)).toBe(unicode);
    const backreference = /(a)\1|status/;
    expect(anchoredTest(backreference)).toBe(backreference);
  });

  it('carries the source and flags of the pattern it answers for', () => {
    const test = anchoredTest(/forbidden|\b403\b/i);
    expect(new RegExp(test.source, test.flags).test('x 403 y')).toBe(true);
    expect(test.flags).toBe('i');
  });
});

describe('lazyAnchoredTest', () => {
  it('answers as the pattern, with its source and flags', () => {
    const pattern = /forbidden|\b403\b/i;
    const test = lazyAnchoredTest(pattern);
    expect([test.source, test.flags]).toEqual([pattern.source, pattern.flags]);
    for (const text of ['x 403', 'FORBIDDEN', '4030', 'nothing'])
      expect(test.test(text)).toBe(pattern.test(text));
  });
});
