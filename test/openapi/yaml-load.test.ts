import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/openapi/source.js';
import { compactSparseIndexKeys, loadYamlSharingText } from '../../src/openapi/yaml-load.js';
import { CORPUS_DIR } from '../helpers/paths.js';

// V8's own answer to "are this object's elements a dictionary?" (a natives call, compiled after the flag is set).
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const hasDictionaryElements = new Function('o', 'return %HasDictionaryElements(o)') as (o: object) => boolean;

const { merge } = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types;
const schema = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });
const plain = (text: string): unknown => jsYaml.load(text, { schema });
const compacted = (text: string): unknown => jsYaml.load(text, { schema, listener: compactSparseIndexKeys });

/** Keys in enumeration order at every level, with the values: equal data and equal order. */
const shape = (data: unknown): string => JSON.stringify(data);

describe('compactSparseIndexKeys (the model keeps responses maps small)', () => {
  const responses = `responses:\n  '200': {description: OK}\n  '400': {description: Bad}\n  '403': {description: No}\n  default: {description: Other}\n`;

  it('stores sparse status-code keys as a dictionary, with the same data and key order', () => {
    const before = plain(responses) as { responses: object };
    const after = loadYaml(responses) as { responses: object };
    expect(hasDictionaryElements(before.responses)).toBe(false);
    expect(hasDictionaryElements(after.responses)).toBe(true);
    expect(shape(after)).toBe(shape(before));
    expect(Object.keys(after.responses)).toEqual(['200', '400', '403', 'default']);
  });

  it('leaves dense and small integer keys, and maps without them, as V8 made them', () => {
    const dense = Array.from({ length: 100 }, (_, i) => `'${i}': x`).join('\n');
    expect(hasDictionaryElements(compacted(dense) as object)).toBe(false);
    expect(hasDictionaryElements(compacted(`'1': a\n'7': b\n`) as object)).toBe(false);
    expect(shape(compacted(dense))).toBe(shape(plain(dense)));
  });

  it('keeps a map that has the key 4294967294 itself, and non-index keys that look numeric', () => {
    const text = `'403': a\n'4294967294': b\n'4294967295': c\n'0403': d\n'-1': e\n`;
    expect(compacted(text)).toEqual(plain(text));
    expect(shape(compacted(text))).toBe(shape(plain(text)));
  });

  it('keeps anchors, aliases and merge keys: the same shared objects, the same data', () => {
    const text = [
      'common: &common',
      "  '401': {description: A}",
      "  '403': {description: B}",
      'one: *common',
      'two:',
      '  <<: *common',
      "  '500': {description: C}",
      '__proto__: {x: 1}',
    ].join('\n');
    const data = compacted(text) as Record<string, object>;
    expect(data.one).toBe(data.common);
    expect(hasDictionaryElements(data.common)).toBe(true);
    expect(shape(data)).toBe(shape(plain(text)));
    expect(Object.keys(data.two)).toEqual(['401', '403', '500']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it('reads every corpus document to the same data in the same key order', () => {
    const files = readdirSync(CORPUS_DIR, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => path.join(CORPUS_DIR, name));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      expect(shape(compacted(text)), file).toBe(shape(plain(text)));
    }
  });
});

describe('loadYamlSharingText (the model holds the file once)', () => {
  it.each([
    [
      'a trailing newline',
      'openapi: 3.1.0\npaths:\n  /a:\n    get:\n      summary: a summary long enough to slice\n',
    ],
    ['no trailing newline', "openapi: 3.1.0\nx: 'a value long enough to slice'"],
    ['CRLF line ends', 'openapi: 3.1.0\r\nx: a value long enough to slice\r\n'],
    ['an empty document', ''],
    ['a comment only', '# nothing here\n'],
  ])('returns the same text and the same data: %s', (_name, text) => {
    const loaded = loadYamlSharingText(text, { schema });
    expect(loaded.text).toBe(text);
    expect(loaded.text.length).toBe(text.length);
    expect(shape(loaded.data)).toBe(shape(plain(text)));
  });
});
