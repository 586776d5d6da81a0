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
    ['{"a": 1} // x', "1:10 '/' after the end of the JSON value (a second value, or a '}' or ']' too many)"],
    ['{\n  // c\n  "a": 1\n}', '2:3 a comment (JSON allows none)'],
    ['{"a": "x\ny"}', '1:9 a line break inside a string (write \\n, or close the string)'],
    ['{"a": 01}', "1:8 '1' where ',' or '}' is due (a comma missing?)"],
    ['', '1:1 the file is empty (JSON needs a value)'],
    ['{"a": tru}', "1:7 't' where a value is due"],
    ['\r\n{"a": 1,}', "2:8 a trailing comma before '}' (JSON allows none)"],
  ])('%j -> %s', (text, expected) => {
    const found = jsonSyntaxError(text);
    expect(found && `${found.line}:${found.column} ${found.problem}`).toBe(expected);
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
