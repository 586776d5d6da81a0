import { describe, expect, it } from 'vitest';
import { countJsonMembers, countMembers, firstDuplicateKey } from '../../src/openapi/json-duplicates.js';

/** Session 9: JSON texts that write a key twice in one object are refused like YAML's (src/openapi/source.ts). */
const duplicates: { name: string; text: string; key: string; path: (string | number)[] }[] = [
  { name: 'at the top', text: '{"a": 1, "b": 2, "a": 3}', key: 'a', path: [] },
  {
    name: 'a 403 response written twice',
    text: '{"paths": {"/a": {"get": {"responses": {"403": {}, "401": {}, "403": {}}}}}}',
    key: '403',
    path: ['paths', '/a', 'get', 'responses'],
  },
  {
    name: 'inside an array item',
    text: '{"servers": [{"url": "x"}, {"url": "y", "url": "z"}]}',
    key: 'url',
    path: ['servers', 1],
  },
  {
    name: 'keys that differ as written but not as read ("\\u0061" is "a")',
    text: '{"a": 1, "\\u0061": 2}',
    key: 'a',
    path: [],
  },
];

const unique: { name: string; text: string }[] = [
  { name: 'the same key in sibling objects', text: '{"x": {"a": 1}, "y": {"a": 2}}' },
  {
    name: 'colons, braces and quotes inside strings',
    text: '{"a": "b: {c}", "d": "\\"e\\": 1, \\"e\\": 2", "f": "\\\\"}',
  },
  { name: 'a key equal to a string value beside it', text: '{"a": "b", "b": "a"}' },
  { name: 'arrays of scalars and nested arrays', text: '{"a": [1, [2, {"a": 3}], "a"], "b": []}' },
];

describe('JSON duplicate keys', () => {
  for (const scenario of duplicates) {
    it(`invalid: ${scenario.name}`, () => {
      expect(countJsonMembers(scenario.text)).toBeGreaterThan(countMembers(JSON.parse(scenario.text)));
      const found = firstDuplicateKey(scenario.text);
      expect(found).toMatchObject({ key: scenario.key, path: scenario.path });
      expect(scenario.text.slice(found?.offset).startsWith('"')).toBe(true);
      expect(scenario.text.lastIndexOf('"' + scenario.key)).toBeLessThanOrEqual(found?.offset ?? -1);
    });
  }
  for (const scenario of unique) {
    it(`valid: ${scenario.name}`, () => {
      expect(countJsonMembers(scenario.text)).toBe(countMembers(JSON.parse(scenario.text)));
      expect(firstDuplicateKey(scenario.text)).toBeUndefined();
    });
  }
});
