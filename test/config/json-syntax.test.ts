import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../../src/config/json-syntax.js';

describe('jsonSyntaxError', () => {
  it.each([
    ['{"a": 1}', undefined],
    ['\uFEFF{"a": [1, 2.5e3, -0, true, false, null, "x\\u00e9\\n"]}\n', undefined],
    ['{"a": 1,}', "1:8 a trailing comma before '}' (JSON allows none)"],
    ['{\n  "a": [1, 2,\n  ]\n}', "2:13 a trailing comma before ']' (JSON allows none)"],
    // breaker33: a trailing comma and the closing brace lost; YAML said "end of the stream within a flow collection".
    [
      '{"name":"z","dependencies":{"express":"*"},\n',
      "2:1 the file ends inside an object (a '}' missing for line 1)",
    ],
    ["{'a': 1}", '1:2 a key in single quotes (JSON keys take double quotes)'],
    ['{"a": 1 "b": 2}', "1:9 '\"' where ',' or '}' is due (a comma missing?)"],
    ['{"a": 1} // x', '1:10 a comment (JSON allows none)'],
    ['{"a": 1}}', "1:9 '}' after the end of the JSON value (a second value, or a '}' or ']' too many)"],
    ['{\n  // c\n  "a": 1\n}', '2:3 a comment (JSON allows none)'],
    ['{"a": "x\ny"}', '1:9 a line break inside a string (write \\n, or close the string)'],
    ['{"a": 01}', "1:8 '1' where ',' or '}' is due (a comma missing?)"],
    ['', '1:1 the file is empty (JSON needs a value)'],
    ['{"a": tru}', "1:7 't' where a value is due"],
    ['\r\n{"a": 1,}', "2:8 a trailing comma before '}' (JSON allows none)"],
    // What jsonc-parser reports, worded (src/config/json-syntax.ts): each kind of its errors once.
    ['{"a" 1}', "1:6 '1' where ':' is due after the key"],
    ['[1 2]', "1:4 '2' where ',' or ']' is due (a comma missing?)"],
    ['{"a": [1, 2}', "1:12 '}' where ',' or ']' is due (a comma missing?)"],
    ['{"a": 1.}', '1:7 a number JSON cannot read'],
    ['{"a": -}', '1:7 a number JSON cannot read'],
    ['{"a": /* c */ 1}', '1:7 a comment (JSON allows none)'],
    ['"abc', "1:1 a string that is never closed (a '\"' missing)"],
    ['{"a": "x\\qy"}', '1:9 an unknown escape \\q in a string'],
    ['{"a": "\\u12"}', '1:8 a \\u escape without four hex digits'],
    ['{"a": "x\ty"}', '1:9 a control character inside a string (escape it)'],
    ['{abc: 1}', "1:2 'a' where a key in double quotes is due"],
    ['{"a": \'x\'}', '1:7 a string in single quotes (JSON strings take double quotes)'],
    ['[', "1:2 the file ends inside an array (a ']' missing for line 1)"],
    ['  \n ', '2:2 the file is empty (JSON needs a value)'],
    ['{"a":\u00a01}', '1:6 a U+00A0 where JSON allows only spaces, tabs and line breaks'],
    ['['.repeat(600) + ']'.repeat(600), '1:513 nested more than 512 levels deep'],
    ['['.repeat(100_000), '1:513 nested more than 512 levels deep'],
  ])('%j -> %s', (text, expected) => {
    const found = jsonSyntaxError(text);
    expect(found && `${found.line}:${found.column} ${found.problem}`).toBe(expected);
  });

  it.each([
    ['600 levels', '['.repeat(600) + ']'.repeat(600)],
    ['100,000 levels, never closed (deeper than the reader can recurse)', '['.repeat(100_000)],
  ])('reports nesting deeper than 512 levels: %s', (_, text) => {
    expect(jsonSyntaxError(text)).toEqual({
      line: 1,
      column: 513,
      problem: 'nested more than 512 levels deep',
    });
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of [
      '[]',
      '{}',
      '"x"',
      '0',
      '[{"a":{}}]',
      ' 1 ',
      '{"a":"\\"}"}',
      '[1,]',
      '{"a"}',
      '"\\x"',
      '{"a":\u00a01}',
      '{"a":\v1}',
      '"\u2028"',
      '[1e5, -0.5E-3, 0]',
    ])
      expect(jsonSyntaxError(text) === undefined).toBe(
        (() => {
          try {
            JSON.parse(text);
            return true;
          } catch {
            return false;
          }
        })(),
      );
  });
});
